import { useId, useRef, useState } from 'react';
import { labScript } from '../../store/exportScript';
import { exportManifests } from '../../store/exportManifests';
import type { LabState } from '../../store/labStore';
import { encodeShareLink, SHARE_LIMITS } from '../../store/share';
import { currentLesson } from '../lessons/session';
import { useLab } from '../useLab';
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

/** Share (a link holding the whole lab) and Export (manifests, a script for a real cluster). */
export function ShareControls() {
  const record = useLab(selectRecord);
  const engine = useLab(selectLabEngine);
  const [status, setStatus] = useState('');
  const [fallback, setFallback] = useState<string | null>(null);
  const fallbackId = useId();
  const fieldRef = useRef<HTMLInputElement>(null);

  const share = async () => {
    const fragment = encodeShareLink(record, { lesson: currentLesson() });
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

  const exportFile = (kind: 'manifests' | 'script') => {
    try {
      if (kind === 'manifests') {
        download('lab-manifests.yaml', exportManifests(engine, record), 'application/yaml');
        setStatus('Downloaded lab-manifests.yaml.');
      } else {
        download('lab-check.sh', labScript(engine, record), 'text/x-shellscript');
        setStatus('Downloaded lab-check.sh: run it with bash where kubectl reaches your cluster.');
      }
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
          <button type="button" data-testid="export-manifests" onClick={() => exportFile('manifests')}>
            Manifests (YAML)
          </button>
          <button type="button" data-testid="export-script" onClick={() => exportFile('script')}>
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
