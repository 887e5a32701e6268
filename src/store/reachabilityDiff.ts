import { matchesMap, type Engine, type Protocol } from '../engine';
import { evaluate, reachabilityMatrix } from '../engine/parts';

// Which pod-to-pod connections an apply would allow or block: the live cluster's pods, judged
// once by the live NetworkPolicies and once by the policies (and labels) the cluster would have
// after the apply, on the ports that matter (each pod's declared containerPorts and the target
// ports of the Services in front of it). A CNI that enforces no policy (Flannel) changes nothing,
// whatever the policies say.
// https://kubernetes.io/docs/concepts/services-networking/network-policies/#prerequisites

type View = ReturnType<Engine['view']>;
type PodInfo = View['pods'][number];
type PodEndpoint = PodInfo['endpoint'];
type DirectionVerdict = ReturnType<typeof evaluate>['ingress'];

export type Reach = 'allowed' | 'blocked';

export interface ReachabilityChange {
  /** `namespace/name` of the client pod. */
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly before: Reach;
  readonly after: Reach;
  /** The policies that decide the new verdict, or that decided the old one. */
  readonly because: string;
  /** `x/a → y/b TCP/80: allowed → blocked (default-deny-ingress)`. */
  readonly text: string;
}

export interface ReachabilityDiff {
  /** Whether the cluster's CNI enforces NetworkPolicy at all. */
  readonly enforced: boolean;
  /** The CNI's name, for saying why nothing changes when it does not enforce policy. */
  readonly cni: string;
  /** Every connection whose verdict changes, sorted by client, server, protocol and port. */
  readonly changes: readonly ReachabilityChange[];
  /** Pods the apply would start or replace (a new Deployment, a rollout): not compared. */
  readonly podsNotCompared: number;
}

const short = (key: string): string => key.slice(key.indexOf('/') + 1);
const unique = (xs: readonly string[]): string[] => [...new Set(xs)];

/** The after-state's counterpart of a live pod, or null when the apply replaces or removes it. */
function counterpart(pod: PodInfo, after: View, afterEngine: Engine): PodEndpoint | null {
  const same = after.podByRef.get(pod.ref);
  if (same) return { ...pod.endpoint, labels: same.endpoint.labels, ports: same.endpoint.ports };
  // A ReplicaSet is named after its pod template's hash, so a ReplicaSet that still exists with
  // replicas keeps its pods and their labels; the apply's rebuilt copy names them differently.
  const owner = pod.pod.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'ReplicaSet');
  if (!owner) return null;
  const rs = afterEngine.get('ReplicaSet', pod.endpoint.namespace, owner.name) as
    { spec?: { replicas?: number } } | undefined;
  return rs && (rs.spec?.replicas ?? 1) > 0 ? pod.endpoint : null;
}

interface PortKey {
  readonly port: number;
  readonly protocol: Protocol;
}

/** The ports a pod serves: its containerPorts and the target ports of Services selecting it. */
function portsOf(pod: PodEndpoint, views: readonly View[]): PortKey[] {
  const out = new Map<string, PortKey>();
  const add = (port: number, protocol: Protocol) => out.set(`${protocol}/${port}`, { port, protocol });
  for (const p of pod.ports) add(p.containerPort, p.protocol);
  for (const view of views)
    for (const svc of view.services) {
      const selector = svc.spec?.selector;
      if (svc.metadata.namespace !== pod.namespace || !selector || Object.keys(selector).length === 0)
        continue;
      if (!matchesMap(selector, pod.labels)) continue;
      for (const sp of svc.spec?.ports ?? []) {
        const protocol = (sp.protocol ?? 'TCP') as Protocol;
        const target = sp.targetPort ?? sp.port;
        if (typeof target === 'number') add(target, protocol);
        else {
          // A named targetPort resolves on each pod, by name and protocol.
          const named = pod.ports.find((c) => c.name === target && c.protocol === protocol);
          if (named) add(named.containerPort, protocol);
        }
      }
    }
  return [...out.values()];
}

/** Why the connection is blocked after the apply: the policies isolating the blocking side(s). */
function blockedBy(sides: readonly DirectionVerdict[]): string[] {
  return sides.flatMap((d) =>
    !d.allowed && d.decidedBy.kind === 'no-rule-matched' ? d.decidedBy.policies.map(short) : [],
  );
}

/** Why the connection is allowed after the apply, naming what changed on the sides that blocked it. */
function allowedBy(
  beforeSides: readonly DirectionVerdict[],
  afterSides: readonly DirectionVerdict[],
): string[] {
  const out: string[] = [];
  beforeSides.forEach((b, k) => {
    if (b.allowed) return;
    const a = afterSides[k];
    if (!a) return;
    if (a.decidedBy.kind === 'rule') out.push(short(a.decidedBy.policy));
    else if (a.decidedBy.kind === 'not-isolated')
      out.push(`no longer isolated by ${b.policies.map(short).join(', ')}`);
  });
  return out;
}

/** The pod-to-pod connections whose NetworkPolicy verdict differs between `live` and `after`. */
export function reachabilityDiff(live: Engine, after: Engine): ReachabilityDiff {
  const lv = live.view();
  const av = after.view();
  const cni = av.cni;
  const base = { enforced: cni.enforcesPolicy, cni: cni.title };

  const pairs: { pod: PodInfo; next: PodEndpoint }[] = [];
  let replaced = 0;
  for (const pod of lv.pods) {
    // NetworkPolicy does not apply to host-network pods: they use the node's address.
    // https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-and-hostnetwork-pods
    if (pod.pod.spec?.hostNetwork) continue;
    const next = counterpart(pod, av, after);
    if (next) pairs.push({ pod, next });
    else replaced++;
  }
  const kept = new Set(pairs.map((p) => p.pod.ref));
  const liveOwners = new Set(
    lv.pods.flatMap((p) =>
      (p.pod.metadata.ownerReferences ?? []).map((o) => `${p.endpoint.namespace}/${o.name}`),
    ),
  );
  const added = av.pods.filter((p) => {
    if (p.pod.spec?.hostNetwork) return false;
    if (kept.has(p.ref) || lv.podByRef.has(p.ref)) return false;
    const owners = p.pod.metadata.ownerReferences ?? [];
    return owners.length === 0 || !owners.some((o) => liveOwners.has(`${p.endpoint.namespace}/${o.name}`));
  }).length;
  const podsNotCompared = replaced + added;
  if (!cni.enforcesPolicy) return { ...base, changes: [], podsNotCompared };

  const beforeEps = pairs.map((p) => p.pod.endpoint);
  const afterEps = pairs.map((p) => p.next);
  // Destinations per port: only the ports a pod serves are worth a line.
  const byPort = new Map<string, { key: PortKey; dsts: number[] }>();
  pairs.forEach((p, j) => {
    for (const key of portsOf(p.next, [lv, av])) {
      const id = `${key.protocol}/${key.port}`;
      const entry = byPort.get(id) ?? { key, dsts: [] };
      entry.dsts.push(j);
      byPort.set(id, entry);
    }
  });

  const n = pairs.length;
  const changes: ReachabilityChange[] = [];
  for (const { key, dsts } of byPort.values()) {
    const was = reachabilityMatrix(lv.policies, beforeEps, key.port, key.protocol);
    const now = reachabilityMatrix(av.policies, afterEps, key.port, key.protocol);
    for (const j of dsts)
      for (let i = 0; i < n; i++) {
        if (i === j || was[i * n + j] === now[i * n + j]) continue;
        const ep = (e: PodEndpoint) => ({ kind: 'pod' as const, ip: e.ip, pod: e });
        const b = evaluate(lv.policies, ep(beforeEps[i]!), ep(beforeEps[j]!), key.port, key.protocol);
        const a = evaluate(av.policies, ep(afterEps[i]!), ep(afterEps[j]!), key.port, key.protocol);
        const before: Reach = b.allowed ? 'allowed' : 'blocked';
        const afterReach: Reach = a.allowed ? 'allowed' : 'blocked';
        const names = a.allowed
          ? allowedBy([b.egress, b.ingress], [a.egress, a.ingress])
          : blockedBy([a.egress, a.ingress]);
        const because = unique(names).join('; ');
        const from = pairs[i]!.pod.ref;
        const to = pairs[j]!.pod.ref;
        changes.push({
          from,
          to,
          port: key.port,
          protocol: key.protocol,
          before,
          after: afterReach,
          because,
          text: `${from} → ${to} ${key.protocol}/${key.port}: ${before} → ${afterReach}${because ? ` (${because})` : ''}`,
        });
      }
  }
  const cmp = (x: string | number, y: string | number) => (x < y ? -1 : x > y ? 1 : 0);
  changes.sort(
    (x, y) => cmp(x.from, y.from) || cmp(x.to, y.to) || cmp(x.protocol, y.protocol) || cmp(x.port, y.port),
  );
  return { ...base, changes, podsNotCompared };
}
