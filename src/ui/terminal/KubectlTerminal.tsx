import { useContext, useEffect, useRef } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { complete } from '../../kubectl';
import { lessonYamlFiles } from '../../lessons/replay';
import type { EditorStore } from '../../store/editorStore';
import { loadLabTools } from '../../store/labStore';
import { LabStoreContext } from '../labStoreContext';
import { loadLessonBundle } from '../lessons/loadLessons';
import { sessionStore } from '../lessons/session';
import { applyCompletion, emptyLine, feed, PROMPT, redraw, type LineState } from './lineEditor';
import { runLine, toTerminal } from './shell';
import './terminal.css';

const GREETING =
  'kubectl against the simulated cluster. Try: kubectl get pods -A -o wide, kubectl get svc -A,\r\n' +
  'kubectl exec <pod> -- curl <service>. Tab completes; up/down walk the history.\r\n';

// One dark palette in both colour schemes, as most terminals have; every colour used keeps 4.5:1
// against the background.
const THEME = {
  background: '#11151c',
  foreground: '#e6e9ef',
  cursor: '#e6e9ef',
  selectionBackground: '#35507a',
  red: '#ff8f8f',
  green: '#8fe3a5',
  blue: '#8fb8ff',
};

/** The kubectl terminal: xterm.js over the shell in `shell.ts`, driving the lab store. */
export default function KubectlTerminal({
  editorStore,
  autoFocus = false,
}: {
  editorStore: EditorStore;
  /** Takes the focus once its prompt is up (opened with the bottom panel's Start button). */
  autoFocus?: boolean;
}) {
  const focusOnReady = useRef(autoFocus);
  const host = useRef<HTMLDivElement>(null);
  const labStore = useContext(LabStoreContext);

  useEffect(() => {
    const el = host.current;
    if (!el || !labStore) return;
    const term = new Terminal({
      screenReaderMode: true,
      convertEol: false,
      cursorBlink: true,
      fontFamily: "ui-monospace, 'SF Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace",
      fontSize: 13,
      scrollback: 5000,
      theme: THEME,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    term.textarea?.setAttribute('aria-label', 'kubectl terminal input');
    const refit = () => {
      if (el.offsetWidth > 0 && el.offsetHeight > 0) fit.fit();
    };
    refit();
    const resize = new ResizeObserver(refit);
    resize.observe(el);

    let line: LineState = emptyLine();
    term.write(GREETING);
    // The store runs kubectl lines once the lab's tools have loaded (kubectl, the YAML reader and the
    // data plane); keys typed before the prompt are dropped.
    let ready = false;
    let live = true;
    loadLabTools().then(
      () => {
        if (!live) return;
        ready = true;
        term.write(PROMPT);
        if (focusOnReady.current) term.focus();
      },
      () =>
        live &&
        term.write('\x1b[91mThe kubectl commands could not load. Reload the page to try again.\x1b[0m\r\n'),
    );

    // The open lesson's YAML files, so `kubectl apply -f split.yaml` reads what its solution shows.
    let lessonFiles: Readonly<Record<string, string>> = {};
    const followLesson = (id: string | null) => {
      lessonFiles = {};
      if (id === null) return;
      void loadLessonBundle(id).then((r) => {
        if (!live || !('bundle' in r) || sessionStore.getState().clusterLesson !== id) return;
        lessonFiles = lessonYamlFiles(r.bundle);
      });
    };
    followLesson(sessionStore.getState().clusterLesson);
    const stopFollowing = sessionStore.subscribe((s, prev) => {
      if (s.clusterLesson !== prev.clusterLesson) followLesson(s.clusterLesson);
    });

    const run = (text: string, history: readonly string[]) => {
      const kubectl = (l: string) => labStore.getState().kubectl(l, editorStore.getState().yaml, lessonFiles);
      const r = runLine(text, { history, kubectl, sleep: (seconds) => labStore.getState().advance(seconds) });
      if (r.clear) term.clear();
      if (r.stdout) term.write(toTerminal(r.stdout));
      if (r.stderr) term.write(`\x1b[91m${toTerminal(r.stderr)}\x1b[0m`);
    };

    // Paste arrives as one chunk: handle it a key at a time up to each Enter, Tab or Ctrl+C, so
    // every line of a pasted script runs in turn.
    const input = term.onData((data) => {
      if (!ready) return;
      // eslint-disable-next-line no-control-regex -- Ctrl+C and Ctrl+L are the bytes being matched.
      const segments = data.replace(/\r\n?|\n/g, '\r').split(/(?<=[\r\t\x03\x0c])/);
      for (const segment of segments) {
        const { state, events } = feed(line, segment);
        const event = events[0];
        if (!event) {
          line = state;
          term.write(redraw(line));
          continue;
        }
        const typed = feed(line, segment.slice(0, -1)).state;
        if (event.type === 'submit') {
          term.write(`${redraw(typed)}\r\n`);
          run(event.line, state.history);
          line = state;
          term.write(PROMPT);
        } else if (event.type === 'interrupt') {
          term.write(`${redraw(typed)}^C\r\n${PROMPT}`);
          line = state;
        } else if (event.type === 'clear') {
          term.clear();
          line = typed;
          term.write(redraw(line));
        } else {
          const before = typed.buffer.slice(0, typed.cursor);
          const { state: completed, list } = applyCompletion(
            typed,
            complete(labStore.getState().engine, before),
          );
          if (list.length) term.write(`\r\n${list.join('  ')}\r\n`);
          line = completed;
          term.write(redraw(line));
        }
      }
    });

    return () => {
      live = false;
      stopFollowing();
      input.dispose();
      resize.disconnect();
      term.dispose();
    };
  }, [labStore, editorStore]);

  return <div ref={host} className="kubectl-terminal" role="group" aria-label="kubectl terminal" />;
}
