import { useId, useMemo, useState } from 'react';
import { selectEngine, selectSnapshot } from '../../store/selectors';
import { serviceRules } from '../../store/tools';
import { useLab } from '../useLab';

/**
 * A Service's kube-proxy rules on a node the learner picks ([KP18]): its chains as `iptables-save`
 * prints them, or its virtual servers as `ipvsadm -Ln` lists them. Loaded with the lab's tools.
 */
export default function ServiceRules({ service }: { service: string }) {
  const engine = useLab(selectEngine);
  const snapshot = useLab(selectSnapshot);
  const nodes = useMemo(
    () => snapshot.nodes.map((n) => n.metadata?.name ?? '').sort((a, b) => a.localeCompare(b)),
    [snapshot],
  );
  const [picked, setPicked] = useState('');
  const node = nodes.includes(picked) ? picked : (nodes[0] ?? '');
  // The engine keeps one view per cluster revision and settings; the snapshot re-renders this.
  const proxy = engine.view().proxy;
  const rules = useMemo(() => (node ? serviceRules(proxy, node, service) : null), [proxy, node, service]);
  const headingId = useId();
  const nodeId = useId();
  return (
    <section aria-labelledby={headingId} data-testid="service-rules">
      <h4 id={headingId}>kube-proxy rules</h4>
      <p>
        <label htmlFor={nodeId}>On node </label>
        <select id={nodeId} value={node} onChange={(e) => setPicked(e.target.value)}>
          {nodes.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </p>
      {rules && rules.count > 0 ? (
        <>
          <p className="muted">
            What <code>{rules.command}</code> shows of {service} on {node}:{' '}
            {rules.command === 'iptables-save'
              ? `${rules.count} rule(s)`
              : `${rules.count} virtual server(s)`}
            .
          </p>
          <pre
            className="service-rules"
            tabIndex={0}
            aria-label={`${rules.command} for ${service} on ${node}`}
          >
            {rules.text}
          </pre>
        </>
      ) : (
        <p className="muted">
          kube-proxy on {node} has no rules for {service}.
        </p>
      )}
    </section>
  );
}
