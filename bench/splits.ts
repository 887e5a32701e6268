// Diagnostics for the benchmark: where an apply's time goes (YAML parse, API-server admission,
// controller settling) and what one no-op settle round costs per controller. Reaches into engine
// internals on purpose, read-only: it times them and changes nothing they compute.
import type { Engine } from '../src/engine';
import { parseYamlDocuments } from '../src/engine/cluster/yamlDocs';
import { reconcileNodeIpam } from '../src/engine/controllers/nodeipam';
import { reconcileDeployments } from '../src/engine/controllers/deployment';
import { reconcileReplicaSets } from '../src/engine/controllers/replicaset';
import { reconcileGarbage } from '../src/engine/controllers/garbageCollector';
import { reconcilePodGC } from '../src/engine/controllers/podgc';
import { reconcileScheduler } from '../src/engine/controllers/scheduler';
import { reconcileKubelet } from '../src/engine/controllers/kubelet';
import { reconcileEndpointSlices } from '../src/engine/controllers/endpointslice';
import { reconcileLoadBalancers } from '../src/engine/controllers/loadBalancer';
import type { Reconciler } from '../src/engine/controllers/types';
import { round, summarize, time } from './stats';

export interface ApplySplits {
  readonly total: number;
  readonly parse: number;
  /** total − parse − settle: validation, defaulting, allocation, store writes. */
  readonly admit: number;
  readonly settle: number;
}

/**
 * One `engine.apply(yaml)`, timed as a whole and with Cluster.settle timed by wrapping it on this
 * instance (the wrapper is one extra call per settle; the engine is otherwise untouched).
 */
export function timedApply(engine: Engine, yaml: string): { total: number; settle: number; errors: number } {
  const cluster = engine.cluster;
  const settle = cluster.settle.bind(cluster);
  let settleMs = 0;
  cluster.settle = () => {
    settleMs += time(settle);
  };
  let errors = 0;
  const total = time(() => {
    errors = engine.apply(yaml).errors.length;
  });
  cluster.settle = settle;
  return { total, settle: settleMs, errors };
}

/** Milliseconds to parse `yaml` as apply does (timed beside each measured run, not inside it). */
export const timeParse = (yaml: string): number => time(() => void parseYamlDocuments(yaml));

/** Median splits of the measured runs: total and settle from inside them, parse timed beside them, admit the rest. */
export function splitsOf(runs: readonly { total: number; settle: number; parse: number }[]): ApplySplits {
  const med = (f: (r: (typeof runs)[number]) => number): number => summarize(runs.map(f)).median;
  const total = med((r) => r.total);
  const settle = med((r) => r.settle);
  const parse = med((r) => r.parse);
  return {
    total: round(total),
    parse: round(parse),
    admit: round(Math.max(0, total - parse - settle)),
    settle: round(settle),
  };
}

// The same controllers, in the same order, as Cluster's CONTROLLERS (src/engine/cluster/cluster.ts).
const CONTROLLERS: readonly (readonly [string, Reconciler])[] = [
  ['nodeipam', reconcileNodeIpam],
  ['deployment', reconcileDeployments],
  ['replicaset', reconcileReplicaSets],
  ['gc', reconcileGarbage],
  ['podgc', reconcilePodGC],
  ['scheduler', reconcileScheduler],
  ['kubelet', reconcileKubelet],
  ['endpointslice', reconcileEndpointSlices],
  ['loadbalancer', reconcileLoadBalancers],
];

/**
 * Median of 3 calls of each controller over a settled cluster (a round that finds nothing to do,
 * which every settle ends with). Their changes are discarded; the engine's seeded rng may advance.
 */
export function controllerRound(engine: Engine): Record<string, number> {
  const c = engine.cluster;
  const ctx = {
    store: c.store,
    rng: c.rng,
    now: c.clock.now(),
    settings: c.settings,
    lastReserved: {},
    missingNodes: {},
  };
  const out: Record<string, number> = {};
  for (const [name, reconcile] of CONTROLLERS)
    out[name] = round(summarize([0, 1, 2].map(() => time(() => void reconcile(ctx)))).median);
  return out;
}
