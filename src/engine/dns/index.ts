// Cluster DNS: the kubelet's resolv.conf, CoreDNS (kubernetes plugin, forward, cache) and the
// Pod's stub resolver. Rules in SPEC.md.
export type {
  DnsRecord,
  DnsResult,
  DnsStep,
  DnsType,
  DnsView,
  NodeResolvConf,
  Rcode,
  ServerAnswer,
} from './types';
export {
  CLUSTER_FIRST_OPTIONS,
  formatResolvConf,
  parseResolvConf,
  podDnsConfig,
  podDnsType,
  resolvConf,
  type PodDnsConfig,
  type PodDnsType,
} from './resolvConf';
export { KUBERNETES_TTL, UPSTREAM_NEGATIVE_TTL, serverAnswer, upstreamAnswer } from './coredns';
export { DnsCache, KUBEADM_132_CACHE, type DnsCacheEntry, type DnsCacheOptions } from './cache';
export { lookup, resolverOptions, searchCandidates, type ResolverOptions } from './stub';
