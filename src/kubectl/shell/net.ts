// Name resolution and connections made from inside a pod, all through the engine so each one is
// traced: first the DNS query to the pod's nameserver (a UDP connection to the kube-dns Service,
// which a NetworkPolicy can block), then the stub resolver's search-list walk (engine.dns).
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { ConnectResult, DnsResult, Engine, KubeObject } from '../../engine';
import type { Toolset } from './images';

export interface PodShell {
  readonly engine: Engine;
  readonly pod: Pod & KubeObject;
  /** `ns/name`. */
  readonly ref: string;
  readonly tools: Toolset;
  readonly connects: ConnectResult[];
}

export interface Proc {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export const proc = (stdout: string, stderr = '', exitCode = 0): Proc => ({ stdout, stderr, exitCode });

export const isIP = (s: string): boolean =>
  /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((o) => Number(o) <= 255);

/** Linux gives up on an unanswered SYN after tcp_syn_retries=6 retransmissions: 1+2+4+8+16+32+64 s. */
export const KERNEL_SYN_TIMEOUT_MS = 127_000;
/** glibc/musl resolver defaults: timeout:5 attempts:2 (resolv.conf(5)). */
export const RESOLVER_TIMEOUT_MS = 10_000;

export function nameserverOf(sh: PodShell): string | null {
  const r = sh.engine.resolvConf(sh.ref);
  if ('error' in r) return null;
  return /^nameserver\s+(\S+)/m.exec(r.text)?.[1] ?? null;
}

export function searchOf(sh: PodShell): string[] {
  const r = sh.engine.resolvConf(sh.ref);
  if ('error' in r) return [];
  return (/^search\s+(.+)$/m.exec(r.text)?.[1] ?? '').split(/\s+/).filter(Boolean);
}

/** The DNS query's own trip to the nameserver; null when it is not a Service the engine routes. */
export function dnsTrip(sh: PodShell): ConnectResult | null {
  const ns = nameserverOf(sh);
  if (!ns) return null;
  const services = sh.engine.list('Service') as unknown as readonly (Service & KubeObject)[];
  if (!services.some((s) => s.spec?.clusterIP === ns)) return null;
  const c = sh.engine.connect({ from: sh.ref, to: ns, port: 53, protocol: 'UDP' });
  sh.connects.push(c);
  return c;
}

export type Resolution =
  | { readonly kind: 'ip'; readonly ip: string; readonly dns: DnsResult | null }
  | { readonly kind: 'nxdomain'; readonly dns: DnsResult | null }
  | { readonly kind: 'timeout' };

/** getaddrinfo() as the pod's libc does it: through resolv.conf's search list and ndots. */
export function resolve(sh: PodShell, host: string): Resolution {
  if (isIP(host)) return { kind: 'ip', ip: host, dns: null };
  const trip = dnsTrip(sh);
  if (trip && !trip.delivered) return { kind: 'timeout' };
  const r = sh.engine.dns(sh.ref, host);
  if ('error' in r) return { kind: 'nxdomain', dns: null };
  const a = r.answers.find((x) => x.type === 'A');
  return a ? { kind: 'ip', ip: a.data, dns: r } : { kind: 'nxdomain', dns: r };
}

/** The HTTP request a connection carries (request line and Host header), for the trace's payload. */
export interface HttpRequestLine {
  readonly host: string;
  readonly path: string;
  readonly method?: string;
  readonly userAgent: string;
}

/**
 * One TCP/UDP connection, traced; by name when the name resolved, so the trace shows the lookup.
 * `http` is the request the client writes once connected (curl, wget): the hops then show it as
 * the payload, readable on plaintext legs and encrypted between two mTLS sidecars. A bare
 * connection (`nc -z`) passes none: it sends no data.
 */
export function connectTo(
  sh: PodShell,
  host: string,
  port: number,
  protocol: 'TCP' | 'UDP' = 'TCP',
  http?: HttpRequestLine,
): ConnectResult {
  const c = sh.engine.connect({ from: sh.ref, to: host, port, protocol, ...(http ? { http } : {}) });
  sh.connects.push(c);
  return c;
}

/** The IP a traced connection was sent to (after DNS, before any DNAT). */
export const dialedIP = (c: ConnectResult, fallback: string): string =>
  c.hops.find((h) => h.kind !== 'dns')?.packet.dst ?? fallback;
