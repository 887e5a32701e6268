// ReplicaSet → Pods (pkg/controller/replicaset). Pods are named by generateName `<rs>-` plus
// rand.String(5). When scaling down, pods are ranked as upstream's ActivePods ordering does in
// spirit: unscheduled before scheduled, not-ready before ready, newer before older.
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../cluster/objects';
import { jsonEqual } from '../cluster/objects';
import { matchesSelector } from '../api/labels';
import { randomSuffix } from '../rng';
import { isOwnedBy, ownerRef } from './deployment';
import { noChanges, type Changes, type ControllerContext } from './types';
import { isPodReady } from './kubelet';
import { defaultPod } from '../api/pod';

type Rs = ReplicaSet & KubeObject;
type P = Pod & KubeObject;

export function reconcileReplicaSets(ctx: ControllerContext): Changes {
  const changes = noChanges();
  const pods = ctx.store.list<P>('Pod');
  for (const rs of ctx.store.list<Rs>('ReplicaSet')) {
    const ns = rs.metadata.namespace ?? 'default';
    const rsName = rs.metadata.name ?? '';
    const mine = pods.filter(
      (p) =>
        p.metadata.namespace === ns &&
        isOwnedBy(p, rs) &&
        matchesSelector(rs.spec?.selector, p.metadata.labels),
    );
    const want = rs.spec?.replicas ?? 1;
    const names = new Set(pods.map((p) => p.metadata.name));
    for (let i = mine.length; i < want; i++) {
      let name: string;
      do name = `${rsName.slice(0, 58)}-${randomSuffix(ctx.rng)}`;
      while (names.has(name));
      names.add(name);
      const t = rs.spec?.template;
      // Pods a controller creates pass through the API server's defaulting like any other pod.
      const pod = defaultPod({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          ...(t?.metadata ?? {}),
          name,
          generateName: `${rsName}-`,
          namespace: ns,
          ownerReferences: [ownerRef(rs)],
        },
        spec: t?.spec ?? { containers: [] },
      } as Pod) as P;
      changes.puts.push(pod);
      changes.events.push({
        type: 'Normal',
        reason: 'SuccessfulCreate',
        message: `Created pod: ${name}`,
        involvedObject: { kind: 'ReplicaSet', namespace: ns, name: rsName },
        source: 'replicaset-controller',
      });
    }
    if (mine.length > want) {
      const rank = (p: P): number => (p.spec?.nodeName ? 2 : 0) + (isPodReady(p) ? 1 : 0);
      const victims = [...mine]
        .sort((a, b) => {
          const r = rank(a) - rank(b);
          if (r) return r;
          const ca = a.metadata.creationTimestamp ?? '';
          const cb = b.metadata.creationTimestamp ?? '';
          if (ca !== cb) return ca > cb ? -1 : 1;
          return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? 1 : -1;
        })
        .slice(0, mine.length - want);
      for (const v of victims) {
        changes.deletes.push({ kind: 'Pod', namespace: ns, name: v.metadata.name ?? '' });
        changes.events.push({
          type: 'Normal',
          reason: 'SuccessfulDelete',
          message: `Deleted pod: ${v.metadata.name}`,
          involvedObject: { kind: 'ReplicaSet', namespace: ns, name: rsName },
          source: 'replicaset-controller',
        });
      }
    }
    const kept = mine.length > want ? want : mine.length;
    const ready = mine.filter(isPodReady).length;
    const status = {
      replicas: kept,
      fullyLabeledReplicas: kept,
      readyReplicas: Math.min(ready, kept),
      availableReplicas: Math.min(ready, kept),
      observedGeneration: rs.metadata.generation ?? 1,
    };
    if (!jsonEqual(rs.status, status)) changes.puts.push({ ...rs, status });
  }
  return changes;
}
