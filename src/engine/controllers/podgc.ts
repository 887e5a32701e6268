// PodGC (kube-controller-manager, pkg/controller/podgc/gc_controller.go, gcOrphaned): a pod bound to
// a node that no longer exists is orphaned. PodGC puts the missing node in quarantine for 40 seconds
// (quarantineTime), then marks each such pod Failed with a DisruptionTarget condition
// (reason DeletionByPodGC) and deletes it; its ReplicaSet then makes a replacement on a node that
// exists. Rule [GC3] in ./SPEC.md.
import { noChanges, type Changes, type ControllerContext } from './types';

/** podgc's quarantineTime. */
export const PODGC_QUARANTINE_SECONDS = 40;

export function reconcilePodGC(ctx: ControllerContext): Changes {
  const nodes = new Set(ctx.store.list('Node').map((n) => n.metadata.name ?? ''));
  const missingNodes: Record<string, number> = {};
  const changes = noChanges();
  for (const pod of ctx.store.list('Pod')) {
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!node || nodes.has(node)) continue;
    const since = ctx.missingNodes[node] ?? ctx.now;
    missingNodes[node] = since;
    if (ctx.now - since >= PODGC_QUARANTINE_SECONDS)
      changes.deletes.push({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name ?? '' });
  }
  return { ...changes, missingNodes };
}
