import { useId, useMemo, useState } from 'react';
import type { Protocol } from '../../store/labStore';
import { evaluate, reachabilityMatrix } from '../../store/tools';
import { selectEngine, selectSnapshot } from '../../store/selectors';
import { useLab } from '../useLab';
import { PortField } from '../PortField';
import { downloadBlob } from '../download';

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const isProtocol = (v: string): v is Protocol => (PROTOCOLS as readonly string[]).includes(v);
/** Per-cell explanations are computed for up to this many pods (n² evaluations). */
const EXPLAIN_LIMIT = 60;

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Who can talk to whom: every pod pair for one port and protocol, as NetworkPolicy decides it. */
export function Matrix() {
  const snapshot = useLab(selectSnapshot);
  const engine = useLab(selectEngine);
  const id = useId();
  const [port, setPort] = useState(80);
  const [protocol, setProtocol] = useState<Protocol>('TCP');

  const data = useMemo(() => {
    void snapshot; // recompute when the cluster changes
    const view = engine.view();
    const infos = [...view.pods].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
    const pods = infos.map((p) => p.endpoint);
    const bits = reachabilityMatrix(view.policies, pods, port, protocol);
    const explain = (i: number, j: number): string => {
      const a = pods[i]!;
      const b = pods[j]!;
      return evaluate(
        view.policies,
        { kind: 'pod', ip: a.ip, pod: a },
        { kind: 'pod', ip: b.ip, pod: b },
        port,
        protocol,
      ).reason;
    };
    return {
      refs: infos.map((p) => p.ref),
      bits,
      explain,
      enforced: view.cni.enforcesPolicy,
      cni: view.cni.title,
    };
  }, [snapshot, engine, port, protocol]);

  const n = data.refs.length;
  const exportCsv = () => {
    const rows = [['from \\ to', ...data.refs].map(csvCell).join(',')];
    data.refs.forEach((from, i) => {
      rows.push(
        [from, ...data.refs.map((_, j) => (data.bits[i * n + j] ? 'allow' : 'deny'))].map(csvCell).join(','),
      );
    });
    downloadBlob(
      new Blob([rows.join('\n') + '\n'], { type: 'text/csv' }),
      `reachability-${protocol.toLowerCase()}-${port}.csv`,
    );
  };

  return (
    <section className="matrix-panel panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Who can talk to whom</h2>
      <div className="matrix-controls">
        <PortField
          id={`${id}-port`}
          value={port}
          onChange={(text) => {
            const v = Number(text);
            if (Number.isInteger(v) && v >= 1 && v <= 65535) setPort(v);
          }}
        />
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
        <button type="button" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      {!data.enforced && (
        <p className="inline-warning">
          {data.cni} does not enforce NetworkPolicy: in this cluster every pair can connect; the cells show
          what the policies say.
        </p>
      )}
      <div className="matrix-scroll" tabIndex={0} role="group" aria-label="Reachability matrix, scrollable">
        <table className="matrix" data-testid="matrix">
          <caption>
            Rows send, columns receive, {protocol}/{port}
          </caption>
          <thead>
            <tr>
              <th scope="col">from \ to</th>
              {data.refs.map((ref) => (
                <th key={ref} scope="col" className="col-head">
                  <span>{ref}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.refs.map((from, i) => (
              <tr key={from}>
                <th scope="row">{from}</th>
                {data.refs.map((to, j) => {
                  const allowed = data.bits[i * n + j] === 1;
                  const title =
                    n <= EXPLAIN_LIMIT
                      ? data.explain(i, j)
                      : `${from} → ${to}: ${allowed ? 'allowed' : 'denied'}`;
                  return (
                    <td
                      key={to}
                      className={allowed ? 'cell allow' : 'cell deny'}
                      title={title}
                      data-from={from}
                      data-to={to}
                      data-allowed={allowed}
                    >
                      {allowed ? '✓' : '✗'}
                      <span className="sr-only">{allowed ? ' allowed' : ' denied'}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
