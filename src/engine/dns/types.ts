// The vocabulary of cluster DNS: what the engine hands in (DnsView) and what comes back.
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { IPv4 } from '../net/ip';

export type DnsType = 'A' | 'SRV' | 'CNAME' | 'PTR';
export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';

/** One resource record. `name` is the owner name, absolute (trailing dot). */
export interface DnsRecord {
  readonly type: DnsType;
  readonly name: string;
  /** A: the address; CNAME / PTR: the target name (absolute); SRV: `priority weight port target`. */
  readonly data: string;
  readonly ttl: number;
  readonly port?: number;
  readonly target?: string;
  readonly priority?: number;
  readonly weight?: number;
}

/** The node's own resolver configuration (its /etc/resolv.conf, which kubelet --resolv-conf reads). */
export interface NodeResolvConf {
  readonly nameservers: readonly string[];
  readonly search: readonly string[];
  readonly options?: readonly string[];
}

/** Everything cluster DNS reads; the engine builds it from its object store. */
export interface DnsView {
  /** kubelet --cluster-domain, e.g. `cluster.local`. */
  readonly clusterDomain: string;
  /** kubelet --cluster-dns: the kube-dns Service ClusterIP, e.g. 10.96.0.10. */
  readonly dnsServiceIP: IPv4;
  /** Defaulted Services, spec.clusterIP allocated ('None' for headless). */
  readonly services: readonly Service[];
  /** discovery.k8s.io/v1 slices labelled kubernetes.io/service-name. */
  readonly endpointSlices: readonly EndpointSlice[];
  /** Pods with status.podIP. */
  readonly pods: readonly Pod[];
  /**
   * Names of the namespaces that exist. CoreDNS answers NODATA for `<ns>.svc.<zone>` only when the
   * namespace exists, NXDOMAIN otherwise. When absent, the namespaces of the view's objects plus
   * the four built-in ones are taken.
   */
  readonly namespaces?: readonly string[];
  readonly nodeResolvConf: NodeResolvConf;
  /** The small simulated internet: absolute lowercase name with trailing dot → records. */
  readonly upstream: ReadonlyMap<string, readonly DnsRecord[]>;
}

/** One DNS message the stub resolver sent, and what came back. */
export interface DnsStep {
  /** The absolute name asked. */
  readonly name: string;
  /** The nameserver address it went to. */
  readonly server: string;
  /** Who answered: CoreDNS (kubernetes plugin or its forward), or a resolver outside the cluster. */
  readonly via: 'coredns' | 'node-resolver';
  readonly rcode: Rcode;
  /** NOERROR with no answer records (the name exists, not with this type). */
  readonly nodata: boolean;
  readonly answers: readonly DnsRecord[];
  readonly fromCache: boolean;
  /** Seconds the answer may be kept (remaining seconds when it came from the cache). */
  readonly ttl: number;
}

export interface DnsResult {
  readonly rcode: Rcode;
  readonly answers: readonly DnsRecord[];
  /** Every absolute name sent, in order. */
  readonly queried: readonly string[];
  /** The name whose response answered (with records, or the NODATA that ended the walk); null otherwise. */
  readonly resolvedName: string | null;
  readonly steps: readonly DnsStep[];
}

/** What one server answers for one absolute name. */
export interface ServerAnswer {
  readonly rcode: Rcode;
  readonly answers: readonly DnsRecord[];
  /** Answer TTL (minimum over the records), or the negative-caching TTL of an empty answer. */
  readonly ttl: number;
  /** Which CoreDNS plugin produced it: `kubernetes` (authoritative) or `forward` (upstream). */
  readonly source: 'kubernetes' | 'forward';
}
