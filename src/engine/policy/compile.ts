// Compiles NetworkPolicies into a PolicySet: selectors, peers and ports turned into small records
// that are cheap to match, grouped by namespace (a policy only ever selects pods of its own
// namespace: https://kubernetes.io/docs/concepts/services-networking/network-policies/).
// Rules cited as [NPn] are in ./SPEC.md.
import type { Namespace } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from 'kubernetes-types/networking/v1';
import { defaultNetworkPolicy, parseCidrSloppy } from '../api/networkPolicy';
import type { Labels } from '../api/labels';
import type { PodEndpoint } from '../types';

/** A label selector reduced to arrays; `null` operator means an operator the API rejects (matches nothing). */
export interface CompiledSelector {
  readonly text: LabelSelector;
  readonly equal: readonly (readonly [string, string])[];
  readonly exprs: readonly {
    readonly key: string;
    readonly op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | null;
    readonly values: readonly string[];
  }[];
}

/** An IPv4 range as unsigned 32-bit base and mask. */
export interface IntCidr {
  readonly text: string;
  readonly base: number;
  readonly mask: number;
}

export type CompiledPeer =
  | {
      readonly kind: 'pods';
      /** null: only the policy's own namespace ([NP6]). */
      readonly namespaces: CompiledSelector | null;
      /** null: every pod of the selected namespaces. */
      readonly pods: CompiledSelector | null;
    }
  | {
      readonly kind: 'ipBlock';
      /** null when the CIDR is not IPv4 (it can never match the lab's IPv4 endpoints). */
      readonly cidr: IntCidr | null;
      readonly except: readonly IntCidr[];
    };

export type CompiledPort =
  | { readonly kind: 'all'; readonly protocol: string }
  | { readonly kind: 'range'; readonly protocol: string; readonly from: number; readonly to: number }
  | { readonly kind: 'named'; readonly protocol: string; readonly name: string };

export interface CompiledRule {
  readonly policy: string;
  /** `ingress[0]` / `egress[1]`. */
  readonly id: string;
  /** null: `from`/`to` empty or missing, every source/destination matches ([NP5]). */
  readonly peers: readonly CompiledPeer[] | null;
  /** null: `ports` empty or missing, every port and protocol matches ([NP5]). */
  readonly ports: readonly CompiledPort[] | null;
  readonly hasNamedPort: boolean;
}

export interface CompiledPolicy {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: CompiledSelector;
  /** Whether policyTypes lists Ingress / Egress ([NP2]); rules of an unlisted direction are ignored. */
  readonly isolatesIngress: boolean;
  readonly isolatesEgress: boolean;
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
}

/** Derived, read-only index over a set of (defaulted) NetworkPolicies. Rebuild it when they change. */
export interface PolicySet {
  /** Sorted by key, so the first matching rule reported is deterministic. */
  readonly policies: readonly CompiledPolicy[];
  readonly byNamespace: ReadonlyMap<string, readonly CompiledPolicy[]>;
  readonly namespaceLabels: ReadonlyMap<string, Labels>;
}

export function compileSelector(sel: LabelSelector | null | undefined): CompiledSelector {
  const s = sel ?? {};
  return {
    text: s,
    equal: Object.entries(s.matchLabels ?? {}).map(([k, v]) => [k, v] as const),
    exprs: (s.matchExpressions ?? []).map((e) => ({
      key: e.key,
      op:
        e.operator === 'In' ||
        e.operator === 'NotIn' ||
        e.operator === 'Exists' ||
        e.operator === 'DoesNotExist'
          ? e.operator
          : null,
      values: e.values ?? [],
    })),
  };
}

/** metav1 LabelSelector semantics: matchLabels and matchExpressions all ANDed; {} matches all. */
export function selectorMatches(sel: CompiledSelector, labels: Labels): boolean {
  for (const [k, v] of sel.equal) if (labels[k] !== v) return false;
  for (const e of sel.exprs) {
    const has = Object.hasOwn(labels, e.key);
    switch (e.op) {
      case 'In':
        if (!has || !e.values.includes(labels[e.key] as string)) return false;
        break;
      case 'NotIn':
        if (has && e.values.includes(labels[e.key] as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function intCidr(text: string): IntCidr | null {
  const c = parseCidrSloppy(text);
  if (!c || c.family !== 4) return null;
  const mask = c.prefix === 0 ? 0 : (0xffffffff << (32 - c.prefix)) >>> 0;
  return { text, base: Number(c.base), mask };
}

function compilePeer(p: NetworkPolicyPeer): CompiledPeer {
  if (p.ipBlock)
    return {
      kind: 'ipBlock',
      cidr: intCidr(p.ipBlock.cidr),
      except: (p.ipBlock.except ?? []).map(intCidr).filter((c): c is IntCidr => c !== null),
    };
  return {
    kind: 'pods',
    namespaces: p.namespaceSelector ? compileSelector(p.namespaceSelector) : null,
    pods: p.podSelector ? compileSelector(p.podSelector) : null,
  };
}

function compilePort(p: NetworkPolicyPort): CompiledPort {
  const protocol = p.protocol ?? 'TCP';
  if (p.port == null) return { kind: 'all', protocol };
  if (typeof p.port === 'string') return { kind: 'named', protocol, name: p.port };
  return { kind: 'range', protocol, from: p.port, to: p.endPort ?? p.port };
}

function compileRule(
  policy: string,
  id: string,
  peers: readonly NetworkPolicyPeer[] | undefined | null,
  ports: readonly NetworkPolicyPort[] | undefined | null,
): CompiledRule {
  const cports = ports && ports.length > 0 ? ports.map(compilePort) : null;
  return {
    policy,
    id,
    peers: peers && peers.length > 0 ? peers.map(compilePeer) : null,
    ports: cports,
    hasNamedPort: cports?.some((p) => p.kind === 'named') ?? false,
  };
}

export function compilePolicy(input: NetworkPolicy): CompiledPolicy {
  // Defaulting is idempotent; applying it here makes the set correct even for raw manifests.
  const np = defaultNetworkPolicy(input);
  const spec = np.spec ?? { podSelector: {} };
  const namespace = np.metadata?.namespace ?? 'default';
  const name = np.metadata?.name ?? '';
  const key = `${namespace}/${name}`;
  const types = spec.policyTypes ?? [];
  const isolatesIngress = types.includes('Ingress');
  const isolatesEgress = types.includes('Egress');
  return {
    key,
    namespace,
    name,
    podSelector: compileSelector(spec.podSelector),
    isolatesIngress,
    isolatesEgress,
    ingress: isolatesIngress
      ? (spec.ingress ?? []).map((r, i) => compileRule(key, `ingress[${i}]`, r.from, r.ports))
      : [],
    egress: isolatesEgress
      ? (spec.egress ?? []).map((r, i) => compileRule(key, `egress[${i}]`, r.to, r.ports))
      : [],
  };
}

/**
 * [NP10] The API server labels every namespace `kubernetes.io/metadata.name=<name>` (immutable,
 * GA in 1.22: https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-metadata-name),
 * so namespaceSelectors can pick a namespace by name even when the manifest did not set it.
 */
export const namespaceLabelsOf = (set: PolicySet, namespace: string): Labels =>
  set.namespaceLabels.get(namespace) ?? { 'kubernetes.io/metadata.name': namespace };

export function compilePolicies(
  policies: readonly NetworkPolicy[],
  namespaces: readonly Namespace[],
): PolicySet {
  const compiled = policies.map(compilePolicy).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const byNamespace = new Map<string, CompiledPolicy[]>();
  for (const p of compiled) {
    const list = byNamespace.get(p.namespace);
    if (list) list.push(p);
    else byNamespace.set(p.namespace, [p]);
  }
  const namespaceLabels = new Map<string, Labels>();
  for (const ns of namespaces) {
    const name = ns.metadata?.name;
    if (name)
      namespaceLabels.set(name, { ...(ns.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': name });
  }
  return { policies: compiled, byNamespace, namespaceLabels };
}

/** Policies of the pod's namespace whose podSelector selects it. */
export function selecting(set: PolicySet, pod: PodEndpoint): CompiledPolicy[] {
  const out: CompiledPolicy[] = [];
  for (const p of set.byNamespace.get(pod.namespace) ?? [])
    if (selectorMatches(p.podSelector, pod.labels)) out.push(p);
  return out;
}

/** [NP1]/[NP2] Which policies isolate the pod, per direction. */
export function policiesSelecting(set: PolicySet, pod: PodEndpoint): { ingress: string[]; egress: string[] } {
  const sel = selecting(set, pod);
  return {
    ingress: sel.filter((p) => p.isolatesIngress).map((p) => p.key),
    egress: sel.filter((p) => p.isolatesEgress).map((p) => p.key),
  };
}
