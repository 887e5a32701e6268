// The engine: the simulated cluster plus the kernel state of its nodes (kube-proxy's recent lists
// and IPVS schedulers, conntrack tables, CoreDNS's cache), behind the operations the headless
// protocol, the store and the lessons all use.
import type { Namespace, Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { ClusterEvent } from './cluster/events';
import { Cluster, type ApplyResult } from './cluster/cluster';
import type { KubeObject } from './cluster/objects';
import { kindInfo } from './api/kinds';
import type { ClusterSettings, CniName, ProxyMode } from './cluster/settings';
import { EXTERNAL_CLIENT_IP } from './cluster/settings';
import { INGRESS_NAMESPACE, INGRESS_SERVICE } from './cluster/bootstrap';
import { DatapathView, type PodInfo } from './trace/view';
import { traceConnect, type DatapathKernel } from './trace/connect';
import type { ConnectRequest, ConnectResult, PacketHeaders } from './trace/types';
import { proxyPacket } from './proxy';
import { emptyProxyState, type ProxyState } from './proxy/types';
import { DnsCache, lookup, resolvConf as writeResolvConf } from './dns';
import type { DnsResult, DnsType } from './dns/types';
import {
  emptyConntrack,
  formatConntrack,
  track,
  update as updateConntrack,
  type ConntrackTable,
  type ConntrackTuple,
} from './conntrack';
import { routeHttp, resolveServicePort } from './ingress';
import type { IPv4 } from './net/ip';
import { isIPv4 } from './net/ip';
import type { Protocol } from './types';
import { createRng, type Rng } from './rng';

export type EngineOptions = Partial<ClusterSettings>;

export interface ClusterSnapshot {
  readonly revision: number;
  /** Virtual-clock seconds. */
  readonly now: number;
  readonly settings: ClusterSettings;
  readonly nodes: readonly Node[];
  readonly namespaces: readonly Namespace[];
  readonly pods: readonly Pod[];
  readonly deployments: readonly Deployment[];
  readonly replicaSets: readonly ReplicaSet[];
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
  readonly networkPolicies: readonly NetworkPolicy[];
  readonly ingresses: readonly Ingress[];
  readonly events: readonly ClusterEvent[];
}

export interface HttpRequest {
  readonly from: string;
  /** `ingress`, an IP, or a DNS name. */
  readonly to: string;
  readonly port?: number;
  readonly host?: string;
  readonly path?: string;
}

export interface HttpResult {
  readonly status: number;
  /** The Service port that served it (`ns/name:port`), for Ingress routing. */
  readonly service: string | null;
  readonly backend: string | null;
  readonly body: string;
  readonly connect: ConnectResult | null;
}

export class Engine {
  readonly cluster: Cluster;
  private viewCache: DatapathView | null = null;
  private snap: ClusterSnapshot | null = null;
  private proxyState: ProxyState = emptyProxyState;
  private conntrack: Record<string, ConntrackTable> = {};
  private dnsCache = new DnsCache();
  /** The random source used while probing (see probe), so probes never shift the lab's own choices. */
  private probeRng: Rng | null = null;
  /** The conntrack entry the connection being traced created, to mark it answered once delivered. */
  private lastTracked: { node: string; protocol: Protocol; tuple: ConntrackTuple } | null = null;

  constructor(options: EngineOptions = {}) {
    this.cluster = new Cluster(options);
  }

  get settings(): ClusterSettings {
    return this.cluster.settings;
  }

  apply(yaml: string): ApplyResult {
    return this.cluster.apply(yaml);
  }

  delete(kind: string, namespace: string | undefined, name: string): { ok: true } | { error: string } {
    return this.cluster.delete(kind, namespace, name);
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const info = kindInfo(kind);
    return this.cluster.store.get(kind, info?.namespaced ? (namespace ?? 'default') : undefined, name);
  }

  list(kind: string, namespace?: string): readonly KubeObject[] {
    return this.cluster.store.list(kind, namespace);
  }

  advance(seconds: number): void {
    this.cluster.advance(seconds);
  }

  now(): number {
    return this.cluster.clock.now();
  }

  view(): DatapathView {
    const rev = this.cluster.store.revision;
    if (!this.viewCache || this.viewCache.revision !== rev)
      this.viewCache = new DatapathView(this.cluster, rev);
    return this.viewCache;
  }

  connect(req: ConnectRequest): ConnectResult {
    this.lastTracked = null;
    const r = traceConnect(this.view(), this.kernel(), req);
    // A delivered connection is answered: TCP completes its handshake (ESTABLISHED) and the entry
    // becomes ASSURED, which early_drop never evicts, so established flows fill nf_conntrack_max
    // until the kernel drops new ones (https://docs.kernel.org/networking/nf_conntrack-sysctl.html).
    const t = this.lastTracked as { node: string; protocol: Protocol; tuple: ConntrackTuple } | null;
    if (r.delivered && t) {
      const change =
        t.protocol === 'TCP' ? { state: 'ESTABLISHED' as const, replied: true } : { replied: true };
      this.conntrack = {
        ...this.conntrack,
        [t.node]: updateConntrack(this.conntrackTable(t.node), t.protocol, t.tuple, change, this.now()),
      };
    }
    return r;
  }

  dns(from: string, name: string, type: DnsType = 'A'): DnsResult | { error: string } {
    const pod = this.view().podByRef.get(from);
    if (!pod) return { error: `pod "${from}" is not running` };
    return lookup(this.view().dns, pod.pod, name, type, this.dnsCache, this.now());
  }

  resolvConf(pod: string): { text: string } | { error: string } {
    const p = this.view().podByRef.get(pod) ?? this.podObject(pod);
    if (!p) return { error: `pod "${pod}" not found` };
    return { text: writeResolvConf(this.view().dns, 'pod' in p ? p.pod : p) };
  }

  conntrackTable(node: string): ConntrackTable {
    return this.conntrack[node] ?? emptyConntrack(this.settings.conntrackMax);
  }

  /** An HTTP request, through the Ingress controller when `to` is `ingress`. */
  http(req: HttpRequest): HttpResult {
    const view = this.view();
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
    const c = this.connect({ from: req.from, to: req.to, port: req.port ?? 80 });
    return {
      status: c.delivered ? 200 : 0,
      service: c.service,
      backend: c.backend,
      body: c.reason ?? '',
      connect: c,
    };
  }

  /**
   * Runs `fn` (connections, lookups) and then puts the nodes' kernel state back: kube-proxy's
   * recent lists and schedulers, conntrack tables, CoreDNS's cache, and the random sequence. Lesson
   * checks probe the learner's cluster this way without changing what the learner sees next, and a
   * shared lab still replays exactly.
   */
  probe<T>(fn: (engine: Engine) => T): T {
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
      return fn(this);
    } finally {
      this.proxyState = saved.proxyState;
      this.conntrack = saved.conntrack;
      this.lastTracked = saved.lastTracked;
      this.dnsCache = saved.dnsCache;
      this.probeRng = saved.probeRng;
    }
  }

  /** An immutable picture of the cluster for views; the same object while nothing changed. */
  snapshot(): ClusterSnapshot {
    const rev = this.cluster.store.revision;
    const events = this.cluster.events;
    if (
      this.snap &&
      this.snap.revision === rev &&
      this.snap.events === events &&
      this.snap.settings === this.settings
    )
      return this.snap;
    const l = <T>(kind: string) => this.cluster.store.list(kind) as unknown as readonly T[];
    this.snap = {
      revision: rev,
      now: this.now(),
      settings: this.settings,
      nodes: l('Node'),
      namespaces: l('Namespace'),
      pods: l('Pod'),
      deployments: l('Deployment'),
      replicaSets: l('ReplicaSet'),
      services: l('Service'),
      endpointSlices: l('EndpointSlice'),
      networkPolicies: l('NetworkPolicy'),
      ingresses: l('Ingress'),
      events,
    };
    return this.snap;
  }

  /** Switches the CNI: the workloads stay, the datapath changes. */
  setCni(cni: CniName): void {
    this.cluster.setSettings({ cni });
    this.viewCache = null;
  }

  /** Switches kube-proxy between iptables and IPVS mode. */
  setProxyMode(proxyMode: ProxyMode): void {
    this.cluster.setSettings({ proxyMode });
    this.viewCache = null;
    this.proxyState = emptyProxyState;
  }

  private podObject(ref: string): Pod | undefined {
    const [ns, name] = ref.split('/');
    return name ? (this.cluster.store.get('Pod', ns, name) as Pod | undefined) : undefined;
  }

  private kernel(): DatapathKernel {
    const rng = this.probeRng ?? this.cluster.rng;
    const view = this.view();
    return {
      proxy: (node, srcIP, dstIP, dstPort, protocol: Protocol) => {
        const r = proxyPacket(
          view.proxy,
          this.proxyState,
          { node, srcIP, dstIP, dstPort, protocol },
          rng.next,
          this.now(),
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
          this.now(),
        );
        this.conntrack = { ...this.conntrack, [node]: r.table };
        this.lastTracked = r.result === 'full' ? null : { node, protocol: e.orig.protocol, tuple: original };
        const entry = r.table.entries.find(
          (x) =>
            x.original.src === original.src &&
            x.original.sport === original.sport &&
            x.original.dst === original.dst,
        );
        return { ok: r.result !== 'full', line: entry ? formatConntrack(entry, this.now()) : '' };
      },
      resolve: (from: PodInfo | null, name: string) => {
        if (!from) return { ip: isIPv4(name) ? name : null, queried: [name], rcode: 'NXDOMAIN' };
        const r = lookup(view.dns, from.pod, name, 'A', this.dnsCache, this.now());
        const a = r.answers.find((x) => x.type === 'A');
        return { ip: (a?.data as IPv4 | undefined) ?? null, queried: r.queried, rcode: r.rcode };
      },
      ephemeralPort: () => rng.int(32768, 60999),
      pick: <T>(items: readonly T[]) => rng.pick(items),
    };
  }
}

export const EXTERNAL_CLIENT = EXTERNAL_CLIENT_IP;

export function createEngine(options: EngineOptions = {}): Engine {
  return new Engine(options);
}
