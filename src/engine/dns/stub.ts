// The Pod's stub resolver: glibc res_search (resolv/res_query.c __res_context_search) over the
// resolv.conf the kubelet wrote. https://www.man7.org/linux/man-pages/man5/resolv.conf.5.html
//
// - A name with a trailing dot is sent as-is, only.
// - dots >= ndots: as-is first, then each search domain; fewer: each search domain, then as-is.
// - The walk stops at the first answer with records. NXDOMAIN, NODATA (NOERROR, no records) and
//   SERVFAIL all move on to the next candidate (glibc; musl stops at NODATA).
// - When nothing answered: the as-is result if it was tried first, else NODATA if any candidate
//   gave NODATA, else SERVFAIL if any did, else the last candidate's result.
import type { Pod } from 'kubernetes-types/core/v1';
import type { DnsCache } from './cache';
import { absolute, serveUncached, upstreamAnswer, type Ask } from './coredns';
import { podDnsConfig } from './resolvConf';
import type { DnsResult, DnsStep, DnsType, DnsView, ServerAnswer } from './types';

/** glibc RES_MAXNDOTS. */
const MAX_NDOTS = 15;

export interface ResolverOptions {
  readonly ndots: number;
  /** `no-tld-query`: never send a dotless name as-is. */
  readonly noTldQuery: boolean;
}

/** The resolver options glibc reads from `options` (default ndots:1). */
export function resolverOptions(options: readonly string[]): ResolverOptions {
  let ndots = 1;
  let noTldQuery = false;
  for (const o of options) {
    const m = /^ndots:(\d+)$/.exec(o);
    if (m) ndots = Math.min(Number(m[1]), MAX_NDOTS);
    else if (o === 'no-tld-query') noTldQuery = true;
  }
  return { ndots, noTldQuery };
}

/**
 * The absolute names the stub resolver would send, in order, if every one failed. The walk
 * itself stops at the first that answers.
 */
export function searchCandidates(name: string, searches: readonly string[], opts: ResolverOptions): string[] {
  // glibc counts every dot, a trailing one too.
  const dots = [...name].filter((c) => c === '.').length;
  if (name.endsWith('.')) return [name];
  const asIs = absolute(name);
  const out: string[] = [];
  const firstAsIs = dots >= opts.ndots;
  if (firstAsIs) out.push(asIs);
  const domains = searches.filter((d) => d !== '' && d !== '.');
  for (const d of domains) out.push(`${name}.${d.replace(/\.$/, '')}.`);
  const searched = domains.length > 0;
  if (!firstAsIs && (dots > 0 || !searched || !opts.noTldQuery)) out.push(asIs);
  return out;
}

/** The nameserver the Pod's queries go to, and whether it is cluster DNS. */
function server(view: DnsView, nameservers: readonly string[]): { ip: string; cluster: boolean } | null {
  const ip = nameservers[0]; // glibc asks the first; the others only on timeout
  if (ip === undefined) return null;
  const kubeDns = view.services.find(
    (s) => s.metadata?.namespace === 'kube-system' && s.metadata?.name === 'kube-dns',
  );
  const cluster =
    ip === view.dnsServiceIP || (kubeDns?.spec?.clusterIP !== undefined && kubeDns.spec.clusterIP === ip);
  return { ip, cluster };
}

/** One query through CoreDNS: cache (when given), else kubernetes / forward below it. */
function viaCoreDns(
  view: DnsView,
  name: string,
  type: DnsType,
  cache: DnsCache | undefined,
  now: number,
): ServerAnswer & { fromCache: boolean } {
  const ask: Ask = (n, t) => {
    const hit = cache?.get(n, t, now);
    if (hit) return hit;
    const a = serveUncached(view, n, t, ask);
    cache?.put(n, t, a, now);
    return a;
  };
  const hit = cache?.get(name, type, now);
  if (hit) return { ...hit, fromCache: true };
  const a = serveUncached(view, name, type, ask);
  cache?.put(name, type, a, now);
  return { ...a, fromCache: false };
}

/**
 * Resolves `name` as the Pod's application would (getaddrinfo / res_search), through its
 * resolv.conf. `cache` is CoreDNS's cache; `now` is the virtual clock in seconds.
 */
export function lookup(
  view: DnsView,
  pod: Pod,
  name: string,
  type: DnsType,
  cache?: DnsCache,
  now = 0,
): DnsResult {
  const conf = podDnsConfig(view, pod);
  const opts = resolverOptions(conf.options);
  const candidates = searchCandidates(name, conf.searches, opts);
  const ns = server(view, conf.nameservers);
  if (ns === null) {
    // No nameserver: glibc falls back to 127.0.0.1, where nothing listens in the Pod (ECONNREFUSED).
    return { rcode: 'SERVFAIL', answers: [], queried: [], resolvedName: null, steps: [] };
  }
  const steps: DnsStep[] = [];
  const firstAsIs = !name.endsWith('.') && candidates[0] === absolute(name) && candidates.length > 1;
  for (const q of candidates) {
    const a = ns.cluster
      ? viaCoreDns(view, q, type, cache, now)
      : { ...upstreamAnswer(view, q, type), fromCache: false };
    const step: DnsStep = {
      name: q,
      server: ns.ip,
      via: ns.cluster ? 'coredns' : 'node-resolver',
      rcode: a.rcode,
      nodata: a.rcode === 'NOERROR' && a.answers.length === 0,
      answers: a.answers,
      fromCache: a.fromCache,
      ttl: a.ttl,
    };
    steps.push(step);
    if (a.rcode === 'NOERROR' && a.answers.length > 0) {
      return {
        rcode: 'NOERROR',
        answers: a.answers,
        queried: steps.map((s) => s.name),
        resolvedName: q,
        steps,
      };
    }
  }
  const queried = steps.map((s) => s.name);
  const first = steps[0];
  const last = steps[steps.length - 1];
  const nodata = steps.find((s) => s.nodata);
  // res_search's final h_errno.
  const final =
    firstAsIs && first ? first : nodata ? nodata : (steps.find((s) => s.rcode === 'SERVFAIL') ?? last);
  if (!final) return { rcode: 'NXDOMAIN', answers: [], queried, resolvedName: null, steps };
  return {
    rcode: final.rcode,
    answers: [],
    queried,
    resolvedName: final.nodata ? final.name : null,
    steps,
  };
}
