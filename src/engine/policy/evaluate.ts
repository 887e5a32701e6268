// NetworkPolicy verdicts: one connection (evaluate) or a whole pod-to-pod matrix.
// Semantics: https://kubernetes.io/docs/concepts/services-networking/network-policies/ and the
// field docs in kubernetes staging/src/k8s.io/api/networking/v1/types.go. Rules [NPn]: ./SPEC.md.
import { ipToInt } from '../net/ip';
import type { NetEndpoint, PodEndpoint, Protocol } from '../types';
import {
  type CompiledPeer,
  type CompiledPolicy,
  type CompiledPort,
  type CompiledRule,
  type PolicySet,
  namespaceLabelsOf,
  selecting,
  selectorMatches,
} from './compile';

export type Direction = 'ingress' | 'egress';

/** Why one direction was allowed or denied. Policies are `namespace/name`, rules `ingress[1]`. */
export type DecidedBy =
  /** No policy selects the pod for this direction: default allow ([NP1]). */
  | { readonly kind: 'not-isolated' }
  /** Nodes and external addresses are never selected by a policy ([NP9]). */
  | { readonly kind: 'not-a-pod' }
  /** A pod cannot block access to itself ([NP12]). */
  | { readonly kind: 'self' }
  /** Traffic from the pod's own node is always allowed in ([NP11]). */
  | { readonly kind: 'local-node' }
  /** The first rule (policies in key order, rules in order) that allows the connection. */
  | { readonly kind: 'rule'; readonly policy: string; readonly rule: string }
  /** Isolated by these policies and none of their rules matches. */
  | { readonly kind: 'no-rule-matched'; readonly policies: readonly string[] };

export interface DirectionVerdict {
  readonly allowed: boolean;
  /** Some policy in the pod's namespace selects it with this direction in policyTypes. */
  readonly isolated: boolean;
  /** Those policies (`namespace/name`), in key order. */
  readonly policies: readonly string[];
  readonly decidedBy: DecidedBy;
}

export interface Verdict {
  /** Both the source's egress and the destination's ingress allow it ([NP7]). */
  readonly allowed: boolean;
  /** The source's egress side. */
  readonly egress: DirectionVerdict;
  /** The destination's ingress side. */
  readonly ingress: DirectionVerdict;
  /** One plain-words line for the learner. */
  readonly reason: string;
}

// ------------------------------------------------------------------------------ matching pieces

const ipBlockMatches = (peer: Extract<CompiledPeer, { kind: 'ipBlock' }>, ip: number): boolean => {
  // [NP8] cidr minus except.
  if (!peer.cidr || (ip & peer.cidr.mask) >>> 0 !== peer.cidr.base) return false;
  for (const e of peer.except) if ((ip & e.mask) >>> 0 === e.base) return false;
  return true;
};

function peerMatches(
  set: PolicySet,
  policy: CompiledPolicy,
  peer: CompiledPeer,
  ep: NetEndpoint,
  ip: number,
): boolean {
  if (peer.kind === 'ipBlock') return ipBlockMatches(peer, ip);
  // [NP9] selectors only ever match pods.
  if (ep.kind !== 'pod') return false;
  const pod = ep.pod;
  // [NP6] a podSelector-only peer means the policy's own namespace; with a namespaceSelector, AND.
  if (peer.namespaces === null) {
    if (pod.namespace !== policy.namespace) return false;
  } else if (!selectorMatches(peer.namespaces, namespaceLabelsOf(set, pod.namespace))) return false;
  return peer.pods === null || selectorMatches(peer.pods, pod.labels);
}

/** [NP4] Named ports resolve on the destination pod, by name AND protocol. */
const namedPortOn = (pod: PodEndpoint, name: string, protocol: string, port: number): boolean =>
  pod.ports.some((c) => c.name === name && c.protocol === protocol && c.containerPort === port);

function portEntryMatches(p: CompiledPort, port: number, protocol: string, dst: PodEndpoint | null): boolean {
  if (p.protocol !== protocol) return false;
  switch (p.kind) {
    case 'all':
      return true;
    case 'range':
      return port >= p.from && port <= p.to;
    case 'named':
      return dst !== null && namedPortOn(dst, p.name, protocol, port);
  }
}

function portsMatch(rule: CompiledRule, port: number, protocol: string, dst: PodEndpoint | null): boolean {
  if (rule.ports === null) return true;
  for (const p of rule.ports) if (portEntryMatches(p, port, protocol, dst)) return true;
  return false;
}

const podOf = (ep: NetEndpoint): PodEndpoint | null => (ep.kind === 'pod' ? ep.pod : null);

/** One direction for `subject` (the destination for ingress, the source for egress). */
function decide(
  set: PolicySet,
  subject: PodEndpoint,
  dir: Direction,
  peer: NetEndpoint,
  dst: NetEndpoint,
  port: number,
  protocol: string,
): DirectionVerdict {
  const policies = selecting(set, subject).filter((p) =>
    dir === 'ingress' ? p.isolatesIngress : p.isolatesEgress,
  );
  if (policies.length === 0)
    return { allowed: true, isolated: false, policies: [], decidedBy: { kind: 'not-isolated' } };
  const keys = policies.map((p) => p.key);
  const ip = ipToInt(peer.ip);
  const dstPod = podOf(dst);
  // [NP3] rules are OR-ed across every selecting policy; within a rule peers AND ports.
  for (const pol of policies)
    for (const rule of dir === 'ingress' ? pol.ingress : pol.egress) {
      if (!portsMatch(rule, port, protocol, dstPod)) continue;
      if (rule.peers === null || rule.peers.some((pe) => peerMatches(set, pol, pe, peer, ip)))
        return {
          allowed: true,
          isolated: true,
          policies: keys,
          decidedBy: { kind: 'rule', policy: pol.key, rule: rule.id },
        };
    }
  return {
    allowed: false,
    isolated: true,
    policies: keys,
    decidedBy: { kind: 'no-rule-matched', policies: keys },
  };
}

// --------------------------------------------------------------------------------- the verdict

export const endpointName = (ep: NetEndpoint): string =>
  ep.kind === 'pod'
    ? `${ep.pod.namespace}/${ep.pod.name}`
    : ep.kind === 'node'
      ? `node ${ep.node} (${ep.ip})`
      : ep.ip;

const short = (key: string): string => key.slice(key.indexOf('/') + 1);
const list = (keys: readonly string[]): string => keys.map(short).join(', ');

function phrase(v: DirectionVerdict, dir: Direction, who: string, what: string, other: string): string {
  const d = v.decidedBy;
  switch (d.kind) {
    case 'not-isolated':
      return `no policy isolates ${who} for ${dir}`;
    case 'not-a-pod':
      return `${who} is not a pod, so no ${dir} policy applies to it`;
    case 'self':
      return `a pod can always reach itself`;
    case 'local-node':
      return `traffic from a pod's own node is always allowed into it`;
    case 'rule':
      return `${short(d.policy)} ${d.rule} allows ${what} ${dir === 'ingress' ? 'from' : 'to'} ${other}`;
    case 'no-rule-matched':
      return `${who} is isolated for ${dir} by ${list(d.policies)} and no rule allows ${what} ${dir === 'ingress' ? 'from' : 'to'} ${other}`;
  }
}

const NOT_A_POD: DirectionVerdict = {
  allowed: true,
  isolated: false,
  policies: [],
  decidedBy: { kind: 'not-a-pod' },
};

/**
 * The NetworkPolicy verdict for a connection from `src` to `dst` on port/protocol, as the CNI's
 * policy engine would decide it. `dst.ip` / `src.ip` are the addresses seen at the policy check.
 */
export function evaluate(
  set: PolicySet,
  src: NetEndpoint,
  dst: NetEndpoint,
  port: number,
  protocol: Protocol,
): Verdict {
  const srcPod = podOf(src);
  const dstPod = podOf(dst);
  const self =
    srcPod !== null &&
    dstPod !== null &&
    srcPod.namespace === dstPod.namespace &&
    srcPod.name === dstPod.name;
  let egress = srcPod ? decide(set, srcPod, 'egress', dst, dst, port, protocol) : NOT_A_POD;
  let ingress = dstPod ? decide(set, dstPod, 'ingress', src, dst, port, protocol) : NOT_A_POD;
  if (self) {
    egress = { ...egress, allowed: true, decidedBy: { kind: 'self' } };
    ingress = { ...ingress, allowed: true, decidedBy: { kind: 'self' } };
  } else if (dstPod && src.kind === 'node' && src.node === dstPod.nodeName && !ingress.allowed)
    ingress = { ...ingress, allowed: true, decidedBy: { kind: 'local-node' } };
  const allowed = egress.allowed && ingress.allowed;
  const from = endpointName(src);
  const to = endpointName(dst);
  const what = `${protocol}/${port}`;
  const eg = phrase(egress, 'egress', from, what, to);
  const ing = phrase(ingress, 'ingress', to, what, from);
  let reason: string;
  if (self) reason = `${what} from ${from} to itself is allowed: ${eg}`;
  else if (allowed) reason = `${what} from ${from} to ${to} is allowed: ${eg}, and ${ing}`;
  else
    reason = [egress.allowed ? null : eg, ingress.allowed ? null : ing].filter((s) => s !== null).join('; ');
  return { allowed, egress, ingress, reason };
}

/** A pod as the NetEndpoint `evaluate` takes (explain one matrix cell with evaluate(set, podEndpoint(a), podEndpoint(b), ...)). */
export const podEndpoint = (pod: PodEndpoint): NetEndpoint => ({ kind: 'pod', ip: pod.ip, pod });

// ------------------------------------------------------------------------------------- matrix

/**
 * The pod-to-pod reachability matrix, row-major src × dst, 1 = allowed. Same semantics as
 * `evaluate` on pod endpoints (with pod IPs); precomputes each rule's matching peers as a bitset
 * over `pods` so no selector runs per pair.
 */
export function reachabilityMatrix(
  set: PolicySet,
  pods: readonly PodEndpoint[],
  port: number,
  protocol: Protocol,
): Uint8Array {
  const n = pods.length;
  const words = (n + 31) >>> 5;
  const out = new Uint8Array(n * n);
  const ips = Int32Array.from(pods, (p) => ipToInt(p.ip) | 0);

  // Pods by namespace, for podSelector peers.
  const byNs = new Map<string, number[]>();
  pods.forEach((p, i) => {
    const l = byNs.get(p.namespace);
    if (l) l.push(i);
    else byNs.set(p.namespace, [i]);
  });
  const nsNames = [...byNs.keys()];

  const peerBits = new Map<CompiledRule, Uint32Array>();
  const rulePeers = (pol: CompiledPolicy, rule: CompiledRule): Uint32Array => {
    let bits = peerBits.get(rule);
    if (bits) return bits;
    bits = new Uint32Array(words);
    if (rule.peers === null) {
      for (let i = 0; i < n; i++) bits[i >>> 5]! |= 1 << (i & 31);
    } else
      for (const peer of rule.peers) {
        if (peer.kind === 'ipBlock') {
          for (let i = 0; i < n; i++)
            if (ipBlockMatches(peer, ips[i]! >>> 0)) bits[i >>> 5]! |= 1 << (i & 31);
          continue;
        }
        const nss =
          peer.namespaces === null
            ? [pol.namespace]
            : nsNames.filter((ns) => selectorMatches(peer.namespaces!, namespaceLabelsOf(set, ns)));
        for (const ns of nss)
          for (const i of byNs.get(ns) ?? [])
            if (peer.pods === null || selectorMatches(peer.pods, pods[i]!.labels))
              bits[i >>> 5]! |= 1 << (i & 31);
      }
    peerBits.set(rule, bits);
    return bits;
  };

  // Destination-port bitset of a rule: constant unless it names a port ([NP4]).
  const portBits = new Map<CompiledRule, Uint32Array | boolean>();
  const rulePorts = (rule: CompiledRule): Uint32Array | boolean => {
    let v = portBits.get(rule);
    if (v !== undefined) return v;
    if (!rule.hasNamedPort) v = portsMatch(rule, port, protocol, null);
    else {
      const b = new Uint32Array(words);
      for (let j = 0; j < n; j++)
        if (portsMatch(rule, port, protocol, pods[j]!)) b[j >>> 5]! |= 1 << (j & 31);
      v = b;
    }
    portBits.set(rule, v);
    return v;
  };

  // Per pod: allowed-sources bitset when isolated for ingress, allowed-destinations when isolated for egress.
  const inAllowed: (Uint32Array | null)[] = new Array<Uint32Array | null>(n).fill(null);
  const egAllowed: (Uint32Array | null)[] = new Array<Uint32Array | null>(n).fill(null);
  pods.forEach((pod, j) => {
    const sel = selecting(set, pod);
    let acc: Uint32Array | null = null;
    let eacc: Uint32Array | null = null;
    for (const pol of sel) {
      if (pol.isolatesIngress) {
        acc ??= new Uint32Array(words);
        for (const rule of pol.ingress) {
          if (!portsMatch(rule, port, protocol, pod)) continue;
          const b = rulePeers(pol, rule);
          for (let w = 0; w < words; w++) acc[w]! |= b[w]!;
        }
      }
      if (pol.isolatesEgress) {
        eacc ??= new Uint32Array(words);
        for (const rule of pol.egress) {
          const pb = rulePorts(rule);
          if (pb === false) continue;
          const b = rulePeers(pol, rule);
          if (pb === true) for (let w = 0; w < words; w++) eacc[w]! |= b[w]!;
          else for (let w = 0; w < words; w++) eacc[w]! |= b[w]! & pb[w]!;
        }
      }
    }
    inAllowed[j] = acc;
    egAllowed[j] = eacc;
  });

  for (let i = 0; i < n; i++) {
    const eg = egAllowed[i] ?? null;
    const wi = i >>> 5;
    const bi = 1 << (i & 31);
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const ing = inAllowed[j] ?? null;
      const ok =
        (eg === null || (eg[j >>> 5]! & (1 << (j & 31))) !== 0) && (ing === null || (ing[wi]! & bi) !== 0);
      out[row + j] = ok ? 1 : 0;
    }
    out[row + i] = 1; // [NP12]
  }
  return out;
}
