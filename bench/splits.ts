// Diagnostics for the benchmark: where an apply's time goes (YAML parse, API-server admission,
// controller settling) and what one no-op settle round costs per controller. Reaches into engine
// internals on purpose (read-only: it times them, it changes nothing the measured runs use).
import type { Engine } from '../src/engine';
import { parseYamlDocuments } from '../src/engine/cluster/yamlDocs';
import { reconcileNodeIpam } from '../src/engine/controllers/nodeipam';
import { reconcileDeployments } from '../src/engine/controllers/deployment';
import { reconcileReplicaSets } from '../src/engine/controllers/replicaset';
import { reconcileGarbage } from '../src/engine/controllers/garbageCollector';
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

/** One apply on `engine`, with Cluster.settle timed by wrapping it on this instance; parse timed separately. */
export function applySplits(engine: Engine, yaml: string): ApplySplits {
  const cluster = engine.cluster;
  const settle = cluster.settle.bind(cluster);
  let settleMs = 0;
  cluster.settle = () => {
    settleMs += time(settle);
  };
  const total = time(() => void engine.apply(yaml));
  cluster.settle = settle;
  const parse = time(() => void parseYamlDocuments(yaml));
  return {
    total: round(total),
    parse: round(parse),
    admit: round(Math.max(0, total - parse - settleMs)),
    settle: round(settleMs),
  };
}

// The same controllers, in the same order, as Cluster's CONTROLLERS (src/engine/cluster/cluster.ts).
const CONTROLLERS: readonly (readonly [string, Reconciler])[] = [
  ['nodeipam', reconcileNodeIpam],
  ['deployment', reconcileDeployments],
  ['replicaset', reconcileReplicaSets],
  ['gc', reconcileGarbage],
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
  const ctx = { store: c.store, rng: c.rng, now: c.clock.now(), settings: c.settings, lastReserved: {} };
  const out: Record<string, number> = {};
  for (const [name, reconcile] of CONTROLLERS)
    out[name] = round(summarize([0, 1, 2].map(() => time(() => void reconcile(ctx)))).median);
  return out;
}
