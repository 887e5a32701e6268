// CoreDNS's cache plugin (coredns/coredns plugin/cache: cache.go computeTTL / WriteMsg, item.go
// ttl, plugin/pkg/dnsutil/ttl.go MinimalTTL), as `cache 30` configures it in the kubeadm Corefile:
// answers (success) and NXDOMAIN/NODATA (denial) are kept for their TTL clamped to [5, 30] s,
// SERVFAIL for 5 s. A hit is served while `ttl - whole seconds elapsed > 0`, with every record's
// TTL rewritten to that remainder. Capacity (9984 per kind) and prefetch are not modelled, and one
// cache stands for the Deployment's replicas.
import { isSubDomain } from './coredns';
import type { DnsRecord, DnsType, Rcode, ServerAnswer } from './types';

export interface DnsCacheOptions {
  /** `cache 30`: the cap for positive answers (plugin default 3600). */
  readonly successTtlCap?: number;
  /** `cache 30`: the cap for NXDOMAIN / NODATA (plugin default 1800). */
  readonly denialTtlCap?: number;
  /** MINTTL of `success` / `denial` (plugin default 5). */
  readonly minTtl?: number;
  /** `servfail` duration (plugin default 5 s). */
  readonly servfailTtl?: number;
  /**
   * Zones whose answers are never cached (`disable success|denial <zone>`). kubeadm's Corefile
   * adds `disable success cluster.local` and `disable denial cluster.local` from v1.32
   * (kubernetes/kubernetes#128359); the v1.30 Corefile modelled by default caches them.
   */
  readonly disabledZones?: readonly string[];
}

export interface DnsCacheEntry {
  /** Lowercase absolute name (the cache key folds case). */
  readonly name: string;
  readonly type: DnsType;
  readonly rcode: Rcode;
  readonly answers: readonly DnsRecord[];
  readonly source: ServerAnswer['source'];
  /** Virtual time (s) it was stored. */
  readonly storedAt: number;
  /** Seconds it is kept. */
  readonly ttl: number;
}

/** kubeadm v1.32+ Corefile: cluster answers bypass the cache. */
export const KUBEADM_132_CACHE: DnsCacheOptions = { disabledZones: ['cluster.local'] };

const keyOf = (name: string, type: DnsType): string => `${type} ${name}`;
const norm = (name: string): string => (name.endsWith('.') ? name : `${name}.`).toLowerCase();

export class DnsCache {
  readonly options: Required<DnsCacheOptions>;
  private readonly items = new Map<string, DnsCacheEntry>();

  constructor(options: DnsCacheOptions = {}, entries: readonly DnsCacheEntry[] = []) {
    this.options = {
      successTtlCap: options.successTtlCap ?? 30,
      denialTtlCap: options.denialTtlCap ?? 30,
      minTtl: options.minTtl ?? 5,
      servfailTtl: options.servfailTtl ?? 5,
      disabledZones: (options.disabledZones ?? []).map(norm),
    };
    for (const e of entries) this.items.set(keyOf(e.name, e.type), e);
  }

  /** The cached answer with TTLs counted down, or null on a miss (absent or expired). */
  get(name: string, type: DnsType, now: number): (ServerAnswer & { readonly remaining: number }) | null {
    const e = this.items.get(keyOf(norm(name), type));
    if (!e) return null;
    const remaining = e.ttl - Math.floor(now - e.storedAt);
    if (remaining <= 0 || now < e.storedAt) return null;
    return {
      rcode: e.rcode,
      answers: e.answers.map((r) => ({ ...r, ttl: remaining })),
      ttl: remaining,
      source: e.source,
      remaining,
    };
  }

  /** Stores a server answer as the cache plugin would; returns the entry, or null when not cached. */
  put(name: string, type: DnsType, answer: ServerAnswer, now: number): DnsCacheEntry | null {
    const n = norm(name);
    const o = this.options;
    if (o.disabledZones.some((z) => isSubDomain(z, n))) return null;
    const clamp = (ttl: number, cap: number): number => Math.min(Math.max(ttl, o.minTtl), cap);
    const ttl =
      answer.rcode === 'SERVFAIL'
        ? o.servfailTtl
        : answer.rcode === 'NXDOMAIN' || answer.answers.length === 0
          ? clamp(answer.ttl, o.denialTtlCap)
          : clamp(answer.ttl, o.successTtlCap);
    if (ttl <= 0) return null;
    const entry: DnsCacheEntry = {
      name: n,
      type,
      rcode: answer.rcode,
      answers: answer.answers,
      source: answer.source,
      storedAt: now,
      ttl,
    };
    this.items.set(keyOf(n, type), entry);
    return entry;
  }

  /** Entries for display; with `now`, only those still served. */
  entries(now?: number): DnsCacheEntry[] {
    const all = [...this.items.values()];
    return now === undefined
      ? all
      : all.filter((e) => now >= e.storedAt && e.ttl - Math.floor(now - e.storedAt) > 0);
  }

  clear(): void {
    this.items.clear();
  }

  /** Plain data, for saving alongside the cluster. */
  toJSON(): DnsCacheEntry[] {
    return this.entries();
  }
}
