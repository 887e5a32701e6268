import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { ApplyResult } from '../../store/labStore';
import { kubectlName, previewApply, type ApplyPreview } from '../../store/dryRun';
import { ReachabilityPreview } from './ReachabilityPreview';
import { selectEditorYaml, selectStorageError, type EditorStore } from '../../store/editorStore';
import { selectRevision } from '../../store/selectors';
import { LabStoreContext } from '../labStoreContext';
import { useLab } from '../useLab';
import { isDark, watchDark } from '../theme';
import { errorMarkers } from './markers';
import { monaco, MODEL_URI } from './monaco';
import './yamlEditor.css';
import { downloadBlob } from '../download';

const DRY_RUN_DELAY_MS = 400;
const MARKER_OWNER = 'kube-apiserver';

const themeFor = (dark: boolean) => (dark ? 'vs-dark' : 'vs');

function summary(result: ApplyResult): string[] {
  return [
    ...result.results.map((r) => `${kubectlName(r)} ${r.result}`),
    ...result.errors.map((e) =>
      e.type === 'BadRequest'
        ? `Error from server (BadRequest): ${e.message}`
        : `error: ${e.kind && e.name ? `${e.kind} "${e.name}": ` : ''}${e.message}`,
    ),
  ];
}

/** The YAML editor: Monaco with the Kubernetes schema, the API server's errors, a preview, apply. */
export default function YamlEditor({
  editorStore,
  autoFocus = false,
}: {
  editorStore: EditorStore;
  /** Takes the focus once created (opened with the bottom panel's Start button). */
  autoFocus?: boolean;
}) {
  const focusOnCreate = useRef(autoFocus);
  const labStore = useContext(LabStoreContext);
  const host = useRef<HTMLDivElement>(null);
  const yaml = useStore(editorStore, selectEditorYaml);
  const storageError = useStore(editorStore, selectStorageError);
  const revision = useLab(selectRevision);
  const [dryRun, setDryRun] = useState<ApplyPreview | null>(null);
  const preview = dryRun?.result ?? null;
  const [applied, setApplied] = useState<string[] | null>(null);
  const applyRef = useRef<() => void>(() => {});

  const apply = useCallback(() => {
    if (!labStore) return;
    const result = labStore.getState().apply(editorStore.getState().yaml);
    setApplied(summary(result));
  }, [labStore, editorStore]);
  applyRef.current = apply;

  // The editor itself: created once; its text flows into the editor store.
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const model =
      monaco.editor.getModel(MODEL_URI) ??
      monaco.editor.createModel(editorStore.getState().yaml, 'yaml', MODEL_URI);
    const editor = monaco.editor.create(el, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      tabSize: 2,
      fontSize: 13,
      ariaLabel: 'YAML editor. Ctrl+Enter or Cmd+Enter applies.',
      theme: themeFor(isDark()),
      quickSuggestions: { other: true, comments: false, strings: true },
    });
    // Monaco's theme is global: it follows the page's theme, chosen or the system's.
    const stopWatching = watchDark((dark) => monaco.editor.setTheme(themeFor(dark)));
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => applyRef.current());
    if (focusOnCreate.current) editor.focus();
    const changes = model.onDidChangeContent(() => editorStore.getState().setYaml(model.getValue()));
    // Reset (or anything else writing the store) flows back into the model.
    const unsubscribe = editorStore.subscribe((s) => {
      if (s.yaml !== model.getValue()) model.setValue(s.yaml);
    });
    return () => {
      unsubscribe();
      changes.dispose();
      stopWatching();
      editor.dispose();
      model.dispose();
    };
  }, [editorStore]);

  // The dry run: debounced while typing, again whenever the cluster changes.
  useEffect(() => {
    if (!labStore) return;
    const timer = window.setTimeout(() => {
      const next = previewApply(labStore.getState().engine, yaml);
      setDryRun(next);
      const result = next.result;
      const model = monaco.editor.getModel(MODEL_URI);
      if (!model) return;
      monaco.editor.setModelMarkers(
        model,
        MARKER_OWNER,
        errorMarkers(yaml, result.errors).map((m) => ({ ...m, severity: monaco.MarkerSeverity.Error })),
      );
    }, DRY_RUN_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [labStore, yaml, revision]);

  const download = () => downloadBlob(new Blob([yaml], { type: 'application/yaml' }), 'lab.yaml');

  const changes = preview?.results.filter((r) => r.result !== 'unchanged') ?? [];
  const unchanged = (preview?.results.length ?? 0) - changes.length;

  return (
    <div className="yaml-editor">
      <div className="yaml-editor-toolbar" role="toolbar" aria-label="Editor actions">
        <button type="button" className="primary" data-testid="apply" onClick={apply}>
          Apply
        </button>
        <button type="button" onClick={() => editorStore.getState().reset()}>
          Reset
        </button>
        <button type="button" onClick={download}>
          Download
        </button>
        <span className="yaml-editor-hint">Ctrl/⌘+Enter applies</span>
      </div>
      {storageError && (
        <p className="yaml-editor-warning" role="status">
          {storageError} Your edits stay in this tab only.
        </p>
      )}
      <div className="yaml-editor-body">
        <div ref={host} className="yaml-editor-monaco" data-testid="monaco" />
        {/* Focusable so its scrolling can be done from the keyboard. */}
        <aside className="yaml-editor-side" aria-label="What applying would change" tabIndex={0}>
          <h2>Preview</h2>
          <div data-testid="apply-preview" aria-live="polite">
            {!preview ? (
              <p>Checking…</p>
            ) : (
              <>
                {changes.length === 0 && preview.errors.length === 0 && <p>Nothing would change.</p>}
                {changes.length > 0 && (
                  <ul>
                    {changes.map((r) => (
                      <li key={`${r.kind}/${r.namespace ?? ''}/${r.name}`} data-result={r.result}>
                        <code>{kubectlName(r)}</code>{' '}
                        {r.result === 'created' ? 'would be created' : 'would be configured'}
                      </li>
                    ))}
                  </ul>
                )}
                {unchanged > 0 && <p className="muted">{unchanged} unchanged</p>}
                {preview.errors.length > 0 && (
                  <p className="yaml-editor-error">
                    {preview.errors.length} {preview.errors.length === 1 ? 'object is' : 'objects are'}{' '}
                    invalid (see the marks in the editor)
                  </p>
                )}
                <p className="muted">
                  Apply never deletes: objects taken out of the YAML stay in the cluster until{' '}
                  <code>kubectl delete</code>.
                </p>
                {dryRun && <ReachabilityPreview diff={dryRun.reachability} />}
              </>
            )}
          </div>
          {applied && (
            <>
              <h2>Last apply</h2>
              <pre data-testid="apply-output" role="status">
                {applied.join('\n')}
              </pre>
            </>
          )}
        </aside>
      </div>
    </div>
  );
}
