import { describe, expect, it } from 'vitest';
import type { IPv4 } from '../net/ip';
import {
  conntrackList,
  emptyConntrack,
  expire,
  formatConntrack,
  KERNEL_TCP_ESTABLISHED_TIMEOUT,
  KUBE_PROXY_TIMEOUTS,
  kubeProxyConntrackMax,
  lookup,
  natReplyTuple,
  track,
  update,
  withMax,
  type ConntrackTuple,
} from './conntrack';

const ip = (s: string): IPv4 => s as IPv4;
const orig: ConntrackTuple = { src: ip('10.244.2.9'), dst: ip('10.96.12.7'), sport: 43210, dport: 80 };
const reply = natReplyTuple(orig, { dnat: { ip: ip('10.244.1.5'), port: 8080 } });

describe('conntrack', () => {
  it('[CT1] a first packet creates an entry, later packets of either direction find it', () => {
    let r = track(emptyConntrack(10), { protocol: 'TCP', original: orig, reply }, 0);
    expect(r.result).toBe('new');
    r = track(r.table, { protocol: 'TCP', original: orig }, 1);
    expect(r.result).toBe('existing');
    expect(r.table.entries).toHaveLength(1);
    expect(lookup(r.table, 'TCP', reply, 2)?.original).toEqual(orig);
    expect(lookup(r.table, 'UDP', orig, 2)).toBeNull();
  });

  it('[CT7] the reply tuple shows DNAT as its source and SNAT as its destination', () => {
    expect(reply).toEqual({ src: '10.244.1.5', dst: '10.244.2.9', sport: 8080, dport: 43210 });
    const snat = natReplyTuple(orig, {
      dnat: { ip: ip('10.244.1.5'), port: 8080 },
      snat: { ip: ip('172.18.0.4'), port: 61000 },
    });
    expect(snat).toEqual({ src: '10.244.1.5', dst: '172.18.0.4', sport: 8080, dport: 61000 });
  });

  it('[CT2] a full table drops the packet unless early_drop can evict an unassured entry', () => {
    let t = emptyConntrack(2);
    const tuple = (sport: number): ConntrackTuple => ({ ...orig, sport });
    t = track(t, { protocol: 'TCP', original: tuple(1), state: 'ESTABLISHED' }, 0).table;
    t = track(t, { protocol: 'TCP', original: tuple(2) }, 0).table; // SYN_SENT, not assured
    const evicting = track(t, { protocol: 'TCP', original: tuple(3) }, 1);
    expect(evicting.result).toBe('new');
    expect(evicting.table.entries.map((e) => e.original.sport)).toEqual([1, 3]);
    let full = update(evicting.table, 'TCP', tuple(3), { state: 'ESTABLISHED' }, 2);
    const r = track(full, { protocol: 'TCP', original: tuple(4) }, 3);
    expect(r.result).toBe('full');
    expect(r.table.entries).toHaveLength(2);
    full = r.table;
    expect(track(full, { protocol: 'TCP', original: tuple(1) }, 4).result).toBe('existing');
  });

  it('[CT3] timeouts: established 86400 s as kube-proxy sets it (kernel 432000), UDP 30 s then 120 s', () => {
    expect(KUBE_PROXY_TIMEOUTS.tcp.ESTABLISHED).toBe(86400);
    expect(KERNEL_TCP_ESTABLISHED_TIMEOUT).toBe(432000);
    expect(KUBE_PROXY_TIMEOUTS.tcp.CLOSE_WAIT).toBe(3600);
    const tcp = track(
      emptyConntrack(10),
      { protocol: 'TCP', original: orig, state: 'ESTABLISHED' },
      100,
    ).table;
    expect(tcp.entries[0]?.expires).toBe(100 + 86400);
    const udpT: ConntrackTuple = { src: ip('10.244.2.9'), dst: ip('10.96.0.10'), sport: 5353, dport: 53 };
    let udp = track(emptyConntrack(10), { protocol: 'UDP', original: udpT }, 0).table;
    expect(udp.entries[0]?.expires).toBe(30);
    udp = update(udp, 'UDP', udpT, { replied: true }, 1);
    expect(udp.entries[0]).toMatchObject({ assured: true, replied: true, expires: 121 });
  });

  it('[CT4] entries expire by virtual time', () => {
    const t = track(emptyConntrack(10), { protocol: 'UDP', original: orig }, 0).table;
    expect(expire(t, 29).entries).toHaveLength(1);
    expect(expire(t, 30).entries).toHaveLength(0);
    expect(expire(t, 29)).toBe(t);
    expect(track(t, { protocol: 'UDP', original: orig }, 31).result).toBe('new');
  });

  it('[CT5] formats entries as conntrack -L prints them', () => {
    let t = track(
      emptyConntrack(10),
      { protocol: 'TCP', original: orig, reply, state: 'ESTABLISHED' },
      0,
    ).table;
    expect(formatConntrack(t.entries[0]!, 1)).toBe(
      'tcp      6 86399 ESTABLISHED src=10.244.2.9 dst=10.96.12.7 sport=43210 dport=80 src=10.244.1.5 dst=10.244.2.9 sport=8080 dport=43210 [ASSURED] mark=0 use=1',
    );
    t = track(emptyConntrack(10), { protocol: 'UDP', original: orig }, 0).table;
    expect(formatConntrack(t.entries[0]!, 0)).toBe(
      'udp      17 30 src=10.244.2.9 dst=10.96.12.7 sport=43210 dport=80 [UNREPLIED] src=10.96.12.7 dst=10.244.2.9 sport=80 dport=43210 mark=0 use=1',
    );
    expect(conntrackList(t, 0)).toContain('1 flow entries have been shown.');
  });

  it('[CT6] kube-proxy sizes nf_conntrack_max as max(32768 × cores, 131072)', () => {
    expect(kubeProxyConntrackMax(2)).toBe(131072);
    expect(kubeProxyConntrackMax(8)).toBe(262144);
  });

  it('[CT8] lowering nf_conntrack_max keeps tracked entries and drops new connections; raising it admits them', () => {
    const tuple = (sport: number): ConntrackTuple => ({ ...orig, sport });
    let t = emptyConntrack(10);
    for (const sport of [1, 2, 3])
      t = track(t, { protocol: 'TCP', original: tuple(sport), state: 'ESTABLISHED' }, 0).table;
    expect(withMax(t, 10)).toBe(t);
    const lowered = withMax(t, 2);
    expect(lowered.entries).toHaveLength(3);
    expect(track(lowered, { protocol: 'TCP', original: tuple(4) }, 1).result).toBe('full');
    // Packets of connections already tracked still find their entry.
    expect(track(lowered, { protocol: 'TCP', original: tuple(2) }, 1).result).toBe('existing');
    expect(track(withMax(lowered, 4), { protocol: 'TCP', original: tuple(4) }, 1).result).toBe('new');
  });
});
