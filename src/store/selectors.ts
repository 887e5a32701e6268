import type { LabState } from './labStore';

// Named, module-level selectors: components subscribe to the slice they draw, never the whole
// state. Each returns a value already held in the state (or one memoised on it), so zustand's
// equality check sees a change only when the engine's snapshot really changed.

type Snapshot = LabState['snapshot'];
export type PodObject = Snapshot['pods'][number];
export type NodeObject = Snapshot['nodes'][number];
export type ServiceObject = Snapshot['services'][number];

export const selectLabName = (s: LabState) => s.labName;
export const selectSnapshot = (s: LabState) => s.snapshot;
export const selectRevision = (s: LabState) => s.snapshot.revision;
export const selectCni = (s: LabState) => s.snapshot.settings.cni;
export const selectProxyMode = (s: LabState) => s.snapshot.settings.proxyMode;

export const selectPods = (s: LabState) => s.snapshot.pods;

export const selectLastApply = (s: LabState) => s.lastApply;
export const selectLastConnect = (s: LabState) => s.lastConnect;

export const selectEngine = (s: LabState) => s.engine;
export const selectSelection = (s: LabState) => s.selection;
export const selectPlayback = (s: LabState) => s.playback;

export const selectConnect = (s: LabState) => s.connect;
export const selectConnectAll = (s: LabState) => s.connectAll;
export const selectSetCni = (s: LabState) => s.setCni;
export const selectSetProxyMode = (s: LabState) => s.setProxyMode;
export const selectSelect = (s: LabState) => s.select;
export const selectSetStep = (s: LabState) => s.setStep;
export const selectSetPlaying = (s: LabState) => s.setPlaying;
export const selectSetSpeed = (s: LabState) => s.setSpeed;

/** `namespace/name`, the address the map and the tests use for namespaced objects. */
export function objectRef(obj: { readonly metadata?: { namespace?: string; name?: string } }): string {
  const { namespace, name } = obj.metadata ?? {};
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '');
}

/** A Node's InternalIP from `status.addresses` (what `kubectl get nodes -o wide` shows). */
export function internalIPOf(node: NodeObject): string | undefined {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

const byRef = (a: PodObject, b: PodObject) => objectRef(a).localeCompare(objectRef(b));

const podsByNodeCache = new WeakMap<readonly PodObject[], ReadonlyMap<string, readonly PodObject[]>>();

/**
 * Pods grouped by `spec.nodeName` (unscheduled pods under `''`), each group sorted by
 * `namespace/name`. Memoised on the snapshot's pod list, so it is stable between renders.
 */
export function selectPodsByNode(s: LabState): ReadonlyMap<string, readonly PodObject[]> {
  const pods = s.snapshot.pods;
  const cached = podsByNodeCache.get(pods);
  if (cached) return cached;
  const groups = new Map<string, PodObject[]>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName ?? '';
    const group = groups.get(node);
    if (group) group.push(pod);
    else groups.set(node, [pod]);
  }
  for (const group of groups.values()) group.sort(byRef);
  podsByNodeCache.set(pods, groups);
  return groups;
}

/** Per node: its pod range, how many addresses pods hold in it, and the pods still waiting for one. */
export interface NodePodAddresses {
  readonly node: string;
  readonly podCIDR: string | null;
  /**
   * Addresses host-local can hand out: the range minus the network address, the bridge's gateway
   * (`.1`) and the broadcast address (https://www.cni.dev/plugins/current/ipam/host-local/).
   */
  readonly capacity: number;
  readonly used: number;
  /** Pods scheduled here without an IP, with the kubelet's latest sandbox event (or null). */
  readonly waiting: readonly { readonly ref: string; readonly message: string | null }[];
}

function rangeCapacity(cidr: string | undefined): number {
  const prefix = Number(/^\d+\.\d+\.\d+\.\d+\/(\d{1,2})$/.exec(cidr ?? '')?.[1] ?? NaN);
  if (!Number.isInteger(prefix) || prefix > 30) return 0;
  return 2 ** (32 - prefix) - 3;
}

const podAddressCache = new WeakMap<Snapshot, readonly NodePodAddresses[]>();

/** Memoised on the snapshot. */
export function selectPodAddressUse(s: LabState): readonly NodePodAddresses[] {
  const snap = s.snapshot;
  const cached = podAddressCache.get(snap);
  if (cached) return cached;
  const sandboxEvents = new Map<string, string>();
  for (const e of snap.events)
    if (e.involvedObject.kind === 'Pod' && e.reason === 'FailedCreatePodSandBox')
      sandboxEvents.set(`${e.involvedObject.namespace ?? 'default'}/${e.involvedObject.name}`, e.message);
  const byNode = selectPodsByNode(s);
  const out = snap.nodes.map((node) => {
    const name = node.metadata?.name ?? '';
    const pods = (byNode.get(name) ?? []).filter((p) => !p.spec?.hostNetwork);
    return {
      node: name,
      podCIDR: node.spec?.podCIDR ?? null,
      capacity: rangeCapacity(node.spec?.podCIDR),
      used: pods.filter((p) => p.status?.podIP).length,
      waiting: pods
        .filter((p) => !p.status?.podIP && !p.metadata?.deletionTimestamp)
        .map((p) => ({ ref: objectRef(p), message: sandboxEvents.get(objectRef(p)) ?? null })),
    };
  });
  podAddressCache.set(snap, out);
  return out;
}

/** One node's conntrack table: live entries against net.netfilter.nf_conntrack_max. */
export interface NodeConntrackUse {
  readonly node: string;
  readonly entries: number;
  readonly max: number;
}

const conntrackCache = new WeakMap<
  LabState['engine'],
  { record: LabState['record']; snapshot: Snapshot; value: readonly NodeConntrackUse[] }
>();

/**
 * Per node conntrack use. The tables are kernel state that connections change without changing
 * the objects, so this is memoised on the lab record (every connection is recorded) and snapshot.
 */
export function selectConntrackUse(s: LabState): readonly NodeConntrackUse[] {
  const hit = conntrackCache.get(s.engine);
  if (hit && hit.record === s.record && hit.snapshot === s.snapshot) return hit.value;
  const now = s.engine.now();
  const value = s.snapshot.nodes.map((n) => {
    const node = n.metadata?.name ?? '';
    const table = s.engine.conntrackTable(node);
    return { node, entries: table.entries.filter((e) => e.expires > now).length, max: table.max };
  });
  conntrackCache.set(s.engine, { record: s.record, snapshot: s.snapshot, value });
  return value;
}

export const selectSetConntrackMax = (s: LabState) => s.setConntrackMax;

export const selectLastRequests = (s: LabState) => s.lastRequests;
export const selectSendRequests = (s: LabState) => s.sendRequests;

const meshMetricsCache = new WeakMap<
  LabState['engine'],
  { record: LabState['record']; value: ReturnType<LabState['engine']['meshMetrics']> }
>();

/**
 * Per destination Service: requests, success rate and p50/p99 latency the sidecars reported over
 * every batch sent. Batches change the metrics without changing any object, so this is memoised on
 * the lab record (every batch is recorded).
 */
export function selectMeshMetrics(s: LabState): ReturnType<LabState['engine']['meshMetrics']> {
  const hit = meshMetricsCache.get(s.engine);
  if (hit && hit.record === s.record) return hit.value;
  const value = s.engine.meshMetrics();
  meshMetricsCache.set(s.engine, { record: s.record, value });
  return value;
}

const meshCostCache = new WeakMap<Snapshot, ReturnType<LabState['engine']['meshCost']>>();

/** What the cluster's Istio sidecars cost at 1000 requests/s each (Istio's published figures); memoised on the snapshot. */
export function selectMeshCost(s: LabState): ReturnType<LabState['engine']['meshCost']> {
  const cached = meshCostCache.get(s.snapshot);
  if (cached) return cached;
  const value = s.engine.meshCost();
  meshCostCache.set(s.snapshot, value);
  return value;
}
