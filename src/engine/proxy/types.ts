// Data shapes of the kube-proxy model: the view it is built from, the rules it writes (as data the
// UI can print), the per-node state the kernel keeps (recent lists, IPVS schedulers) and the
// decision for one packet.
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { IPv4 } from '../net/ip';
import type { NodeInfo, Protocol } from '../types';

export type ProxyMode = 'iptables' | 'ipvs';

/** What kube-proxy watches, already defaulted and allocated by the API server and controllers. */
export interface ProxyView {
  readonly mode: ProxyMode;
  readonly nodes: readonly NodeInfo[];
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
  /** --cluster-cidr: kube-proxy's default LocalTrafficDetector ("is the source a pod?"). */
  readonly clusterCIDR: string;
}

export type IptTable = 'nat' | 'filter';

/** The matches of one rule, structured so the decision engine can evaluate them. */
export interface RuleCond {
  readonly src?: { readonly cidr: string; readonly negate?: boolean };
  readonly dst?: { readonly cidr: string; readonly negate?: boolean };
  readonly protocol?: 'tcp' | 'udp' | 'sctp';
  readonly dport?: number;
  /** -m addrtype --dst-type LOCAL */
  readonly dstLocal?: boolean;
  /** -m addrtype --src-type LOCAL */
  readonly srcLocal?: boolean;
  /** -m mark [!] --mark 0x4000/0x4000 */
  readonly mark?: { readonly negate: boolean };
  /** -m conntrack [!] --ctstate … (every packet the model proxies is a NEW connection). */
  readonly ctstate?: { readonly states: string; readonly negate?: boolean };
  /** -m recent --name <SEP> --rcheck --seconds N --reap, or --set. */
  readonly recent?: { readonly name: string; readonly mode: 'rcheck' | 'set'; readonly seconds?: number };
  /** -m statistic --mode random --probability p (p as kube-proxy prints it, 10 decimals). */
  readonly probability?: string;
  /** -m set --match-set NAME dst,dst (IPVS mode's ipsets). */
  readonly matchSet?: { readonly name: string; readonly flags: string; readonly negate?: boolean };
}

/** One iptables rule as data: `iptables-save` prints it, the tracer walks it. */
export interface IptablesRule {
  readonly table: IptTable;
  readonly chain: string;
  /** Human-readable match, as iptables-save orders it, without the comment: `-d 10.96.12.7/32 -p tcp -m tcp --dport 80`. */
  readonly match: string;
  /** Jump target: a chain, or DNAT / MASQUERADE / MARK / REJECT / DROP / ACCEPT / RETURN; '' for a comment-only rule. */
  readonly target: string;
  /** Target options, e.g. `--to-destination 10.244.1.5:8080`. */
  readonly targetArgs?: string;
  readonly comment?: string;
  /** The statistic probability text (`0.3333333333`) when the rule has one. */
  readonly probability?: string;
  readonly cond: RuleCond;
}

/** What a kube-proxy chain stands for, so a trace can name the Service and endpoint. */
export interface ChainInfo {
  readonly kind: 'svc' | 'svl' | 'ext' | 'fw' | 'sep';
  /** ServicePortName.String(): `ns/name:port` (or `ns/name` when the port is unnamed). */
  readonly servicePort: string;
  /** For KUBE-SEP chains: the endpoint `ip:port`. */
  readonly endpoint?: string;
}

/** A backend as the proxy knows it from EndpointSlices. */
export interface EndpointRef {
  readonly ip: IPv4;
  readonly port: number;
  /** `ns/name` of the targetRef Pod, or '' when the endpoint has none. */
  readonly pod: string;
  readonly nodeName: string;
}

export interface IpvsRealServer {
  readonly ip: IPv4;
  readonly port: number;
  readonly weight: number;
}

export interface IpvsVirtualServer {
  readonly ip: IPv4;
  readonly port: number;
  readonly protocol: Protocol;
  readonly scheduler: 'rr';
  /** ClientIP session affinity: ipvsadm's `persistent <timeout>`. */
  readonly persistentTimeout?: number;
  readonly kind: 'clusterIP' | 'nodePort' | 'loadBalancer' | 'externalIP';
  readonly servicePort: string;
  /** externalTrafficPolicy Local applies to this (external) virtual server. */
  readonly externalLocal: boolean;
  readonly realServers: readonly IpvsRealServer[];
}

export interface NodeProxyRules {
  readonly node: string;
  readonly internalIP: IPv4;
  /** Addresses `-m addrtype --dst-type LOCAL` matches on this node. */
  readonly localAddresses: readonly IPv4[];
  /** Chains in `iptables-save` order; each chain's rules in evaluation order. */
  readonly nat: Readonly<Record<string, readonly IptablesRule[]>>;
  readonly filter: Readonly<Record<string, readonly IptablesRule[]>>;
  /** IPVS mode only. */
  readonly virtualServers?: readonly IpvsVirtualServer[];
  /** IPVS mode only: ipset name → members as `ipset list` prints them (`10.96.0.10,udp:53`). */
  readonly ipsets?: Readonly<Record<string, readonly string[]>>;
}

export interface ProxyRules {
  readonly mode: ProxyMode;
  readonly clusterCIDR: string;
  readonly nodes: readonly NodeProxyRules[];
  /** Chain name → Service port / endpoint it belongs to (shared by all nodes). */
  readonly chains: Readonly<Record<string, ChainInfo>>;
  /** `ip:port` → backend. */
  readonly endpoints: Readonly<Record<string, EndpointRef>>;
}

export interface ProxyPacket {
  readonly node: string;
  readonly srcIP: IPv4;
  readonly dstIP: IPv4;
  readonly dstPort: number;
  readonly protocol: Protocol;
  /**
   * Informational: kube-proxy itself classifies the source by address (cluster CIDR for "is a pod",
   * addrtype LOCAL for "is this host"), and so does the model.
   */
  readonly fromLocalPod?: boolean;
}

/** One step of the walk through netfilter, in order. */
export interface RuleHit {
  readonly table: IptTable | 'ipvs';
  readonly chain: string;
  /** Index of the rule inside its chain (-1 for a chain entry or an IPVS step). */
  readonly index: number;
  /** The rule as `iptables-save` prints it (or the IPVS step in words). */
  readonly line: string;
  /** How the rule acted: a jump, a mark, the final verdict, or a statistic/recent rule that did not match. */
  readonly verdict:
    | 'jump'
    | 'mark'
    | 'dnat'
    | 'masquerade'
    | 'reject'
    | 'drop'
    | 'accept'
    | 'return'
    | 'nomatch'
    | 'schedule';
  /** Rules evaluated in this chain up to and including this one. */
  readonly evaluated: number;
}

export type MasqueradeKind = 'node' | 'hairpin' | false;

export type ProxyOutcome =
  | {
      readonly action: 'none';
      readonly reason: string;
      readonly walked: readonly RuleHit[];
      readonly rulesTraversed: number;
    }
  | {
      readonly action: 'dnat';
      readonly endpoint: {
        readonly ip: IPv4;
        readonly port: number;
        readonly pod: string;
        readonly nodeName: string;
      };
      /** SNAT on the way out: 'node' = the node's address, 'hairpin' = the node bridge address (first address of its podCIDR). */
      readonly masquerade: MasqueradeKind;
      readonly service: string;
      readonly walked: readonly RuleHit[];
      readonly rulesTraversed: number;
    }
  | {
      readonly action: 'reject';
      readonly reason: string;
      readonly walked: readonly RuleHit[];
      readonly rulesTraversed: number;
    }
  | {
      readonly action: 'drop';
      readonly reason: string;
      readonly walked: readonly RuleHit[];
      readonly rulesTraversed: number;
    };

/** Kernel state kube-proxy's rules consult; plain data, replaced rather than mutated. */
export interface ProxyState {
  /** xt_recent lists per node: list name (the KUBE-SEP chain) → client IP → last seen (virtual seconds). */
  readonly recent: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, number>>>>>>;
  /** IPVS rr: `node|proto|vip:port` → index of the real server chosen last. */
  readonly ipvsRR: Readonly<Record<string, number>>;
  /** IPVS persistence templates: `node|proto|vip:port|client` → real server and last use. */
  readonly ipvsPersist: Readonly<Record<string, { readonly rs: string; readonly last: number }>>;
}

export const emptyProxyState: ProxyState = { recent: {}, ipvsRR: {}, ipvsPersist: {} };
