// One Service's share of a node's kube-proxy rules, as the inspector shows them: in iptables mode
// the lines `iptables-save` prints for its chains (KUBE-SVC, KUBE-SEP, KUBE-EXT, KUBE-FW, KUBE-SVL)
// and the rules that jump to them or name it in their comment; in IPVS mode its virtual servers as
// `ipvsadm -Ln` lists them. Rule [KP18] in ./SPEC.md.
import { ipvsadmList } from './ipvs';
import { ruleLine } from './iptablesRules';
import type { IptablesRule, NodeProxyRules, ProxyRules } from './types';

/** Whether a ServicePortName (`ns/name:port`, or `ns/name` for an unnamed port) is `service`'s. */
const ofService = (servicePort: string, service: string) =>
  servicePort === service || servicePort.startsWith(`${service}:`);

export interface ServiceRules {
  /** `iptables-save` or `ipvsadm -Ln`. */
  readonly command: string;
  readonly text: string;
  /** Rules (iptables) or virtual servers (IPVS) shown. */
  readonly count: number;
}

/** `service` (`ns/name`)'s kube-proxy rules on `node`, or null when the node has none. */
export function serviceRules(rules: ProxyRules, node: string, service: string): ServiceRules | null {
  const n = rules.nodes.find((x) => x.node === node);
  if (!n) return null;
  if (rules.mode === 'ipvs') {
    const virtualServers = (n.virtualServers ?? []).filter((v) => ofService(v.servicePort, service));
    const text = ipvsadmList({ ...n, virtualServers });
    return { command: 'ipvsadm -Ln', text, count: virtualServers.length };
  }
  const chains = new Set(
    Object.entries(rules.chains)
      .filter(([, info]) => ofService(info.servicePort, service))
      .map(([chain]) => chain),
  );
  const mine = (r: IptablesRule) =>
    chains.has(r.chain) ||
    chains.has(r.target) ||
    (r.comment !== undefined && ofService(r.comment.split(' ')[0] ?? '', service));
  const out: string[] = [];
  let count = 0;
  const table = (name: string, tableRules: NodeProxyRules['nat']) => {
    const lines = Object.values(tableRules).flat().filter(mine).map(ruleLine);
    if (!lines.length) return;
    out.push(`*${name}`);
    for (const c of Object.keys(tableRules)) if (chains.has(c)) out.push(`:${c} - [0:0]`);
    out.push(...lines);
    count += lines.length;
  };
  table('filter', n.filter);
  table('nat', n.nat);
  return { command: 'iptables-save', text: out.length ? `${out.join('\n')}\n` : '', count };
}
