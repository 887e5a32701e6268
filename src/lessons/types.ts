// The shapes of a lesson as lessons/<id>/lesson.yaml declares it (documented in lessons/README.md)
// and of the checks its tasks run against the simulated cluster. Plain JSON-serialisable records,
// so the browser can keep them in its store and persist task state.
import type { CniName, ProxyMode, Protocol } from '../engine';

export interface LessonCluster {
  readonly cni: CniName;
  readonly proxyMode: ProxyMode;
  readonly nodes: readonly string[];
  readonly seed: number;
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

export type ConnectExpectation = 'delivered' | 'blocked' | 'refused' | 'nxdomain';

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
  /** An answer's data equals this, or the ClusterIP of `{service: ns/name}`. */
  readonly expectAnswer?: string | { readonly service: string };
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
