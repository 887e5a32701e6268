import { policiesSelecting, sidecarOf, type LabState, type MeshName } from '../../store/labStore';
import { internalIPOf, objectRef } from '../../store/selectors';

// The city as plain data with a deterministic layout: everything sorted by name, positions from
// grid arithmetic (no force simulation), so the same cluster always draws the same map and the SVG
// can be snapshot-tested.

type Snapshot = LabState['snapshot'];
type Engine = LabState['engine'];

/** What a district is built around: a node. */
export interface District {
  readonly name: string;
  readonly internalIP: string;
  readonly podCIDR: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The CNI's `ip route` lines for remote pod ranges (Calico's BGP-learned routes). */
  readonly routes: readonly string[];
}

export type HouseRole = 'app' | 'directory' | 'gate';

export interface House {
  readonly ref: string;
  readonly name: string;
  readonly namespace: string;
  readonly node: string;
  readonly ip: string;
  readonly phase: string;
  readonly ready: boolean;
  /**
   * Bound to the node but without an address: the CNI could not set up the pod's sandbox (its IPAM
   * range is full), so the containers stay ContainerCreating. Holds the kubelet's latest
   * `FailedCreatePodSandBox` event as `Reason: message`, or a plain sentence before one is seen.
   */
  readonly waitingForIP: string | null;
  readonly role: HouseRole;
  readonly containers: readonly string[];
  /** The service mesh whose sidecar proxy was injected into the pod (drawn as a courier at the door). */
  readonly sidecar: MeshName | null;
  /** NetworkPolicies isolating the pod, per direction (`namespace/name`). */
  readonly ingressPolicies: readonly string[];
  readonly egressPolicies: readonly string[];
  readonly x: number;
  readonly y: number;
}

export type PostOfficeRole = 'service' | 'directory' | 'gate';

export interface PostOffice {
  readonly ref: string;
  readonly name: string;
  readonly type: string;
  readonly clusterIP: string;
  readonly ports: readonly string[];
  readonly role: PostOfficeRole;
  /** Refs of the pods behind the Service's ready endpoints. */
  readonly endpoints: readonly string[];
  readonly x: number;
  readonly y: number;
}

export interface Road {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  /** How high the road arcs below the districts. */
  readonly bend: number;
}

export interface PolicySign {
  readonly ref: string;
  readonly name: string;
  readonly x: number;
  readonly y: number;
}

export interface CityModel {
  readonly cni: { readonly name: string; readonly title: string; readonly summary: string };
  readonly roadStyle: 'tunnel' | 'routed' | 'ebpf';
  readonly enforcesPolicy: boolean;
  readonly districts: readonly District[];
  readonly houses: readonly House[];
  readonly postOffices: readonly PostOffice[];
  readonly roads: readonly Road[];
  readonly policies: readonly PolicySign[];
  /** Where cars from outside the cluster start: the city gate's outer side. */
  readonly outside: { readonly x: number; readonly y: number };
  readonly width: number;
  readonly height: number;
}

export const HOUSE_W = 160;
export const HOUSE_H = 96;
const HOUSE_GAP = 14;
const HOUSE_COLS = 2;
const DISTRICT_PAD = 16;
const DISTRICT_HEAD = 74;
const DISTRICT_GAP = 48;
const DISTRICTS_PER_ROW = 4;
export const OFFICE_W = 176;
export const OFFICE_H = 74;
const OFFICE_GAP = 18;
export const GATE_X = 0;
const LEFT = 150;
const TOP = 20;
const ROAD_BAND = 90;
export const SIGN_W = 176;
export const SIGN_H = 30;

// EndpointSlices name their Service in this label.
// https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#ownership
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function houseRole(namespace: string, labels: Readonly<Record<string, string>>): HouseRole {
  if (labels['k8s-app'] === 'kube-dns') return 'directory';
  if (namespace === 'ingress-nginx' || labels['app.kubernetes.io/name'] === 'ingress-nginx') return 'gate';
  return 'app';
}

function officeRole(ref: string): PostOfficeRole {
  if (ref === 'kube-system/kube-dns') return 'directory';
  if (ref.startsWith('ingress-nginx/')) return 'gate';
  return 'service';
}

/** Ready endpoints per Service (an endpoint with ready unset counts as ready: discovery/v1). */
function readyEndpoints(snapshot: Snapshot): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const slice of snapshot.endpointSlices) {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!service) continue;
    const key = `${slice.metadata?.namespace ?? ''}/${service}`;
    const list = out.get(key) ?? [];
    for (const e of slice.endpoints ?? []) {
      if (e.conditions?.ready === false || e.targetRef?.kind !== 'Pod') continue;
      list.push(`${e.targetRef.namespace ?? slice.metadata?.namespace ?? ''}/${e.targetRef.name ?? ''}`);
    }
    out.set(key, list);
  }
  for (const list of out.values()) list.sort(byName);
  return out;
}

/** The kubelet's latest FailedCreatePodSandBox event per pod (`ns/name` → `Reason: message`). */
function sandboxFailures(snapshot: Snapshot): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of snapshot.events)
    if (e.involvedObject.kind === 'Pod' && e.reason === 'FailedCreatePodSandBox')
      out.set(
        `${e.involvedObject.namespace ?? 'default'}/${e.involvedObject.name}`,
        `${e.reason}: ${e.message}`,
      );
  return out;
}

function portTexts(service: Snapshot['services'][number]): string[] {
  return (service.spec?.ports ?? []).map((p) => {
    const target = p.targetPort ?? p.port;
    return `${p.port}/${p.protocol ?? 'TCP'} → ${target}${p.nodePort ? ` (node ${p.nodePort})` : ''}`;
  });
}

/** The city for this snapshot. `engine` supplies the CNI plugin and the compiled policies. */
export function buildCityModel(snapshot: Snapshot, engine: Engine): CityModel {
  const view = engine.view();
  const cni = view.cni;
  const nodeInfos = view.nodes;

  const nodes = [...snapshot.nodes].sort((a, b) => byName(a.metadata?.name ?? '', b.metadata?.name ?? ''));
  const podsByNode = new Map<string, Snapshot['pods'][number][]>();
  for (const pod of snapshot.pods) {
    const node = pod.spec?.nodeName;
    if (!node) continue;
    const list = podsByNode.get(node) ?? [];
    list.push(pod);
    podsByNode.set(node, list);
  }

  const isolation = new Map<string, { ingress: string[]; egress: string[] }>();
  const policySet = view.policies;
  for (const info of view.pods) {
    isolation.set(info.ref, policiesSelecting(policySet, info.endpoint));
  }

  const sandboxes = sandboxFailures(snapshot);
  const districts: District[] = [];
  const houses: House[] = [];
  const districtW = DISTRICT_PAD * 2 + HOUSE_COLS * HOUSE_W + (HOUSE_COLS - 1) * HOUSE_GAP;
  let rowY = TOP;
  let rowHeight = 0;
  nodes.forEach((node, i) => {
    const name = node.metadata?.name ?? '';
    const col = i % DISTRICTS_PER_ROW;
    if (col === 0 && i > 0) {
      rowY += rowHeight + ROAD_BAND;
      rowHeight = 0;
    }
    const pods = [...(podsByNode.get(name) ?? [])].sort((a, b) => byName(objectRef(a), objectRef(b)));
    const rows = Math.max(1, Math.ceil(pods.length / HOUSE_COLS));
    const x = LEFT + col * (districtW + DISTRICT_GAP);
    const height = DISTRICT_HEAD + rows * (HOUSE_H + HOUSE_GAP) + DISTRICT_PAD;
    rowHeight = Math.max(rowHeight, height);
    const info = nodeInfos.find((n) => n.name === name);
    districts.push({
      name,
      internalIP: internalIPOf(node) ?? 'none',
      podCIDR: node.spec?.podCIDR ?? 'none',
      x,
      y: rowY,
      width: districtW,
      height,
      routes: info
        ? cni
            .routes(info, nodeInfos)
            .filter((r) => r.viaNode)
            .map((r) => r.text)
        : [],
    });
    pods.forEach((pod, j) => {
      const ref = objectRef(pod);
      const namespace = pod.metadata?.namespace ?? 'default';
      const iso = isolation.get(ref) ?? { ingress: [], egress: [] };
      const noIP = !pod.status?.podIP && !pod.spec?.hostNetwork && !pod.metadata?.deletionTimestamp;
      houses.push({
        ref,
        name: pod.metadata?.name ?? '',
        namespace,
        node: name,
        ip: pod.status?.podIP ?? '',
        phase: pod.status?.phase ?? 'Pending',
        ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
        waitingForIP: noIP
          ? (sandboxes.get(ref) ??
            'Waiting for the CNI plugin to set up the pod network and assign an address')
          : null,
        role: houseRole(namespace, pod.metadata?.labels ?? {}),
        containers: (pod.spec?.containers ?? []).map((c) => c.name),
        sidecar: sidecarOf(pod),
        ingressPolicies: iso.ingress,
        egressPolicies: iso.egress,
        x: x + DISTRICT_PAD + (j % HOUSE_COLS) * (HOUSE_W + HOUSE_GAP),
        y: rowY + DISTRICT_HEAD + Math.floor(j / HOUSE_COLS) * (HOUSE_H + HOUSE_GAP),
      });
    });
  });
  const districtsBottom = rowY + rowHeight;

  // Roads between every pair of districts (a full mesh, as overlays and BGP full-mesh peer);
  // beyond eight nodes only neighbours, so the map stays readable.
  const roads: Road[] = [];
  const mesh = districts.length <= 8;
  for (let i = 0; i < districts.length; i++)
    for (let j = i + 1; j < districts.length; j++) {
      if (!mesh && j !== i + 1) continue;
      const a = districts[i]!;
      const b = districts[j]!;
      roads.push({
        id: `${a.name}~${b.name}`,
        from: a.name,
        to: b.name,
        x1: a.x + a.width / 2,
        y1: a.y + a.height,
        x2: b.x + b.width / 2,
        y2: b.y + b.height,
        bend: 22 + (j - i - 1) * 26,
      });
    }

  const endpoints = readyEndpoints(snapshot);
  const services = [...snapshot.services].sort((a, b) => byName(objectRef(a), objectRef(b)));
  const officesY = districtsBottom + ROAD_BAND;
  const cityW = Math.max(
    districts.reduce((m, d) => Math.max(m, d.x + d.width), LEFT + 300),
    LEFT + services.length * (OFFICE_W + OFFICE_GAP),
  );
  const perRow = Math.max(1, Math.floor((cityW - LEFT + OFFICE_GAP) / (OFFICE_W + OFFICE_GAP)));
  const postOffices: PostOffice[] = services.map((service, i) => {
    const ref = objectRef(service);
    return {
      ref,
      name: service.metadata?.name ?? '',
      type: service.spec?.clusterIP === 'None' ? 'ClusterIP (headless)' : (service.spec?.type ?? 'ClusterIP'),
      clusterIP: service.spec?.clusterIP ?? 'None',
      ports: portTexts(service),
      role: officeRole(ref),
      endpoints: endpoints.get(ref) ?? [],
      x: LEFT + (i % perRow) * (OFFICE_W + OFFICE_GAP),
      y: officesY + Math.floor(i / perRow) * (OFFICE_H + OFFICE_GAP),
    };
  });
  const officeRows = Math.max(1, Math.ceil(services.length / perRow));
  const policiesY = officesY + officeRows * (OFFICE_H + OFFICE_GAP) + 24;
  const policyPerRow = Math.max(1, Math.floor((cityW - LEFT + 12) / (SIGN_W + 12)));
  const policies: PolicySign[] = [...snapshot.networkPolicies]
    .sort((a, b) => byName(objectRef(a), objectRef(b)))
    .map((np, i) => ({
      ref: objectRef(np),
      name: np.metadata?.name ?? '',
      x: LEFT + (i % policyPerRow) * (SIGN_W + 12),
      y: policiesY + Math.floor(i / policyPerRow) * (SIGN_H + 10),
    }));
  const policyRows = Math.ceil(policies.length / policyPerRow);
  const height = policiesY + policyRows * (SIGN_H + 10) + 10;

  return {
    cni: { name: cni.name, title: cni.title, summary: cni.summary },
    roadStyle: cni.name === 'cilium' ? 'ebpf' : cni.mode === 'overlay' ? 'tunnel' : 'routed',
    enforcesPolicy: cni.enforcesPolicy,
    districts,
    houses,
    postOffices,
    roads,
    policies,
    outside: { x: GATE_X + 50, y: TOP + 60 },
    width: cityW + 20,
    height,
  };
}

const modelCache = new WeakMap<Snapshot, CityModel>();
/** `buildCityModel`, memoised on the snapshot (the engine returns the same snapshot while nothing changed). */
export function cityModelFor(snapshot: Snapshot, engine: Engine): CityModel {
  let m = modelCache.get(snapshot);
  if (!m) {
    m = buildCityModel(snapshot, engine);
    modelCache.set(snapshot, m);
  }
  return m;
}
