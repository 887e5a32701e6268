// The engine: the simulated cluster (control plane: ./cluster) and its data plane (./dataPlane.ts:
// the nodes' kernel state, kube-proxy's recent lists and IPVS schedulers, conntrack tables,
// CoreDNS's cache), behind the operations the headless protocol, the store and the lessons all use.
// The data plane is part of the on-demand half (./parts.ts), made with the first packet.
import type { Namespace, Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { ClusterEvent } from './cluster/events';
import { Cluster, type ApplyResult } from './cluster/cluster';
import type { KubeObject } from './cluster/objects';
import { kindInfo } from './api/kinds';
import type { ClusterSettings, CniName, ProxyMode } from './cluster/settings';
import { DatapathView } from './trace/view';
import type { ConnectRequest, ConnectResult } from './trace/types';
import type { DataPlane } from './dataPlane';
import type { Manifest } from './cluster/manifest';
import { parts } from './lazy';
import type { DnsResult, DnsType } from './dns/types';
import { emptyConntrack, type ConntrackTable } from './conntrack/conntrack';
import type { MeshCostReport, MeshData, RequestBatch, ServiceMetrics } from './mesh';

/** `engine.requests`: HTTP requests from a pod to a Service, through the mesh when the pod has a sidecar. */
export interface RequestsInput {
  readonly from: string;
  /** A Service name as the pod would resolve it (`web`, `web.shop`), or its ClusterIP. */
  readonly to: string;
  readonly port?: number;
  readonly path?: string;
  readonly count: number;
}

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
  /** The settings viewCache was built with (the CNI and kube-proxy mode shape it). */
  private viewSettings: ClusterSettings | null = null;
  private snap: ClusterSnapshot | null = null;
  /** The data plane, made with the first packet (see dataPlane.ts). */
  private plane: DataPlane | null = null;

  constructor(options: EngineOptions = {}) {
    this.cluster = new Cluster(options);
  }

  get settings(): ClusterSettings {
    return this.cluster.settings;
  }

  /** `kubectl apply -f`: YAML text (read once loadEngineParts() has resolved), or a manifest already read. */
  apply(manifest: string | Manifest): ApplyResult {
    return this.cluster.apply(manifest);
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

  /** The datapath's view of the cluster: the same object while neither objects nor settings change. */
  view(): DatapathView {
    const rev = this.cluster.store.revision;
    if (!this.viewCache || this.viewCache.revision !== rev || this.viewSettings !== this.settings) {
      this.viewCache = new DatapathView(this.cluster, rev);
      this.viewSettings = this.settings;
    }
    return this.viewCache;
  }

  private dataPlane(): DataPlane {
    return (this.plane ??= new (parts().DataPlane)(this));
  }

  /** Traces one connection hop by hop (see trace/connect.ts); needs loadEngineParts(). */
  connect(req: ConnectRequest): ConnectResult {
    return this.dataPlane().connect(req);
  }

  /** A DNS query from a pod, answered by CoreDNS (or its cache); needs loadEngineParts(). */
  dns(from: string, name: string, type: DnsType = 'A'): DnsResult | { error: string } {
    return this.dataPlane().dns(from, name, type);
  }

  /** The kubelet's /etc/resolv.conf for a pod; needs loadEngineParts(). */
  resolvConf(pod: string): { text: string } | { error: string } {
    return this.dataPlane().resolvConf(pod);
  }

  /** A node's conntrack table: empty until the first packet, as on a fresh node. */
  conntrackTable(node: string): ConntrackTable {
    return this.plane ? this.plane.conntrackTable(node) : emptyConntrack(this.settings.conntrackMax);
  }

  /** An HTTP request, through the Ingress controller when `to` is `ingress`; needs loadEngineParts(). */
  http(req: HttpRequest): HttpResult {
    return this.dataPlane().http(req);
  }

  /** [MS5] `count` HTTP requests from a pod to a Service (see dataPlane.ts); needs loadEngineParts(). */
  requests(input: RequestsInput): RequestBatch | { error: string } {
    return this.dataPlane().requests(input);
  }

  /** [MS8] Per destination Service: requests, successes, success rate, p50 and p99 latency (ms). */
  meshMetrics(): ServiceMetrics[] {
    return this.plane ? this.plane.meshMetrics() : [];
  }

  /** [MS9] What the cluster's sidecars cost, from Istio's published figures; needs loadEngineParts(). */
  meshCost(rps = 1000): MeshCostReport {
    return this.dataPlane().meshCost(rps);
  }

  /** The mesh configuration and workloads, as istiod sees them; needs loadEngineParts(). */
  meshData(): MeshData {
    return this.dataPlane().meshData();
  }

  /**
   * Runs `fn` (connections, lookups) and then puts the nodes' kernel state back (see
   * DataPlane.probe): lesson checks probe the learner's cluster without changing what comes next.
   */
  probe<T>(fn: (engine: Engine) => T): T {
    return this.dataPlane().probe(() => fn(this));
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
  }

  /** Switches kube-proxy between iptables and IPVS mode. */
  setProxyMode(proxyMode: ProxyMode): void {
    this.cluster.setSettings({ proxyMode });
    this.plane?.resetProxy();
  }
}

export function createEngine(options: EngineOptions = {}): Engine {
  return new Engine(options);
}
