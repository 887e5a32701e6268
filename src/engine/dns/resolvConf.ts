// The resolv.conf the kubelet gives a Pod, following kubelet pkg/kubelet/network/dns/dns.go
// (GetPodDNS, getPodDNSType, generateSearchesForDNSClusterFirst, appendDNSConfig,
// mergeDNSOptions, formDNSConfigFitsLimits) and the text containerd writes for it
// (internal/cri/server/sandbox_run.go parseDNSOptions: search, nameserver lines, options).
// https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy
import type { Pod } from 'kubernetes-types/core/v1';
import type { DnsView } from './types';

export interface PodDnsConfig {
  readonly nameservers: readonly string[];
  readonly searches: readonly string[];
  readonly options: readonly string[];
}

/** Which base configuration the kubelet starts from ([RC1]). */
export type PodDnsType = 'cluster' | 'host' | 'none';

// k8s.io/kubernetes/pkg/apis/core/validation: MaxDNSNameservers, and the ExpandedDNSConfig limits
// (GA in 1.28) MaxDNSSearchPathsExpanded / MaxDNSSearchListCharsExpanded.
export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
/** kubelet defaultDNSOptions for ClusterFirst. */
export const CLUSTER_FIRST_OPTIONS: readonly string[] = ['ndots:5'];

/** kubelet getPodDNSType: ClusterFirst on the host network falls back to Default. */
export function podDnsType(pod: Pod): PodDnsType {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst'; // API default (SetDefaults_PodSpec)
  switch (policy) {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'Default':
      return 'host';
    case 'ClusterFirst':
      return pod.spec?.hostNetwork ? 'host' : 'cluster';
    default:
      // kubelet logs "invalid DNSPolicy" and falls back to ClusterFirst.
      return 'cluster';
  }
}

const omitDuplicates = (xs: readonly string[]): string[] => [...new Set(xs)];

/** kubelet mergeDNSOptions: name → value; later (pod dnsConfig) entries override earlier ones. */
function mergeOptions(
  base: readonly string[],
  extra: readonly { name?: string; value?: string }[],
): string[] {
  const m = new Map<string, string>();
  for (const op of base) {
    const i = op.indexOf(':');
    if (i >= 0) m.set(op.slice(0, i), op.slice(i + 1));
    else m.set(op, '');
  }
  for (const op of extra) m.set(op.name ?? '', op.value ?? '');
  // Go's map order is random; insertion order keeps the output stable.
  return [...m].map(([k, v]) => (v !== '' ? `${k}:${v}` : k));
}

/** kubelet formDNSSearchFitsLimits / formDNSNameserversFitsLimits: truncate, never reject. */
function fitLimits(c: PodDnsConfig): PodDnsConfig {
  let searches = c.searches.slice(0, MAX_DNS_SEARCH_PATHS).filter((s) => s.length <= 253);
  let len = searches.join(' ').length;
  while (len > MAX_DNS_SEARCH_LIST_CHARS && searches.length > 0) {
    searches = searches.slice(0, -1);
    len = searches.join(' ').length;
  }
  return { ...c, nameservers: c.nameservers.slice(0, MAX_DNS_NAMESERVERS), searches };
}

/** The node's resolv.conf as kubelet parseResolvConf reads it (search domains lose a trailing dot). */
function hostConfig(view: DnsView): PodDnsConfig {
  const n = view.nodeResolvConf;
  return {
    nameservers: [...n.nameservers],
    searches: n.search.filter((s) => s !== '.').map((s) => s.replace(/\.$/, '')),
    options: [...(n.options ?? [])],
  };
}

/** The Pod's DNS configuration, as the kubelet hands it to the runtime. */
export function podDnsConfig(view: DnsView, pod: Pod): PodDnsConfig {
  const host = hostConfig(view);
  let base: PodDnsConfig;
  switch (podDnsType(pod)) {
    case 'none':
      base = { nameservers: [], searches: [], options: [] };
      break;
    case 'host':
      base = host;
      break;
    case 'cluster': {
      const ns = pod.metadata?.namespace ?? 'default';
      const d = view.clusterDomain;
      base = {
        nameservers: [view.dnsServiceIP],
        // generateSearchesForDNSClusterFirst: the cluster's three, then the node's own.
        searches: omitDuplicates([`${ns}.svc.${d}`, `svc.${d}`, d, ...host.searches]),
        options: CLUSTER_FIRST_OPTIONS,
      };
      break;
    }
  }
  const dc = pod.spec?.dnsConfig;
  if (dc) {
    base = {
      nameservers: omitDuplicates([...base.nameservers, ...(dc.nameservers ?? [])]),
      searches: omitDuplicates([...base.searches, ...(dc.searches ?? [])]),
      options: mergeOptions(base.options, dc.options ?? []),
    };
  }
  return fitLimits(base);
}

/** The text of /etc/resolv.conf in the Pod, as containerd renders the kubelet's DNSConfig. */
export function formatResolvConf(c: PodDnsConfig): string {
  let out = '';
  if (c.searches.length) out += `search ${c.searches.join(' ')}\n`;
  for (const s of c.nameservers) out += `nameserver ${s}\n`;
  if (c.options.length) out += `options ${c.options.join(' ')}\n`;
  return out;
}

/** What the kubelet writes to the Pod's /etc/resolv.conf. */
export function resolvConf(view: DnsView, pod: Pod): string {
  return formatResolvConf(podDnsConfig(view, pod));
}

/** Parses resolv.conf text as glibc res_init does: the last `search` line wins, options accumulate. */
export function parseResolvConf(text: string): PodDnsConfig {
  const nameservers: string[] = [];
  let searches: string[] = [];
  const options: string[] = [];
  for (const raw of text.split('\n')) {
    const [k, ...v] = raw.trim().split(/\s+/);
    if (k === 'nameserver' && v[0]) nameservers.push(v[0]);
    else if (k === 'search' || k === 'domain') searches = v;
    else if (k === 'options') options.push(...v);
  }
  return { nameservers, searches, options };
}
