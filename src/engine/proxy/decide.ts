// What happens to one new connection at a node's netfilter: walk the nat table from PREROUTING
// (or OUTPUT for the host's own traffic) as the kernel would, then, if nothing DNATed the packet,
// the filter table where kube-proxy REJECTs/DROPs Service addresses it cannot serve.
// Evaluation follows iptables semantics: a user chain that runs off its end returns to the
// caller; MARK and recent --set do not terminate; DNAT/ACCEPT/REJECT/DROP/MASQUERADE do.
import { parseCidr, ipToInt, type IPv4 } from '../net/ip';
import { ruleLine } from './iptablesRules';
import type {
  IptablesRule,
  IptTable,
  NodeProxyRules,
  ProxyOutcome,
  ProxyPacket,
  ProxyRules,
  ProxyState,
  RuleCond,
  RuleHit,
} from './types';

type Recent = Record<string, Record<string, number>>;

interface WalkCtx {
  readonly node: NodeProxyRules;
  readonly pkt: ProxyPacket;
  readonly srcLocal: boolean;
  readonly dstLocal: boolean;
  readonly rng: () => number;
  readonly now: number;
  /** Copy-on-write xt_recent lists of this node. */
  recent: Recent;
  recentChanged: boolean;
  mark: boolean;
  traversed: number;
  /** IPVS mode: ipset name → members (as `ipset list` prints them). */
  readonly ipsets: ReadonlyMap<string, ReadonlySet<string>> | null;
  readonly hits: RuleHit[];
}

type Terminal =
  | { kind: 'DNAT'; to: string; chain: string }
  | { kind: 'REJECT' | 'DROP' | 'ACCEPT' | 'MASQUERADE'; rule: IptablesRule };

const cidrCache = new Map<string, ReturnType<typeof parseCidr>>();
function inCidr(cidr: string, ip: IPv4): boolean {
  if (cidr.endsWith('/32')) return cidr.length === ip.length + 3 && cidr.startsWith(ip);
  let c = cidrCache.get(cidr);
  if (c === undefined) {
    c = parseCidr(cidr);
    cidrCache.set(cidr, c);
  }
  return c !== null && (ipToInt(ip) & c.mask) >>> 0 === c.base;
}

/** Matches other than statistic/recent (those have side effects and are evaluated last). */
function staticMatch(c: RuleCond, ctx: WalkCtx): boolean {
  const pkt = ctx.pkt;
  if (c.dst && inCidr(c.dst.cidr, pkt.dstIP) === !!c.dst.negate) return false;
  if (c.protocol && c.protocol !== pkt.protocol.toLowerCase()) return false;
  if (c.dport !== undefined && c.dport !== pkt.dstPort) return false;
  if (c.src && inCidr(c.src.cidr, pkt.srcIP) === !!c.src.negate) return false;
  if (c.dstLocal && !ctx.dstLocal) return false;
  if (c.srcLocal && !ctx.srcLocal) return false;
  if (c.mark && ctx.mark === c.mark.negate) return false;
  if (c.ctstate) {
    // Every packet decided here opens a new connection.
    const isNew = c.ctstate.states.split(',').includes('NEW');
    if (isNew === !!c.ctstate.negate) return false;
  }
  if (c.matchSet) {
    const members = ctx.ipsets?.get(c.matchSet.name);
    const hit = members !== undefined && members.has(ipsetKey(c.matchSet.name, c.matchSet.flags, pkt));
    if (hit === !!c.matchSet.negate) return false;
  }
  return true;
}

/** The member an `-m set --match-set NAME flags` lookup lets the kernel test for this packet. */
export function ipsetKey(name: string, flags: string, pkt: ProxyPacket): string {
  const proto = pkt.protocol.toLowerCase();
  if (flags === 'dst,dst,src') return `${pkt.dstIP},${proto}:${pkt.dstPort},${pkt.srcIP}`;
  if (flags === 'dst,dst') return `${pkt.dstIP},${proto}:${pkt.dstPort}`;
  if (flags === 'src,dst') return `${pkt.srcIP},${proto}:${pkt.dstPort}`;
  // 'dst' on a bitmap:port set is the port; on a hash:ip set the address.
  return name === 'KUBE-IPVS-IPS' ? pkt.dstIP : String(pkt.dstPort);
}

function recentMatch(c: RuleCond, ctx: WalkCtx): boolean {
  const r = c.recent;
  if (!r) return true;
  const list = ctx.recent[r.name];
  const src = ctx.pkt.srcIP;
  if (r.mode === 'set') {
    ctx.recent = { ...ctx.recent, [r.name]: { ...(list ?? {}), [src]: ctx.now } };
    ctx.recentChanged = true;
    return true;
  }
  const seconds = r.seconds ?? 0;
  // xt_recent --rcheck --seconds N: seen within the last N seconds; --reap drops older entries.
  const last = list?.[src];
  if (list && Object.values(list).some((t) => ctx.now - t >= seconds)) {
    const kept: Record<string, number> = {};
    for (const [ip, t] of Object.entries(list)) if (ctx.now - t < seconds) kept[ip] = t;
    ctx.recent = { ...ctx.recent, [r.name]: kept };
    ctx.recentChanged = true;
  }
  return last !== undefined && ctx.now - last < seconds;
}

function walkChain(table: IptTable, chain: string, ctx: WalkCtx, depth: number): Terminal | null {
  const chains = table === 'nat' ? ctx.node.nat : ctx.node.filter;
  const rules = chains[chain];
  if (!rules || depth > 16) return null;
  let evaluated = 0;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as IptablesRule;
    evaluated++;
    ctx.traversed++;
    if (!staticMatch(r.cond, ctx)) continue;
    const hit = (verdict: RuleHit['verdict']): void => {
      ctx.hits.push({ table, chain, index: i, line: ruleLine(r), verdict, evaluated });
    };
    if (r.cond.recent?.mode === 'rcheck' && !recentMatch(r.cond, ctx)) {
      hit('nomatch');
      continue;
    }
    if (r.cond.probability !== undefined && !(ctx.rng() < Number(r.cond.probability))) {
      hit('nomatch');
      continue;
    }
    if (r.cond.recent?.mode === 'set') recentMatch(r.cond, ctx);
    switch (r.target) {
      case '':
        continue;
      case 'MARK':
        if (r.targetArgs?.startsWith('--or-mark')) ctx.mark = true;
        else if (r.targetArgs?.startsWith('--xor-mark')) ctx.mark = false;
        hit('mark');
        continue;
      case 'RETURN':
        hit('return');
        return null;
      case 'DNAT':
        hit('dnat');
        return { kind: 'DNAT', to: (r.targetArgs ?? '').replace('--to-destination ', ''), chain };
      case 'MASQUERADE':
        hit('masquerade');
        return { kind: 'MASQUERADE', rule: r };
      case 'REJECT':
        hit('reject');
        return { kind: 'REJECT', rule: r };
      case 'DROP':
        hit('drop');
        return { kind: 'DROP', rule: r };
      case 'ACCEPT':
        hit('accept');
        return { kind: 'ACCEPT', rule: r };
      default: {
        hit('jump');
        const t = walkChain(table, r.target, ctx, depth + 1);
        if (t) return t;
      }
    }
  }
  return null;
}

export function isLocalAddress(node: NodeProxyRules, ip: IPv4): boolean {
  return node.localAddresses.includes(ip) || ip.startsWith('127.');
}

export function newWalkCtx(
  node: NodeProxyRules,
  state: ProxyState,
  pkt: ProxyPacket,
  rng: () => number,
  now: number,
  ipsets: ReadonlyMap<string, ReadonlySet<string>> | null = null,
): WalkCtx {
  return {
    ipsets,
    node,
    pkt,
    srcLocal: isLocalAddress(node, pkt.srcIP),
    dstLocal: isLocalAddress(node, pkt.dstIP),
    rng,
    now,
    recent: (state.recent[node.node] ?? {}) as Recent,
    recentChanged: false,
    mark: false,
    traversed: 0,
    hits: [],
  };
}

export type { WalkCtx, Terminal };

export function walk(table: IptTable, chain: string, ctx: WalkCtx): Terminal | null {
  return walkChain(table, chain, ctx, 0);
}

export function withRecent(state: ProxyState, ctx: WalkCtx): ProxyState {
  return ctx.recentChanged ? { ...state, recent: { ...state.recent, [ctx.node.node]: ctx.recent } } : state;
}

/** The iptables-mode decision for one new connection arriving at (or leaving) `pkt.node`. */
export function iptablesDecide(
  rules: ProxyRules,
  state: ProxyState,
  pkt: ProxyPacket,
  rng: () => number,
  now: number,
): { state: ProxyState; outcome: ProxyOutcome } {
  const node = rules.nodes.find((n) => n.node === pkt.node);
  if (!node) {
    return {
      state,
      outcome: { action: 'none', reason: `unknown node ${pkt.node}`, walked: [], rulesTraversed: 0 },
    };
  }
  const ctx = newWalkCtx(node, state, pkt, rng, now);
  // The host's own connections enter nat at OUTPUT, everything else at PREROUTING.
  const natHook = ctx.srcLocal ? 'OUTPUT' : 'PREROUTING';
  const t = walk('nat', natHook, ctx);
  if (t && t.kind === 'DNAT') {
    const sep = rules.chains[t.chain];
    const ep = rules.endpoints[t.to];
    const [ip, port] = t.to.split(':') as [IPv4, string];
    // POSTROUTING: KUBE-POSTROUTING masquerades what KUBE-MARK-MASQ marked.
    const marked = ctx.mark;
    walk('nat', 'POSTROUTING', ctx);
    const next = withRecent(state, ctx);
    return {
      state: next,
      outcome: {
        action: 'dnat',
        endpoint: { ip, port: Number(port), pod: ep?.pod ?? '', nodeName: ep?.nodeName ?? '' },
        masquerade: marked ? (pkt.srcIP === ip ? 'hairpin' : 'node') : false,
        service: sep?.servicePort ?? '',
        walked: ctx.hits,
        rulesTraversed: ctx.traversed,
      },
    };
  }
  // Not DNATed: the filter table decides whether kube-proxy refuses or drops it.
  const filterHook = ctx.dstLocal ? 'INPUT' : ctx.srcLocal ? 'OUTPUT' : 'FORWARD';
  const f = walk('filter', filterHook, ctx);
  const next = withRecent(state, ctx);
  const base = { walked: ctx.hits, rulesTraversed: ctx.traversed };
  if (f && f.kind === 'REJECT') {
    return { state: next, outcome: { action: 'reject', reason: f.rule.comment ?? 'rejected', ...base } };
  }
  if (f && f.kind === 'DROP') {
    return { state: next, outcome: { action: 'drop', reason: f.rule.comment ?? 'dropped', ...base } };
  }
  return {
    state: next,
    outcome: {
      action: 'none',
      reason:
        'no kube-proxy rule matches this destination, port and protocol: the packet is routed unchanged ' +
        '(a ClusterIP is not an address of any host, so in iptables mode nothing answers: timeout)',
      ...base,
    },
  };
}
