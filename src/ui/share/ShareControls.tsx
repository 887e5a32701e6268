import { useId, useRef, useState } from 'react';
import type { LabState } from '../../store/labStore';
import { useLab } from '../useLab';
import { selectSlot, useSession } from './sessionContext';
import './share.css';

const selectRecord = (s: LabState) => s.record;
const selectLabEngine = (s: LabState) => s.engine;

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

  // What the buttons do loads on first use (./shareActions.ts): a first visit does not need it.
  const actions = () =>
    import('./shareActions').catch((e: unknown) => {
      setStatus(`This could not load (${e instanceof Error ? e.message : String(e)}). Check the connection.`);
      return null;
    });

  const share = async () => {
    const loaded = await actions();
    if (!loaded) return;
    const r = await loaded.shareLab(record, slot);
    setFallback(r.link);
    setStatus(r.status);
    if (r.link !== null) requestAnimationFrame(() => fieldRef.current?.select());
  };

  const exportFile = async (kind: 'manifests' | 'script') => {
    const loaded = await actions();
    if (loaded) setStatus(await loaded.exportLab(kind, engine, record));
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
