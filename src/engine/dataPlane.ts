// The data plane: what the nodes' kernels and proxies do with packets (kube-proxy's rules and
// recent lists, conntrack tables, CoreDNS and its cache, the ingress controller, the mesh's
// sidecars) and the state they keep. Part of the engine's on-demand half (./parts.ts): an Engine
// makes its data plane with the first packet, so a cluster nobody has sent traffic through has
// empty tables, as a fresh node has.
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { KubeObject } from './cluster/objects';
import { INGRESS_NAMESPACE, INGRESS_SERVICE } from './cluster/bootstrap';
import type { Engine, HttpRequest, HttpResult, RequestsInput } from './engine';
import type { PodInfo } from './trace/view';
import { traceConnect, type DatapathKernel } from './trace/connect';
import type { ConnectRequest, ConnectResult, PacketHeaders } from './trace/types';
import { proxyPacket } from './proxy';
import { emptyProxyState, type ProxyState } from './proxy/types';
import { DnsCache, lookup, resolvConf as writeResolvConf } from './dns';
import type { DnsResult, DnsType } from './dns/types';
import {
  emptyConntrack,
  formatConntrack,
  lookup as lookupConntrack,
  track,
  update as updateConntrack,
  withMax,
  type ConntrackTable,
  type ConntrackTuple,
} from './conntrack';
import { routeHttp, resolveServicePort } from './ingress';
import type { IPv4 } from './net/ip';
import { isIPv4 } from './net/ip';
import type { Protocol } from './types';
import { createRng, type Rng } from './rng';
import type { MtlsDecision } from './mesh/config';
import {
  endpointsFor,
  meshCost as meshCostFor,
  mtlsMode,
  pickWeighted,
  quantile,
  routeFor,
  sendRequests,
  sidecarOf,
  type MeshCostReport,
  type MeshData,
  type MeshName,
  type OutboundPick,
  type RequestBatch,
  type ServiceMetrics,
} from './mesh';
import type { PodInfo as MeshPodInfo } from './trace/view';

export class DataPlane {
  private proxyState: ProxyState = emptyProxyState;
  private conntrack: Record<string, ConntrackTable> = {};
  private dnsCache = new DnsCache();
  /** The random source used while probing (see probe), so probes never shift the lab's own choices. */
  private probeRng: Rng | null = null;
  /** The conntrack entry the connection being traced created, to mark it answered once delivered. */
  private lastTracked: { node: string; protocol: Protocol; tuple: ConntrackTuple } | null = null;
  /** Per-Service request metrics the sidecars report, accumulated over `requests` batches. */
  private metrics: ReadonlyMap<
    string,
    { requests: number; successes: number; latencies: readonly number[] }
  > = new Map();

  constructor(private readonly engine: Engine) {}

  /** kube-proxy in a new mode starts from empty recent lists and schedulers. */
  resetProxy(): void {
    this.proxyState = emptyProxyState;
  }

  connect(req: ConnectRequest): ConnectResult {
    this.lastTracked = null;
    const r = traceConnect(this.engine.view(), this.kernel(), req);
    // A delivered connection is answered: TCP completes its handshake (ESTABLISHED) and the entry
    // becomes ASSURED, which early_drop never evicts, so established flows fill nf_conntrack_max
    // until the kernel drops new ones (https://docs.kernel.org/networking/nf_conntrack-sysctl.html).
    const t = this.lastTracked as { node: string; protocol: Protocol; tuple: ConntrackTuple } | null;
    if (r.delivered && t) {
      const change =
        t.protocol === 'TCP' ? { state: 'ESTABLISHED' as const, replied: true } : { replied: true };
      this.conntrack = {
        ...this.conntrack,
        [t.node]: updateConntrack(
          this.conntrackTable(t.node),
          t.protocol,
          t.tuple,
          change,
          this.engine.now(),
        ),
      };
    }
    return r;
  }

  dns(from: string, name: string, type: DnsType = 'A'): DnsResult | { error: string } {
    const pod = this.engine.view().podByRef.get(from);
    if (!pod) return { error: `pod "${from}" is not running` };
    return lookup(this.engine.view().dns, pod.pod, name, type, this.dnsCache, this.engine.now());
  }

  resolvConf(pod: string): { text: string } | { error: string } {
    const p = this.engine.view().podByRef.get(pod) ?? this.podObject(pod);
    if (!p) return { error: `pod "${pod}" not found` };
    return { text: writeResolvConf(this.engine.view().dns, 'pod' in p ? p.pod : p) };
  }

  conntrackTable(node: string): ConntrackTable {
    // nf_conntrack_max is a sysctl: a new limit applies to the table as it stands ([CT8]).
    const max = this.engine.settings.conntrackMax;
    const table = this.conntrack[node];
    return table ? withMax(table, max) : emptyConntrack(max);
  }

  /** An HTTP request, through the Ingress controller when `to` is `ingress`. */
  http(req: HttpRequest): HttpResult {
    const view = this.engine.view();
    if (req.to === 'ingress') {
      const lb = view.services.find(
        (s) => s.metadata.namespace === INGRESS_NAMESPACE && s.metadata.name === INGRESS_SERVICE,
      );
      const lbIP = lb?.status?.loadBalancer?.ingress?.[0]?.ip;
      const toController = this.connect({ from: req.from, to: lbIP ?? '', port: 80 });
      if (!toController.delivered)
        return {
          status: 0,
          service: null,
          backend: null,
          body: toController.reason ?? '',
          connect: toController,
        };
      const route = routeHttp(view.ingresses, req.host, req.path ?? '/');
      if (!route)
        return { status: 404, service: null, backend: null, body: '404 Not Found', connect: toController };
      const b = route.backend;
      const port = resolveServicePort(view.services, b);
      const svc = view.services.find(
        (s) => s.metadata.namespace === b.namespace && s.metadata.name === b.service,
      );
      const service = `${b.namespace}/${b.service}:${port ?? b.port}`;
      const controller = toController.backend ?? `${INGRESS_NAMESPACE}/${INGRESS_SERVICE}`;
      if (!svc || port === null || !svc.spec?.clusterIP || svc.spec.clusterIP === 'None')
        return {
          status: 503,
          service,
          backend: null,
          body: '503 Service Temporarily Unavailable',
          connect: toController,
        };
      // ingress-nginx proxies straight to the endpoints of the Service, not through its ClusterIP.
      const upstream = this.connect({ from: controller, to: svc.spec.clusterIP, port });
      if (!upstream.delivered)
        return {
          status: upstream.failure === 'timeout' ? 504 : 503,
          service,
          backend: null,
          body:
            upstream.failure === 'timeout' ? '504 Gateway Time-out' : '503 Service Temporarily Unavailable',
          connect: upstream,
        };
      return { status: 200, service, backend: upstream.backend, body: '', connect: upstream };
    }
    const c = this.connect({
      from: req.from,
      to: req.to,
      port: req.port ?? 80,
      http: { host: req.host ?? req.to, path: req.path ?? '/' },
    });
    return {
      status: c.delivered ? 200 : 0,
      service: c.service,
      backend: c.backend,
      body: c.reason ?? '',
      connect: c,
    };
  }

  /**
   * [MS5] Sends `count` HTTP requests from a pod to a Service: through the client's sidecar
   * (VirtualService split, subsets, retries, timeouts, faults) or, without one, through kube-proxy.
   * Each request's backend, subset, status, attempts and latency come from the seeded random source;
   * the destination Service's metrics accumulate (see meshMetrics) except inside `probe`.
   */
  requests(input: RequestsInput): RequestBatch | { error: string } {
    const view = this.engine.view();
    const from = view.podByRef.get(input.from);
    if (!from) return { error: `pod "${input.from}" is not running` };
    const port = input.port ?? 80;
    let ip: string | null = isIPv4(input.to) ? input.to : null;
    if (!ip) {
      const r = lookup(view.dns, from.pod, input.to, 'A', this.dnsCache, this.engine.now());
      ip = (r.answers.find((a) => a.type === 'A')?.data as string | undefined) ?? null;
      if (!ip) return { error: `Could not resolve host: ${input.to}` };
    }
    const svc = view.services.find((s) => s.spec?.clusterIP === ip);
    if (!svc) return { error: `${input.to} (${ip}) is not a Service's ClusterIP` };
    const rng = this.probeRng ?? this.engine.cluster.rng;
    const batch = sendRequests(this.meshData(), rng, {
      from,
      service: svc,
      port,
      path: input.path ?? '/',
      count: input.count,
    });
    if ('error' in batch || this.probeRng) return batch;
    const prev = this.metrics.get(batch.service) ?? { requests: 0, successes: 0, latencies: [] };
    const ok = batch.requests.filter((r) => r.status >= 200 && r.status < 400).length;
    const next = new Map(this.metrics);
    next.set(batch.service, {
      requests: prev.requests + batch.count,
      successes: prev.successes + ok,
      latencies: [...prev.latencies, ...batch.requests.map((r) => r.latencyMs)],
    });
    this.metrics = next;
    return batch;
  }

  /** [MS8] Per destination Service: requests, successes, success rate, p50 and p99 latency (ms). */
  meshMetrics(): ServiceMetrics[] {
    return [...this.metrics.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([service, m]) => {
        const lat = [...m.latencies].sort((a, b) => a - b);
        return {
          service,
          requests: m.requests,
          successes: m.successes,
          successRate: m.requests ? m.successes / m.requests : 0,
          p50Ms: quantile(lat, 0.5),
          p99Ms: quantile(lat, 0.99),
        };
      });
  }

  /** [MS9] What the cluster's sidecars cost, from Istio's published figures, at `rps` per sidecar. */
  meshCost(rps = 1000): MeshCostReport {
    const pods = this.engine.view().pods.filter((p) => !p.pod.spec?.hostNetwork);
    return meshCostFor(pods.filter((p) => sidecarOf(p.pod) === 'istio').length, pods.length, rps);
  }

  /** The mesh configuration and workloads, as istiod sees them. */
  meshData(): MeshData {
    const view = this.engine.view();
    const l = (kind: string) => this.engine.cluster.store.list(kind);
    return {
      pods: view.pods,
      services: view.services,
      endpointSlices: view.endpointSlices,
      peerAuthentications: l('PeerAuthentication'),
      virtualServices: l('VirtualService'),
      destinationRules: l('DestinationRule'),
    };
  }

  /**
   * Runs `fn` (connections, lookups) and then puts the nodes' kernel state back: kube-proxy's
   * recent lists and schedulers, conntrack tables, CoreDNS's cache, and the random sequence. Lesson
   * checks probe the learner's cluster this way without changing what the learner sees next, and a
   * shared lab still replays exactly.
   */
  probe<T>(fn: () => T): T {
    const saved = {
      proxyState: this.proxyState,
      conntrack: this.conntrack,
      lastTracked: this.lastTracked,
      dnsCache: this.dnsCache,
      probeRng: this.probeRng,
    };
    this.dnsCache = new DnsCache(saved.dnsCache.options, saved.dnsCache.entries());
    this.probeRng = createRng(0x5eed);
    try {
      return fn();
    } finally {
      this.proxyState = saved.proxyState;
      this.conntrack = saved.conntrack;
      this.lastTracked = saved.lastTracked;
      this.dnsCache = saved.dnsCache;
      this.probeRng = saved.probeRng;
    }
  }

  /** [MS2] The client sidecar's choice for a connection to a Service address: route, subset, endpoint. */
  private meshOutbound(
    rng: Rng,
    src: MeshPodInfo,
    mesh: MeshName,
    dstIP: IPv4,
    port: number,
    path: string,
  ): OutboundPick | null {
    const view = this.engine.view();
    const svc = view.services.find((s) => s.spec?.clusterIP === dstIP) as (Service & KubeObject) | undefined;
    if (!svc) return null;
    const data = this.meshData();
    // Linkerd does not read Istio's VirtualServices: its proxy balances over the Service's endpoints.
    const route = routeFor(mesh === 'istio' ? data : { ...data, virtualServices: [] }, svc, {
      path,
      port,
    });
    if ('error' in route) return null;
    const d = pickWeighted(route.destinations, rng.next());
    if (!d) return null;
    const eps = endpointsFor(data, d, port);
    if ('error' in eps || !eps.endpoints.length) return null;
    const ep = rng.pick(eps.endpoints);
    const serverMesh = sidecarOf(ep.pod.pod);
    const mtls =
      serverMesh === mesh && (mesh !== 'istio' || mtlsMode(data, ep.pod, ep.port).mode !== 'DISABLE');
    const total = route.destinations.reduce((n, x) => n + Math.max(0, x.weight), 0);
    const how = route.virtualService
      ? `VirtualService ${route.virtualService} http[${route.rule ?? 0}]${d.subset ? `, subset ${d.subset}` : ''}${route.destinations.length > 1 ? `, weight ${d.weight} of ${total}` : ''}`
      : 'no VirtualService: the default route over all ready endpoints';
    return {
      ip: ep.ip,
      port: ep.port,
      pod: ep.pod.ref,
      service: `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name ?? ''}:${port}`,
      route: how,
      mtls,
    };
  }

  private podObject(ref: string): Pod | undefined {
    const [ns, name] = ref.split('/');
    return name ? (this.engine.cluster.store.get('Pod', ns, name) as Pod | undefined) : undefined;
  }

  private kernel(): DatapathKernel {
    const rng = this.probeRng ?? this.engine.cluster.rng;
    const view = this.engine.view();
    return {
      proxy: (node, srcIP, dstIP, dstPort, protocol: Protocol) => {
        const r = proxyPacket(
          view.proxy,
          this.proxyState,
          { node, srcIP, dstIP, dstPort, protocol },
          rng.next,
          this.engine.now(),
        );
        this.proxyState = r.state;
        return r.outcome;
      },
      track: (node, e: { orig: PacketHeaders; reply: PacketHeaders }) => {
        const tuple = (h: PacketHeaders) => ({
          src: h.src as IPv4,
          dst: h.dst as IPv4,
          sport: h.sport,
          dport: h.dport,
        });
        const original = tuple(e.orig);
        const r = track(
          this.conntrackTable(node),
          { protocol: e.orig.protocol, original, reply: tuple(e.reply) },
          this.engine.now(),
        );
        this.conntrack = { ...this.conntrack, [node]: r.table };
        this.lastTracked = r.result === 'full' ? null : { node, protocol: e.orig.protocol, tuple: original };
        const entry = lookupConntrack(r.table, e.orig.protocol, original, this.engine.now());
        return { ok: r.result !== 'full', line: entry ? formatConntrack(entry, this.engine.now()) : '' };
      },
      resolve: (from: PodInfo | null, name: string) => {
        if (!from) return { ip: isIPv4(name) ? name : null, queried: [name], rcode: 'NXDOMAIN' };
        const r = lookup(view.dns, from.pod, name, 'A', this.dnsCache, this.engine.now());
        const a = r.answers.find((x) => x.type === 'A');
        return {
          ip: (a?.data as IPv4 | undefined) ?? null,
          queried: r.queried,
          rcode: r.rcode,
          steps: r.steps,
        };
      },
      ephemeralPort: () => rng.int(32768, 60999),
      pick: <T>(items: readonly T[]) => rng.pick(items),
      meshOutbound: (src: MeshPodInfo, mesh: MeshName, dstIP: IPv4, port: number, path: string) =>
        this.meshOutbound(rng, src, mesh, dstIP, port, path),
      meshInbound: (dst: MeshPodInfo, port: number): MtlsDecision => mtlsMode(this.meshData(), dst, port),
    };
  }
}
