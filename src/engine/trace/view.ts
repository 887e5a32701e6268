// The datapath's view of the cluster at one store revision: pods by address, nodes, the compiled
// NetworkPolicies, kube-proxy's rules and the DNS view. Rebuilt lazily when the store changes.
import type { Namespace, Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { NetworkPolicy, Ingress } from 'kubernetes-types/networking/v1';
import type { KubeObject } from '../cluster/objects';
import type { Cluster } from '../cluster/cluster';
import { CLUSTER_DOMAIN } from '../cluster/settings';
import { KUBE_DNS_IP } from '../cluster/bootstrap';
import { nodeInternalIP } from '../controllers/kubelet';
import type { IPv4 } from '../net/ip';
import type { ContainerPortRef, NodeInfo, PodEndpoint, Protocol } from '../types';
import { compilePolicies, type PolicySet } from '../policy/compile';
import { parts } from '../lazy';
import type { ProxyRules } from '../proxy/types';
import type { DnsView, DnsRecord } from '../dns/types';
import { cniPlugin } from '../cni/plugins';
import type { CniPlugin } from '../cni/types';

export interface PodInfo {
  readonly pod: Pod & KubeObject;
  readonly endpoint: PodEndpoint;
  readonly ref: string;
}

/** The small simulated internet the node's upstream resolver knows. */
export const INTERNET: ReadonlyMap<string, readonly DnsRecord[]> = new Map([
  ['example.com.', [{ type: 'A', name: 'example.com.', data: '93.184.215.14', ttl: 300 }]],
  ['www.example.com.', [{ type: 'A', name: 'www.example.com.', data: '93.184.215.14', ttl: 300 }]],
  ['api.example.com.', [{ type: 'A', name: 'api.example.com.', data: '93.184.215.34', ttl: 300 }]],
  ['kubernetes.io.', [{ type: 'A', name: 'kubernetes.io.', data: '15.197.167.90', ttl: 300 }]],
]);
export const INTERNET_HOSTS: ReadonlySet<string> = new Set(
  [...INTERNET.values()].flatMap((rs) => rs.filter((r) => r.type === 'A').map((r) => r.data)),
);

export class DatapathView {
  readonly nodes: readonly NodeInfo[];
  readonly nodeByName: ReadonlyMap<string, NodeInfo>;
  readonly nodeByIP: ReadonlyMap<string, NodeInfo>;
  readonly pods: readonly PodInfo[];
  readonly podByRef: ReadonlyMap<string, PodInfo>;
  readonly podByIP: ReadonlyMap<string, PodInfo>;
  readonly services: readonly (Service & KubeObject)[];
  readonly endpointSlices: readonly (EndpointSlice & KubeObject)[];
  readonly cni: CniPlugin;
  private policyCache?: PolicySet;
  private proxyCache?: ProxyRules;
  private dnsCache?: DnsView;

  constructor(
    private readonly cluster: Cluster,
    readonly revision: number,
  ) {
    const store = cluster.store;
    this.cni = cniPlugin(cluster.settings.cni);
    this.nodes = store
      .list<Node & KubeObject>('Node')
      .filter((n) => n.spec?.podCIDR && nodeInternalIP(n))
      .map((n) => ({
        name: n.metadata.name ?? '',
        internalIP: nodeInternalIP(n) as IPv4,
        podCIDR: n.spec?.podCIDR ?? '',
      }));
    this.nodeByName = new Map(this.nodes.map((n) => [n.name, n]));
    this.nodeByIP = new Map(this.nodes.map((n) => [n.internalIP, n]));
    const pods: PodInfo[] = [];
    for (const p of store.list<Pod & KubeObject>('Pod')) {
      const ip = p.status?.podIP;
      if (!ip || !p.spec?.nodeName) continue;
      const ports: ContainerPortRef[] = (p.spec.containers ?? []).flatMap((c) =>
        (c.ports ?? []).map((cp) => ({
          ...(cp.name ? { name: cp.name } : {}),
          containerPort: cp.containerPort,
          protocol: (cp.protocol ?? 'TCP') as Protocol,
        })),
      );
      const endpoint: PodEndpoint = {
        namespace: p.metadata.namespace ?? 'default',
        name: p.metadata.name ?? '',
        labels: p.metadata.labels ?? {},
        ip: ip as IPv4,
        nodeName: p.spec.nodeName,
        ports,
      };
      pods.push({ pod: p, endpoint, ref: `${endpoint.namespace}/${endpoint.name}` });
    }
    this.pods = pods;
    this.podByRef = new Map(pods.map((p) => [p.ref, p]));
    this.podByIP = new Map(
      pods.filter((p) => !p.pod.spec?.hostNetwork).map((p) => [p.endpoint.ip as string, p]),
    );
    this.services = store.list<Service & KubeObject>('Service');
    this.endpointSlices = store.list<EndpointSlice & KubeObject>('EndpointSlice');
  }

  get policies(): PolicySet {
    this.policyCache ??= compilePolicies(
      this.cluster.store.list<NetworkPolicy & KubeObject>('NetworkPolicy'),
      this.cluster.store.list<Namespace & KubeObject>('Namespace'),
    );
    return this.policyCache;
  }

  get proxy(): ProxyRules {
    this.proxyCache ??= parts().buildProxyRules({
      mode: this.cluster.settings.proxyMode,
      nodes: this.nodes,
      services: this.services,
      endpointSlices: this.endpointSlices,
      clusterCIDR: this.cluster.settings.clusterCIDR,
    });
    return this.proxyCache;
  }

  get dns(): DnsView {
    this.dnsCache ??= {
      clusterDomain: CLUSTER_DOMAIN,
      dnsServiceIP: KUBE_DNS_IP as IPv4,
      services: this.services,
      endpointSlices: this.endpointSlices,
      pods: this.pods.map((p) => p.pod),
      namespaces: this.cluster.store.list('Namespace').map((n) => n.metadata.name ?? ''),
      nodeResolvConf: { nameservers: ['172.18.0.1'], search: [] },
      upstream: INTERNET,
    };
    return this.dnsCache;
  }

  get ingresses(): readonly (Ingress & KubeObject)[] {
    return this.cluster.store.list<Ingress & KubeObject>('Ingress');
  }
}
