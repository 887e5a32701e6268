// IPv4 addresses and CIDRs. Parsing and validity come from ipaddr.js; the hot paths (policy
// matching over a million pairs, route lookups) use the address as an unsigned 32-bit integer.
import ipaddr from 'ipaddr.js';

declare const ipv4Brand: unique symbol;
declare const cidrBrand: unique symbol;
/** A dotted-quad IPv4 address, e.g. `10.244.1.7`. */
export type IPv4 = string & { readonly [ipv4Brand]: true };
/** An IPv4 CIDR in canonical text, e.g. `10.244.1.0/24`. */
export type Cidr = string & { readonly [cidrBrand]: true };

export interface ParsedCidr {
  /** Network address as an unsigned 32-bit integer (host bits cleared). */
  readonly base: number;
  readonly prefix: number;
  /** Netmask as an unsigned 32-bit integer. */
  readonly mask: number;
}

/** Strict dotted-quad IPv4 (four decimal parts), as the API server accepts it. */
export function isIPv4(s: unknown): s is IPv4 {
  return typeof s === 'string' && ipaddr.IPv4.isValidFourPartDecimal(s);
}

export function ipToInt(ip: string): number {
  const p = ip.split('.');
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

export function intToIp(n: number): IPv4 {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}` as IPv4;
}

export const maskOf = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** Parses `a.b.c.d/n` (IPv4 only); null when it is not a valid IPv4 CIDR. */
export function parseCidr(s: unknown): ParsedCidr | null {
  if (typeof s !== 'string') return null;
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const addr = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!isIPv4(addr) || !/^\d{1,2}$/.test(bits)) return null;
  const prefix = Number(bits);
  if (prefix > 32) return null;
  const mask = maskOf(prefix);
  return { base: (ipToInt(addr) & mask) >>> 0, prefix, mask };
}

export function cidrText(c: ParsedCidr): Cidr {
  return `${intToIp(c.base)}/${c.prefix}` as Cidr;
}

export const cidrContainsInt = (c: ParsedCidr, ip: number): boolean => (ip & c.mask) >>> 0 === c.base;

export function cidrContains(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  return c !== null && isIPv4(ip) && cidrContainsInt(c, ipToInt(ip));
}

/** Number of addresses in the CIDR. */
export const cidrSize = (c: ParsedCidr): number => 2 ** (32 - c.prefix);

/** The n-th address of the CIDR (0 = network address). */
export const nthAddress = (c: ParsedCidr, n: number): IPv4 => intToIp((c.base + n) >>> 0);

/** `inner` lies inside `outer` (equal counts as inside). */
export const cidrWithin = (inner: ParsedCidr, outer: ParsedCidr): boolean =>
  inner.prefix >= outer.prefix && cidrContainsInt(outer, inner.base);
