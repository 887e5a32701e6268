// A batch of HTTP requests from one pod to a Service, as the client's sidecar (or, without one,
// kube-proxy) handles them: route rule, weighted split, subset endpoints, fault injection, retries
// and timeouts, and the latency each adds. The engine's seeded random source drives every choice.
import type { Service } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../cluster/objects';
import type { PodInfo } from '../trace/view';
import { podListeners } from '../trace/listening';
import {
  endpointsFor,
  meshOf,
  mtlsMode,
  pickWeighted,
  routeFor,
  type MeshData,
  type MeshEndpoint,
  type RetryPolicy,
} from './config';
import { sidecarPairLatencyMs } from './cost';

export interface RequestAttempt {
  /** The pod that got this try (`ns/name`), or null when none was reached. */
  readonly backend: string | null;
  readonly status: number;
  readonly latencyMs: number;
  /** Why the try failed (Envoy's words where it has them), or null. */
  readonly reason: string | null;
}

export interface MeshRequestResult {
  readonly index: number;
  readonly status: number;
  readonly backend: string | null;
  readonly subset: string | null;
  readonly service: string;
  readonly attempts: readonly RequestAttempt[];
  readonly latencyMs: number;
  /** Envoy's response flag for a failure (UF upstream connect failure, FI fault abort, UT timeout, NC no cluster, UH no healthy upstream), else ''. */
  readonly flag: string;
}

export interface RequestBatch {
  readonly from: string;
  readonly service: string;
  /** Whether the client's sidecar handled the requests (VirtualService rules apply only then). */
  readonly meshed: boolean;
  readonly virtualService: string | null;
  readonly count: number;
  readonly requests: readonly MeshRequestResult[];
  readonly byBackend: Readonly<Record<string, number>>;
  readonly bySubset: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly successRate: number;
  readonly retries: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface Random {
  next(): number;
}

/** The quantile of sorted values (nearest rank), as Prometheus-style summaries report it. */
export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? 0;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** The application's own service time: a log-normal around 1 ms (the lab's model of a small web server). */
function appMs(rng: Random): number {
  const u1 = Math.max(1e-12, rng.next());
  const u2 = rng.next();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.exp(0.4 * z);
}

function retriable(
  on: readonly string[],
  kind: 'connect-failure' | 'reset' | 'timeout',
  status: number,
): boolean {
  if (on.includes('5xx')) return true;
  if (kind === 'connect-failure') return on.includes('connect-failure') || on.includes('gateway-error');
  if (kind === 'timeout') return on.includes('gateway-error') || on.includes('reset');
  if (on.includes(String(status))) return true;
  return on.includes('gateway-error') && status >= 502 && status <= 504;
}

export interface BatchInput {
  readonly from: PodInfo;
  readonly service: Service & KubeObject;
  readonly port: number;
  readonly path: string;
  readonly count: number;
}

/**
 * [MS5][MS7] Sends `count` requests. A meshed client follows the VirtualService (weighted split,
 * subsets, fault injection, retries, timeouts); a client without a sidecar goes through kube-proxy,
 * which picks any ready endpoint at random and never retries.
 */
export function sendRequests(
  data: MeshData,
  rng: Random,
  input: BatchInput,
): RequestBatch | { error: string } {
  const { from, service, port, path } = input;
  const count = Math.max(0, Math.min(100000, Math.floor(input.count)));
  const meshed = meshOf(from) !== null;
  const serviceRef = `${service.metadata.namespace ?? 'default'}/${service.metadata.name ?? ''}`;
  const route = meshed
    ? routeFor(data, service, { path, port })
    : {
        virtualService: null,
        rule: null,
        destinations: [{ service, subset: null, port: null, weight: 100 }],
        retries: { attempts: 0, perTryTimeoutMs: null, retryOn: [] } as RetryPolicy,
        timeoutMs: null,
        fault: null,
      };
  if ('error' in route) return { error: route.error };
  // VirtualService: "timeouts or retries will not be enabled when faults are enabled on the client side".
  const retries = route.fault ? { attempts: 0, perTryTimeoutMs: null, retryOn: [] } : route.retries;
  const timeoutMs = route.fault ? null : route.timeoutMs;
  const requests: MeshRequestResult[] = [];
  for (let i = 0; i < count; i++) {
    const dest = pickWeighted(route.destinations, rng.next());
    const subset = dest?.subset ?? null;
    const base = { index: i, subset, service: serviceRef };
    if (!dest) {
      requests.push({ ...base, status: 503, backend: null, attempts: [], latencyMs: 0, flag: 'UH' });
      continue;
    }
    const eps = endpointsFor(data, dest, port);
    if ('error' in eps) {
      requests.push({ ...base, status: 503, backend: null, attempts: [], latencyMs: 0.1, flag: 'NC' });
      continue;
    }
    let elapsed = 0;
    if (route.fault && route.fault.delayPercent > 0 && rng.next() * 100 < route.fault.delayPercent)
      elapsed += route.fault.delayMs;
    if (route.fault?.abortStatus && rng.next() * 100 < route.fault.abortPercent) {
      requests.push({
        ...base,
        status: route.fault.abortStatus,
        backend: null,
        attempts: [
          {
            backend: null,
            status: route.fault.abortStatus,
            latencyMs: round(elapsed),
            reason: 'fault filter abort',
          },
        ],
        latencyMs: round(elapsed),
        flag: 'FI',
      });
      continue;
    }
    if (!eps.endpoints.length) {
      requests.push({
        ...base,
        status: 503,
        backend: null,
        attempts: [],
        latencyMs: round(elapsed + 0.1),
        flag: 'UH',
      });
      continue;
    }
    const attempts: RequestAttempt[] = [];
    const tried = new Set<string>();
    let status = 0;
    let backend: string | null = null;
    let flag = '';
    for (let a = 0; a <= retries.attempts; a++) {
      // Envoy's previous_hosts retry predicate prefers endpoints not tried yet.
      const fresh = eps.endpoints.filter((e) => !tried.has(e.pod.ref));
      const pool = fresh.length ? fresh : eps.endpoints;
      const ep = pool[Math.floor(rng.next() * pool.length)] as MeshEndpoint;
      tried.add(ep.pod.ref);
      const r = tryEndpoint(data, rng, from, ep, meshed);
      let ms = r.ms;
      let kind: 'connect-failure' | 'reset' | 'timeout' | null = r.kind;
      let st = r.status;
      let reason = r.reason;
      if (retries.perTryTimeoutMs !== null && ms > retries.perTryTimeoutMs && st < 500) {
        ms = retries.perTryTimeoutMs;
        kind = 'timeout';
        st = 504;
        reason = 'upstream request timeout (per-try timeout)';
      }
      if (timeoutMs !== null && elapsed + ms > timeoutMs) {
        attempts.push({
          backend: ep.pod.ref,
          status: 504,
          latencyMs: round(timeoutMs - elapsed),
          reason: 'upstream request timeout',
        });
        elapsed = timeoutMs;
        status = 504;
        backend = ep.pod.ref;
        flag = 'UT';
        break;
      }
      elapsed += ms;
      attempts.push({ backend: ep.pod.ref, status: st, latencyMs: round(ms), reason });
      status = st;
      backend = st === 0 ? null : ep.pod.ref;
      flag = kind === 'connect-failure' ? 'UF' : kind === 'timeout' ? 'UT' : kind === 'reset' ? 'UR' : '';
      const again = st >= 500 || kind !== null ? retriable(retries.retryOn, kind ?? 'reset', st) : false;
      if (!again) break;
    }
    requests.push({ ...base, status, backend, attempts, latencyMs: round(elapsed), flag });
  }
  return summarize(from.ref, serviceRef, meshed, route.virtualService, requests);
}

/** One try against one endpoint: the server sidecar's mTLS check, then the application. */
function tryEndpoint(
  data: MeshData,
  rng: Random,
  from: PodInfo,
  ep: MeshEndpoint,
  meshed: boolean,
): { status: number; ms: number; kind: 'connect-failure' | 'reset' | null; reason: string | null } {
  const sameNode = from.endpoint.nodeName === ep.pod.endpoint.nodeName;
  const net = sameNode ? 0.05 : 0.15;
  const serverMeshed = meshOf(ep.pod) !== null;
  const sidecars = (meshed ? 1 : 0) + (serverMeshed ? 1 : 0);
  const proxyMs = (sidecarPairLatencyMs(rng.next()) * sidecars) / 2;
  if (serverMeshed && meshOf(ep.pod) === 'istio') {
    const m = mtlsMode(data, ep.pod, ep.port);
    if (m.mode === 'STRICT' && meshOf(from) !== 'istio')
      return {
        status: meshed ? 503 : 0,
        ms: 2 * net + proxyMs,
        kind: 'reset',
        reason: `${ep.pod.ref}'s sidecar requires mTLS (${m.policy ?? 'STRICT'}) and reset the plaintext connection`,
      };
  }
  const listening = podListeners(ep.pod.pod).some((l) => l.port === ep.port && l.protocol === 'TCP');
  if (!listening)
    return {
      status: meshed ? 503 : 0,
      ms: 2 * net + proxyMs,
      kind: 'connect-failure',
      reason: `upstream connect error or disconnect/reset before headers. reset reason: connection failure (nothing listens on ${ep.port} in ${ep.pod.ref})`,
    };
  return { status: 200, ms: 2 * net + proxyMs + appMs(rng), kind: null, reason: null };
}

function summarize(
  from: string,
  service: string,
  meshed: boolean,
  virtualService: string | null,
  requests: readonly MeshRequestResult[],
): RequestBatch {
  const byBackend: Record<string, number> = {};
  const bySubset: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  let ok = 0;
  let retries = 0;
  for (const r of requests) {
    if (r.backend) byBackend[r.backend] = (byBackend[r.backend] ?? 0) + 1;
    const s = r.subset ?? '(all)';
    bySubset[s] = (bySubset[s] ?? 0) + 1;
    byStatus[String(r.status)] = (byStatus[String(r.status)] ?? 0) + 1;
    if (r.status >= 200 && r.status < 400) ok++;
    retries += Math.max(0, r.attempts.length - 1);
  }
  const lat = requests.map((r) => r.latencyMs).sort((a, b) => a - b);
  return {
    from,
    service,
    meshed,
    virtualService,
    count: requests.length,
    requests,
    byBackend,
    bySubset,
    byStatus,
    successRate: requests.length ? ok / requests.length : 0,
    retries,
    p50Ms: quantile(lat, 0.5),
    p99Ms: quantile(lat, 0.99),
  };
}
