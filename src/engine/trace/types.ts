// A traced connection: the one source of truth for every hop the map animates and the inspector
// shows.
import type { Protocol } from '../types';
import type { RuleHit } from '../proxy/types';
import type { DecidedBy } from '../policy';

export interface PacketHeaders {
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  readonly dport: number;
  readonly protocol: Protocol;
}

/** The outer header of an encapsulated packet (VXLAN between node addresses). */
export interface OuterHeader {
  readonly src: string;
  readonly dst: string;
  readonly protocol: 'UDP';
  readonly dport: number;
  readonly encapsulation: 'VXLAN';
  readonly vni: number;
  readonly device: string;
}

export type HopKind =
  | 'dns'
  | 'pod'
  | 'veth'
  | 'bridge'
  | 'netfilter'
  | 'conntrack'
  | 'policy'
  | 'route'
  | 'tunnel'
  | 'node'
  | 'internet'
  | 'deliver'
  | 'drop'
  | 'sidecar';

export interface PolicyHop {
  readonly direction: 'ingress' | 'egress';
  readonly pod: string;
  readonly allowed: boolean;
  /** Whether the CNI enforces the verdict (Flannel computes nothing; the lab shows what would apply). */
  readonly enforced: boolean;
  readonly policies: readonly string[];
  readonly decidedBy: DecidedBy;
  readonly reason: string;
}

/**
 * One query of the stub resolver's search-list walk (resolv.conf(5) `search` and `ndots`), as the
 * dns hop lists it: the absolute name sent and what CoreDNS (or the node's resolver) answered.
 */
export interface DnsQuery {
  readonly name: string;
  readonly rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';
  /** NOERROR without answer records: the name exists, not with this type. */
  readonly nodata: boolean;
  /** Served from CoreDNS's cache (its TTL counted down) rather than by the plugin behind it. */
  readonly fromCache: boolean;
  /** The A answer's address, when this query answered. */
  readonly address?: string;
  /** Seconds the answer may still be kept (the remaining TTL when it came from the cache). */
  readonly ttl: number;
}

export interface Hop {
  readonly kind: HopKind;
  /** Where the packet is: `x/a eth0`, `node-a cali1a2b3c4d`, `node-a iptables nat PREROUTING`, … */
  readonly where: string;
  /** What happens here, in one sentence. */
  readonly what: string;
  /** The node the hop happens on, when on a node. */
  readonly node?: string;
  /** The pod the hop happens in or at (`ns/name`). */
  readonly pod?: string;
  /** The Service involved (`ns/name`). */
  readonly service?: string;
  /** Headers after this hop. */
  readonly packet: PacketHeaders;
  readonly outer?: OuterHeader;
  readonly rewrite?: { readonly type: 'DNAT' | 'SNAT'; readonly before: string; readonly after: string };
  readonly rules?: readonly RuleHit[];
  readonly policy?: PolicyHop;
  readonly conntrack?: string;
  readonly route?: string;
  readonly dropped?: boolean;
  /** On a meshed path: whether this leg is inside the sidecars' mutual TLS, and what proves it. */
  readonly tls?: { readonly mtls: boolean; readonly detail: string };
  /** What the packet inspector shows of the payload on this leg: the request text, or ciphertext. */
  readonly payload?: string;
  /** On a dns hop: every query of the search-list walk, in the order the resolver sent them. */
  readonly queries?: readonly DnsQuery[];
}

/** `reset`: the connection was accepted and then reset (a STRICT mTLS sidecar refusing plaintext). */
export type ConnectFailure = 'refused' | 'timeout' | 'dns-nxdomain' | 'reset';

export interface DecisionRef {
  readonly policy: string;
  readonly rule: string;
  readonly direction: 'ingress' | 'egress';
  readonly allowed: boolean;
}

export interface ConnectResult {
  readonly delivered: boolean;
  /** The pod whose process got the connection (`ns/name`), or a host / outside address. */
  readonly backend: string | null;
  readonly backendPort: number | null;
  /** The address the client sent from. */
  readonly clientIP: string;
  /** The source address the backend sees (after any SNAT). */
  readonly sourceIP: string | null;
  readonly failure: ConnectFailure | null;
  /** Why it failed, in the words a learner reads (and the kernel's message where there is one). */
  readonly reason: string | null;
  /** The Service the connection went through (`ns/name:port`). */
  readonly service: string | null;
  /** The NetworkPolicy and rule that decided, where one did. */
  readonly decidedBy: DecisionRef | null;
  readonly hops: readonly Hop[];
}

export interface ConnectRequest {
  /** `ns/pod`, `external`, or `node:<name>`. */
  readonly from: string;
  /** An IP address or a DNS name. */
  readonly to: string;
  readonly port: number;
  readonly protocol?: Protocol;
  /** The HTTP request the connection carries, so hops can show its payload (plaintext or encrypted). */
  readonly http?: {
    readonly host: string;
    readonly path: string;
    readonly method?: string;
    /** The client's User-Agent header (curl's `curl/<version>`, BusyBox wget's `Wget`). */
    readonly userAgent?: string;
  };
}
