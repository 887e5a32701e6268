// The EndpointSlice controller (pkg/controller/endpointslice): for each Service with a selector,
// the pods it selects that have an address become endpoints with conditions ready / serving /
// terminating; each Service port's targetPort is resolved per pod (a named port by name and
// protocol on the pod's containers; a pod without it gets no endpoint for that port), and
// endpoints are grouped by their resolved ports into slices of at most 100 endpoints.
// https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1';
import type { EndpointPort, EndpointSlice, Endpoint } from 'kubernetes-types/discovery/v1';
import type { KubeObject } from '../cluster/objects';
import { jsonEqual, stableJson } from '../cluster/objects';
import { matchesMap } from '../api/labels';
import { randomSuffix } from '../rng';
import { isOwnedBy, ownerRef } from './deployment';
import { isPodReady } from './kubelet';
import { noChanges, type Changes, type ControllerContext } from './types';

type S = Service & KubeObject;
type P = Pod & KubeObject;
type Slice = EndpointSlice & KubeObject;

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
const MANAGED_BY = 'endpointslice-controller.k8s.io';
const MAX_ENDPOINTS_PER_SLICE = 100;

/** The port a Service port's targetPort means on one pod, or null when the pod has no such port. */
export function resolveTargetPort(sp: ServicePort, pod: Pod): number | null {
  const t = sp.targetPort ?? sp.port;
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(t)) return Number(t);
  const protocol = sp.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? [])
    for (const p of c.ports ?? [])
      if (p.name === t && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  return null;
}

/**
 * Pods with an address, by namespace and by each of their labels (`key=value`), so a Service's
 * selector is matched against the pods carrying its rarest label rather than every pod.
 */
function podIndex(pods: readonly P[]): (ns: string, selector: Readonly<Record<string, string>>) => P[] {
  const byNs = new Map<string, { all: P[]; byLabel: Map<string, P[]> }>();
  for (const p of pods) {
    if (!p.status?.podIP || p.status.phase === 'Succeeded' || p.status.phase === 'Failed') continue;
    const ns = p.metadata.namespace ?? 'default';
    let entry = byNs.get(ns);
    if (!entry) byNs.set(ns, (entry = { all: [], byLabel: new Map() }));
    entry.all.push(p);
    for (const [k, v] of Object.entries(p.metadata.labels ?? {})) {
      const key = `${k}=${v}`;
      const list = entry.byLabel.get(key);
      if (list) list.push(p);
      else entry.byLabel.set(key, [p]);
    }
  }
  return (ns, selector) => {
    const entry = byNs.get(ns);
    if (!entry) return [];
    let candidates = entry.all;
    for (const [k, v] of Object.entries(selector)) {
      const list = entry.byLabel.get(`${k}=${v}`) ?? [];
      if (list.length < candidates.length) candidates = list;
    }
    return candidates.filter((p) => matchesMap(selector, p.metadata.labels));
  };
}

// Field-by-field comparisons of what this controller writes: a no-op round compares every slice,
// so these avoid serialising thousands of endpoints to JSON.
const samePorts = (a: readonly EndpointPort[], b: readonly EndpointPort[]): boolean =>
  a.length === b.length &&
  a.every((p, i) => {
    const q = b[i];
    return q !== undefined && p.name === q.name && p.port === q.port && p.protocol === q.protocol;
  });

const sameEndpoint = (a: Endpoint, b: Endpoint): boolean =>
  a.addresses.length === b.addresses.length &&
  a.addresses.every((x, i) => x === b.addresses[i]) &&
  a.conditions?.ready === b.conditions?.ready &&
  a.conditions?.serving === b.conditions?.serving &&
  a.conditions?.terminating === b.conditions?.terminating &&
  a.hostname === b.hostname &&
  a.nodeName === b.nodeName &&
  a.targetRef?.kind === b.targetRef?.kind &&
  a.targetRef?.namespace === b.targetRef?.namespace &&
  a.targetRef?.name === b.targetRef?.name &&
  a.targetRef?.uid === b.targetRef?.uid &&
  jsonEqual(a.zone ?? null, b.zone ?? null) &&
  jsonEqual(a.hints ?? null, b.hints ?? null);

const sameEndpoints = (a: readonly Endpoint[], b: readonly Endpoint[]): boolean =>
  a.length === b.length && a.every((e, i) => b[i] !== undefined && sameEndpoint(e, b[i]));

export function reconcileEndpointSlices(ctx: ControllerContext): Changes {
  const changes = noChanges();
  const selectPods = podIndex(ctx.store.list<P>('Pod'));
  const slicesByOwner = new Map<string, Slice[]>();
  for (const s of ctx.store.list<Slice>('EndpointSlice'))
    for (const o of s.metadata.ownerReferences ?? []) {
      const key = `${s.metadata.namespace ?? 'default'}/${o.uid}`;
      const list = slicesByOwner.get(key);
      if (list) list.push(s);
      else slicesByOwner.set(key, [s]);
    }
  for (const svc of ctx.store.list<S>('Service')) {
    const selector = svc.spec?.selector;
    if (!selector || svc.spec?.type === 'ExternalName') continue;
    const ns = svc.metadata.namespace ?? 'default';
    const name = svc.metadata.name ?? '';
    const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
    const selected = selectPods(ns, selector);
    for (const pod of selected) {
      const ports: EndpointPort[] = [];
      for (const sp of svc.spec?.ports ?? []) {
        const port = resolveTargetPort(sp, pod);
        if (port === null) continue;
        ports.push({ ...(sp.name ? { name: sp.name } : { name: '' }), port, protocol: sp.protocol ?? 'TCP' });
      }
      if (!ports.length && (svc.spec?.ports ?? []).length) continue;
      const key = stableJson(ports);
      const g = groups.get(key) ?? { ports, endpoints: [] };
      groups.set(key, g);
      const terminating = Boolean(pod.metadata.deletionTimestamp);
      const serving = isPodReady(pod);
      const ready = svc.spec?.publishNotReadyAddresses ? true : serving && !terminating;
      const hostname =
        pod.spec?.hostname && pod.spec.subdomain === name ? { hostname: pod.spec.hostname } : {};
      g.endpoints.push({
        addresses: [pod.status?.podIP ?? ''],
        conditions: { ready, serving, terminating },
        ...hostname,
        nodeName: pod.spec?.nodeName,
        targetRef: { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid },
      });
    }
    const desired: { ports: EndpointPort[]; endpoints: Endpoint[] }[] = [];
    for (const g of groups.values())
      for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE)
        desired.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
    const existing = (slicesByOwner.get(`${ns}/${svc.metadata.uid}`) ?? []).filter((s) => isOwnedBy(s, svc));
    const unused = [...existing];
    // A Service whose pods all lack addresses still has one (empty) slice, as upstream keeps a
    // placeholder slice so that consumers can tell "no endpoints" from "not reconciled".
    if (!desired.length) desired.push({ ports: [], endpoints: [] });
    for (const d of desired) {
      const i = unused.findIndex((s) => samePorts(s.ports ?? [], d.ports));
      const reuse = i >= 0 ? unused.splice(i, 1)[0] : unused.shift();
      const body = {
        addressType: 'IPv4',
        endpoints: d.endpoints,
        ports: d.ports,
      };
      if (reuse) {
        if (!sameEndpoints(reuse.endpoints ?? [], d.endpoints) || !samePorts(reuse.ports ?? [], d.ports))
          changes.puts.push({ ...reuse, ...body });
        continue;
      }
      changes.puts.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: `${name.slice(0, 57)}-${randomSuffix(ctx.rng)}`,
          generateName: `${name}-`,
          namespace: ns,
          labels: { [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY },
          ownerReferences: [ownerRef(svc)],
        },
        ...body,
      });
    }
    for (const s of unused)
      changes.deletes.push({ kind: 'EndpointSlice', namespace: ns, name: s.metadata.name ?? '' });
  }
  return changes;
}
