import { lazy, Suspense, useId, useState, type FormEvent } from 'react';
import { TRAFFIC_SPEEDS, type Protocol } from '../../store/labStore';
import {
  objectRef,
  selectConnect,
  selectLastConnect,
  selectPlayback,
  selectPods,
  selectSelect,
  selectSetPlaying,
  selectSetSpeed,
  selectSetStep,
} from '../../store/selectors';
import { useLab } from '../useLab';
import { PortField } from '../PortField';
import { trafficRequest } from './trafficRequest';

// The packet inspector loads with the first traced connection, not with the page.
const PacketInspector = lazy(() => import('./PacketInspector').then((m) => ({ default: m.PacketInspector })));

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const isProtocol = (v: string): v is Protocol => (PROTOCOLS as readonly string[]).includes(v);

/** "Send traffic": a request traced by the engine, driven hop by hop on the map. */
export function TrafficPanel() {
  const pods = useLab(selectPods);
  const connect = useLab(selectConnect);
  const result = useLab(selectLastConnect);
  const playback = useLab(selectPlayback);
  const setStep = useLab(selectSetStep);
  const setPlaying = useLab(selectSetPlaying);
  const setSpeed = useLab(selectSetSpeed);
  const select = useLab(selectSelect);
  const id = useId();
  const [from, setFrom] = useState('demo/client');
  const [to, setTo] = useState('web');
  const [port, setPort] = useState('80');
  const [protocol, setProtocol] = useState<Protocol>('TCP');

  const hops = result?.hops ?? [];
  const { step, playing, speed } = playback;

  const sources = [...pods]
    .filter((p) => p.status?.podIP)
    .map((p) => objectRef(p))
    .sort();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const portNumber = Number(port);
    if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) return;
    connect(trafficRequest(from, to, portNumber, protocol));
  };

  return (
    <section className="traffic panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Send traffic</h2>
      <form className="traffic-form" onSubmit={onSubmit}>
        <label htmlFor={`${id}-from`}>From</label>
        <select id={`${id}-from`} value={from} onChange={(e) => setFrom(e.target.value)}>
          <option value="external">outside client</option>
          {sources.map((ref) => (
            <option key={ref} value={ref}>
              {ref}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-to`}>To</label>
        <input
          id={`${id}-to`}
          value={to}
          onChange={(e) => setTo(e.target.value)}
          placeholder="pod IP, Service name, IP or URL"
          required
        />
        <PortField id={`${id}-port`} value={port} onChange={setPort} required />
        <label htmlFor={`${id}-proto`}>Protocol</label>
        <select
          id={`${id}-proto`}
          value={protocol}
          onChange={(e) => {
            if (isProtocol(e.target.value)) setProtocol(e.target.value);
          }}
        >
          {PROTOCOLS.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
        <button type="submit" className="primary">
          Send
        </button>
      </form>

      {result && (
        <>
          <p
            className={result.delivered ? 'verdict ok' : 'verdict bad'}
            data-testid="traffic-result"
            role="status"
          >
            {result.delivered
              ? `Delivered to ${result.backend ?? '?'}:${result.backendPort ?? '?'}; it sees the client as ${result.sourceIP ?? '?'}.`
              : `Not delivered: ${result.reason ?? result.failure ?? 'unknown'}`}
          </p>
          <div className="sim-controls" role="group" aria-label="Simulation controls">
            <button
              type="button"
              onClick={() => setStep(step - 1)}
              disabled={step <= 0}
              aria-label="Step back"
            >
              ‹ Back
            </button>
            {playing ? (
              <button type="button" onClick={() => setPlaying(false)} aria-label="Pause">
                ❚❚ Pause
              </button>
            ) : (
              <button
                type="button"
                onClick={() => setPlaying(true)}
                aria-label="Play"
                disabled={hops.length < 2}
              >
                ▶ Play
              </button>
            )}
            <button
              type="button"
              onClick={() => setStep(step + 1)}
              disabled={step >= hops.length - 1}
              aria-label="Step forward"
            >
              Forward ›
            </button>
            <label htmlFor={`${id}-speed`}>Speed</label>
            <select id={`${id}-speed`} value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
              {TRAFFIC_SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
            <span className="step-count" aria-live="polite">
              Hop {step + 1} of {hops.length}
            </span>
          </div>
          <ol className="hop-list" aria-label="Hops">
            {hops.map((hop, i) => (
              <li key={i} className={i === step ? 'current' : i < step ? 'done' : ''}>
                <button
                  type="button"
                  className="hop-button"
                  data-testid="hop"
                  aria-current={i === step ? 'step' : undefined}
                  onClick={() => {
                    setPlaying(false);
                    setStep(i);
                    if (hop.pod) select({ kind: 'Pod', ref: hop.pod });
                    else if (hop.service)
                      select({ kind: 'Service', ref: hop.service.replace(/:[^/:]*$/, '') });
                    else if (hop.node) select({ kind: 'Node', ref: hop.node });
                  }}
                >
                  <span className={`hop-kind kind-${hop.kind}${hop.dropped ? ' dropped' : ''}`}>
                    {hop.kind}
                  </span>
                  <span className="hop-where">{hop.where}</span>
                </button>
              </li>
            ))}
          </ol>
          <Suspense fallback={<p className="muted">Loading the packet inspector…</p>}>
            <PacketInspector hop={hops[step] ?? null} />
          </Suspense>
        </>
      )}
    </section>
  );
}
