// kube-scheduler, reduced to what decides placement in a networking lab: a pod with spec.nodeName
// is already bound; otherwise filter nodes (Ready, schedulable, nodeSelector) and score them so
// that pods of one owner spread across nodes (PodTopologySpread's system default) and busy nodes
// score lower; ties are broken at random, as the scheduler's selectHost does among equal scores.
// https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../cluster/objects';
import { matchesMap } from '../api/labels';
import { noChanges, type Changes, type ControllerContext } from './types';

type P = Pod & KubeObject;
type N = Node & KubeObject;

export const isNodeReady = (n: N): boolean =>
  (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

export function reconcileScheduler(ctx: ControllerContext): Changes {
  const changes = noChanges();
  const nodes = ctx.store.list<N>('Node');
  const pods = ctx.store.list<P>('Pod');
  const perNode = new Map<string, number>();
  const perOwner = new Map<string, number>();
  const ownerKey = (p: P, node: string): string =>
    `${p.metadata.ownerReferences?.[0]?.uid ?? p.metadata.name}@${node}`;
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (!n) continue;
    perNode.set(n, (perNode.get(n) ?? 0) + 1);
    perOwner.set(ownerKey(p, n), (perOwner.get(ownerKey(p, n)) ?? 0) + 1);
  }
  for (const p of pods) {
    if (p.spec?.nodeName || p.metadata.deletionTimestamp) continue;
    const ns = p.metadata.namespace ?? 'default';
    const name = p.metadata.name ?? '';
    const fits = nodes.filter(
      (n) => isNodeReady(n) && !n.spec?.unschedulable && matchesMap(p.spec?.nodeSelector, n.metadata.labels),
    );
    if (!fits.length) {
      if (!hasCondition(p, 'PodScheduled', 'False')) {
        const why = nodes.length
          ? `0/${nodes.length} nodes are available: ${nodes.length} node(s) didn't match Pod's node affinity/selector. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`
          : 'no nodes available to schedule pods';
        changes.puts.push({
          ...p,
          status: {
            phase: 'Pending',
            conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: why }],
            qosClass: 'BestEffort',
          },
        });
        changes.events.push({
          type: 'Warning',
          reason: 'FailedScheduling',
          message: why,
          involvedObject: { kind: 'Pod', namespace: ns, name },
          source: 'default-scheduler',
        });
      }
      continue;
    }
    const score = (n: N): number => {
      const nn = n.metadata.name ?? '';
      return (perOwner.get(ownerKey(p, nn)) ?? 0) * 1000 + (perNode.get(nn) ?? 0);
    };
    const best = Math.min(...fits.map(score));
    const chosen = ctx.rng.pick(fits.filter((n) => score(n) === best));
    const nodeName = chosen.metadata.name ?? '';
    perNode.set(nodeName, (perNode.get(nodeName) ?? 0) + 1);
    perOwner.set(ownerKey(p, nodeName), (perOwner.get(ownerKey(p, nodeName)) ?? 0) + 1);
    changes.puts.push({ ...p, spec: { ...p.spec, containers: p.spec?.containers ?? [], nodeName } });
    changes.events.push({
      type: 'Normal',
      reason: 'Scheduled',
      message: `Successfully assigned ${ns}/${name} to ${nodeName}`,
      involvedObject: { kind: 'Pod', namespace: ns, name },
      source: 'default-scheduler',
    });
  }
  return changes;
}

const hasCondition = (p: P, type: string, status: string): boolean =>
  (p.status?.conditions ?? []).some((c) => c.type === type && c.status === status);
