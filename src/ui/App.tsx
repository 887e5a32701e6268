import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { ApplyStatus } from './ApplyStatus';
import { Inspector } from './inspector/Inspector';
import { LabHeader } from './LabHeader';
import { initialTabIsLessons, useLessonSession } from './lessons/session';
import { CityMap } from './map/CityMap';
import { LabNotices } from './share/LabNotices';
import { TrafficPanel } from './traffic/TrafficPanel';

// The editor and terminal load in their own chunk once the map is drawn and the browser is idle;
// the matrix loads when its tab is first opened. The first load carries only what draws the city.
const BottomPanel = lazy(() => import('./bottom/BottomPanel'));
// The lessons (their text, Markdown renderer and checks) load when the lesson panel is shown.
const LessonPanel = lazy(() => import('./lessons/LessonPanel'));
const Matrix = lazy(() => import('./matrix/Matrix').then((m) => ({ default: m.Matrix })));
// The Mesh view (its charts and D3) loads when its tab is first opened.
const MeshPanel = lazy(() => import('./mesh/MeshPanel').then((m) => ({ default: m.MeshPanel })));
const ScaleView = lazy(() => import('./scale/ScaleView'));

/** True once the browser has been idle after the first paint (at most `timeout` ms later). */
function useIdle(timeout = 1500): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (typeof window.requestIdleCallback !== 'function') {
      const id = window.setTimeout(() => setIdle(true), 200);
      return () => window.clearTimeout(id);
    }
    const id = window.requestIdleCallback(() => setIdle(true), { timeout });
    return () => window.cancelIdleCallback(id);
  }, [timeout]);
  return idle;
}

const SIDE_TABS = [
  { id: 'lessons', label: 'Lessons' },
  { id: 'inspect', label: 'Inspect' },
  { id: 'traffic', label: 'Traffic' },
  { id: 'matrix', label: 'Matrix' },
  { id: 'mesh', label: 'Mesh' },
  { id: 'scale', label: 'Scale' },
] as const;
type SideTab = (typeof SIDE_TABS)[number]['id'];

export function App() {
  const [tab, setTab] = useState<SideTab>(() => (initialTabIsLessons() ? 'lessons' : 'traffic'));
  // A lesson route in the URL (a link, back/forward) shows the lesson panel.
  useLessonSession(useCallback(() => setTab('lessons'), []));
  const idle = useIdle();
  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to the cluster
      </a>
      <LabHeader />
      <main id="main" className="lab-main" aria-label="Lab">
        <LabNotices />
        <ApplyStatus />
        <CityMap />
      </main>
      <aside className="side-panel" aria-label="Lessons, inspector, traffic and matrix">
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
        {tab === 'lessons' && (
          <Suspense fallback={<p className="muted">Loading the lessons…</p>}>
            <LessonPanel />
          </Suspense>
        )}
        {tab === 'traffic' && <TrafficPanel />}
        {tab === 'matrix' && (
          <Suspense fallback={<p className="muted">Loading the matrix…</p>}>
            <Matrix />
          </Suspense>
        )}
        {tab === 'mesh' && (
          <Suspense fallback={<p className="muted">Loading the mesh view…</p>}>
            <MeshPanel onShowTrace={() => setTab('traffic')} />
          </Suspense>
        )}
        {tab === 'scale' && (
          <Suspense fallback={<p className="muted">Loading the scale view…</p>}>
            <ScaleView />
          </Suspense>
        )}
        <Inspector />
      </aside>
      {/* BottomPanel is its own labelled region; this slot only places it in the grid. */}
      <div className="bottom-slot" data-testid="bottom-panel-slot">
        {idle ? (
          <Suspense fallback={<BottomPanelLoading />}>
            <BottomPanel />
          </Suspense>
        ) : (
          <BottomPanelLoading />
        )}
      </div>
    </div>
  );
}

/** Stands in for the editor and terminal while their chunk loads: the same labelled region. */
function BottomPanelLoading() {
  return (
    <section className="bottom-panel" aria-label="Editor and terminal">
      <p className="muted">Loading the editor and terminal…</p>
    </section>
  );
}
