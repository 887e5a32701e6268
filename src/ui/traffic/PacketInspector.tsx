import type { Hop } from '../../store/labStore';

const endpoint = (ip: string, port: number) => (port ? `${ip}:${port}` : ip);

/** The selected hop's headers, rewrite, outer header, conntrack entry, policy verdict and rules. */
export function PacketInspector({ hop }: { hop: Hop | null }) {
  return (
    <section className="packet-inspector" data-testid="packet-inspector" aria-label="Packet inspector">
      <h3>Packet inspector</h3>
      {!hop ? (
        <p className="muted">No hop selected.</p>
      ) : (
        <>
          <p className="hop-what">
            <strong>{hop.where}</strong>: {hop.what}
          </p>
          {hop.dropped && <p className="inline-error">Dropped here.</p>}
          <table className="headers">
            <caption>Headers after this hop</caption>
            <tbody>
              <tr>
                <th scope="row">Source</th>
                <td>
                  <code data-field="src">{endpoint(hop.packet.src, hop.packet.sport)}</code>
                </td>
              </tr>
              <tr>
                <th scope="row">Destination</th>
                <td>
                  <code data-field="dst">{endpoint(hop.packet.dst, hop.packet.dport)}</code>
                </td>
              </tr>
              <tr>
                <th scope="row">Protocol</th>
                <td>{hop.packet.protocol}</td>
              </tr>
            </tbody>
          </table>
          {hop.rewrite && (
            <div className="rewrite" data-testid="rewrite">
              <h4>
                {hop.rewrite.type === 'DNAT' ? 'DNAT (destination rewritten)' : 'SNAT (source rewritten)'}
              </h4>
              <p>
                <span className="rewrite-type">{hop.rewrite.type}</span> before{' '}
                <code>{hop.rewrite.before}</code> → after <code>{hop.rewrite.after}</code>
              </p>
            </div>
          )}
          {hop.outer && (
            <div className="outer">
              <h4>Outer header ({hop.outer.encapsulation})</h4>
              <p>
                <code>
                  {hop.outer.src} → {hop.outer.dst} {hop.outer.protocol}/{hop.outer.dport} VNI {hop.outer.vni}{' '}
                  via {hop.outer.device}
                </code>
              </p>
            </div>
          )}
          {hop.queries && hop.queries.length > 0 && (
            <div className="dns-queries" data-testid="dns-queries">
              <h4>DNS queries, in the order the resolver sent them</h4>
              <ol>
                {hop.queries.map((q, i) => (
                  <li key={i} data-rcode={q.rcode}>
                    <code>
                      {q.name} {q.nodata ? 'NOERROR (no records)' : q.rcode}
                      {q.address ? ` → ${q.address}` : ''}
                    </code>
                    {q.fromCache && <span className="muted"> (CoreDNS cache, {q.ttl} s left)</span>}
                  </li>
                ))}
              </ol>
            </div>
          )}
          {hop.route && (
            <p>
              Route: <code>{hop.route}</code>
            </p>
          )}
          {(hop.tls || hop.payload !== undefined) && (
            <div
              className={`payload ${hop.tls?.mtls ? 'payload-encrypted' : 'payload-plain'}`}
              data-testid="payload"
            >
              <h4 data-field="tls">
                {hop.tls?.mtls ? 'mTLS between sidecars: encrypted' : 'Plaintext: readable on this leg'}
              </h4>
              {hop.tls && <p className="muted">{hop.tls.detail}</p>}
              {/* The payload is data from the trace, shown as text (React escapes it), never as HTML. */}
              {hop.payload !== undefined && (
                <pre className="payload-text" data-field="payload">
                  {hop.payload}
                </pre>
              )}
            </div>
          )}
          {hop.conntrack && (
            <div className="conntrack">
              <h4>Conntrack entry</h4>
              <pre>{hop.conntrack}</pre>
            </div>
          )}
          {hop.policy && (
            <div className={`policy-verdict ${hop.policy.allowed ? 'ok' : 'bad'}`}>
              <h4>
                NetworkPolicy {hop.policy.direction} for {hop.policy.pod}:{' '}
                {hop.policy.allowed ? 'allowed' : 'denied'}
                {hop.policy.enforced ? '' : ' (not enforced by this CNI)'}
              </h4>
              <p>{hop.policy.reason}</p>
              {hop.policy.decidedBy.kind === 'rule' && (
                <p>
                  Decided by <code>{hop.policy.decidedBy.policy}</code> rule{' '}
                  <code>{hop.policy.decidedBy.rule}</code>
                </p>
              )}
            </div>
          )}
          {hop.rules && hop.rules.length > 0 && (
            <details className="rules" open>
              <summary>kube-proxy rules walked ({hop.rules.length})</summary>
              <ol>
                {hop.rules.map((r, i) => (
                  <li key={i} className={`rule verdict-${r.verdict}`}>
                    <code>{r.line}</code> <span className="muted">({r.verdict})</span>
                  </li>
                ))}
              </ol>
            </details>
          )}
        </>
      )}
    </section>
  );
}
