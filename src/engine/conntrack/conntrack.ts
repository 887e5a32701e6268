// The kernel's connection tracking table (nf_conntrack) as plain data: entries with their original
// and reply tuples, per-protocol timeouts in virtual seconds, a size limit (nf_conntrack_max) and
// `conntrack -L` formatting. Sources: https://docs.kernel.org/networking/nf_conntrack-sysctl.html,
// kube-proxy's conntrack settings (pkg/proxy/apis/config: conntrack.maxPerCore, min,
// tcpEstablishedTimeout, tcpCloseWaitTimeout) and conntrack-tools' output format.
import type { IPv4 } from '../net/ip';
import type { Protocol } from '../types';

export interface ConntrackTuple {
  readonly src: IPv4;
  readonly dst: IPv4;
  readonly sport: number;
  readonly dport: number;
}

export type TcpState =
  'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'CLOSE_WAIT' | 'LAST_ACK' | 'TIME_WAIT' | 'CLOSE';

export interface ConntrackEntry {
  readonly protocol: Protocol;
  /** TCP state; UDP/SCTP entries have none here (conntrack -L prints no state for UDP). */
  readonly state: TcpState | null;
  /** Direction of the first packet, before NAT. */
  readonly original: ConntrackTuple;
  /** Expected answer, after NAT: a DNAT shows as the reply's src, an SNAT as the reply's dst. */
  readonly reply: ConntrackTuple;
  /** A reply has been seen (otherwise [UNREPLIED]). */
  readonly replied: boolean;
  /** [ASSURED]: seen in both directions (TCP: handshake completed); never evicted by early_drop. */
  readonly assured: boolean;
  readonly mark: number;
  /** Virtual time (seconds) at which the entry times out. */
  readonly expires: number;
}

export interface ConntrackTable {
  readonly entries: readonly ConntrackEntry[];
  /** net.netfilter.nf_conntrack_max */
  readonly max: number;
}

export interface ConntrackTimeouts {
  readonly tcp: Readonly<Record<TcpState, number>>;
  /** nf_conntrack_udp_timeout: a UDP flow seen in one direction only. */
  readonly udp: number;
  /** nf_conntrack_udp_timeout_stream: a UDP flow that got replies (ASSURED). */
  readonly udpStream: number;
  readonly sctp: number;
}

/**
 * Kernel defaults, except the two kube-proxy sets on start: established 86400 s (24h, the kernel's
 * own default is 432000 s = 5 days) and close_wait 3600 s (1h, kernel 60 s).
 */
export const KUBE_PROXY_TIMEOUTS: ConntrackTimeouts = {
  tcp: {
    SYN_SENT: 120,
    SYN_RECV: 60,
    ESTABLISHED: 86400,
    FIN_WAIT: 120,
    CLOSE_WAIT: 3600,
    LAST_ACK: 30,
    TIME_WAIT: 120,
    CLOSE: 10,
  },
  udp: 30,
  udpStream: 120,
  sctp: 210,
};

export const KERNEL_TCP_ESTABLISHED_TIMEOUT = 432000;

/** kube-proxy's nf_conntrack_max: max(maxPerCore × cores, min) with defaults 32768 and 131072. */
export function kubeProxyConntrackMax(cores: number, maxPerCore = 32768, min = 131072): number {
  return Math.max(maxPerCore * cores, min);
}

export function emptyConntrack(max: number): ConntrackTable {
  return { entries: [], max };
}

/**
 * The table under a new net.netfilter.nf_conntrack_max (same reference when unchanged). The sysctl
 * takes effect at once: entries already tracked stay until they time out, and while their count
 * is at or above the new limit every new connection meets a full table (nf_conntrack_core.c
 * compares the live count with nf_conntrack_max on each allocation).
 */
export function withMax(table: ConntrackTable, max: number): ConntrackTable {
  return table.max === max ? table : { ...table, max };
}

export const invertTuple = (t: ConntrackTuple): ConntrackTuple => ({
  src: t.dst,
  dst: t.src,
  sport: t.dport,
  dport: t.sport,
});

/** Reply tuple of a connection after DNAT (to a backend) and/or SNAT (masquerade to an address/port). */
export function natReplyTuple(
  original: ConntrackTuple,
  nat: { readonly dnat?: { ip: IPv4; port: number }; readonly snat?: { ip: IPv4; port?: number } } = {},
): ConntrackTuple {
  return {
    src: nat.dnat?.ip ?? original.dst,
    dst: nat.snat?.ip ?? original.src,
    sport: nat.dnat?.port ?? original.dport,
    dport: nat.snat?.port ?? original.sport,
  };
}

function timeoutOf(
  protocol: Protocol,
  state: TcpState | null,
  assured: boolean,
  t: ConntrackTimeouts,
): number {
  if (protocol === 'TCP') return t.tcp[state ?? 'SYN_SENT'];
  if (protocol === 'UDP') return assured ? t.udpStream : t.udp;
  return t.sctp;
}

const sameTuple = (a: ConntrackTuple, b: ConntrackTuple): boolean =>
  a.src === b.src && a.dst === b.dst && a.sport === b.sport && a.dport === b.dport;

/** Entries that have not yet timed out at `now` (same reference when none expired). */
export function expire(table: ConntrackTable, now: number): ConntrackTable {
  const live = table.entries.filter((e) => e.expires > now);
  return live.length === table.entries.length ? table : { ...table, entries: live };
}

/** The entry a packet with this tuple belongs to, in either direction. */
export function lookup(
  table: ConntrackTable,
  protocol: Protocol,
  tuple: ConntrackTuple,
  now: number,
): ConntrackEntry | null {
  for (const e of table.entries) {
    if (e.protocol !== protocol || e.expires <= now) continue;
    if (sameTuple(e.original, tuple) || sameTuple(e.reply, tuple)) return e;
  }
  return null;
}

export interface NewConnection {
  readonly protocol: Protocol;
  readonly original: ConntrackTuple;
  /** Defaults to the inverse of `original` (no NAT). */
  readonly reply?: ConntrackTuple;
  readonly state?: TcpState;
  readonly mark?: number;
}

/**
 * Account one packet: 'existing' refreshes the entry it belongs to; 'new' inserts an entry;
 * 'full' is the kernel's "nf_conntrack: table full, dropping packet" once nf_conntrack_max entries
 * exist and early_drop finds no un-ASSURED entry to evict.
 */
export function track(
  table: ConntrackTable,
  conn: NewConnection,
  now: number,
  timeouts: ConntrackTimeouts = KUBE_PROXY_TIMEOUTS,
): { table: ConntrackTable; result: 'new' | 'existing' | 'full' } {
  const live = expire(table, now);
  const idx = live.entries.findIndex(
    (e) =>
      e.protocol === conn.protocol &&
      (sameTuple(e.original, conn.original) || sameTuple(e.reply, conn.original)),
  );
  if (idx >= 0) {
    const e = live.entries[idx] as ConntrackEntry;
    const refreshed: ConntrackEntry = {
      ...e,
      expires: now + timeoutOf(e.protocol, e.state, e.assured, timeouts),
    };
    const entries = live.entries.slice();
    entries[idx] = refreshed;
    return { table: { ...live, entries }, result: 'existing' };
  }
  let entries = live.entries;
  if (entries.length >= live.max) {
    // early_drop: evict one entry that is not ASSURED (the oldest-expiring here); assured ones stay.
    let victim = -1;
    entries.forEach((e, i) => {
      if (!e.assured && (victim < 0 || e.expires < (entries[victim] as ConntrackEntry).expires)) victim = i;
    });
    if (victim < 0) return { table: live, result: 'full' };
    entries = entries.filter((_, i) => i !== victim);
  }
  const state = conn.protocol === 'TCP' ? (conn.state ?? 'SYN_SENT') : null;
  const assured = state === 'ESTABLISHED';
  const entry: ConntrackEntry = {
    protocol: conn.protocol,
    state,
    original: conn.original,
    reply: conn.reply ?? invertTuple(conn.original),
    replied: assured,
    assured,
    mark: conn.mark ?? 0,
    expires: now + timeoutOf(conn.protocol, state, assured, timeouts),
  };
  return { table: { ...live, entries: [...entries, entry] }, result: 'new' };
}

/**
 * A reply (or the next TCP state) was seen: marks the entry replied, ASSURED once a TCP connection
 * is ESTABLISHED or a UDP flow has answered, and restarts its timeout for the new state.
 */
export function update(
  table: ConntrackTable,
  protocol: Protocol,
  tuple: ConntrackTuple,
  change: { readonly state?: TcpState; readonly replied?: boolean },
  now: number,
  timeouts: ConntrackTimeouts = KUBE_PROXY_TIMEOUTS,
): ConntrackTable {
  const entries = table.entries.map((e) => {
    if (e.protocol !== protocol || e.expires <= now) return e;
    if (!sameTuple(e.original, tuple) && !sameTuple(e.reply, tuple)) return e;
    const state = protocol === 'TCP' ? (change.state ?? e.state) : null;
    const replied = e.replied || change.replied === true || state === 'ESTABLISHED';
    const assured = e.assured || (protocol === 'TCP' ? state === 'ESTABLISHED' : replied);
    return { ...e, state, replied, assured, expires: now + timeoutOf(protocol, state, assured, timeouts) };
  });
  return { ...table, entries };
}

const PROTO_NUM: Readonly<Record<Protocol, number>> = { TCP: 6, UDP: 17, SCTP: 132 };

const tupleText = (t: ConntrackTuple): string =>
  `src=${t.src} dst=${t.dst} sport=${t.sport} dport=${t.dport}`;

/** One line of `conntrack -L` (conntrack-tools: "%-8s %u %lu", state, tuples, flags, mark, use). */
export function formatConntrack(e: ConntrackEntry, now: number): string {
  const remaining = Math.max(0, Math.floor(e.expires - now));
  const parts = [`${e.protocol.toLowerCase().padEnd(8)} ${PROTO_NUM[e.protocol]} ${remaining}`];
  if (e.state) parts.push(e.state);
  parts.push(tupleText(e.original));
  if (!e.replied) parts.push('[UNREPLIED]');
  parts.push(tupleText(e.reply));
  if (e.assured) parts.push('[ASSURED]');
  parts.push(`mark=${e.mark}`, 'use=1');
  return parts.join(' ');
}

/** `conntrack -L` for the whole table, plus the summary line conntrack prints to stderr. */
export function conntrackList(table: ConntrackTable, now: number): string {
  const live = table.entries.filter((e) => e.expires > now);
  const lines = live.map((e) => formatConntrack(e, now));
  lines.push(`conntrack v1.4.8 (conntrack-tools): ${live.length} flow entries have been shown.`);
  return lines.join('\n') + '\n';
}
