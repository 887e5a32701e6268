// What istiod computes for the sidecars from PeerAuthentication, VirtualService and
// DestinationRule objects: the mTLS mode a workload's inbound listener enforces, and the route an
// outbound HTTP request to a Service takes (route rule, weighted destination, subset, endpoints).
// PeerAuthentication: https://istio.io/latest/docs/reference/config/security/peer_authentication/
// VirtualService: https://istio.io/latest/docs/reference/config/networking/virtual-service/
// DestinationRule: https://istio.io/latest/docs/reference/config/networking/destination-rule/
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { KubeObject } from '../cluster/objects';
import { isRecord, refOf } from '../cluster/objects';
import type { PodInfo } from '../trace/view';
import { matchesMap } from '../api/labels';
import { parseDuration } from '../api/istio';
import { sidecarOf, type MeshName } from './inject';

/** Istio's root namespace: a PeerAuthentication there (without a selector) is mesh-wide. */
export const ROOT_NAMESPACE = 'istio-system';

export type MtlsMode = 'DISABLE' | 'PERMISSIVE' | 'STRICT';

export interface MeshData {
  readonly pods: readonly PodInfo[];
  readonly services: readonly (Service & KubeObject)[];
  readonly endpointSlices: readonly (EndpointSlice & KubeObject)[];
  readonly peerAuthentications: readonly KubeObject[];
  readonly virtualServices: readonly KubeObject[];
  readonly destinationRules: readonly KubeObject[];
}

const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const labelsOf = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(rec(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));

export const meshOf = (p: PodInfo): MeshName | null => sidecarOf(p.pod);

/** The mode a PeerAuthentication sets for a port (UNSET inherits: returns null). */
function modeOf(pa: KubeObject, port: number | null): MtlsMode | null {
  const spec = rec(pa.spec);
  const portMode = port === null ? undefined : str(rec(rec(spec.portLevelMtls)[String(port)]).mode);
  const m = portMode && portMode !== 'UNSET' ? portMode : str(rec(spec.mtls).mode);
  return m === 'DISABLE' || m === 'PERMISSIVE' || m === 'STRICT' ? m : null;
}

export interface MtlsDecision {
  readonly mode: MtlsMode;
  /** The PeerAuthentication that decided (`ns/name`), or null for the default (PERMISSIVE). */
  readonly policy: string | null;
}

/**
 * [MS3] The effective mTLS mode of a workload's port: the most specific policy wins — one with a
 * workload selector in the pod's namespace, then the namespace-wide one, then the mesh-wide one in
 * the root namespace; an UNSET mode inherits from the next level; with no policy at all the mode
 * is PERMISSIVE. Selector policies in the root namespace are ignored.
 */
export function mtlsMode(data: MeshData, pod: PodInfo, port: number): MtlsDecision {
  const ns = pod.endpoint.namespace;
  const withSelector = (pa: KubeObject) =>
    Object.keys(rec(rec(rec(pa.spec).selector).matchLabels)).length > 0;
  const byAge = (a: KubeObject, b: KubeObject) =>
    (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
  const levels = [
    data.peerAuthentications
      .filter(
        (pa) =>
          pa.metadata.namespace === ns &&
          ns !== ROOT_NAMESPACE &&
          withSelector(pa) &&
          matchesMap(labelsOf(rec(rec(pa.spec).selector).matchLabels), pod.endpoint.labels),
      )
      .sort(byAge),
    data.peerAuthentications.filter((pa) => pa.metadata.namespace === ns && !withSelector(pa)).sort(byAge),
    data.peerAuthentications
      .filter((pa) => pa.metadata.namespace === ROOT_NAMESPACE && !withSelector(pa))
      .sort(byAge),
  ];
  for (const level of levels) {
    const pa = level[0];
    if (!pa) continue;
    const m = modeOf(pa, level === levels[0] ? port : null);
    if (m) return { mode: m, policy: refOf(pa) };
  }
  return { mode: 'PERMISSIVE', policy: null };
}

/** A VirtualService or DestinationRule host, as the FQDN it names (short names are relative to the object's namespace). */
export function fqdn(host: string, namespace: string): string {
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${namespace}.svc.cluster.local`;
  if (parts.length === 2) return `${host}.svc.cluster.local`;
  if (parts.length === 3 && parts[2] === 'svc') return `${host}.cluster.local`;
  return host;
}

const serviceFqdn = (s: Service & KubeObject): string =>
  `${s.metadata.name ?? ''}.${s.metadata.namespace ?? 'default'}.svc.cluster.local`;

export function serviceByHost(
  data: MeshData,
  host: string,
  namespace: string,
): (Service & KubeObject) | undefined {
  const f = fqdn(host, namespace);
  return data.services.find((s) => serviceFqdn(s) === f);
}

export interface RetryPolicy {
  /** Retries after the first try (Envoy's num_retries). */
  readonly attempts: number;
  readonly perTryTimeoutMs: number | null;
  readonly retryOn: readonly string[];
}

/**
 * Istio's default retry policy when a route sets none: 2 retries on
 * connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes with 503 as the
 * retriable status, preferring hosts not tried before (pilot/pkg/networking/core/route/retry/retry.go
 * DefaultPolicy).
 */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 2,
  perTryTimeoutMs: null,
  retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes', '503'],
};

export interface Fault {
  readonly delayMs: number;
  readonly delayPercent: number;
  readonly abortStatus: number | null;
  readonly abortPercent: number;
}

export interface WeightedDestination {
  readonly service: Service & KubeObject;
  readonly subset: string | null;
  readonly port: number | null;
  readonly weight: number;
}

export interface MeshRoute {
  /** The VirtualService that matched (`ns/name`), or null for Envoy's default route. */
  readonly virtualService: string | null;
  readonly rule: number | null;
  readonly destinations: readonly WeightedDestination[];
  readonly retries: RetryPolicy;
  readonly timeoutMs: number | null;
  readonly fault: Fault | null;
}

function stringMatch(m: unknown, value: string): boolean {
  const r = rec(m);
  if (typeof r.exact === 'string') return value === r.exact;
  if (typeof r.prefix === 'string') return value.startsWith(r.prefix);
  if (typeof r.regex === 'string') {
    try {
      return new RegExp(`^(?:${r.regex})$`).test(value);
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * [MS5] The route for an HTTP request to a Service: the first VirtualService (oldest first) bound
 * to the mesh whose hosts name the Service; its first http rule whose match (uri, port) fits;
 * without one, the default route to the Service itself with the default retry policy.
 */
export function routeFor(
  data: MeshData,
  svc: Service & KubeObject,
  req: { path: string; port: number },
): MeshRoute | { error: string } {
  const target = serviceFqdn(svc);
  const vss = [...data.virtualServices]
    .filter((vs) => {
      const spec = rec(vs.spec);
      const gws = arr(spec.gateways);
      if (gws.length && !gws.includes('mesh')) return false;
      return arr(spec.hosts).some(
        (h) => typeof h === 'string' && fqdn(h, vs.metadata.namespace ?? 'default') === target,
      );
    })
    .sort(
      (a, b) =>
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
        refOf(a).localeCompare(refOf(b)),
    );
  const vs = vss[0];
  if (vs) {
    const ns = vs.metadata.namespace ?? 'default';
    const http = arr(rec(vs.spec).http);
    for (let i = 0; i < http.length; i++) {
      const h = rec(http[i]);
      const matches = arr(h.match);
      const hit =
        matches.length === 0 ||
        matches.some((m) => {
          const mm = rec(m);
          if (typeof mm.port === 'number' && mm.port !== req.port) return false;
          return mm.uri === undefined || stringMatch(mm.uri, req.path);
        });
      if (!hit) continue;
      const routes = arr(h.route);
      const destinations: WeightedDestination[] = [];
      for (const r of routes) {
        const d = rec(rec(r).destination);
        const host = str(d.host) ?? '';
        const s = serviceByHost(data, host, ns);
        if (!s) return { error: `no Service for destination host ${host} of VirtualService ${refOf(vs)}` };
        const w = rec(r).weight;
        destinations.push({
          service: s,
          subset: str(d.subset) ?? null,
          port: typeof rec(d.port).number === 'number' ? (rec(d.port).number as number) : null,
          weight: typeof w === 'number' ? w : routes.length === 1 ? 100 : 0,
        });
      }
      const retries = h.retries === undefined ? DEFAULT_RETRY : retryPolicy(rec(h.retries));
      const f = h.fault === undefined ? null : rec(h.fault);
      return {
        virtualService: refOf(vs),
        rule: i,
        destinations,
        retries,
        timeoutMs: parseDuration(h.timeout),
        fault: f
          ? {
              delayMs: parseDuration(rec(f.delay).fixedDelay) ?? 0,
              delayPercent: percent(rec(f.delay).percentage, f.delay !== undefined),
              abortStatus:
                typeof rec(f.abort).httpStatus === 'number' ? (rec(f.abort).httpStatus as number) : null,
              abortPercent: percent(rec(f.abort).percentage, f.abort !== undefined),
            }
          : null,
      };
    }
    // No rule matches: Envoy answers 404 (route not found, response flag NR).
    return { error: `404 NR: no route of VirtualService ${refOf(vs)} matches ${req.path}` };
  }
  return {
    virtualService: null,
    rule: null,
    destinations: [{ service: svc, subset: null, port: null, weight: 100 }],
    retries: DEFAULT_RETRY,
    timeoutMs: null,
    fault: null,
  };
}

/** A fault's percentage; when it is not set the fault applies to every request. */
function percent(p: unknown, present: boolean): number {
  if (!present) return 0;
  const v = rec(p).value;
  return typeof v === 'number' ? v : 100;
}

function retryPolicy(r: Record<string, unknown>): RetryPolicy {
  const on = typeof r.retryOn === 'string' ? r.retryOn.split(',') : DEFAULT_RETRY.retryOn;
  return {
    attempts: typeof r.attempts === 'number' ? r.attempts : 0,
    perTryTimeoutMs: parseDuration(r.perTryTimeout),
    retryOn: on,
  };
}

export interface MeshEndpoint {
  readonly pod: PodInfo;
  readonly ip: string;
  readonly port: number;
}

/**
 * [MS6] The endpoints of a destination: the Service's ready endpoints (EndpointSlices), narrowed
 * to the subset's labels from the DestinationRule for the host. A subset no DestinationRule
 * defines has no cluster in Envoy: `error`.
 */
export function endpointsFor(
  data: MeshData,
  d: WeightedDestination,
  servicePort: number,
): { endpoints: readonly MeshEndpoint[]; targetPort: number } | { error: string } {
  const svc = d.service;
  const ns = svc.metadata.namespace ?? 'default';
  const sp = (svc.spec?.ports ?? []).find((p) => p.port === (d.port ?? servicePort)) ?? svc.spec?.ports?.[0];
  let subsetLabels: Record<string, string> | null = null;
  if (d.subset) {
    const dr = data.destinationRules.find(
      (x) =>
        fqdn(str(rec(x.spec).host) ?? '', x.metadata.namespace ?? 'default') === serviceFqdn(svc) &&
        arr(rec(x.spec).subsets).some((s) => rec(s).name === d.subset),
    );
    const subset = dr
      ? arr(rec(dr.spec).subsets)
          .map(rec)
          .find((s) => s.name === d.subset)
      : undefined;
    if (!subset)
      return {
        error: `no DestinationRule for ${serviceFqdn(svc)} defines subset "${d.subset}": Envoy has no cluster for it (503, response flag NC)`,
      };
    subsetLabels = labelsOf(subset.labels);
  }
  const endpoints: MeshEndpoint[] = [];
  let targetPort = typeof sp?.targetPort === 'number' ? sp.targetPort : (sp?.port ?? servicePort);
  for (const slice of data.endpointSlices) {
    if (
      slice.metadata.namespace !== ns ||
      slice.metadata.labels?.['kubernetes.io/service-name'] !== svc.metadata.name
    )
      continue;
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === (sp?.name ?? ''))?.port;
    if (typeof port === 'number') targetPort = port;
    for (const e of slice.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      const ip = e.addresses[0];
      const pod = data.pods.find((p) => p.endpoint.ip === ip);
      if (!pod || !ip) continue;
      if (subsetLabels && !matchesMap(subsetLabels, pod.endpoint.labels)) continue;
      endpoints.push({ pod, ip, port: targetPort });
    }
  }
  endpoints.sort((a, b) => a.pod.ref.localeCompare(b.pod.ref));
  return { endpoints, targetPort };
}

/** [MS5] Picks a destination by relative weight (Envoy weighted clusters); r is in [0, 1). */
export function pickWeighted(ds: readonly WeightedDestination[], r: number): WeightedDestination | undefined {
  const total = ds.reduce((n, d) => n + Math.max(0, d.weight), 0);
  if (total <= 0) return undefined;
  let x = r * total;
  for (const d of ds) {
    x -= Math.max(0, d.weight);
    if (x < 0) return d;
  }
  return ds.at(-1);
}
