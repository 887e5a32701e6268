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
export const selectSettings = (s: LabState) => s.snapshot.settings;
export const selectCni = (s: LabState) => s.snapshot.settings.cni;
export const selectProxyMode = (s: LabState) => s.snapshot.settings.proxyMode;

export const selectNodes = (s: LabState) => s.snapshot.nodes;
export const selectNamespaces = (s: LabState) => s.snapshot.namespaces;
export const selectPods = (s: LabState) => s.snapshot.pods;
export const selectDeployments = (s: LabState) => s.snapshot.deployments;
export const selectReplicaSets = (s: LabState) => s.snapshot.replicaSets;
export const selectServices = (s: LabState) => s.snapshot.services;
export const selectEndpointSlices = (s: LabState) => s.snapshot.endpointSlices;
export const selectNetworkPolicies = (s: LabState) => s.snapshot.networkPolicies;
export const selectIngresses = (s: LabState) => s.snapshot.ingresses;
export const selectEvents = (s: LabState) => s.snapshot.events;

export const selectLastApply = (s: LabState) => s.lastApply;
export const selectLastConnect = (s: LabState) => s.lastConnect;

export const selectEngine = (s: LabState) => s.engine;
export const selectSelection = (s: LabState) => s.selection;
export const selectPlayback = (s: LabState) => s.playback;
export const selectPlaybackStep = (s: LabState) => s.playback.step;
export const selectPlaying = (s: LabState) => s.playback.playing;
export const selectSpeed = (s: LabState) => s.playback.speed;
/** The hop the car is at, or null when nothing was traced yet. */
export const selectCurrentHop = (s: LabState) => s.lastConnect?.hops[s.playback.step] ?? null;

export const selectApply = (s: LabState) => s.apply;
export const selectDeleteObject = (s: LabState) => s.deleteObject;
export const selectConnect = (s: LabState) => s.connect;
export const selectSetCni = (s: LabState) => s.setCni;
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
