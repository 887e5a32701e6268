// A NetworkPolicy's rules in plain words, for the inspector. Follows the semantics of
// https://kubernetes.io/docs/concepts/services-networking/network-policies/ (rules in ./SPEC.md).
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from 'kubernetes-types/networking/v1';
import { defaultNetworkPolicy } from '../api/networkPolicy';
import { formatSelector } from '../api/labels';

const hasTerms = (s: LabelSelector): boolean =>
  Object.keys(s.matchLabels ?? {}).length > 0 || (s.matchExpressions ?? []).length > 0;

function describePeer(p: NetworkPolicyPeer, ns: string): string {
  if (p.ipBlock) {
    const ex = p.ipBlock.except ?? [];
    return `IP block ${p.ipBlock.cidr}${ex.length ? ` except ${ex.join(', ')}` : ''}`;
  }
  const pods = p.podSelector;
  const podPart = !pods || !hasTerms(pods) ? 'all pods' : `pods with ${formatSelector(pods)}`;
  if (!p.namespaceSelector) return `${podPart} in namespace ${ns}`;
  const nsPart = hasTerms(p.namespaceSelector)
    ? `namespaces with ${formatSelector(p.namespaceSelector)}`
    : 'all namespaces';
  return `${podPart} in ${nsPart}`;
}

function describePort(p: NetworkPolicyPort): string {
  const proto = p.protocol ?? 'TCP';
  if (p.port == null) return `all ${proto} ports`;
  if (typeof p.port === 'string') return `${proto} port named "${p.port}" (on the destination pod)`;
  if (p.endPort != null && p.endPort !== p.port) return `${proto} ports ${p.port}-${p.endPort}`;
  return `${proto}/${p.port}`;
}

function describeRule(
  id: string,
  verb: 'from' | 'to',
  peers: readonly NetworkPolicyPeer[] | undefined,
  ports: readonly NetworkPolicyPort[] | undefined,
  ns: string,
): string {
  const who = peers && peers.length ? peers.map((p) => describePeer(p, ns)).join(' OR ') : 'anywhere';
  const on = ports && ports.length ? ports.map(describePort).join(' OR ') : 'any port and protocol';
  return `${id}: allows traffic ${verb} ${who}, on ${on}.`;
}

/** The policy's effect and each of its rules, one line each. */
export function describePolicy(input: NetworkPolicy): string[] {
  const np = defaultNetworkPolicy(input);
  const spec = np.spec ?? { podSelector: {} };
  const ns = np.metadata?.namespace ?? 'default';
  const types = spec.policyTypes ?? [];
  const sel = spec.podSelector;
  const lines = [
    `Selects ${hasTerms(sel) ? `pods with ${formatSelector(sel)}` : 'every pod'} in namespace ${ns}.`,
  ];
  for (const [dir, type, verb, rules] of [
    ['ingress', 'Ingress', 'from', spec.ingress?.map((r) => [r.from, r.ports] as const)],
    ['egress', 'Egress', 'to', spec.egress?.map((r) => [r.to, r.ports] as const)],
  ] as const) {
    if (!types.includes(type)) {
      lines.push(
        rules?.length
          ? `${type}: not isolated by this policy; its ${dir} rules are ignored because policyTypes does not list ${type}.`
          : `${type}: not isolated by this policy.`,
      );
      continue;
    }
    if (!rules?.length) {
      lines.push(
        `${type}: isolated, and no rule allows anything: all ${dir} traffic of the selected pods is denied unless another policy allows it.`,
      );
      continue;
    }
    lines.push(
      `${type}: isolated; only traffic matching one of these rules (or a rule of another policy selecting the pod) is allowed:`,
    );
    rules.forEach(([peers, ports], i) =>
      lines.push(`  ${describeRule(`${dir}[${i}]`, verb, peers, ports, ns)}`),
    );
  }
  return lines;
}
