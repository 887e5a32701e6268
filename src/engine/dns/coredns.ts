// What CoreDNS answers for one absolute name, with the kubeadm Corefile:
//
//   kubernetes cluster.local in-addr.arpa ip6.arpa {
//      pods insecure
//      fallthrough in-addr.arpa ip6.arpa
//      ttl 30
//   }
//   forward . /etc/resolv.conf
//   cache 30
//
// (kubernetes/kubernetes cmd/kubeadm/app/phases/addons/dns/manifests.go). The kubernetes plugin
// follows coredns/coredns plugin/kubernetes: parse.go (parseRequest), kubernetes.go (Services,
// Records, findServices, findPods, endpointHostname, matchPortAndProtocol), reverse.go
// (serviceRecordForIP), handler.go (NXDOMAIN vs NODATA, fallthrough) and plugin/backend_lookup.go
// (A with CNAME chasing, SRV, CNAME, PTR). Everything outside its zones goes to `forward`, i.e. the
// node's resolver, which knows the lab's small simulated internet and nothing of cluster.local.
import ipaddr from 'ipaddr.js';
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { DnsRecord, DnsType, DnsView, ServerAnswer } from './types';

/** kubernetes plugin `ttl 30` in the kubeadm Corefile (the plugin's own default is 5). */
export const KUBERNETES_TTL = 30;
/**
 * TTL of the simulated internet's negative answers: the SOA minimum most TLD zones publish (.com:
 * 900 s). The cache plugin caps it at 30 s anyway.
 */
export const UPSTREAM_NEGATIVE_TTL = 900;
/** CoreDNS stops chasing a CNAME chain after 8 links (backend_lookup.go `len(previousRecords) > 7`). */
const MAX_CNAME_CHAIN = 8;

/** Resolves a name through the whole CoreDNS server (cache included): the kubernetes plugin's Upstream. */
export type Ask = (name: string, type: DnsType) => ServerAnswer;

export const absolute = (name: string): string => (name.endsWith('.') ? name : `${name}.`);
const lower = (name: string): string => absolute(name).toLowerCase();
const eqFold = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Go net.ParseIP for dotted quads: four decimal parts 0-255, no leading zeros. */
export function isDottedQuad(s: string): boolean {
  const p = s.split('.');
  return p.length === 4 && p.every((x) => /^(0|[1-9]\d{0,2})$/.test(x) && Number(x) <= 255);
}
const isIPv6 = (s: string): boolean => s.includes(':') && ipaddr.IPv6.isValid(s);

/** `name` equals `zone` or lies below it (both absolute, lowercase): dns.IsSubDomain. */
export const isSubDomain = (zone: string, name: string): boolean =>
  name === zone || name.endsWith(`.${zone}`);

const REVERSE_ZONES = ['in-addr.arpa.', 'ip6.arpa.'] as const;

/** The kubernetes plugin's zones, most specific match first (plugin.Zones.Matches). */
function matchZone(view: DnsView, name: string): string | null {
  const zones = [lower(view.clusterDomain), ...REVERSE_ZONES];
  let best: string | null = null;
  for (const z of zones) if (isSubDomain(z, name) && (best === null || z.length > best.length)) best = z;
  return best;
}

/** msg.Service: a backend item before it becomes a record. */
interface Item {
  /** An address, or a name (ExternalName → CNAME; reverse → PTR target). */
  readonly host: string;
  readonly port: number;
  /** The domain the item lives at (SRV target for address items), absolute. */
  readonly key: string;
}
type Found = { readonly items: readonly Item[]; readonly nameError: boolean };
const NAME_ERROR: Found = { items: [], nameError: true };
const found = (items: readonly Item[]): Found => ({ items, nameError: false });

type HostType = 'A' | 'AAAA' | 'CNAME';
/** msg.Service.HostType: an IPv4, an IPv6, or else a name. */
const hostType = (host: string): HostType => (isDottedQuad(host) ? 'A' : isIPv6(host) ? 'AAAA' : 'CNAME');

interface RecordRequest {
  readonly port: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly service: string;
  readonly namespace: string;
  readonly podOrSvc: '' | 'svc' | 'pod';
}

/** parse.go parseRequest: [_port._protocol. | endpoint.]service.namespace.(svc|pod).zone */
function parseRequest(name: string, zone: string): RecordRequest | 'invalid' {
  const empty: RecordRequest = {
    port: '',
    protocol: '',
    endpoint: '',
    service: '',
    namespace: '',
    podOrSvc: '',
  };
  const base = name === zone ? '' : name.slice(0, -zone.length - 1);
  if (base === '' || base === 'svc' || base === 'pod') return empty; // apex: NODATA
  const segs = base.split('.');
  let last = segs.length - 1;
  const podOrSvc = segs[last] ?? '';
  if (podOrSvc !== 'svc' && podOrSvc !== 'pod') return 'invalid';
  const r = { ...empty, podOrSvc } as { -readonly [K in keyof RecordRequest]: RecordRequest[K] };
  if (--last < 0) return r;
  r.namespace = segs[last] ?? '';
  if (--last < 0) return r;
  r.service = segs[last] ?? '';
  if (--last < 0) return r;
  const strip = (s: string): string => (s.startsWith('_') ? s.slice(1) : s);
  if (last === 0) r.endpoint = segs[0] ?? '';
  else if (last === 1) {
    r.protocol = strip(segs[1] ?? '');
    r.port = strip(segs[0] ?? '');
  } else return 'invalid'; // too long
  return r;
}

/** matchPortAndProtocol: an empty query part is a wildcard; comparisons fold case. */
const matchPortAndProtocol = (aPort: string, bPort: string, aProto: string, bProto: string): boolean =>
  (aPort === '' || eqFold(aPort, bPort)) && (aProto === '' || eqFold(aProto, bProto));

/** Namespaces that exist (namespaceExposed = configured && filteredNamespaceExists). */
function namespaceSet(view: DnsView): ReadonlySet<string> {
  if (view.namespaces) return new Set(view.namespaces);
  const s = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  for (const o of [...view.services, ...view.pods, ...view.endpointSlices]) {
    if (o.metadata?.namespace) s.add(o.metadata.namespace);
  }
  return s;
}

const clusterIPsOf = (svc: Service): readonly string[] =>
  svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : svc.spec?.clusterIP ? [svc.spec.clusterIP] : [];
const isHeadless = (svc: Service): boolean => clusterIPsOf(svc)[0] === 'None';

/** The slices of a Service (kubernetes.io/service-name label, same namespace). */
const slicesOf = (view: DnsView, name: string, ns: string): EndpointSlice[] =>
  view.endpointSlices.filter(
    (s) => s.metadata?.namespace === ns && s.metadata?.labels?.['kubernetes.io/service-name'] === name,
  );

/** One published address of a slice (EndpointSliceToEndpoints). */
interface EndpointAddress {
  readonly ip: string;
  readonly hostname: string;
}

/**
 * The addresses CoreDNS publishes: endpoints whose `ready` condition is unset or true. The
 * EndpointSlice controller already marks every endpoint ready when the Service has
 * publishNotReadyAddresses; honouring the flag here too keeps the rule true for hand-built slices.
 */
function publishedAddresses(slice: EndpointSlice, svc: Service | undefined): EndpointAddress[] {
  const out: EndpointAddress[] = [];
  for (const ep of slice.endpoints ?? []) {
    const ready = ep.conditions?.ready !== false || svc?.spec?.publishNotReadyAddresses === true;
    if (!ready) continue;
    for (const ip of ep.addresses ?? []) out.push({ ip, hostname: ep.hostname ?? '' });
  }
  return out;
}

/** endpointHostname: the endpoint's hostname, else its IP with '.' (or ':') replaced by '-'. */
export const endpointHostname = (a: EndpointAddress): string =>
  a.hostname !== '' ? a.hostname : a.ip.includes('.') ? a.ip.replaceAll('.', '-') : a.ip.replaceAll(':', '-');

/** slice ports; a slice without ports gets the sentinel port -1 (no SRV, still A). */
const slicePorts = (slice: EndpointSlice): { name: string; port: number; protocol: string }[] =>
  slice.ports?.length
    ? slice.ports.map((p) => ({ name: p.name ?? '', port: p.port ?? -1, protocol: p.protocol ?? 'TCP' }))
    : [{ name: '', port: -1, protocol: '' }];

function findServices(view: DnsView, r: RecordRequest, zone: string): Found {
  if (r.service === '') return found([]); // `<ns>.svc.<zone>` of an existing namespace: NODATA
  let nameError = true;
  const items: Item[] = [];
  for (const svc of view.services) {
    const ns = svc.metadata?.namespace ?? 'default';
    const name = svc.metadata?.name ?? '';
    if (!eqFold(ns, r.namespace) || !eqFold(name, r.service)) continue;
    if (svc.spec?.type === 'ExternalName') {
      // External services cannot have endpoints; an IP in externalName gives nothing.
      if (r.endpoint !== '') continue;
      const host = absolute((svc.spec.externalName ?? '').replace(/\.$/, ''));
      if (hostType(host.slice(0, -1)) === 'CNAME' && host !== '.') {
        items.push({ host, port: 0, key: `${name}.${ns}.svc.${zone}` });
        nameError = false;
      }
      continue;
    }
    if (isHeadless(svc) || r.endpoint !== '') {
      // Endpoint names answer for ClusterIP Services too (CoreDNS), not only for headless ones.
      for (const slice of slicesOf(view, name, ns)) {
        const ports = slicePorts(slice);
        for (const addr of publishedAddresses(slice, svc)) {
          const host = endpointHostname(addr);
          if (r.endpoint !== '' && !eqFold(r.endpoint, host)) continue;
          for (const p of ports) {
            if (!matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)) continue;
            items.push({ host: addr.ip, port: p.port, key: `${host}.${name}.${ns}.svc.${zone}` });
            nameError = false;
          }
        }
      }
      continue;
    }
    for (const p of svc.spec?.ports ?? []) {
      if (!matchPortAndProtocol(r.port, p.name ?? '', r.protocol, p.protocol ?? 'TCP')) continue;
      nameError = false;
      for (const ip of clusterIPsOf(svc))
        items.push({ host: ip, port: p.port, key: `${name}.${ns}.svc.${zone}` });
    }
  }
  return { items, nameError };
}

/** `pods insecure`: any well-formed dashed IP answers, whether or not such a Pod exists. */
function findPods(r: RecordRequest, zone: string): Found {
  const podname = r.service;
  if (podname === '') return found([]);
  const ip =
    (podname.match(/-/g)?.length ?? 0) === 3 && !podname.includes('--')
      ? podname.replaceAll('-', '.')
      : podname.replaceAll('-', ':');
  if (!isDottedQuad(ip) && !isIPv6(ip)) return NAME_ERROR;
  return found([{ host: ip, port: 0, key: `${podname}.${r.namespace}.pod.${zone}` }]);
}

/** Records: the service or pod items for a forward name, or a name error. */
function records(view: DnsView, name: string, zone: string): Found {
  const r = parseRequest(name, zone);
  if (r === 'invalid') return NAME_ERROR;
  if (r.podOrSvc === '') return found([]);
  if (REVERSE_ZONES.some((z) => isSubDomain(z, name))) return NAME_ERROR;
  if (!namespaceSet(view).has(r.namespace)) return NAME_ERROR;
  return r.podOrSvc === 'pod' ? findPods(r, zone) : findServices(view, r, zone);
}

/** Services (the ServiceBackend entry point): `ns.dns.<zone>` is CoreDNS itself; SRV drops names. */
function services(view: DnsView, name: string, zone: string, type: DnsType): Found {
  if (name === `ns.dns.${zone}`) {
    return found(type === 'A' ? [{ host: view.dnsServiceIP, port: 0, key: name }] : []);
  }
  const f = records(view, name, zone);
  if (type !== 'SRV') return f;
  return { ...f, items: f.items.filter((i) => hostType(i.host) !== 'CNAME') };
}

const rr = (type: DnsType, name: string, data: string, ttl = KUBERNETES_TTL): DnsRecord => ({
  type,
  name,
  data,
  ttl,
});

/** backend_lookup.go A: addresses, and CNAMEs chased inside the zone or through the upstream. */
function answerA(
  view: DnsView,
  qname: string,
  zone: string,
  prev: readonly DnsRecord[],
  ask: Ask,
): { records: DnsRecord[]; nameError: boolean } {
  const f = services(view, lower(qname), zone, 'A');
  if (f.nameError) return { records: [], nameError: true };
  const out: DnsRecord[] = [];
  const dup = new Set<string>();
  for (const item of f.items) {
    const t = hostType(item.host);
    if (t === 'A') {
      if (!dup.has(item.host)) out.push(rr('A', qname, item.host));
      dup.add(item.host);
      continue;
    }
    if (t !== 'CNAME') continue; // AAAA: nothing for an A question
    const target = item.host;
    if (lower(qname) === target.toLowerCase()) continue; // x CNAME x
    if (prev.length >= MAX_CNAME_CHAIN) continue;
    const cname = rr('CNAME', qname, target);
    if (prev.some((p) => p.type === 'CNAME' && eqFold(p.name, qname) && eqFold(p.data, target))) continue;
    if (isSubDomain(zone, target.toLowerCase())) {
      const next = answerA(view, target, zone, [...prev, cname], ask);
      if (!next.nameError && next.records.length > 0) out.push(cname, ...next.records);
      continue;
    }
    // Out of zone: the plugin's Upstream asks the whole server again (cache, then forward).
    const m = ask(target, 'A');
    if (m.rcode === 'SERVFAIL') continue;
    out.push(cname, ...m.answers);
  }
  return { records: out, nameError: false };
}

/** backend_lookup.go SRV: one per (address item, port); target = the item's domain. */
function answerSRV(view: DnsView, qname: string, zone: string): { records: DnsRecord[]; nameError: boolean } {
  const f = services(view, lower(qname), zone, 'SRV');
  if (f.nameError) return { records: [], nameError: true };
  // All items have priority 0 and weight 0, so each gets floor(100 / n), at least 1.
  const weight = Math.max(1, Math.floor(100 / Math.max(1, f.items.length)));
  const out: DnsRecord[] = [];
  const dup = new Set<string>();
  for (const item of f.items) {
    if (item.port === -1) continue;
    const key = `${item.key}|${item.port}`;
    if (dup.has(key)) continue;
    dup.add(key);
    out.push({
      type: 'SRV',
      name: qname,
      data: `0 ${weight} ${item.port} ${item.key}`,
      ttl: KUBERNETES_TTL,
      priority: 0,
      weight,
      port: item.port,
      target: item.key,
    });
  }
  return { records: out, nameError: false };
}

/** backend_lookup.go CNAME: the first item, when it is a name (ExternalName). */
function answerCNAME(
  view: DnsView,
  qname: string,
  zone: string,
): { records: DnsRecord[]; nameError: boolean } {
  const f = services(view, lower(qname), zone, 'CNAME');
  if (f.nameError) return { records: [], nameError: true };
  const first = f.items[0];
  return {
    records: first && hostType(first.host) === 'CNAME' ? [rr('CNAME', qname, first.host)] : [],
    nameError: false,
  };
}

/** dnsutil.ExtractAddressFromReverse for in-addr.arpa (IPv4 only in this lab). */
function addressFromReverse(name: string): string | null {
  if (!name.endsWith('.in-addr.arpa.')) return null;
  const ip = name.slice(0, -'.in-addr.arpa.'.length).split('.').reverse().join('.');
  return isDottedQuad(ip) ? ip : null;
}

/**
 * reverse.go serviceRecordForIP: a ClusterIP names its Service; otherwise every ready endpoint
 * with that address names `<hostname>.<svc>.<ns>.svc.<zone>`, one per Service it backs.
 */
function answerPTR(
  view: DnsView,
  qname: string,
  qzone: string,
): { records: DnsRecord[]; nameError: boolean } {
  const ip = addressFromReverse(lower(qname));
  // Not an address: the forward name's existence decides NODATA vs NXDOMAIN (reverse.go Reverse).
  if (ip === null) return { records: [], nameError: records(view, lower(qname), qzone).nameError };
  const zone = lower(view.clusterDomain);
  const targets: string[] = [];
  const svc = view.services.find((s) => clusterIPsOf(s).includes(ip));
  if (svc) {
    targets.push(`${svc.metadata?.name}.${svc.metadata?.namespace ?? 'default'}.svc.${zone}`);
  } else {
    for (const slice of view.endpointSlices) {
      const name = slice.metadata?.labels?.['kubernetes.io/service-name'];
      const ns = slice.metadata?.namespace ?? 'default';
      if (!name) continue;
      const owner = view.services.find(
        (s) => s.metadata?.name === name && (s.metadata?.namespace ?? 'default') === ns,
      );
      for (const a of publishedAddresses(slice, owner)) {
        if (a.ip === ip) targets.push(`${endpointHostname(a)}.${name}.${ns}.svc.${zone}`);
      }
    }
  }
  if (targets.length === 0) return { records: [], nameError: true };
  return { records: [...new Set(targets)].map((t) => rr('PTR', qname, t)), nameError: false };
}

const minTtl = (records: readonly DnsRecord[], fallback: number): number =>
  records.length ? Math.min(...records.map((r) => r.ttl)) : fallback;

/**
 * The node's resolver (and what CoreDNS's `forward . /etc/resolv.conf` reaches): a recursive
 * resolver over the simulated internet. It follows CNAMEs, answers NXDOMAIN for names it does not
 * know (every cluster.local name among them) and NODATA for known names without that type.
 */
export function upstreamAnswer(view: DnsView, qname: string, type: DnsType): ServerAnswer {
  const chain: DnsRecord[] = [];
  let name = lower(qname);
  for (let hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
    const recs = view.upstream.get(name);
    if (recs === undefined) {
      return {
        rcode: 'NXDOMAIN',
        answers: chain,
        ttl: minTtl(chain, UPSTREAM_NEGATIVE_TTL),
        source: 'forward',
      };
    }
    const owned = recs.map((r) => ({ ...r, name: absolute(r.name || name) }));
    const same = owned.filter((r) => r.type === type);
    if (same.length) {
      const answers = [...chain, ...same];
      return { rcode: 'NOERROR', answers, ttl: minTtl(answers, UPSTREAM_NEGATIVE_TTL), source: 'forward' };
    }
    const cname = type !== 'CNAME' ? owned.find((r) => r.type === 'CNAME') : undefined;
    if (!cname) break;
    const target = absolute(cname.data);
    chain.push({ ...cname, data: target });
    name = target.toLowerCase();
  }
  return { rcode: 'NOERROR', answers: chain, ttl: minTtl(chain, UPSTREAM_NEGATIVE_TTL), source: 'forward' };
}

/** One pass through the server's plugin chain below the cache: kubernetes, then forward. */
export function serveUncached(view: DnsView, qname: string, type: DnsType, ask: Ask): ServerAnswer {
  const name = absolute(qname);
  const zone = matchZone(view, name.toLowerCase());
  if (zone === null) return upstreamAnswer(view, name, type);
  const res =
    type === 'A'
      ? answerA(view, name, zone, [], ask)
      : type === 'SRV'
        ? answerSRV(view, name, zone)
        : type === 'CNAME'
          ? answerCNAME(view, name, zone)
          : answerPTR(view, name, zone);
  if (res.nameError) {
    // `fallthrough in-addr.arpa ip6.arpa`: reverse names CoreDNS cannot answer go upstream.
    if (zone !== lower(view.clusterDomain)) return upstreamAnswer(view, name, type);
    // Authoritative NXDOMAIN; its SOA carries TTL min(ttl, 300) = 30.
    return { rcode: 'NXDOMAIN', answers: [], ttl: KUBERNETES_TTL, source: 'kubernetes' };
  }
  const seen = new Set<string>();
  const answers = res.records.filter((r) => {
    const k = `${r.type}|${r.name.toLowerCase()}|${r.data.toLowerCase()}`;
    return seen.has(k) ? false : (seen.add(k), true);
  }); // dnsutil.Dedup
  return { rcode: 'NOERROR', answers, ttl: minTtl(answers, KUBERNETES_TTL), source: 'kubernetes' };
}

/** What CoreDNS answers for one absolute name (no cache): cluster names itself, others upstream. */
export function serverAnswer(view: DnsView, qname: string, type: DnsType): ServerAnswer {
  const ask: Ask = (n, t) => serveUncached(view, n, t, ask);
  return serveUncached(view, qname, type, ask);
}
