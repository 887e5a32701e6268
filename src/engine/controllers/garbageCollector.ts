// The garbage collector's background cascading deletion: an object whose controller owner no
// longer exists is deleted (ReplicaSets of a deleted Deployment, their Pods, a Service's slices).
// https://kubernetes.io/docs/concepts/architecture/garbage-collection/
import { noChanges, type Changes, type ControllerContext } from './types';

const OWNER_KINDS = ['Deployment', 'ReplicaSet', 'Service'];
const OWNED_KINDS = ['ReplicaSet', 'Pod', 'EndpointSlice'];

export function reconcileGarbage(ctx: ControllerContext): Changes {
  const changes = noChanges();
  const uids = new Set<string>();
  for (const k of OWNER_KINDS)
    for (const o of ctx.store.list(k)) if (o.metadata.uid) uids.add(o.metadata.uid);
  for (const k of OWNED_KINDS)
    for (const o of ctx.store.list(k)) {
      const owner = o.metadata.ownerReferences?.find((r) => r.controller);
      if (owner && !uids.has(owner.uid))
        changes.deletes.push({ kind: k, namespace: o.metadata.namespace, name: o.metadata.name ?? '' });
    }
  return changes;
}
