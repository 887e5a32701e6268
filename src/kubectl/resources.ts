// The resource types kubectl resolves (`pods`, `po`, `pod`, `deployments.apps`), the engine's kinds
// plus two it derives: legacy v1 Endpoints (what the Endpoints controller would write, from the
// EndpointSlices; https://kubernetes.io/docs/concepts/services-networking/service/#endpoints) and
// v1 Events (from the engine's event log).
import type {
  Endpoints,
  EndpointAddress,
  EndpointPort,
  EndpointSubset,
  Service,
} from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { KINDS, resolveResource, rfc3339, type ClusterEvent, type Engine, type KubeObject } from '../engine';

export interface ResourceType {
  readonly kind: string;
  readonly apiVersion: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly namespaced: boolean;
  /** API group ('' for core). */
  readonly group: string;
}

const groupOf = (apiVersion: string): string =>
  apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';

const ENDPOINTS: ResourceType = {
  kind: 'Endpoints',
  apiVersion: 'v1',
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  namespaced: true,
  group: '',
};
const EVENTS: ResourceType = {
  kind: 'Event',
  apiVersion: 'v1',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  group: '',
};

export const RESOURCE_TYPES: readonly ResourceType[] = [
  ...KINDS.map((k) => ({
    kind: k.kind,
    apiVersion: k.apiVersion,
    plural: k.plural,
    singular: k.singular,
    shortNames: k.shortNames,
    namespaced: k.namespaced,
    group: groupOf(k.apiVersion),
  })),
  ENDPOINTS,
  EVENTS,
];

export function resolveType(name: string): ResourceType | undefined {
  const n = name.toLowerCase();
  const base = n.split('.')[0] ?? '';
  const group = n.includes('.') ? n.slice(base.length + 1) : null;
  const info = resolveResource(name);
  const found = info
    ? RESOURCE_TYPES.find((r) => r.kind === info.kind)
    : [ENDPOINTS, EVENTS].find(
        (r) => r.plural === base || r.singular === base || r.shortNames.includes(base),
      );
  if (!found) return undefined;
  if (group !== null && group !== found.group && !(group === 'v1' && found.group === '')) return undefined;
  return found;
}

/** `deployment.apps/web`, `pod/web-…`, `endpoints/web`: kubectl's `-o name` and messages. */
export const qualifiedName = (t: ResourceType, name: string): string =>
  `${t.kind.toLowerCase()}${t.group ? `.${t.group}` : ''}/${name}`;

/** `deployments.apps`, `pods`: how the API server names a resource in its messages. */
export const resourceName = (t: ResourceType): string => `${t.plural}${t.group ? `.${t.group}` : ''}`;

export const notFound = (t: ResourceType, name: string): string =>
  `Error from server (NotFound): ${resourceName(t)} "${name}" not found`;

export function listObjects(engine: Engine, t: ResourceType, namespace: string | undefined): KubeObject[] {
  const ns = t.namespaced ? namespace : undefined;
  let items: KubeObject[];
  if (t.kind === 'Endpoints') items = deriveEndpoints(engine, ns);
  else if (t.kind === 'Event') items = deriveEvents(engine, ns);
  else items = [...engine.list(t.kind, ns)];
  return items.sort(
    (a, b) =>
      (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
      (t.kind === 'Event' ? 0 : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')),
  );
}

export function getObject(
  engine: Engine,
  t: ResourceType,
  namespace: string,
  name: string,
): KubeObject | undefined {
  if (t.kind === 'Endpoints' || t.kind === 'Event')
    return listObjects(engine, t, namespace).find((o) => o.metadata.name === name);
  return engine.get(t.kind, t.namespaced ? namespace : undefined, name);
}

const ipKey = (ip: string): number => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);

/**
 * The v1 Endpoints object the endpoints controller keeps for a Service with a selector (and the
 * API server's own for `kubernetes`): ready addresses, not-ready addresses, one subset per port set.
 * pkg/controller/endpoint/endpoints_controller.go; subsets repacked and sorted by IP
 * (pkg/api/v1/endpoints/util.go RepackSubsets).
 */
function deriveEndpoints(engine: Engine, namespace: string | undefined): KubeObject[] {
  const services = engine.list('Service', namespace) as unknown as readonly (Service & KubeObject)[];
  const slices = engine.list('EndpointSlice', namespace) as unknown as readonly (EndpointSlice &
    KubeObject)[];
  const out: KubeObject[] = [];
  for (const svc of services) {
    const name = svc.metadata.name ?? '';
    const ns = svc.metadata.namespace ?? 'default';
    const own = slices.filter(
      (s) => s.metadata.namespace === ns && s.metadata.labels?.['kubernetes.io/service-name'] === name,
    );
    if (svc.spec?.type === 'ExternalName' || (!svc.spec?.selector && own.length === 0)) continue;
    const groups = new Map<
      string,
      { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }
    >();
    for (const s of own) {
      const ports: EndpointPort[] = (s.ports ?? []).map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        port: p.port ?? 0,
        protocol: p.protocol ?? 'TCP',
      }));
      const key = JSON.stringify(ports);
      const g = groups.get(key) ?? { ports, ready: [], notReady: [] };
      for (const e of s.endpoints ?? []) {
        for (const ip of e.addresses) {
          const addr: EndpointAddress = {
            ip,
            ...(e.nodeName ? { nodeName: e.nodeName } : {}),
            ...(e.targetRef ? { targetRef: e.targetRef } : {}),
          };
          if (e.conditions?.ready === false) g.notReady.push(addr);
          else g.ready.push(addr);
        }
      }
      groups.set(key, g);
    }
    const subsets: EndpointSubset[] = [...groups.values()]
      .filter((g) => g.ready.length + g.notReady.length > 0)
      .map((g) => ({
        ...(g.ready.length ? { addresses: [...g.ready].sort((a, b) => ipKey(a.ip) - ipKey(b.ip)) } : {}),
        ...(g.notReady.length
          ? { notReadyAddresses: [...g.notReady].sort((a, b) => ipKey(a.ip) - ipKey(b.ip)) }
          : {}),
        ...(g.ports.length ? { ports: g.ports } : {}),
      }));
    const ep: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name,
        namespace: ns,
        ...(svc.metadata.labels ? { labels: svc.metadata.labels } : {}),
        creationTimestamp: svc.metadata.creationTimestamp,
      },
      ...(subsets.length ? { subsets } : {}),
    };
    out.push(ep as unknown as KubeObject);
  }
  return out;
}

/** v1 Events from the engine's log, named `<object>.<n>` like the kubelet's `<object>.<hex>`. */
function deriveEvents(engine: Engine, namespace: string | undefined): KubeObject[] {
  return engine.cluster.events
    .map((e: ClusterEvent, i) => ({ e, i }))
    .filter(
      ({ e }) =>
        (e.involvedObject.namespace ?? 'default') === (namespace ?? e.involvedObject.namespace ?? 'default'),
    )
    .map(({ e, i }) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${e.involvedObject.name}.${(0x17f0000000 + i * 0x1d3b5).toString(16)}`,
        namespace: e.involvedObject.namespace ?? 'default',
        creationTimestamp: rfc3339(e.firstTimestamp),
      },
      involvedObject: e.involvedObject,
      reason: e.reason,
      message: e.message,
      type: e.type,
      source: { component: e.source },
      count: e.count,
      firstTimestamp: rfc3339(e.firstTimestamp),
      lastTimestamp: rfc3339(e.lastTimestamp),
    }));
}
