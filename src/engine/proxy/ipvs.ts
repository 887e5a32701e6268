// IPVS mode (pkg/proxy/ipvs/proxier.go): one IPVS virtual server per Service address and port,
// scheduler rr, real servers = usable endpoints; a small, constant iptables set that matches
// ipsets (KUBE-CLUSTER-IP, KUBE-NODE-PORT-*, KUBE-LOOP-BACK, …) instead of one rule per Service.
import type { IPv4 } from '../net/ip';
import type { NodeInfo, Protocol } from '../types';
import { newWalkCtx, walk, withRecent } from './decide';
import { MASQ_MARK, mkRule, nodeLocalAddresses } from './iptablesRules';
import { categorizeEndpoints, type EndpointInfo, type ServicePortInfo } from './servicePorts';
import type {
  IptablesRule,
  IpvsRealServer,
  IpvsVirtualServer,
  NodeProxyRules,
  ProxyOutcome,
  ProxyPacket,
  ProxyRules,
  ProxyState,
  RuleHit,
} from './types';

/** ipset names, types and comments as kube-proxy creates them (pkg/proxy/ipvs/ipset.go). */
export const IPVS_IPSETS: Readonly<Record<string, { type: string; comment: string }>> = {
  'KUBE-LOOP-BACK': {
    type: 'hash:ip,port,ip',
    comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose',
  },
  'KUBE-CLUSTER-IP': {
    type: 'hash:ip,port',
    comment: 'Kubernetes service cluster ip + port for masquerade purpose',
  },
  'KUBE-EXTERNAL-IP': {
    type: 'hash:ip,port',
    comment: 'Kubernetes service external ip + port for masquerade and filter purpose',
  },
  'KUBE-EXTERNAL-IP-LOCAL': {
    type: 'hash:ip,port',
    comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local',
  },
  'KUBE-LOAD-BALANCER': { type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  'KUBE-LOAD-BALANCER-LOCAL': {
    type: 'hash:ip,port',
    comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local',
  },
  'KUBE-NODE-PORT-TCP': {
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport TCP port for masquerade purpose',
  },
  'KUBE-NODE-PORT-LOCAL-TCP': {
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local',
  },
  'KUBE-NODE-PORT-UDP': {
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport UDP port for masquerade purpose',
  },
  'KUBE-NODE-PORT-LOCAL-UDP': {
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local',
  },
  'KUBE-HEALTH-CHECK-NODE-PORT': { type: 'bitmap:port', comment: 'Kubernetes health check node port' },
  'KUBE-IPVS-IPS': { type: 'hash:ip', comment: 'IPVS service ip' },
};

const rs = (e: EndpointInfo): IpvsRealServer => ({ ip: e.ip, port: e.port, weight: 1 });

/** The virtual servers, ipsets and the small iptables set of one node in IPVS mode. */
export function buildIpvsNode(
  node: NodeInfo,
  servicePorts: readonly ServicePortInfo[],
  clusterCIDR: string,
): NodeProxyRules {
  const members = new Map<string, Set<string>>(Object.keys(IPVS_IPSETS).map((k) => [k, new Set<string>()]));
  const add = (set: string, member: string): void => {
    members.get(set)?.add(member);
  };
  const vss: IpvsVirtualServer[] = [];
  for (const sp of servicePorts) {
    const { clusterEndpoints, localEndpoints } = categorizeEndpoints(sp, node.name);
    // syncEndpoint: Local policy uses local endpoints, or (kubernetes#97081) the cluster-wide ones
    // when this node has none, so that local pods can still reach the Service.
    const internal = sp.internalPolicyLocal && localEndpoints.length > 0 ? localEndpoints : clusterEndpoints;
    const external = sp.externalPolicyLocal && localEndpoints.length > 0 ? localEndpoints : clusterEndpoints;
    const base = {
      protocol: sp.protocol,
      scheduler: 'rr' as const,
      servicePort: sp.nameString,
      ...(sp.stickyMaxAgeSeconds !== null ? { persistentTimeout: sp.stickyMaxAgeSeconds } : {}),
    };
    const key = (ip: string, port: number): string => `${ip},${sp.proto}:${port}`;
    vss.push({
      ...base,
      ip: sp.clusterIP,
      port: sp.port,
      kind: 'clusterIP',
      externalLocal: false,
      realServers: internal.map(rs),
    });
    add('KUBE-CLUSTER-IP', key(sp.clusterIP, sp.port));
    add('KUBE-IPVS-IPS', sp.clusterIP);
    for (const ip of sp.externalIPs) {
      vss.push({
        ...base,
        ip,
        port: sp.port,
        kind: 'externalIP',
        externalLocal: sp.externalPolicyLocal,
        realServers: external.map(rs),
      });
      add(sp.externalPolicyLocal ? 'KUBE-EXTERNAL-IP-LOCAL' : 'KUBE-EXTERNAL-IP', key(ip, sp.port));
      add('KUBE-IPVS-IPS', ip);
    }
    for (const ip of sp.loadBalancerVIPs) {
      vss.push({
        ...base,
        ip,
        port: sp.port,
        kind: 'loadBalancer',
        externalLocal: sp.externalPolicyLocal,
        realServers: external.map(rs),
      });
      add('KUBE-LOAD-BALANCER', key(ip, sp.port));
      if (sp.externalPolicyLocal) add('KUBE-LOAD-BALANCER-LOCAL', key(ip, sp.port));
      add('KUBE-IPVS-IPS', ip);
    }
    if (sp.nodePort !== 0) {
      vss.push({
        ...base,
        ip: node.internalIP,
        port: sp.nodePort,
        kind: 'nodePort',
        externalLocal: sp.externalPolicyLocal,
        realServers: external.map(rs),
      });
      if (sp.proto !== 'sctp') {
        const P = sp.proto.toUpperCase();
        add(`KUBE-NODE-PORT-${P}`, String(sp.nodePort));
        if (sp.externalPolicyLocal) add(`KUBE-NODE-PORT-LOCAL-${P}`, String(sp.nodePort));
      }
    }
    if (sp.healthCheckNodePort !== 0) add('KUBE-HEALTH-CHECK-NODE-PORT', String(sp.healthCheckNodePort));
    for (const e of sp.endpoints)
      if (e.nodeName === node.name) add('KUBE-LOOP-BACK', `${e.ip},${sp.proto}:${e.port},${e.ip}`);
  }
  const sets: Record<string, string[]> = {};
  for (const [name, m] of members) sets[name] = [...m].sort();
  return {
    node: node.name,
    internalIP: node.internalIP,
    localAddresses: nodeLocalAddresses(node),
    nat: ipvsNatRules(sets, clusterCIDR),
    filter: ipvsFilterRules(),
    virtualServers: vss,
    ipsets: sets,
  };
}

const nonEmpty = (sets: Record<string, string[]>, name: string): boolean => (sets[name] ?? []).length > 0;
const setRule = (
  table: 'nat' | 'filter',
  chain: string,
  name: string,
  flags: string,
  target: string,
  protocol?: 'tcp' | 'udp',
): IptablesRule =>
  mkRule(table, chain, { ...(protocol ? { protocol } : {}), matchSet: { name, flags } }, target, {
    comment: IPVS_IPSETS[name]?.comment ?? name,
  });

function ipvsNatRules(sets: Record<string, string[]>, clusterCIDR: string): Record<string, IptablesRule[]> {
  const services: IptablesRule[] = [
    mkRule('nat', 'KUBE-SERVICES', { src: { cidr: '127.0.0.0/8' } }, 'RETURN'),
  ];
  const postrouting: IptablesRule[] = [];
  const nodePort: IptablesRule[] = [];
  const lb: IptablesRule[] = [];
  // ipsetWithIptablesChain: a rule per non-empty set.
  if (nonEmpty(sets, 'KUBE-LOOP-BACK'))
    postrouting.push(setRule('nat', 'KUBE-POSTROUTING', 'KUBE-LOOP-BACK', 'dst,dst,src', 'MASQUERADE'));
  if (nonEmpty(sets, 'KUBE-LOAD-BALANCER'))
    services.push(setRule('nat', 'KUBE-SERVICES', 'KUBE-LOAD-BALANCER', 'dst,dst', 'KUBE-LOAD-BALANCER'));
  if (nonEmpty(sets, 'KUBE-LOAD-BALANCER-LOCAL'))
    lb.push(setRule('nat', 'KUBE-LOAD-BALANCER', 'KUBE-LOAD-BALANCER-LOCAL', 'dst,dst', 'RETURN'));
  for (const P of ['TCP', 'UDP'] as const) {
    const p = P.toLowerCase() as 'tcp' | 'udp';
    if (nonEmpty(sets, `KUBE-NODE-PORT-LOCAL-${P}`))
      nodePort.push(setRule('nat', 'KUBE-NODE-PORT', `KUBE-NODE-PORT-LOCAL-${P}`, 'dst', 'RETURN', p));
    if (nonEmpty(sets, `KUBE-NODE-PORT-${P}`))
      nodePort.push(setRule('nat', 'KUBE-NODE-PORT', `KUBE-NODE-PORT-${P}`, 'dst', 'KUBE-MARK-MASQ', p));
  }
  if (nonEmpty(sets, 'KUBE-CLUSTER-IP')) {
    // Masquerade off-cluster traffic to a Service VIP (LocalTrafficDetector by cluster CIDR).
    services.push(
      mkRule(
        'nat',
        'KUBE-SERVICES',
        { src: { cidr: clusterCIDR, negate: true }, matchSet: { name: 'KUBE-CLUSTER-IP', flags: 'dst,dst' } },
        'KUBE-MARK-MASQ',
        { comment: IPVS_IPSETS['KUBE-CLUSTER-IP']?.comment ?? '' },
      ),
    );
  }
  if (nonEmpty(sets, 'KUBE-EXTERNAL-IP')) {
    services.push(setRule('nat', 'KUBE-SERVICES', 'KUBE-EXTERNAL-IP', 'dst,dst', 'KUBE-MARK-MASQ'));
  }
  services.push(mkRule('nat', 'KUBE-SERVICES', { dstLocal: true }, 'KUBE-NODE-PORT'));
  lb.push(mkRule('nat', 'KUBE-LOAD-BALANCER', {}, 'KUBE-MARK-MASQ'));
  // acceptIPVSTraffic: must be the end of KUBE-SERVICES.
  for (const name of ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER']) {
    if (nonEmpty(sets, name))
      services.push(mkRule('nat', 'KUBE-SERVICES', { matchSet: { name, flags: 'dst,dst' } }, 'ACCEPT'));
  }
  postrouting.push(mkRule('nat', 'KUBE-POSTROUTING', { mark: { negate: true } }, 'RETURN'));
  postrouting.push(mkRule('nat', 'KUBE-POSTROUTING', {}, 'MARK', { targetArgs: `--xor-mark ${MASQ_MARK}` }));
  postrouting.push(
    mkRule('nat', 'KUBE-POSTROUTING', {}, 'MASQUERADE', {
      comment: 'kubernetes service traffic requiring SNAT',
      targetArgs: '--random-fully',
    }),
  );
  return {
    PREROUTING: [mkRule('nat', 'PREROUTING', {}, 'KUBE-SERVICES', { comment: 'kubernetes service portals' })],
    OUTPUT: [mkRule('nat', 'OUTPUT', {}, 'KUBE-SERVICES', { comment: 'kubernetes service portals' })],
    POSTROUTING: [
      mkRule('nat', 'POSTROUTING', {}, 'KUBE-POSTROUTING', { comment: 'kubernetes postrouting rules' }),
    ],
    'KUBE-SERVICES': services,
    'KUBE-POSTROUTING': postrouting,
    'KUBE-NODE-PORT': nodePort,
    'KUBE-LOAD-BALANCER': lb,
    'KUBE-MARK-MASQ': [mkRule('nat', 'KUBE-MARK-MASQ', {}, 'MARK', { targetArgs: `--or-mark ${MASQ_MARK}` })],
  };
}

function ipvsFilterRules(): Record<string, IptablesRule[]> {
  const filterRule = (name: string, flags: string): IptablesRule =>
    mkRule('filter', 'KUBE-IPVS-FILTER', { matchSet: { name, flags } }, 'RETURN');
  return {
    INPUT: [
      mkRule('filter', 'INPUT', {}, 'KUBE-IPVS-FILTER', { comment: 'kubernetes ipvs access filter' }),
      mkRule('filter', 'INPUT', {}, 'KUBE-PROXY-FIREWALL', { comment: 'kube-proxy firewall rules' }),
      mkRule('filter', 'INPUT', {}, 'KUBE-NODE-PORT', { comment: 'kubernetes health check rules' }),
    ],
    FORWARD: [
      mkRule('filter', 'FORWARD', {}, 'KUBE-PROXY-FIREWALL', { comment: 'kube-proxy firewall rules' }),
      mkRule('filter', 'FORWARD', {}, 'KUBE-FORWARD', { comment: 'kubernetes forwarding rules' }),
    ],
    OUTPUT: [
      mkRule('filter', 'OUTPUT', {}, 'KUBE-IPVS-OUT-FILTER', { comment: 'kubernetes ipvs access filter' }),
    ],
    'KUBE-FORWARD': [
      mkRule('filter', 'KUBE-FORWARD', { mark: { negate: false } }, 'ACCEPT', {
        comment: 'kubernetes forwarding rules',
      }),
      mkRule('filter', 'KUBE-FORWARD', { ctstate: { states: 'RELATED,ESTABLISHED' } }, 'ACCEPT', {
        comment: 'kubernetes forwarding conntrack rule',
      }),
    ],
    'KUBE-NODE-PORT': [
      mkRule(
        'filter',
        'KUBE-NODE-PORT',
        { matchSet: { name: 'KUBE-HEALTH-CHECK-NODE-PORT', flags: 'dst' } },
        'ACCEPT',
        {
          comment: IPVS_IPSETS['KUBE-HEALTH-CHECK-NODE-PORT']?.comment ?? '',
        },
      ),
    ],
    'KUBE-PROXY-FIREWALL': [],
    'KUBE-SOURCE-RANGES-FIREWALL': [mkRule('filter', 'KUBE-SOURCE-RANGES-FIREWALL', {}, 'DROP')],
    // Prevent reaching host ports through Service VIPs bound to kube-ipvs0 (kubernetes#72236).
    'KUBE-IPVS-FILTER': [
      filterRule('KUBE-LOAD-BALANCER', 'dst,dst'),
      filterRule('KUBE-CLUSTER-IP', 'dst,dst'),
      filterRule('KUBE-EXTERNAL-IP', 'dst,dst'),
      filterRule('KUBE-EXTERNAL-IP-LOCAL', 'dst,dst'),
      filterRule('KUBE-HEALTH-CHECK-NODE-PORT', 'dst'),
      mkRule(
        'filter',
        'KUBE-IPVS-FILTER',
        { ctstate: { states: 'NEW' }, matchSet: { name: 'KUBE-IPVS-IPS', flags: 'dst' } },
        'REJECT',
      ),
    ],
    'KUBE-IPVS-OUT-FILTER': [],
  };
}

const vsKey = (node: string, vs: { protocol: Protocol; ip: string; port: number }): string =>
  `${node}|${vs.protocol}|${vs.ip}:${vs.port}`;

/** A node's ipsets and virtual servers as lookup tables, built once per node's rules (not per packet). */
const lookups = new WeakMap<
  NodeProxyRules,
  { sets: Map<string, Set<string>>; virtualServers: Map<string, IpvsVirtualServer> }
>();
function lookupsOf(node: NodeProxyRules) {
  let found = lookups.get(node);
  if (!found) {
    found = {
      sets: new Map(Object.entries(node.ipsets ?? {}).map(([k, v]) => [k, new Set(v)])),
      virtualServers: new Map((node.virtualServers ?? []).map((v) => [`${v.protocol} ${v.ip}:${v.port}`, v])),
    };
    lookups.set(node, found);
  }
  return found;
}

/** The IPVS-mode decision for one new connection at `pkt.node`. */
export function ipvsDecide(
  rules: ProxyRules,
  state: ProxyState,
  pkt: ProxyPacket,
  rng: () => number,
  now: number,
): { state: ProxyState; outcome: ProxyOutcome } {
  const node = rules.nodes.find((n) => n.node === pkt.node);
  if (!node)
    return {
      state,
      outcome: { action: 'none', reason: `unknown node ${pkt.node}`, walked: [], rulesTraversed: 0 },
    };
  const { sets, virtualServers } = lookupsOf(node);
  const ctx = newWalkCtx(node, state, pkt, rng, now, sets);
  walk('nat', ctx.srcLocal ? 'OUTPUT' : 'PREROUTING', ctx);
  const vs = virtualServers.get(`${pkt.protocol} ${pkt.dstIP}:${pkt.dstPort}`);
  const isVip = sets.get('KUBE-IPVS-IPS')?.has(pkt.dstIP) ?? false;
  const base = (): { walked: RuleHit[]; rulesTraversed: number } => ({
    walked: ctx.hits,
    rulesTraversed: ctx.traversed,
  });
  if (!vs) {
    if (isVip) {
      // Service VIPs are local addresses (kube-ipvs0): the packet reaches INPUT, where KUBE-IPVS-FILTER
      // rejects new connections to ports that are not Service ports.
      const f = walk('filter', 'INPUT', ctx);
      if (f && f.kind === 'REJECT') {
        return {
          state,
          outcome: {
            action: 'reject',
            reason: `${pkt.dstIP}:${pkt.dstPort}/${pkt.protocol} is not a Service port (KUBE-IPVS-FILTER)`,
            ...base(),
          },
        };
      }
    }
    return {
      state,
      outcome: {
        action: 'none',
        reason: 'no IPVS virtual server for this address, port and protocol',
        ...base(),
      },
    };
  }
  if (vs.kind !== 'nodePort' || isVip) walk('filter', 'INPUT', ctx);
  const step = (line: string): void => {
    ctx.hits.push({ table: 'ipvs', chain: 'IPVS', index: -1, line, verdict: 'schedule', evaluated: 1 });
    ctx.traversed++;
  };
  const vsText = `${vs.protocol} ${vs.ip}:${vs.port} ${vs.scheduler}`;
  if (vs.realServers.length === 0) {
    step(`${vsText}: no real servers`);
    // ip_vs_leave answers ICMP port unreachable when a virtual service has no destination.
    return {
      state,
      outcome: {
        action: 'reject',
        reason: `${vs.servicePort} has no endpoints (IPVS: ICMP port unreachable)`,
        ...base(),
      },
    };
  }
  const external = vs.kind !== 'clusterIP';
  const srcIsPodOrHost = ctx.srcLocal || inClusterCidr(rules.clusterCIDR, pkt.srcIP);
  if (
    external &&
    vs.externalLocal &&
    !srcIsPodOrHost &&
    !vs.realServers.some((r) => isEndpointOn(rules, r, node.node))
  ) {
    step(`${vsText}: only remote real servers, forwarded without SNAT`);
    return {
      state,
      outcome: {
        action: 'drop',
        reason:
          `${vs.servicePort} has no local endpoints: IPVS forwards to a remote endpoint without SNAT ` +
          '(kubernetes#97081), the reply bypasses this node and the client discards it',
        ...base(),
      },
    };
  }
  const key = vsKey(node.node, vs);
  let chosen: IpvsRealServer | undefined;
  let persist = state.ipvsPersist;
  let rr = state.ipvsRR;
  if (vs.persistentTimeout !== undefined) {
    const t = state.ipvsPersist[`${key}|${pkt.srcIP}`];
    if (t && now - t.last < vs.persistentTimeout)
      chosen = vs.realServers.find((r) => `${r.ip}:${r.port}` === t.rs);
  }
  if (!chosen) {
    const last = state.ipvsRR[key] ?? -1;
    const idx = (last + 1) % vs.realServers.length;
    chosen = vs.realServers[idx] as IpvsRealServer;
    rr = { ...rr, [key]: idx };
  }
  const target = `${chosen.ip}:${chosen.port}`;
  if (vs.persistentTimeout !== undefined)
    persist = { ...persist, [`${key}|${pkt.srcIP}`]: { rs: target, last: now } };
  step(
    `${vsText}${vs.persistentTimeout !== undefined ? ` persistent ${vs.persistentTimeout}` : ''} -> ${target}`,
  );
  // POSTROUTING sees the DNATed packet: KUBE-LOOP-BACK (hairpin) or the masquerade mark.
  const marked = ctx.mark;
  const post = newWalkCtx(node, state, { ...pkt, dstIP: chosen.ip, dstPort: chosen.port }, rng, now, sets);
  post.mark = marked;
  const m = walk('nat', 'POSTROUTING', post);
  ctx.hits.push(...post.hits);
  ctx.traversed += post.traversed;
  const masqueraded = m?.kind === 'MASQUERADE';
  const ep = rules.endpoints[target];
  const next: ProxyState = { ...withRecent(state, ctx), ipvsRR: rr, ipvsPersist: persist };
  return {
    state: next,
    outcome: {
      action: 'dnat',
      endpoint: { ip: chosen.ip, port: chosen.port, pod: ep?.pod ?? '', nodeName: ep?.nodeName ?? '' },
      masquerade: masqueraded ? (pkt.srcIP === chosen.ip ? 'hairpin' : 'node') : false,
      service: vs.servicePort,
      ...base(),
    },
  };
}

function isEndpointOn(rules: ProxyRules, r: IpvsRealServer, node: string): boolean {
  return rules.endpoints[`${r.ip}:${r.port}`]?.nodeName === node;
}

function inClusterCidr(cidr: string, ip: IPv4): boolean {
  const [base, bits] = cidr.split('/');
  if (base === undefined || bits === undefined) return false;
  const toInt = (s: string): number => s.split('.').reduce((a, o) => (a << 8) + Number(o), 0) >>> 0;
  const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
  return (toInt(ip) & mask) >>> 0 === (toInt(base) & mask) >>> 0;
}

/** `ipvsadm -Ln` text of one node's virtual servers. */
export function ipvsadmList(node: NodeProxyRules, activeConn: Readonly<Record<string, number>> = {}): string {
  const lines = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  ];
  for (const vs of node.virtualServers ?? []) {
    const persistent = vs.persistentTimeout !== undefined ? ` persistent ${vs.persistentTimeout}` : '';
    lines.push(`${vs.protocol.padEnd(4)} ${`${vs.ip}:${vs.port}`} ${vs.scheduler}${persistent}`);
    for (const r of vs.realServers) {
      const addr = `${r.ip}:${r.port}`;
      const active = activeConn[addr] ?? 0;
      lines.push(
        `  -> ${addr.padEnd(28)} ${'Masq'.padEnd(7)} ${String(r.weight).padEnd(6)} ${String(active).padEnd(10)} 0`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
