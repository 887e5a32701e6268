import { lazy, Suspense } from 'react';
import { selectSelection } from '../../store/selectors';
import { useLab } from '../useLab';
import './inspector.css';

// What is shown of a selected object loads with the first selection: a first visit has none.
const SelectionDetails = lazy(() => import('./SelectionDetails'));

/** The inspector: what a learner needs to know about the object selected on the map or list. */
export function Inspector() {
  const selection = useLab(selectSelection);
  return (
    <section className="inspector panel" aria-labelledby="inspector-heading">
      <h2 id="inspector-heading">Inspector</h2>
      <div aria-live="polite">
        {selection ? (
          <Suspense fallback={<p className="muted">Loading…</p>}>
            <SelectionDetails selection={selection} />
          </Suspense>
        ) : (
          <p className="muted">
            Select a house, post office, district or policy on the map (or in the list view).
          </p>
        )}
      </div>
    </section>
  );
}
