import { useId, useState, type FormEvent } from 'react';
import { CONNTRACK_MAX_LIMITS, type ConnectResult } from '../../store/labStore';
import {
  objectRef,
  selectConnectAll,
  selectConntrackUse,
  selectPodAddressUse,
  selectPods,
  selectSetConntrackMax,
} from '../../store/selectors';
import { useLab } from '../useLab';
import { RuleGrowth } from './RuleGrowth';
import './scale.css';

/** At most this many connections per burst: enough to fill a small table, few enough to replay fast. */
export const MAX_BURST = 200;

const fmt = (n: number) => n.toLocaleString('en-US');

/** A labelled filling bar; `full` marks it as exhausted (colour and text both say so). */
function Fill({ label, value, max, testId }: { label: string; value: number; max: number; testId: string }) {
  const share = max > 0 ? Math.min(1, value / max) : 1;
  const full = value >= max;
  return (
    <div className={`fill${full ? ' full' : ''}`} data-testid={testId} data-value={value} data-max={max}>
      <div
        className="fill-track"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={Math.min(value, max)}
        aria-valuetext={`${fmt(value)} of ${fmt(max)}${full ? ', full' : ''}`}
      >
        <div className="fill-bar" style={{ width: `${share * 100}%` }} />
      </div>
      <span className="fill-text">
        {fmt(value)} / {fmt(max)}
        {full && <strong> full</strong>}
      </span>
    </div>
  );
}

function PodAddresses() {
  const nodes = useLab(selectPodAddressUse);
  const id = useId();
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Pod addresses per node</h3>
      <p className="muted">
        Each node hands out pod IPs from its own range (host-local IPAM: the range minus the network, gateway
        and broadcast addresses). When it runs out, new pods stay ContainerCreating.
      </p>
      <ul className="scale-nodes">
        {nodes.map((n) => (
          <li key={n.node} data-testid="ipam-node" data-node={n.node}>
            <div className="scale-node-head">
              <strong>{n.node}</strong> <code>{n.podCIDR ?? 'no pod range'}</code>
            </div>
            <Fill label={`Pod IPs used on ${n.node}`} value={n.used} max={n.capacity} testId="ipam-fill" />
            {n.waiting.length > 0 && (
              <div className="waiting">
                <h4>
                  {n.waiting.length} pod{n.waiting.length === 1 ? '' : 's'} waiting for an IP
                </h4>
                <ul>
                  {n.waiting.map((w) => (
                    <li key={w.ref} data-testid="waiting-pod">
                      <code>{w.ref}</code> ContainerCreating
                      {w.message && (
                        <p className="event-message">Warning FailedCreatePodSandBox: {w.message}</p>
                      )}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

interface BurstSummary {
  readonly count: number;
  readonly delivered: number;
  readonly lastFailure: string | null;
}

function summarize(results: readonly ConnectResult[]): BurstSummary {
  const failed = results.filter((r) => !r.delivered);
  return {
    count: results.length,
    delivered: results.length - failed.length,
    lastFailure: failed.at(-1)?.reason ?? null,
  };
}

function Conntrack() {
  const tables = useLab(selectConntrackUse);
  const setConntrackMax = useLab(selectSetConntrackMax);
  const connectAll = useLab(selectConnectAll);
  const pods = useLab(selectPods);
  const id = useId();
  const [max, setMax] = useState('');
  const [maxError, setMaxError] = useState<string | null>(null);
  const sources = pods
    .filter((p) => p.status?.podIP && !p.spec?.hostNetwork)
    .map(objectRef)
    .sort();
  const [from, setFrom] = useState('');
  const source = sources.includes(from)
    ? from
    : sources.includes('demo/client')
      ? 'demo/client'
      : (sources[0] ?? '');
  const [to, setTo] = useState('web');
  const [port, setPort] = useState('80');
  const [count, setCount] = useState('10');
  const [burstError, setBurstError] = useState<string | null>(null);
  const [summary, setSummary] = useState<BurstSummary | null>(null);

  const onSetMax = (event: FormEvent) => {
    event.preventDefault();
    const n = Number(max.trim());
    const r = setConntrackMax(max.trim() === '' ? NaN : n);
    setMaxError('error' in r ? r.error : null);
  };

  const onBurst = (event: FormEvent) => {
    event.preventDefault();
    const n = Number(count);
    const p = Number(port);
    if (!source) return setBurstError('No running pod to send from.');
    if (!to.trim()) return setBurstError('Name a destination: a Service name or an IP address.');
    if (!Number.isInteger(p) || p < 1 || p > 65535)
      return setBurstError('Port must be an integer from 1 to 65535.');
    if (!Number.isInteger(n) || n < 1 || n > MAX_BURST)
      return setBurstError(`Connections must be an integer from 1 to ${MAX_BURST}.`);
    setBurstError(null);
    setSummary(
      summarize(connectAll(Array.from({ length: n }, () => ({ from: source, to: to.trim(), port: p })))),
    );
  };

  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Connection tracking per node</h3>
      <p className="muted">
        Every new connection takes an entry in the conntrack table of the node that NATs it. An answered TCP
        connection is ESTABLISHED and ASSURED for 86,400 s (kube-proxy&apos;s timeout), and the kernel never
        evicts assured entries early: at <code>nf_conntrack_max</code> it drops new connections.
      </p>
      <ul className="scale-nodes">
        {tables.map((t) => (
          <li key={t.node} data-testid="conntrack-node" data-node={t.node}>
            <div className="scale-node-head">
              <strong>{t.node}</strong> conntrack entries
            </div>
            <Fill
              label={`Conntrack entries on ${t.node}`}
              value={t.entries}
              max={t.max}
              testId="conntrack-fill"
            />
          </li>
        ))}
      </ul>
      <form className="scale-form" noValidate onSubmit={onSetMax} aria-label="Set nf_conntrack_max">
        <label htmlFor={`${id}-max`}>nf_conntrack_max</label>
        <input
          id={`${id}-max`}
          type="number"
          inputMode="numeric"
          min={CONNTRACK_MAX_LIMITS.min}
          max={CONNTRACK_MAX_LIMITS.max}
          placeholder={String(tables[0]?.max ?? '')}
          value={max}
          aria-describedby={maxError ? `${id}-max-err` : undefined}
          aria-invalid={maxError ? true : undefined}
          onChange={(e) => setMax(e.target.value)}
        />
        <button type="submit">Set on every node</button>
        {maxError && (
          <p id={`${id}-max-err`} className="inline-error" role="alert">
            {maxError}
          </p>
        )}
      </form>
      <form className="scale-form burst" noValidate onSubmit={onBurst} aria-label="Burst of connections">
        <label htmlFor={`${id}-from`}>Burst from</label>
        <select id={`${id}-from`} value={source} onChange={(e) => setFrom(e.target.value)}>
          {sources.map((ref) => (
            <option key={ref} value={ref}>
              {ref}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-to`}>to</label>
        <input id={`${id}-to`} value={to} onChange={(e) => setTo(e.target.value)} />
        <label htmlFor={`${id}-port`}>port</label>
        <input
          id={`${id}-port`}
          type="number"
          inputMode="numeric"
          min={1}
          max={65535}
          value={port}
          onChange={(e) => setPort(e.target.value)}
        />
        <label htmlFor={`${id}-count`}>connections</label>
        <input
          id={`${id}-count`}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_BURST}
          value={count}
          onChange={(e) => setCount(e.target.value)}
        />
        <button type="submit" className="primary">
          Open connections
        </button>
        {burstError && (
          <p className="inline-error" role="alert">
            {burstError}
          </p>
        )}
      </form>
      <p className="burst-result" data-testid="burst-result" role="status">
        {summary &&
          `Opened ${summary.count} connection${summary.count === 1 ? '' : 's'}: ${summary.delivered} delivered` +
            (summary.count > summary.delivered
              ? `, ${summary.count - summary.delivered} failed` +
                (summary.lastFailure ? ` (last: ${summary.lastFailure})` : '')
              : '') +
            '. The last one is on the map.'}
      </p>
    </section>
  );
}

/** Scale failures: pod IP exhaustion, conntrack exhaustion, and kube-proxy's rule growth. */
export function ScaleView() {
  const id = useId();
  return (
    <section className="scale-view panel" aria-labelledby={`${id}-h`} data-testid="scale-view">
      <h2 id={`${id}-h`}>Scale</h2>
      <PodAddresses />
      <Conntrack />
      <RuleGrowth />
    </section>
  );
}

export default ScaleView;
