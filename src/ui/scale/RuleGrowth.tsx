import { useEffect, useId, useRef } from 'react';
import { createRuleGrowthChart, METRIC_LABEL, type RuleGrowthChart } from './ruleGrowthChart';
import { SERVICE_COUNTS } from './ruleGrowthData';
import { useRuleGrowth } from './useRuleGrowth';

const fmt = (n: number) => n.toLocaleString('en-US');

/** kube-proxy's cost as Services grow: the engine's real rules in iptables and IPVS mode. */
export function RuleGrowth() {
  const { points, done, error } = useRuleGrowth();
  const id = useId();
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<RuleGrowthChart | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const c = createRuleGrowthChart({ domNode: host.current });
    chart.current = c;
    return () => {
      c.destroy();
      chart.current = null;
    };
  }, []);
  useEffect(() => chart.current?.update(points), [points]);

  const rows = [...points].sort((a, b) => a.services - b.services);
  return (
    <section className="panel rule-growth" aria-labelledby={`${id}-h`} data-testid="rule-growth">
      <h3 id={`${id}-h`}>kube-proxy rules as Services grow</h3>
      <p className="muted">
        Built by the engine for 10 to 10,000 ClusterIP Services with 5 endpoints each. In iptables mode every
        Service adds its chains on every node, and a new connection is matched against KUBE-SERVICES one rule
        at a time, so both grow linearly. IPVS looks the address up in a hash table and matches ipsets: a
        handful of rules whatever the number of Services.
      </p>
      <div ref={host} className="chart-host" data-testid="rule-growth-chart" />
      <p className="muted" role="status" data-testid="rule-growth-status">
        {error
          ? ''
          : done
            ? `All ${SERVICE_COUNTS.length} sizes computed.`
            : `Building rules: ${points.length} of ${SERVICE_COUNTS.length} sizes…`}
      </p>
      {error && (
        <p className="inline-error" role="alert">
          The chart could not be computed: {error}
        </p>
      )}
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-cap`}>
        <table className="rule-growth-table" data-testid="rule-growth-table">
          <caption id={`${id}-cap`}>Rule growth, per node (the numbers behind the chart)</caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                Services
              </th>
              <th scope="colgroup" colSpan={2}>
                iptables
              </th>
              <th scope="colgroup" colSpan={2}>
                IPVS
              </th>
            </tr>
            <tr>
              <th scope="col" title={METRIC_LABEL.rules}>
                rules
              </th>
              <th scope="col" title={METRIC_LABEL.traversed}>
                traversed
              </th>
              <th scope="col" title={METRIC_LABEL.rules}>
                rules
              </th>
              <th scope="col" title={METRIC_LABEL.traversed}>
                traversed
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.services} data-services={p.services}>
                <th scope="row">{fmt(p.services)}</th>
                <td data-field="iptables-rules">{fmt(p.iptables.rules)}</td>
                <td data-field="iptables-traversed">{fmt(p.iptables.traversed)}</td>
                <td data-field="ipvs-rules">{fmt(p.ipvs.rules)}</td>
                <td data-field="ipvs-traversed">{fmt(p.ipvs.traversed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        rules: iptables rules on one node (IPVS mode keeps the Services in IPVS and ipsets instead).
        traversed: rules evaluated for a new connection to the last Service. Source:{' '}
        <a href="https://kubernetes.io/docs/reference/networking/virtual-ips/#proxy-mode-ipvs">
          Virtual IPs and Service Proxies
        </a>
        .
      </p>
    </section>
  );
}
