import { lazy, Suspense, useState } from 'react';
import { ApplyStatus } from './ApplyStatus';
import { Inspector } from './inspector/Inspector';
import { LabHeader } from './LabHeader';
import { CityMap } from './map/CityMap';
import { Matrix } from './matrix/Matrix';
import { TrafficPanel } from './traffic/TrafficPanel';

// The editor and terminal load in their own chunk, after the map is drawn.
const BottomPanel = lazy(() => import('./bottom/BottomPanel'));

const SIDE_TABS = [
  { id: 'inspect', label: 'Inspect' },
  { id: 'traffic', label: 'Traffic' },
  { id: 'matrix', label: 'Matrix' },
] as const;
type SideTab = (typeof SIDE_TABS)[number]['id'];

export function App() {
  const [tab, setTab] = useState<SideTab>('traffic');
  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to the cluster
      </a>
      <LabHeader />
      <main id="main" className="lab-main" aria-label="Lab">
        <ApplyStatus />
        <CityMap />
      </main>
      <aside className="side-panel" aria-label="Inspector, traffic and matrix">
        <nav className="side-tabs" aria-label="Side panel">
          {SIDE_TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              aria-pressed={tab === t.id}
              className={tab === t.id ? 'active' : ''}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        {/* The inspector stays visible with every tab: selecting on the map always answers. */}
        {tab === 'traffic' && <TrafficPanel />}
        {tab === 'matrix' && <Matrix />}
        <Inspector />
      </aside>
      {/* BottomPanel is its own labelled region; this slot only places it in the grid. */}
      <div className="bottom-slot" data-testid="bottom-panel-slot">
        <Suspense fallback={<p className="muted">Loading the editor and terminal…</p>}>
          <BottomPanel />
        </Suspense>
      </div>
    </div>
  );
}
