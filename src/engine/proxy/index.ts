// kube-proxy as data and decisions: build the per-node rules from Services and EndpointSlices,
// print them as iptables-save / ipvsadm would, and decide what a node's netfilter does with a new
// connection. See SPEC.md for the numbered rules and their upstream sources.
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { IPv4 } from '../net/ip';
import type { NodeInfo } from '../types';
import { iptablesDecide } from './decide';
import { buildIptablesNode, type ServiceBlock } from './iptablesRules';
import { buildIpvsNode, ipvsDecide } from './ipvs';
import { buildServicePorts, LABEL_SERVICE_NAME, type ServicePortInfo } from './servicePorts';
import type {
  ChainInfo,
  EndpointRef,
  ProxyMode,
  ProxyOutcome,
  ProxyPacket,
  ProxyRules,
  ProxyState,
  ProxyView,
} from './types';

export * from './types';
export { iptablesSave, ruleLine, computeProbability, MASQ_MARK } from './iptablesRules';
export { ipvsadmList } from './ipvs';
export {
  portProtoHash,
  servicePortPolicyClusterChain,
  servicePortPolicyLocalChainName,
  serviceExternalChainName,
  serviceFirewallChainName,
  servicePortEndpointChainName,
} from './servicePorts';

/** Every node's kube-proxy rules (iptables chains, or IPVS virtual servers + ipsets + a few rules). */
export function buildProxyRules(view: ProxyView): ProxyRules {
  const sps = buildServicePorts(view.services, view.endpointSlices);
  const chains: Record<string, ChainInfo> = {};
  const endpoints: Record<string, EndpointRef> = {};
  for (const sp of sps) {
    const servicePort = sp.nameString;
    chains[sp.svcChain] = { kind: 'svc', servicePort };
    chains[sp.svlChain] = { kind: 'svl', servicePort };
    chains[sp.extChain] = { kind: 'ext', servicePort };
    chains[sp.fwChain] = { kind: 'fw', servicePort };
    for (const e of sp.endpoints) {
      chains[e.sepChain] = { kind: 'sep', servicePort, endpoint: e.str };
      if (!(e.str in endpoints))
        endpoints[e.str] = { ip: e.ip, port: e.port, pod: e.pod, nodeName: e.nodeName };
    }
  }
  const shared = new Map<ServicePortInfo, ServiceBlock>();
  const nodes = view.nodes.map((n) =>
    view.mode === 'ipvs'
      ? buildIpvsNode(n, sps, view.clusterCIDR)
      : buildIptablesNode(n, sps, view.clusterCIDR, shared),
  );
  return { mode: view.mode, clusterCIDR: view.clusterCIDR, nodes, chains, endpoints };
}

/**
 * What `pkt.node`'s netfilter does with a new connection: DNAT to an endpoint (with or without
 * masquerade), REJECT, DROP, or nothing (not a Service address/port).
 */
export function proxyPacket(
  rules: ProxyRules,
  state: ProxyState,
  pkt: ProxyPacket,
  rng: () => number,
  now: number,
): { state: ProxyState; outcome: ProxyOutcome } {
  return rules.mode === 'ipvs'
    ? ipvsDecide(rules, state, pkt, rng, now)
    : iptablesDecide(rules, state, pkt, rng, now);
}

export interface NodeRuleStats {
  readonly nat: number;
  readonly filter: number;
  /** nat + filter rules. */
  readonly rules: number;
  readonly chains: number;
  /** IPVS mode: virtual servers and ipset members. */
  readonly virtualServers: number;
  readonly ipsetEntries: number;
}

export function ruleStats(rules: ProxyRules): {
  totalRules: number;
  perNode: Readonly<Record<string, NodeRuleStats>>;
} {
  const perNode: Record<string, NodeRuleStats> = {};
  let totalRules = 0;
  for (const n of rules.nodes) {
    let nat = 0;
    let filter = 0;
    for (const r of Object.values(n.nat)) nat += r.length;
    for (const r of Object.values(n.filter)) filter += r.length;
    const ipsetEntries = Object.values(n.ipsets ?? {}).reduce((a, s) => a + s.length, 0);
    perNode[n.node] = {
      nat,
      filter,
      rules: nat + filter,
      chains: Object.keys(n.nat).length + Object.keys(n.filter).length,
      virtualServers: n.virtualServers?.length ?? 0,
      ipsetEntries,
    };
    totalRules += nat + filter;
  }
  return { totalRules, perNode };
}

const SCALE_NODES: readonly NodeInfo[] = ['node-a', 'node-b', 'node-c'].map((name, i) => ({
  name,
  internalIP: `172.18.0.${i + 2}` as IPv4,
  podCIDR: `10.244.${i}.0/24`,
}));

/** A synthetic cluster: `services` ClusterIP Services with 5 ready endpoints each over 3 nodes. */
export function scaleView(services: number, mode: ProxyMode, endpointsPerService = 5): ProxyView {
  const svcs: Service[] = [];
  const slices: EndpointSlice[] = [];
  let pod = 0;
  for (let i = 0; i < services; i++) {
    const name = `svc-${String(i).padStart(5, '0')}`;
    svcs.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'scale' },
      spec: {
        type: 'ClusterIP',
        clusterIP: `10.96.${(i >> 8) & 255}.${i & 255}`,
        ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      },
    });
    const eps = [];
    for (let e = 0; e < endpointsPerService; e++, pod++) {
      const node = SCALE_NODES[pod % 3] as NodeInfo;
      const host = Math.floor(pod / 3);
      eps.push({
        addresses: [`10.244.${(pod % 3) + 3 * Math.floor(host / 250)}.${(host % 250) + 2}`],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: node.name,
        targetRef: { kind: 'Pod', namespace: 'scale', name: `${name}-${e}` },
      });
    }
    slices.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-abcde`, namespace: 'scale', labels: { [LABEL_SERVICE_NAME]: name } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: eps,
    });
  }
  return { mode, nodes: SCALE_NODES, services: svcs, endpointSlices: slices, clusterCIDR: '10.244.0.0/16' };
}

/**
 * For the scale lab: rules on one node, and rules a packet traverses to reach the last Service's
 * ClusterIP (the worst case of KUBE-SERVICES' linear scan), from real buildProxyRules output.
 */
export function scaleSeries(
  counts: readonly number[],
  mode: ProxyMode,
): { services: number; rules: number; traversed: number }[] {
  return counts.map((services) => {
    const view = scaleView(services, mode);
    const rules = buildProxyRules(view);
    const stats = ruleStats(rules).perNode['node-a'];
    const last = view.services[services - 1];
    let traversed = 0;
    if (last?.spec?.clusterIP) {
      const { outcome } = proxyPacket(
        rules,
        { recent: {}, ipvsRR: {}, ipvsPersist: {} },
        {
          node: 'node-a',
          srcIP: '10.244.0.250' as IPv4,
          dstIP: last.spec.clusterIP as IPv4,
          dstPort: 80,
          protocol: 'TCP',
        },
        () => 0.99,
        0,
      );
      traversed = outcome.rulesTraversed;
    }
    return { services, rules: stats?.rules ?? 0, traversed };
  });
}
