import { useId, useRef, useState } from 'react';
import type { LabState } from '../../store/labStore';
import { encodeShareLink, SHARE_LIMITS } from '../../store/share';
import { activeTaskChecks, currentLesson } from '../lessons/session';
import { useLab } from '../useLab';
import { editorStoreFor } from './editorContent';
import { selectSlot, useSession } from './sessionContext';
import './share.css';

const selectRecord = (s: LabState) => s.record;
const selectLabEngine = (s: LabState) => s.engine;

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // The click has started the download; the object URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Share (a link holding the whole lab, the lesson step and the editor's content) and Export
 * (manifests, a script that checks the lab on a real cluster).
 */
export function ShareControls() {
  const record = useLab(selectRecord);
  const engine = useLab(selectLabEngine);
  const slot = useSession(selectSlot);
  const [status, setStatus] = useState('');
  const [fallback, setFallback] = useState<string | null>(null);
  const fallbackId = useId();
  const fieldRef = useRef<HTMLInputElement>(null);

  const share = async () => {
    const fragment = encodeShareLink(record, {
      lesson: currentLesson(),
      editorYaml: editorStoreFor(slot).getState().yaml,
    });
    if (fragment.length > SHARE_LIMITS.maxEncoded) {
      setFallback(null);
      setStatus('This lab is too large to fit in a link. Export its manifests instead.');
      return;
    }
    const url = `${location.origin}${location.pathname}${location.search}${fragment}`;
    try {
      await navigator.clipboard.writeText(url);
      setFallback(null);
      setStatus('Link copied. Anyone who opens it gets this lab, in the state it is in now.');
    } catch {
      // The clipboard can be denied (permissions, an insecure context): the link is shown to copy by hand.
      setFallback(url);
      setStatus('The browser did not allow copying. Copy the link from the field below.');
      requestAnimationFrame(() => fieldRef.current?.select());
    }
  };

  const exportFile = async (kind: 'manifests' | 'script') => {
    try {
      // The exporters load on first use: a first visit does not need them.
      if (kind === 'manifests') {
        const { exportManifests } = await import('../../store/exportManifests');
        download('lab-manifests.yaml', exportManifests(engine, record), 'application/yaml');
        setStatus('Downloaded lab-manifests.yaml.');
        return;
      }
      // A lesson task on screen: the script checks what the task asks for; otherwise what the
      // simulation predicts for every client pod and Service port.
      const [task, { labScript }] = await Promise.all([
        activeTaskChecks(),
        import('../../store/exportScript'),
      ]);
      download('lab-check.sh', labScript(engine, record, task?.checks ?? []), 'text/x-shellscript');
      setStatus(
        task
          ? `Downloaded lab-check.sh with the checks of the task in step ${task.step} of “${task.lesson}”: run it with bash where kubectl reaches your cluster.`
          : 'Downloaded lab-check.sh with the connections the simulation predicts: run it with bash where kubectl reaches your cluster.',
      );
    } catch (e) {
      setStatus(`The export failed: ${describe(e)}`);
    }
  };

  return (
    <div className="share-controls">
      <button type="button" data-testid="share" onClick={() => void share()}>
        Share
      </button>
      <details className="export-menu">
        <summary>Export</summary>
        <div className="export-menu-items">
          <button type="button" data-testid="export-manifests" onClick={() => void exportFile('manifests')}>
            Manifests (YAML)
          </button>
          <button type="button" data-testid="export-script" onClick={() => void exportFile('script')}>
            Script for a real cluster
          </button>
        </div>
      </details>
      <p className="share-status" role="status" data-testid="share-status">
        {status}
      </p>
      {fallback !== null && (
        <div className="share-fallback">
          <label htmlFor={fallbackId}>Share link</label>
          <input
            id={fallbackId}
            ref={fieldRef}
            data-testid="share-link"
            readOnly
            value={fallback}
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
      )}
    </div>
  );
}
