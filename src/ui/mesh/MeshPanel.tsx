import { useId, useMemo, useState, type FormEvent } from 'react';
import { REQUESTS_LIMITS, sidecarOf } from '../../store/labStore';
import {
  objectRef,
  selectConnect,
  selectLastRequests,
  selectPods,
  selectSendRequests,
} from '../../store/selectors';
import { useLab } from '../useLab';
import { PortField } from '../PortField';
import { BatchResult } from './BatchResult';
import { MeshMetrics } from './MeshMetrics';
import './mesh.css';

/**
 * The Mesh view: send a batch of HTTP requests from a pod to a Service and see how the sidecars
 * split, retried and timed them, beside the per-Service metrics and what the sidecars cost.
 */
export function MeshPanel({ onShowTrace }: { readonly onShowTrace?: () => void }) {
  const pods = useLab(selectPods);
  const send = useLab(selectSendRequests);
  const connect = useLab(selectConnect);
  const [traced, setTraced] = useState<string | null>(null);
  const batch = useLab(selectLastRequests);
  const id = useId();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('web');
  const [port, setPort] = useState('80');
  const [path, setPath] = useState('/');
  const [count, setCount] = useState(String(1000));
  const [error, setError] = useState<string | null>(null);

  const sources = useMemo(
    () =>
      [...pods]
        .filter((p) => p.status?.podIP && !p.spec?.hostNetwork)
        .map((p) => ({ ref: objectRef(p), mesh: sidecarOf(p) }))
        .sort((a, b) => a.ref.localeCompare(b.ref)),
    [pods],
  );
  // Until the learner picks one, requests come from the first pod with a sidecar (a client in the mesh).
  const source = sources.some((s) => s.ref === from)
    ? from
    : ((sources.find((s) => s.mesh && /client/.test(s.ref)) ?? sources.find((s) => s.mesh) ?? sources[0])
        ?.ref ?? '');

  /** The form's target, or the reason it cannot be sent. */
  const target = (): { port: number; path: string } | string => {
    const p = Number(port);
    if (!source) return 'No running pod to send from.';
    if (!to.trim()) return 'Name the Service to send to (web, web.shop or a ClusterIP).';
    if (!Number.isInteger(p) || p < 1 || p > 65535) return 'The port must be an integer from 1 to 65535.';
    const t = path.trim();
    return { port: p, path: t === '' ? '/' : t.startsWith('/') ? t : `/${t}` };
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const t = target();
    if (typeof t === 'string') return setError(t);
    const n = Number(count);
    if (!Number.isInteger(n) || n < REQUESTS_LIMITS.min || n > REQUESTS_LIMITS.max)
      return setError(`The count must be an integer from ${REQUESTS_LIMITS.min} to ${REQUESTS_LIMITS.max}.`);
    const result = send({ from: source, to: to.trim(), port: t.port, path: t.path, count: n });
    setError('error' in result ? result.error : null);
  };

  // One request traced hop by hop (its payload readable or encrypted per leg), driven on the map.
  const onTrace = () => {
    const t = target();
    if (typeof t === 'string') return setError(t);
    setError(null);
    const host = to.trim();
    const r = connect({ from: source, to: host, port: t.port, http: { host, path: t.path } });
    setTraced(
      r.delivered
        ? `Traced one request: delivered to ${r.backend ?? '?'} in ${r.hops.length} hops.`
        : `Traced one request: not delivered: ${r.reason ?? r.failure ?? 'unknown'}`,
    );
  };

  return (
    <section className="mesh-panel" data-testid="mesh-panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Service mesh</h2>
      <p className="muted">
        Requests go through the client pod&apos;s sidecar when it has one: its VirtualService splits them, its
        retries hide failing backends. A pod without a sidecar goes through kube-proxy instead.
      </p>
      <form className="mesh-form" onSubmit={onSubmit} aria-label="Send HTTP requests">
        <label htmlFor={`${id}-from`}>From pod</label>
        <select id={`${id}-from`} value={source} onChange={(e) => setFrom(e.target.value)}>
          {sources.length === 0 && <option value="">no running pods</option>}
          {sources.map((s) => (
            <option key={s.ref} value={s.ref}>
              {s.ref}
              {s.mesh ? ` (${s.mesh} sidecar)` : ' (no sidecar)'}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-to`}>To Service</label>
        <input
          id={`${id}-to`}
          value={to}
          onChange={(e) => setTo(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={`${id}-to-hint`}
        />
        <span id={`${id}-to-hint`} className="hint muted">
          as the pod resolves it: web, web.shop, or a ClusterIP
        </span>
        <PortField id={`${id}-port`} value={port} onChange={setPort} />
        <label htmlFor={`${id}-path`}>Path</label>
        <input
          id={`${id}-path`}
          value={path}
          onChange={(e) => setPath(e.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
        <label htmlFor={`${id}-count`}>Number of requests</label>
        <input
          id={`${id}-count`}
          type="number"
          min={REQUESTS_LIMITS.min}
          max={REQUESTS_LIMITS.max}
          value={count}
          onChange={(e) => setCount(e.target.value)}
        />
        <div className="mesh-actions">
          <button type="submit" className="primary" data-testid="send-requests">
            Send requests
          </button>
          <button type="button" onClick={onTrace} data-testid="trace-request">
            Trace one request
          </button>
        </div>
      </form>
      {traced && (
        <p role="status" data-testid="mesh-traced">
          {traced}{' '}
          {onShowTrace && (
            <button type="button" className="link-button" onClick={onShowTrace}>
              Show its hops
            </button>
          )}
        </p>
      )}
      {error && (
        <p className="inline-error" role="alert" data-testid="mesh-error">
          {error}
        </p>
      )}
      {batch ? <BatchResult batch={batch} /> : <p className="muted">No requests sent yet.</p>}
      <MeshMetrics />
    </section>
  );
}
