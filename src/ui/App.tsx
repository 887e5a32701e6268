import { lazy, Suspense, useCallback, useState } from 'react';
import { ApplyStatus } from './ApplyStatus';
import BottomPanel from './bottom/BottomPanel';
import { Inspector } from './inspector/Inspector';
import { LabHeader } from './LabHeader';
import { initialTabIsLessons, useLessonSession } from './lessons/session';
import { CityMap } from './map/CityMap';
import { lazyWithTools } from './lazyWithTools';
import { LabNotices } from './share/LabNotices';

// The first load carries only what draws the city. Everything else loads when first shown: the
// editor and the terminal when the learner opens them (./bottom/BottomPanel.tsx), the lesson
// panel, the side panel's other tabs, and the details of a selection.
// The lessons (their text, Markdown renderer and checks) load when the lesson panel is shown.
const LessonPanel = lazy(() => import('./lessons/LessonPanel'));
const Matrix = lazyWithTools(() => import('./matrix/Matrix').then((m) => ({ default: m.Matrix })));
// The Mesh view (its charts and D3) loads when its tab is first opened.
const MeshPanel = lazyWithTools(() => import('./mesh/MeshPanel').then((m) => ({ default: m.MeshPanel })));
const ScaleView = lazyWithTools(() => import('./scale/ScaleView'));
// The traffic controls load when their tab is shown, with the lab's tools (they trace packets).
const TrafficPanel = lazyWithTools(() =>
  import('./traffic/TrafficPanel').then((m) => ({ default: m.TrafficPanel })),
);

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
        {tab === 'traffic' && (
          <Suspense fallback={<p className="muted">Loading the traffic controls…</p>}>
            <TrafficPanel />
          </Suspense>
        )}
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
        <BottomPanel />
      </div>
    </div>
  );
}
