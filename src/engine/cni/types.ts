// One interface for the four CNI datapaths. A plugin decides how a packet gets from a pod to the
// host, from host to host, and whether NetworkPolicy is enforced at all.
import type { NodeInfo, PodEndpoint } from '../types';
import type { CniName } from '../cluster/settings';

export interface Encapsulation {
  readonly name: 'VXLAN';
  /** Outer UDP destination port. */
  readonly port: number;
  readonly vni: number;
  /** The tunnel device on each node. */
  readonly device: string;
}

export interface Route {
  readonly destination: string;
  /** `ip route` text, e.g. `10.244.1.0/24 via 172.18.0.3 dev eth0 proto bird`. */
  readonly text: string;
  /** The next node for a remote pod range (absent for local routes). */
  readonly viaNode?: string;
}

export interface CniPlugin {
  readonly name: CniName;
  readonly title: string;
  /** One sentence on how the datapath works. */
  readonly summary: string;
  readonly mode: 'overlay' | 'routed';
  readonly enforcesPolicy: boolean;
  /** Where policy is enforced, in the plugin's own words. */
  readonly policyEngine: string;
  readonly encapsulation: Encapsulation | null;
  /** The host-side interface of a pod's veth pair. */
  hostInterface(pod: PodEndpoint): string;
  /** How a node reaches local pods: a Linux bridge (cni0, weave) or per-pod /32 routes. */
  readonly localDelivery: 'bridge' | 'route' | 'ebpf';
  readonly bridge?: string;
  /** The node's routes to pod ranges, local and remote. */
  routes(node: NodeInfo, nodes: readonly NodeInfo[]): Route[];
}
