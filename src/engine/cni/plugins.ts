// The four datapaths the lab compares. Each follows its project's default install:
// - Flannel: VXLAN backend, flannel.1, VNI 1, UDP 8472; pods on the cni0 bridge; it implements no
//   NetworkPolicy at all (https://github.com/flannel-io/flannel/blob/master/Documentation/backends.md).
// - Calico: BGP (BIRD) distributes each node's pod range; within one L2 network there is no
//   encapsulation (IPIP/VXLAN only across subnets); each pod has a cali* veth with a /32 route, and
//   Felix enforces policy in iptables (https://docs.tigera.io/calico/latest/networking/).
// - Cilium: eBPF programs on each pod's lxc* interface; the default routing mode is a VXLAN
//   tunnel (cilium_vxlan, UDP 8472); policy enforced in eBPF (https://docs.cilium.io/en/stable/network/concepts/routing/).
// - Weave Net: a mesh of routers; the fast datapath encapsulates in VXLAN on UDP 6784 (vxlan-6784);
//   pods on the `weave` bridge; weave-npc enforces policy with iptables
//   (https://github.com/weaveworks/weave/blob/master/site/concepts/fastdp-how-it-works.md).
// The lab gives every plugin the node's podCIDR for addresses (Weave's own IPAM would allocate from
// 10.32.0.0/12 across the mesh instead).
import type { NodeInfo, PodEndpoint } from '../types';
import type { CniName } from '../cluster/settings';
import { fnv32a } from '../rng';
import type { CniPlugin, Route } from './types';

/** `n` hex digits derived from the pod's name (stands in for the plugins' random or hashed ids). */
const vethSuffix = (pod: PodEndpoint, n: number): string => {
  let hex = '';
  for (let i = 0; hex.length < n; i++)
    hex += fnv32a(`${i}:${pod.namespace}/${pod.name}`).toString(16).padStart(8, '0');
  return hex.slice(0, n);
};

const bridgeGateway = (cidr: string): string => {
  const [net] = cidr.split('/');
  const parts = (net ?? '0.0.0.0').split('.');
  return `${parts[0]}.${parts[1]}.${parts[2]}.${Number(parts[3] ?? 0) + 1}`;
};

const flannel: CniPlugin = {
  name: 'flannel',
  title: 'Flannel (VXLAN overlay)',
  summary:
    'Pods sit on the cni0 bridge; traffic to another node is wrapped in a VXLAN packet (UDP 8472) between the node addresses.',
  mode: 'overlay',
  enforcesPolicy: false,
  policyEngine: 'none: Flannel does not implement NetworkPolicy',
  encapsulation: { name: 'VXLAN', port: 8472, vni: 1, device: 'flannel.1' },
  localDelivery: 'bridge',
  bridge: 'cni0',
  hostInterface: (pod) => `veth${vethSuffix(pod, 8)}`, // the bridge plugin: veth + 8 random hex
  routes: (node, nodes) => [
    {
      destination: node.podCIDR,
      text: `${node.podCIDR} dev cni0 proto kernel scope link src ${bridgeGateway(node.podCIDR)}`,
    },
    ...nodes
      .filter((n) => n.name !== node.name)
      .map((n): Route => ({
        destination: n.podCIDR,
        text: `${n.podCIDR} via ${n.podCIDR.split('/')[0]} dev flannel.1 onlink`,
        viaNode: n.name,
      })),
  ],
};

const calico: CniPlugin = {
  name: 'calico',
  title: 'Calico (BGP-routed)',
  summary:
    'Each node announces its pod range over BGP; packets are routed between nodes unencapsulated, and Felix enforces policy with iptables.',
  mode: 'routed',
  enforcesPolicy: true,
  policyEngine: 'Felix (iptables chains cali-fw-* for egress and cali-tw-* for ingress)',
  encapsulation: null,
  localDelivery: 'route',
  hostInterface: (pod) => `cali${vethSuffix(pod, 11)}`, // VethNameForWorkload: cali + 11 hex of a hash
  routes: (node, nodes) => [
    { destination: node.podCIDR, text: `blackhole ${node.podCIDR} proto bird` },
    ...nodes
      .filter((n) => n.name !== node.name)
      .map((n): Route => ({
        destination: n.podCIDR,
        text: `${n.podCIDR} via ${n.internalIP} dev eth0 proto bird`,
        viaNode: n.name,
      })),
  ],
};

const cilium: CniPlugin = {
  name: 'cilium',
  title: 'Cilium (eBPF)',
  summary:
    'eBPF programs on every pod interface forward and filter packets; between nodes they travel in a VXLAN tunnel (UDP 8472), Cilium’s default routing mode.',
  mode: 'overlay',
  enforcesPolicy: true,
  policyEngine: 'eBPF programs on each pod’s lxc interface',
  encapsulation: { name: 'VXLAN', port: 8472, vni: 2, device: 'cilium_vxlan' },
  localDelivery: 'ebpf',
  hostInterface: (pod) => `lxc${vethSuffix(pod, 12)}`, // lxc + 12 hex
  routes: (node, nodes) => [
    {
      destination: node.podCIDR,
      text: `${node.podCIDR} via ${bridgeGateway(node.podCIDR)} dev cilium_host proto kernel src ${bridgeGateway(node.podCIDR)}`,
    },
    ...nodes
      .filter((n) => n.name !== node.name)
      .map((n): Route => ({
        destination: n.podCIDR,
        text: `${n.podCIDR} via ${bridgeGateway(node.podCIDR)} dev cilium_host proto kernel src ${bridgeGateway(node.podCIDR)} mtu 1450 (tunnel endpoint ${n.internalIP})`,
        viaNode: n.name,
      })),
  ],
};

const weave: CniPlugin = {
  name: 'weave',
  title: 'Weave Net (mesh overlay)',
  summary:
    'Pods sit on the weave bridge; the fast datapath wraps traffic to other nodes in VXLAN on UDP 6784, and weave-npc enforces policy with iptables.',
  mode: 'overlay',
  enforcesPolicy: true,
  policyEngine: 'weave-npc (iptables WEAVE-NPC chains)',
  encapsulation: { name: 'VXLAN', port: 6784, vni: 0x1f4, device: 'vxlan-6784' },
  localDelivery: 'bridge',
  bridge: 'weave',
  hostInterface: (pod) => `vethwepl${vethSuffix(pod, 7)}`, // vethwepl + 7 chars of the container id
  routes: (node, nodes) => [
    {
      destination: node.podCIDR,
      text: `${node.podCIDR} dev weave proto kernel scope link src ${bridgeGateway(node.podCIDR)}`,
    },
    ...nodes
      .filter((n) => n.name !== node.name)
      .map((n): Route => ({
        destination: n.podCIDR,
        text: `${n.podCIDR} dev weave (fast datapath to ${n.name} at ${n.internalIP})`,
        viaNode: n.name,
      })),
  ],
};

export const CNI_PLUGINS: Readonly<Record<CniName, CniPlugin>> = { flannel, calico, cilium, weave };

export const cniPlugin = (name: CniName): CniPlugin => CNI_PLUGINS[name];

export type { NodeInfo };
