// iptables-mode rule generation, modelled on syncProxyRules in pkg/proxy/iptables/proxier.go
// (KUBE-SERVICES → KUBE-EXT/KUBE-FW → KUBE-SVC/KUBE-SVL → KUBE-SEP, filter-table REJECT/DROP for
// Services without (local) endpoints), and the `iptables-save` printer.
import { nthAddress, parseCidr, type IPv4 } from '../net/ip';
import type { NodeInfo } from '../types';
import {
  categorizeEndpoints,
  externallyAccessible,
  usesClusterEndpoints,
  usesLocalEndpoints,
  type EndpointInfo,
  type ServicePortInfo,
} from './servicePorts';
import type { IptablesRule, IptTable, NodeProxyRules, RuleCond } from './types';

/** Default --iptables-masquerade-bit 14: mark 0x4000, as iptables-save prints it. */
export const MASQ_MARK = '0x4000';

/** largeClusterEndpointsThreshold: above this many endpoints the per-endpoint comments are omitted. */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;

const NAT_BUILTIN = ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'] as const;
const FILTER_BUILTIN = ['INPUT', 'FORWARD', 'OUTPUT'] as const;

/** `%0.10f` of 1/n, as computeProbability writes it. */
export function computeProbability(n: number): string {
  return (1 / n).toFixed(10);
}

/** Builds the match text in iptables-save order: addresses and -p first, then the modules. */
export function matchText(c: RuleCond, protoModule: boolean): string {
  const parts: string[] = [];
  if (c.src) parts.push(`${c.src.negate ? '! ' : ''}-s ${c.src.cidr}`);
  if (c.dst) parts.push(`${c.dst.negate ? '! ' : ''}-d ${c.dst.cidr}`);
  if (c.protocol) parts.push(`-p ${c.protocol}`);
  if (c.ctstate) parts.push(`-m conntrack ${c.ctstate.negate ? '! ' : ''}--ctstate ${c.ctstate.states}`);
  if (c.srcLocal) parts.push('-m addrtype --src-type LOCAL');
  if (c.dstLocal) parts.push('-m addrtype --dst-type LOCAL');
  if (c.mark) parts.push(`-m mark ${c.mark.negate ? '! ' : ''}--mark ${MASQ_MARK}/${MASQ_MARK}`);
  if (c.recent) {
    parts.push(
      c.recent.mode === 'rcheck'
        ? `-m recent --name ${c.recent.name} --rcheck --seconds ${c.recent.seconds ?? 0} --reap`
        : `-m recent --name ${c.recent.name} --set`,
    );
  }
  if (c.probability !== undefined) parts.push(`-m statistic --mode random --probability ${c.probability}`);
  if (c.matchSet)
    parts.push(`-m set ${c.matchSet.negate ? '! ' : ''}--match-set ${c.matchSet.name} ${c.matchSet.flags}`);
  if (c.protocol && (protoModule || c.dport !== undefined)) {
    parts.push(`-m ${c.protocol}${c.dport !== undefined ? ` --dport ${c.dport}` : ''}`);
  }
  return parts.join(' ');
}

export function mkRule(
  table: IptTable,
  chain: string,
  cond: RuleCond,
  target: string,
  opts: { comment?: string; targetArgs?: string; protoModule?: boolean } = {},
): IptablesRule {
  const rule: {
    table: IptTable;
    chain: string;
    match: string;
    target: string;
    cond: RuleCond;
    comment?: string;
    targetArgs?: string;
    probability?: string;
  } = { table, chain, match: matchText(cond, opts.protoModule ?? false), target, cond };
  if (opts.comment !== undefined) rule.comment = opts.comment;
  if (opts.targetArgs !== undefined) rule.targetArgs = opts.targetArgs;
  if (cond.probability !== undefined) rule.probability = cond.probability;
  return rule;
}

const quote = (s: string): string => (/[\s"]/.test(s) ? `"${s.replace(/"/g, '\\"')}"` : s);

/** One `-A` line as iptables-save prints it (comment after addresses/-p, or after --ctstate). */
export function ruleLine(r: IptablesRule): string {
  const tokens = [`-A ${r.chain}`];
  let match = r.match;
  if (r.comment !== undefined) {
    const comment = `-m comment --comment ${quote(r.comment)}`;
    // kube-proxy writes the comment first, except on the hook jumps where --ctstate precedes it.
    const builtin = (FILTER_BUILTIN as readonly string[]).includes(r.chain);
    const idx = match.search(builtin ? /-m (?!conntrack)/ : /-m /);
    match =
      idx < 0
        ? match
          ? `${match} ${comment}`
          : comment
        : `${match.slice(0, idx)}${comment} ${match.slice(idx)}`;
  }
  if (match) tokens.push(match.trim());
  if (r.target) tokens.push(`-j ${r.target}${r.targetArgs ? ` ${r.targetArgs}` : ''}`);
  return tokens.join(' ');
}

/** `iptables-save` text of one node's filter and nat tables (kube-proxy's rules and hooks). */
export function iptablesSave(node: NodeProxyRules): string {
  const out: string[] = [];
  const table = (name: IptTable, builtins: readonly string[], chains: NodeProxyRules['nat']): void => {
    out.push(`*${name}`);
    for (const b of builtins) out.push(`:${b} ACCEPT [0:0]`);
    for (const c of Object.keys(chains)) if (!builtins.includes(c)) out.push(`:${c} - [0:0]`);
    for (const rules of Object.values(chains)) for (const r of rules) out.push(ruleLine(r));
    out.push('COMMIT');
  };
  table('filter', FILTER_BUILTIN, node.filter);
  table('nat', NAT_BUILTIN, node.nat);
  return out.join('\n') + '\n';
}

/** Addresses the node's kernel treats as local (`-m addrtype --dst-type LOCAL`). */
export function nodeLocalAddresses(n: NodeInfo): IPv4[] {
  const out: IPv4[] = [n.internalIP];
  const c = parseCidr(n.podCIDR);
  // The CNI bridge (cni0 / cbr0) holds the first address of the node's pod CIDR.
  if (c) out.push(nthAddress(c, 1));
  return out;
}

interface ServiceBlock {
  natServices: IptablesRule[];
  natNodePorts: IptablesRule[];
  natChains: [string, IptablesRule[]][];
  filterServices: IptablesRule[];
  filterExternal: IptablesRule[];
  filterNodePorts: IptablesRule[];
  filterFirewall: IptablesRule[];
}

interface BuildCtx {
  readonly clusterCIDR: string;
  readonly largeClusterMode: boolean;
  readonly nodeIP: IPv4;
}

function writeServiceToEndpointRules(
  sp: ServicePortInfo,
  chain: string,
  endpoints: readonly EndpointInfo[],
  ctx: BuildCtx,
): IptablesRule[] {
  const rules: IptablesRule[] = [];
  const comment = (e: EndpointInfo): string | undefined =>
    ctx.largeClusterMode ? undefined : `${sp.nameString} -> ${e.str}`;
  if (sp.stickyMaxAgeSeconds !== null) {
    for (const e of endpoints) {
      const c = comment(e);
      rules.push(
        mkRule(
          'nat',
          chain,
          { recent: { name: e.sepChain, mode: 'rcheck', seconds: sp.stickyMaxAgeSeconds } },
          e.sepChain,
          c === undefined ? {} : { comment: c },
        ),
      );
    }
  }
  const n = endpoints.length;
  endpoints.forEach((e, i) => {
    const c = comment(e);
    const cond: RuleCond = i < n - 1 ? { probability: computeProbability(n - i) } : {};
    rules.push(mkRule('nat', chain, cond, e.sepChain, c === undefined ? {} : { comment: c }));
  });
  return rules;
}

function buildServiceBlock(sp: ServicePortInfo, nodeName: string, ctx: BuildCtx): ServiceBlock {
  const b: ServiceBlock = {
    natServices: [],
    natNodePorts: [],
    natChains: [],
    filterServices: [],
    filterExternal: [],
    filterNodePorts: [],
    filterFirewall: [],
  };
  const p = sp.proto;
  const name = sp.nameString;
  const { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints } = categorizeEndpoints(
    sp,
    nodeName,
  );
  const hasEndpoints = hasAnyEndpoints;
  const usesClusterPolicyChain = clusterEndpoints.length > 0 && usesClusterEndpoints(sp);
  const usesLocalPolicyChain = localEndpoints.length > 0 && usesLocalEndpoints(sp);

  let internalPolicyChain = sp.svcChain;
  let hasInternalEndpoints = hasEndpoints;
  if (sp.internalPolicyLocal) {
    internalPolicyChain = sp.svlChain;
    if (localEndpoints.length === 0) hasInternalEndpoints = false;
  }
  let externalPolicyChain = sp.svcChain;
  let hasExternalEndpoints = hasEndpoints;
  if (sp.externalPolicyLocal) {
    externalPolicyChain = sp.svlChain;
    if (localEndpoints.length === 0) hasExternalEndpoints = false;
  }
  const externalTrafficChain = sp.extChain;
  const usesExternalTrafficChain = hasEndpoints && externallyAccessible(sp);
  const usesFWChain =
    hasEndpoints && sp.loadBalancerVIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0;
  const loadBalancerTrafficChain = usesFWChain ? sp.fwChain : externalTrafficChain;

  let internalFilterTarget = '';
  let internalFilterComment = '';
  let externalFilterTarget = '';
  let externalFilterComment = '';
  if (!hasEndpoints) {
    internalFilterTarget = 'REJECT';
    internalFilterComment = `${name} has no endpoints`;
    externalFilterTarget = 'REJECT';
    externalFilterComment = internalFilterComment;
  } else {
    if (!hasInternalEndpoints) {
      internalFilterTarget = 'DROP';
      internalFilterComment = `${name} has no local endpoints`;
    }
    if (!hasExternalEndpoints) {
      externalFilterTarget = 'DROP';
      externalFilterComment = `${name} has no local endpoints`;
    }
  }

  const vip = (ip: IPv4, port: number): RuleCond => ({ dst: { cidr: `${ip}/32` }, protocol: p, dport: port });

  // Capture the ClusterIP.
  if (hasInternalEndpoints) {
    b.natServices.push(
      mkRule('nat', 'KUBE-SERVICES', vip(sp.clusterIP, sp.port), internalPolicyChain, {
        comment: `${name} cluster IP`,
      }),
    );
  } else {
    b.filterServices.push(
      mkRule('filter', 'KUBE-SERVICES', vip(sp.clusterIP, sp.port), internalFilterTarget, {
        comment: internalFilterComment,
      }),
    );
  }
  // Capture externalIPs.
  for (const ip of sp.externalIPs) {
    if (hasEndpoints) {
      b.natServices.push(
        mkRule('nat', 'KUBE-SERVICES', vip(ip, sp.port), externalTrafficChain, {
          comment: `${name} external IP`,
        }),
      );
    }
    if (!hasExternalEndpoints) {
      b.filterExternal.push(
        mkRule('filter', 'KUBE-EXTERNAL-SERVICES', vip(ip, sp.port), externalFilterTarget, {
          comment: externalFilterComment,
        }),
      );
    }
  }
  // Capture load-balancer ingress.
  for (const ip of sp.loadBalancerVIPs) {
    if (hasEndpoints) {
      b.natServices.push(
        mkRule('nat', 'KUBE-SERVICES', vip(ip, sp.port), loadBalancerTrafficChain, {
          comment: `${name} loadbalancer IP`,
        }),
      );
    }
    if (usesFWChain) {
      b.filterFirewall.push(
        mkRule('filter', 'KUBE-PROXY-FIREWALL', vip(ip, sp.port), 'DROP', {
          comment: `${name} traffic not accepted by ${sp.fwChain}`,
        }),
      );
    }
  }
  if (!hasExternalEndpoints) {
    for (const ip of sp.loadBalancerVIPs) {
      b.filterExternal.push(
        mkRule('filter', 'KUBE-EXTERNAL-SERVICES', vip(ip, sp.port), externalFilterTarget, {
          comment: externalFilterComment,
        }),
      );
    }
  }
  // Capture node ports.
  if (sp.nodePort !== 0) {
    if (hasEndpoints) {
      b.natNodePorts.push(
        mkRule('nat', 'KUBE-NODEPORTS', { protocol: p, dport: sp.nodePort }, externalTrafficChain, {
          comment: name,
        }),
      );
    }
    if (!hasExternalEndpoints) {
      b.filterExternal.push(
        mkRule(
          'filter',
          'KUBE-EXTERNAL-SERVICES',
          { dstLocal: true, protocol: p, dport: sp.nodePort },
          externalFilterTarget,
          {
            comment: externalFilterComment,
          },
        ),
      );
    }
  }
  if (sp.healthCheckNodePort !== 0) {
    b.filterNodePorts.push(
      mkRule('filter', 'KUBE-NODEPORTS', { protocol: 'tcp', dport: sp.healthCheckNodePort }, 'ACCEPT', {
        comment: `${name} health check node port`,
      }),
    );
  }

  const svcRules: IptablesRule[] = [];
  const svlRules: IptablesRule[] = [];
  const internalRules = internalPolicyChain === sp.svcChain ? svcRules : svlRules;
  // Internal traffic: masquerade off-cluster sources (LocalTrafficDetector by cluster CIDR, the
  // default), so that a node routing the Service range for outside clients gets replies back.
  if (hasInternalEndpoints) {
    internalRules.push(
      mkRule(
        'nat',
        internalPolicyChain,
        { src: { cidr: ctx.clusterCIDR, negate: true }, ...vip(sp.clusterIP, sp.port) },
        'KUBE-MARK-MASQ',
        { comment: `${name} cluster IP` },
      ),
    );
  }
  const extRules: IptablesRule[] = [];
  if (usesExternalTrafficChain) {
    if (!sp.externalPolicyLocal) {
      // Cluster policy: the endpoint may be on another node, so masquerade.
      extRules.push(
        mkRule('nat', externalTrafficChain, {}, 'KUBE-MARK-MASQ', {
          comment: `masquerade traffic for ${name} external destinations`,
        }),
      );
    } else {
      extRules.push(
        mkRule('nat', externalTrafficChain, { src: { cidr: ctx.clusterCIDR } }, sp.svcChain, {
          comment: `pod traffic for ${name} external destinations`,
        }),
      );
      extRules.push(
        mkRule('nat', externalTrafficChain, { srcLocal: true }, 'KUBE-MARK-MASQ', {
          comment: `masquerade LOCAL traffic for ${name} external destinations`,
        }),
      );
      extRules.push(
        mkRule('nat', externalTrafficChain, { srcLocal: true }, sp.svcChain, {
          comment: `route LOCAL traffic for ${name} external destinations`,
        }),
      );
    }
    if (hasExternalEndpoints) extRules.push(mkRule('nat', externalTrafficChain, {}, externalPolicyChain));
  }
  const fwRules: IptablesRule[] = [];
  if (usesFWChain) {
    let allowFromNode = false;
    for (const cidr of sp.loadBalancerSourceRanges) {
      fwRules.push(
        mkRule('nat', sp.fwChain, { src: { cidr } }, externalTrafficChain, {
          comment: `${name} loadbalancer IP`,
        }),
      );
      const pc = parseCidr(cidr);
      if (pc && (ipInt(ctx.nodeIP) & pc.mask) >>> 0 === pc.base) allowFromNode = true;
    }
    if (allowFromNode) {
      for (const ip of sp.loadBalancerVIPs) {
        fwRules.push(
          mkRule('nat', sp.fwChain, { src: { cidr: `${ip}/32` } }, externalTrafficChain, {
            comment: `${name} loadbalancer IP`,
          }),
        );
      }
    }
    fwRules.push(
      mkRule('nat', sp.fwChain, {}, '', {
        comment: `other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL`,
      }),
    );
  }
  if (usesClusterPolicyChain)
    svcRules.push(...writeServiceToEndpointRules(sp, sp.svcChain, clusterEndpoints, ctx));
  if (usesLocalPolicyChain)
    svlRules.push(...writeServiceToEndpointRules(sp, sp.svlChain, localEndpoints, ctx));

  if (usesExternalTrafficChain) b.natChains.push([externalTrafficChain, extRules]);
  if (usesFWChain) b.natChains.push([sp.fwChain, fwRules]);
  if (usesClusterPolicyChain) b.natChains.push([sp.svcChain, svcRules]);
  if (usesLocalPolicyChain) b.natChains.push([sp.svlChain, svlRules]);

  for (const e of allReachableEndpoints) {
    const c = ctx.largeClusterMode ? {} : { comment: name };
    const sep: IptablesRule[] = [
      // Hairpin: a pod reaching itself through the Service must be masqueraded, or its reply
      // would go straight back to itself and be dropped.
      mkRule('nat', e.sepChain, { src: { cidr: `${e.ip}/32` } }, 'KUBE-MARK-MASQ', c),
    ];
    const cond: RuleCond =
      sp.stickyMaxAgeSeconds !== null
        ? { protocol: p, recent: { name: e.sepChain, mode: 'set' } }
        : { protocol: p };
    sep.push(
      mkRule('nat', e.sepChain, cond, 'DNAT', {
        ...c,
        targetArgs: `--to-destination ${e.str}`,
        protoModule: true,
      }),
    );
    b.natChains.push([e.sepChain, sep]);
  }
  return b;
}

function ipInt(ip: string): number {
  const p = ip.split('.');
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

/** The rules kube-proxy writes on one node in iptables mode. */
export function buildIptablesNode(
  node: NodeInfo,
  servicePorts: readonly ServicePortInfo[],
  clusterCIDR: string,
  shared: Map<ServicePortInfo, ServiceBlock>,
): NodeProxyRules {
  const totalEndpoints = servicePorts.reduce((n, sp) => n + sp.endpoints.length, 0);
  const ctx: BuildCtx = {
    clusterCIDR,
    largeClusterMode: totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
    nodeIP: node.internalIP,
  };
  const nat: Record<string, IptablesRule[]> = {
    PREROUTING: [mkRule('nat', 'PREROUTING', {}, 'KUBE-SERVICES', { comment: 'kubernetes service portals' })],
    OUTPUT: [mkRule('nat', 'OUTPUT', {}, 'KUBE-SERVICES', { comment: 'kubernetes service portals' })],
    POSTROUTING: [
      mkRule('nat', 'POSTROUTING', {}, 'KUBE-POSTROUTING', { comment: 'kubernetes postrouting rules' }),
    ],
    'KUBE-SERVICES': [],
    'KUBE-NODEPORTS': [],
    'KUBE-POSTROUTING': [
      mkRule('nat', 'KUBE-POSTROUTING', { mark: { negate: true } }, 'RETURN'),
      mkRule('nat', 'KUBE-POSTROUTING', {}, 'MARK', { targetArgs: `--xor-mark ${MASQ_MARK}` }),
      mkRule('nat', 'KUBE-POSTROUTING', {}, 'MASQUERADE', {
        comment: 'kubernetes service traffic requiring SNAT',
        targetArgs: '--random-fully',
      }),
    ],
    'KUBE-MARK-MASQ': [mkRule('nat', 'KUBE-MARK-MASQ', {}, 'MARK', { targetArgs: `--or-mark ${MASQ_MARK}` })],
  };
  const newState = { ctstate: { states: 'NEW' } } as const;
  const filter: Record<string, IptablesRule[]> = {
    // Jump order as found on a node where kubelet created KUBE-FIREWALL before kube-proxy prepended its jumps.
    INPUT: [
      mkRule('filter', 'INPUT', newState, 'KUBE-PROXY-FIREWALL', {
        comment: 'kubernetes load balancer firewall',
      }),
      mkRule('filter', 'INPUT', {}, 'KUBE-NODEPORTS', { comment: 'kubernetes health check service ports' }),
      mkRule('filter', 'INPUT', newState, 'KUBE-EXTERNAL-SERVICES', {
        comment: 'kubernetes externally-visible service portals',
      }),
      mkRule('filter', 'INPUT', {}, 'KUBE-FIREWALL'),
    ],
    FORWARD: [
      mkRule('filter', 'FORWARD', newState, 'KUBE-PROXY-FIREWALL', {
        comment: 'kubernetes load balancer firewall',
      }),
      mkRule('filter', 'FORWARD', {}, 'KUBE-FORWARD', { comment: 'kubernetes forwarding rules' }),
      mkRule('filter', 'FORWARD', newState, 'KUBE-SERVICES', { comment: 'kubernetes service portals' }),
      mkRule('filter', 'FORWARD', newState, 'KUBE-EXTERNAL-SERVICES', {
        comment: 'kubernetes externally-visible service portals',
      }),
    ],
    OUTPUT: [
      mkRule('filter', 'OUTPUT', newState, 'KUBE-PROXY-FIREWALL', {
        comment: 'kubernetes load balancer firewall',
      }),
      mkRule('filter', 'OUTPUT', newState, 'KUBE-SERVICES', { comment: 'kubernetes service portals' }),
      mkRule('filter', 'OUTPUT', {}, 'KUBE-FIREWALL'),
    ],
    'KUBE-SERVICES': [],
    'KUBE-EXTERNAL-SERVICES': [],
    'KUBE-FORWARD': [],
    'KUBE-NODEPORTS': [],
    'KUBE-PROXY-FIREWALL': [],
    'KUBE-FIREWALL': [
      // localhostNodePorts (default true) mitigation of https://issue.k8s.io/90259.
      mkRule(
        'filter',
        'KUBE-FIREWALL',
        {
          dst: { cidr: '127.0.0.0/8' },
          src: { cidr: '127.0.0.0/8', negate: true },
          ctstate: { states: 'RELATED,ESTABLISHED,DNAT', negate: true },
        },
        'DROP',
        { comment: 'block incoming localnet connections' },
      ),
    ],
  };
  const natServices = nat['KUBE-SERVICES'] as IptablesRule[];
  const natNodePorts = nat['KUBE-NODEPORTS'] as IptablesRule[];
  const push = (target: IptablesRule[], src: readonly IptablesRule[]): void => {
    for (const r of src) target.push(r);
  };
  for (const sp of servicePorts) {
    // Only Local traffic policies make a Service's rules depend on the node.
    let block = usesLocalEndpoints(sp) ? undefined : shared.get(sp);
    if (!block) {
      block = buildServiceBlock(sp, node.name, ctx);
      if (!usesLocalEndpoints(sp) && !(sp.loadBalancerSourceRanges.length > 0)) shared.set(sp, block);
    }
    push(natServices, block.natServices);
    push(natNodePorts, block.natNodePorts);
    for (const [chain, rules] of block.natChains) nat[chain] = rules as IptablesRule[];
    push(filter['KUBE-SERVICES'] as IptablesRule[], block.filterServices);
    push(filter['KUBE-EXTERNAL-SERVICES'] as IptablesRule[], block.filterExternal);
    push(filter['KUBE-NODEPORTS'] as IptablesRule[], block.filterNodePorts);
    push(filter['KUBE-PROXY-FIREWALL'] as IptablesRule[], block.filterFirewall);
  }
  // Tail-call to KUBE-NODEPORTS for local destinations; must be the last rule of KUBE-SERVICES.
  natServices.push(
    mkRule('nat', 'KUBE-SERVICES', { dstLocal: true }, 'KUBE-NODEPORTS', {
      comment: 'kubernetes service nodeports; NOTE: this must be the last rule in this chain',
    }),
  );
  const fwd = filter['KUBE-FORWARD'] as IptablesRule[];
  fwd.push(mkRule('filter', 'KUBE-FORWARD', { ctstate: { states: 'INVALID' } }, 'DROP'));
  fwd.push(
    mkRule('filter', 'KUBE-FORWARD', { mark: { negate: false } }, 'ACCEPT', {
      comment: 'kubernetes forwarding rules',
    }),
  );
  fwd.push(
    mkRule('filter', 'KUBE-FORWARD', { ctstate: { states: 'RELATED,ESTABLISHED' } }, 'ACCEPT', {
      comment: 'kubernetes forwarding conntrack rule',
    }),
  );
  return {
    node: node.name,
    internalIP: node.internalIP,
    localAddresses: nodeLocalAddresses(node),
    nat,
    filter,
  };
}

export type { ServiceBlock };
