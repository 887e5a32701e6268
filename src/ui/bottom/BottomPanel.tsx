import { lazy, Suspense, useRef, useState, type KeyboardEvent } from 'react';
import { lazyWithTools } from '../lazyWithTools';
import { useEditorStore } from '../share/editorContent';
import './bottomPanel.css';

// Both tools load on first use, in their own chunks: Monaco is about 1 MB gzip and xterm.js
// 80 KB, and neither is needed to draw the cluster.
const KubectlTerminal = lazy(() => import('../terminal/KubectlTerminal'));
const YamlEditor = lazyWithTools(() => import('../editor/YamlEditor'));

const TABS = [
  { id: 'editor', label: 'Editor' },
  { id: 'terminal', label: 'Terminal' },
] as const;
type TabId = (typeof TABS)[number]['id'];

const START_TEXT: Record<TabId, string> = {
  editor: 'Write or paste YAML manifests, see what they would change, and apply them.',
  terminal: 'Type kubectl commands against the lab: get, describe, apply, exec … -- curl.',
};

/** The bottom panel: the YAML editor and the kubectl terminal, as tabs (WAI-ARIA tabs pattern). */
export default function BottomPanel() {
  // The editor holds the content of the lab slot in use (a shared lab's never replaces the learner's).
  const editorStore = useEditorStore();
  const [selected, setSelected] = useState<TabId>('terminal');
  // Each tool loads when the learner first opens it (its tab, or the Start button in its panel), and
  // stays mounted after, so the terminal keeps its scrollback and the editor its undo.
  const [opened, setOpened] = useState<ReadonlySet<TabId>>(() => new Set());
  // A tool started with its Start button takes the focus once it is up.
  const [started, setStarted] = useState<TabId | null>(null);
  const tabRefs = useRef<Partial<Record<TabId, HTMLButtonElement | null>>>({});

  const select = (id: TabId, focus = false) => {
    setSelected(id);
    setOpened((prev) => (prev.has(id) ? prev : new Set([...prev, id])));
    if (focus) tabRefs.current[id]?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.findIndex((t) => t.id === selected);
    const next =
      e.key === 'ArrowRight'
        ? TABS[(index + 1) % TABS.length]
        : e.key === 'ArrowLeft'
          ? TABS[(index + TABS.length - 1) % TABS.length]
          : e.key === 'Home'
            ? TABS[0]
            : e.key === 'End'
              ? TABS[TABS.length - 1]
              : undefined;
    if (!next) return;
    e.preventDefault();
    select(next.id, true);
  };

  return (
    <section className="bottom-panel" aria-label="Editor and terminal">
      <div className="bottom-panel-tabs" role="tablist" aria-label="Tools" onKeyDown={onKeyDown}>
        {TABS.map((tab) => (
          <button
            key={tab.id}
            ref={(el) => {
              tabRefs.current[tab.id] = el;
            }}
            type="button"
            role="tab"
            id={`bottom-tab-${tab.id}`}
            aria-controls={`bottom-panel-${tab.id}`}
            aria-selected={selected === tab.id}
            tabIndex={selected === tab.id ? 0 : -1}
            data-testid={`tab-${tab.id}`}
            onClick={() => select(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {TABS.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`bottom-panel-${tab.id}`}
          aria-labelledby={`bottom-tab-${tab.id}`}
          className="bottom-panel-body"
          hidden={selected !== tab.id}
          data-testid={tab.id === 'terminal' ? 'terminal' : 'yaml-editor'}
        >
          {opened.has(tab.id) ? (
            <Suspense
              fallback={<p className="bottom-panel-loading">Loading the {tab.label.toLowerCase()}…</p>}
            >
              {tab.id === 'terminal' ? (
                <KubectlTerminal editorStore={editorStore} autoFocus={started === 'terminal'} />
              ) : (
                <YamlEditor editorStore={editorStore} autoFocus={started === 'editor'} />
              )}
            </Suspense>
          ) : (
            <div className="bottom-panel-start">
              <p>{START_TEXT[tab.id]}</p>
              <button
                type="button"
                data-testid={`start-${tab.id}`}
                onClick={() => {
                  setStarted(tab.id);
                  select(tab.id);
                }}
              >
                Start the {tab.label.toLowerCase()}
              </button>
            </div>
          )}
        </div>
      ))}
    </section>
  );
}
