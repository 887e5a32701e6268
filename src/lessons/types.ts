// The shapes of a lesson as lessons/<id>/lesson.yaml declares it (documented in lessons/README.md)
// and of the checks its tasks run against the simulated cluster. Plain JSON-serialisable records,
// so the browser can keep them in its store and persist task state.
import type { CniName, ProxyMode, Protocol } from '../engine';

export interface LessonCluster {
  readonly cni: CniName;
  readonly proxyMode: ProxyMode;
  readonly nodes: readonly string[];
  readonly seed: number;
  /** kube-controller-manager --node-cidr-mask-size: each node's pod range (default 24). */
  readonly nodeCidrMaskSize?: number;
  /** nf_conntrack_max on every node (default 131072, kube-proxy's minimum). */
  readonly conntrackMax?: number;
}

/** A "before reading on, commit to your answer" question: the step's text is hidden until answered. */
export interface Prediction {
  readonly question: string;
  readonly choices: readonly string[];
  /** One of `choices`, verbatim. */
  readonly answer: string;
  readonly explanation: string;
}

export interface Solution {
  /** A YAML file in the lesson folder, applied as `kubectl apply -f` would. */
  readonly yaml?: string;
  /** kubectl command lines, as the learner would type them in the terminal. */
  readonly kubectl?: readonly string[];
  /** Cluster settings the learner changes in the lab's settings (the CNI, kube-proxy's mode). */
  readonly settings?: { readonly cni?: CniName; readonly proxyMode?: ProxyMode };
}

export interface Task {
  readonly goal: string;
  readonly checks: readonly Check[];
  readonly hints: readonly string[];
  readonly solution: Solution;
}

export interface Step {
  readonly title: string;
  /** A Markdown file in the lesson folder. */
  readonly text: string;
  readonly prediction?: Prediction;
  readonly task?: Task;
}

export interface QuizQuestion {
  readonly question: string;
  readonly choices: readonly string[];
  readonly answer: string;
  readonly explanation: string;
}

export interface Lesson {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly order: number;
  readonly cluster: LessonCluster;
  readonly steps: readonly Step[];
  readonly quiz: readonly QuizQuestion[];
}

/** A lesson with the text of the files its folder holds, keyed by path relative to the folder. */
export interface LessonBundle {
  readonly lesson: Lesson;
  readonly files: Readonly<Record<string, string>>;
}

// --- checks ---------------------------------------------------------------------------------------

/** `ns/name`, or the first Running pod (by name) that a label selector matches. */
export type PodRef = string | { readonly selector: string; readonly namespace?: string };

/** Where a probe connection goes. */
export type ConnectTarget =
  /** A DNS name or an IP address, optionally with `:port` (`web:80`, `web.prod.svc.cluster.local`). */
  | string
  /** A pod's own IP address. */
  | { readonly pod: PodRef }
  /** A Service's ClusterIP, a node's address on its nodePort, or its load-balancer address. */
  | {
      readonly service: string;
      readonly via?: 'clusterIP' | 'nodePort' | 'loadBalancer';
      /** With `via: nodePort`: the node whose address is used (default the first node). */
      readonly node?: string;
    };

/** `reset`: accepted, then reset — a STRICT mTLS sidecar refusing a plaintext client. */
export type ConnectExpectation = 'delivered' | 'blocked' | 'refused' | 'nxdomain' | 'reset';

export interface ConnectCheck {
  /** A pod (`ns/name` or a selector), `external` (a client outside the cluster), or `node:<name>`. */
  readonly from: PodRef;
  readonly to: ConnectTarget;
  /** The port; may come from `to` (`web:80`). For `via: nodePort` it is the Service port. */
  readonly port?: number;
  readonly protocol?: Protocol;
  readonly expect: ConnectExpectation;
  /** A NetworkPolicy rule decided it (allowed it when delivered, dropped it when blocked). */
  readonly decidedByPolicy?: boolean;
  /** What source address the backend saw: the client's own (no NAT) or a node's (SNAT). */
  readonly sourceIP?: 'client' | 'node';
  /** Whether the packet crossed a tunnel (VXLAN encapsulation between nodes). */
  readonly tunnel?: boolean;
  /** Whether the request travelled between the pods inside the sidecars' mutual TLS. */
  readonly mtls?: boolean;
  /** Open this many connections (default 1); every one must meet the expectation. */
  readonly attempts?: number;
  /** With `attempts`: at least this many different pods answered. */
  readonly minBackends?: number;
}

export interface ServiceReadyCheck {
  readonly namespace?: string;
  readonly name: string;
  readonly minReadyEndpoints?: number;
  readonly maxReadyEndpoints?: number;
}

export interface DeploymentReadyCheck {
  readonly namespace?: string;
  readonly name: string;
  /** Default: the Deployment's spec.replicas. */
  readonly minReadyReplicas?: number;
}

export interface ObjectRefCheck {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface PodIPChangedCheck {
  readonly pod?: string;
  readonly selector?: string;
  readonly namespace?: string;
}

export interface ServiceIPStableCheck {
  readonly namespace?: string;
  readonly name: string;
}

export interface DnsCheck {
  readonly from: PodRef;
  readonly name: string;
  readonly type?: 'A' | 'SRV' | 'CNAME' | 'PTR';
  readonly expectRcode?: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';
  /**
   * An answer's data equals this, the ClusterIP of `{service: ns/name}`, or the IP of `{pod}` (a
   * headless Service answers with its ready pods' addresses).
   */
  readonly expectAnswer?: string | { readonly service: string } | { readonly pod: PodRef };
  /** The resolver sent at most this many queries (the ndots search-list walk). */
  readonly maxQueries?: number;
}

/** An HTTP request, through the Ingress controller (`to: ingress`, the default) or to a name/IP. */
export interface HttpCheck {
  /** A pod (`ns/name` or a selector), `external` (a client outside the cluster), or `node:<name>`. */
  readonly from: PodRef;
  /** `ingress` (the ingress-nginx controller's load-balancer address, port 80) or `host[:port]`. */
  readonly to?: string;
  /** The Host header (default: none, or the name in `to`). */
  readonly host?: string;
  /** The request path (default `/`). */
  readonly path?: string;
  /** The HTTP status answered (default 200). */
  readonly expectStatus?: number;
  /** The Service that served it: `ns/name` or `ns/name:port` (namespace defaults to `default`). */
  readonly expectService?: string;
}

/** Pods that cannot start: no IP, Pending (ContainerCreating), optionally with a matching event. */
export interface PodPendingCheck {
  readonly selector: string;
  readonly namespace?: string;
  /** A Warning event of each such pod contains this text. */
  readonly reasonContains?: string;
  /** At least this many matching pods are stuck (default 1). */
  readonly minPods?: number;
}

/** A node's connection-tracking table (nf_conntrack). */
export interface ConntrackCheck {
  readonly node: string;
  /** true: the table holds nf_conntrack_max entries (new connections are dropped); false: it has room. */
  readonly full?: boolean;
  readonly minEntries?: number;
}

/** kube-proxy's iptables rules (nat + filter tables) on one node. */
export interface ProxyRulesCheck {
  /** Default: the first node. */
  readonly node?: string;
  readonly minRules?: number;
  readonly maxRules?: number;
}

/** Every running pod a selector matches carries a service-mesh sidecar container. */
export interface SidecarCheck {
  readonly selector: string;
  readonly namespace?: string;
  /** The proxy container's name (default `istio-proxy`). */
  readonly proxy?: 'istio-proxy' | 'linkerd-proxy';
}

/** A batch of HTTP requests from a pod to a Service, as its sidecar (or kube-proxy) sends them. */
export interface RequestsCheck {
  /** A pod (`ns/name` or a selector). */
  readonly from: PodRef;
  /** A Service name as the pod resolves it (`web`, `web.shop`), optionally with `:port`. */
  readonly to: string;
  /** Default: the port in `to`, else 80. */
  readonly port?: number;
  /** The request path (default `/`). */
  readonly path?: string;
  /** How many requests (1–5000). */
  readonly count: number;
  /** The share of requests each DestinationRule subset got (`{v1: 0.9, v2: 0.1}`); `(all)` is no subset. */
  readonly bySubset?: Readonly<Record<string, number>>;
  /** How far a share may be from the expected one (default 0.05). */
  readonly tolerance?: number;
  /** Share of requests answered 2xx/3xx (0–1). */
  readonly minSuccessRate?: number;
  readonly maxSuccessRate?: number;
  /** Retries the sidecar made over the batch. */
  readonly minRetries?: number;
  readonly maxRetries?: number;
  /** The batch's 99th-percentile latency in milliseconds is at most this. */
  readonly maxP99Ms?: number;
}

/** One check: exactly one of the type keys, plus an optional label that replaces the generated one. */
export type Check = { readonly label?: string } & (
  | { readonly connect: ConnectCheck }
  | { readonly serviceReady: ServiceReadyCheck }
  | { readonly deploymentReady: DeploymentReadyCheck }
  | { readonly exists: ObjectRefCheck }
  | { readonly absent: ObjectRefCheck }
  | { readonly podIPChanged: PodIPChangedCheck }
  | { readonly serviceIPStable: ServiceIPStableCheck }
  | { readonly dns: DnsCheck }
  | { readonly cni: CniName }
  | { readonly proxyMode: ProxyMode }
  | { readonly http: HttpCheck }
  | { readonly podPending: PodPendingCheck }
  | { readonly conntrack: ConntrackCheck }
  | { readonly proxyRules: ProxyRulesCheck }
  | { readonly sidecar: SidecarCheck }
  | { readonly requests: RequestsCheck }
);

export const CHECK_TYPES = [
  'connect',
  'serviceReady',
  'deploymentReady',
  'exists',
  'absent',
  'podIPChanged',
  'serviceIPStable',
  'dns',
  'cni',
  'proxyMode',
  'http',
  'podPending',
  'conntrack',
  'proxyRules',
  'sidecar',
  'requests',
] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

/** What the cluster looked like when a task started: JSON, so the browser can persist it. */
export interface TaskStart {
  readonly pods: readonly {
    readonly namespace: string;
    readonly name: string;
    readonly ip: string | null;
    readonly labels: Readonly<Record<string, string>>;
  }[];
  readonly services: readonly {
    readonly namespace: string;
    readonly name: string;
    readonly clusterIP: string;
  }[];
}

export interface CheckResult {
  readonly ok: boolean;
  readonly label: string;
  /** What was observed, in a sentence the learner reads. */
  readonly detail: string;
}

export interface CheckReport {
  readonly results: readonly CheckResult[];
  /** Whole percent of checks that pass (100 when there are none). */
  readonly percent: number;
}
