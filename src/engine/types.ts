// Small shared vocabulary of the engine's datapath modules.
import type { IPv4 } from './net/ip';
import type { Labels } from './api/labels';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** `namespace/name` of a namespaced object. */
export type ObjectRef = string;

/** What the datapath needs to know about a node. */
export interface NodeInfo {
  readonly name: string;
  readonly internalIP: IPv4;
  /** spec.podCIDR, e.g. `10.244.1.0/24`. */
  readonly podCIDR: string;
}

/** A container port of a pod (named ports resolve against these by name and protocol). */
export interface ContainerPortRef {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

/** A pod as the datapath sees it. */
export interface PodEndpoint {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ip: IPv4;
  readonly nodeName: string;
  readonly ports: readonly ContainerPortRef[];
}

/**
 * One end of a connection: a pod, a node's host network, or an address outside the cluster.
 * `ip` is the address on the wire at the point where it is evaluated (after any SNAT).
 */
export type NetEndpoint =
  | { readonly kind: 'pod'; readonly ip: IPv4; readonly pod: PodEndpoint }
  | { readonly kind: 'node'; readonly ip: IPv4; readonly node: string }
  | { readonly kind: 'external'; readonly ip: IPv4 };
