import { createEngine, kindInfo, KINDS, type ApplyResult, type Engine, type KubeObject } from '../engine';
import { reachabilityDiff, type ReachabilityDiff } from './reachabilityDiff';

// A preview of `kubectl apply` before it happens, like `kubectl apply --dry-run=server`: the editor's
// YAML goes through the same admission (defaulting, validation, allocation) against a copy of the
// cluster, so the outcome per object (created / configured / unchanged) and the API server's errors
// are the ones a real apply would give, and the live cluster is untouched.
// https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run

/**
 * Every kind the API server serves, in an order that creates what others refer to first
 * (namespaces, then Services before the workloads whose pods they select); objects a controller
 * owns (ReplicaSets, their Pods, slices) are rebuilt by the shadow's own controllers.
 */
const FIRST = ['Namespace', 'Node', 'IngressClass', 'Service', 'Deployment', 'ReplicaSet', 'Pod'];
const COPIED_KINDS = [...FIRST, ...KINDS.map((k) => k.kind).filter((k) => !FIRST.includes(k))];

const isOwned = (o: KubeObject) => (o.metadata.ownerReferences?.length ?? 0) > 0;

/** A fresh engine with the same settings and the same user-made objects as `engine`. */
export function shadowOf(engine: Engine): Engine {
  const shadow = createEngine(engine.settings);
  for (const kind of COPIED_KINDS) {
    for (const obj of engine.list(kind)) {
      if (isOwned(obj)) continue;
      if (shadow.get(kind, obj.metadata.namespace, obj.metadata.name ?? '')) continue;
      shadow.cluster.applyObject(obj);
    }
  }
  return shadow;
}

/** What `kubectl apply -f` of `yaml` would do to `engine`'s cluster, without changing it. */
export function dryRunApply(engine: Engine, yaml: string): ApplyResult {
  return shadowOf(engine).apply(yaml);
}

export interface ApplyPreview {
  /** Per object: created, configured or unchanged; and the API server's errors. */
  readonly result: ApplyResult;
  /** The pod-to-pod connections the apply would allow or block. */
  readonly reachability: ReachabilityDiff;
}

/**
 * The dry run plus what it does to reachability. `kubectl apply` without `--prune` never deletes:
 * an object missing from the YAML stays in the cluster, so the preview never lists deletions.
 */
export function previewApply(engine: Engine, yaml: string): ApplyPreview {
  const shadow = shadowOf(engine);
  const result = shadow.apply(yaml);
  return { result, reachability: reachabilityDiff(engine, shadow) };
}

/**
 * An object as kubectl names it in apply's output: `<kind>.<group>/<name>`, the group left out for
 * the core API (`deployment.apps/web`, `service/web`, `networkpolicy.networking.k8s.io/deny`).
 */
export function kubectlName(item: { readonly kind: string; readonly name: string }): string {
  const group = kindInfo(item.kind)?.apiVersion.split('/').slice(0, -1).join('/') ?? '';
  return `${item.kind.toLowerCase()}${group ? `.${group}` : ''}/${item.name}`;
}
