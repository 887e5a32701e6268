// What a lab's cluster is made of, beyond its objects: the knobs a kubeadm install sets.
export type CniName = 'flannel' | 'calico' | 'cilium' | 'weave';
export type ProxyMode = 'iptables' | 'ipvs';
export const CNI_NAMES: readonly CniName[] = ['flannel', 'calico', 'cilium', 'weave'];
export const PROXY_MODES: readonly ProxyMode[] = ['iptables', 'ipvs'];

export interface ClusterSettings {
  readonly nodes: readonly string[];
  readonly cni: CniName;
  readonly proxyMode: ProxyMode;
  readonly seed: number;
  /** kube-controller-manager --cluster-cidr (Flannel's and kubeadm's usual 10.244.0.0/16). */
  readonly clusterCIDR: string;
  /** kube-apiserver --service-cluster-ip-range (kubeadm default). */
  readonly serviceCIDR: string;
  /** kube-controller-manager --node-cidr-mask-size: each node's pod range. */
  readonly nodeCidrMaskSize: number;
  /** nf_conntrack_max per node; kube-proxy sets max(131072, 32768 × cores). */
  readonly conntrackMax: number;
}

export const DEFAULT_SETTINGS: ClusterSettings = {
  nodes: ['node-a', 'node-b', 'node-c'],
  cni: 'calico',
  proxyMode: 'iptables',
  seed: 1,
  clusterCIDR: '10.244.0.0/16',
  serviceCIDR: '10.96.0.0/12',
  nodeCidrMaskSize: 24,
  conntrackMax: 131072,
};

/** Node InternalIPs come from the node network a kind or kubeadm lab uses. */
export const NODE_NETWORK = '172.18.0.0/16';
/** The simulated cloud's load-balancer pool (TEST-NET-3, documentation addresses). */
export const LB_POOL = '203.0.113.0/24';
/** The outside client's address (TEST-NET-2). */
export const EXTERNAL_CLIENT_IP = '198.51.100.7';
/** nodePort range (kube-apiserver --service-node-port-range default). */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;
export const CLUSTER_DOMAIN = 'cluster.local';
