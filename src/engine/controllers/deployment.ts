// Deployment → ReplicaSet (pkg/controller/deployment). The ReplicaSet for a pod template is named
// `<deployment>-<pod-template-hash>`, the hash being controller.ComputeHash: FNV-32a of the
// template, printed in decimal and passed through rand.SafeEncodeString. A template change makes a
// new ReplicaSet; the old ones are scaled to zero. The rollout here is immediate (no maxSurge /
// maxUnavailable pacing), which keeps labs deterministic; the resulting objects are those of a
// finished rollout.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { KubeObject } from '../cluster/objects';
import { jsonEqual, stableJson } from '../cluster/objects';
import { fnv32a, safeEncodeString } from '../rng';
import { noChanges, type Changes, type ControllerContext } from './types';

type Dep = Deployment & KubeObject;
type Rs = ReplicaSet & KubeObject;

export const podTemplateHash = (template: unknown, collisionCount = 0): string =>
  safeEncodeString(String(fnv32a(stableJson(template) + (collisionCount ? String(collisionCount) : ''))));

export const ownerRef = (o: KubeObject) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name ?? '',
  uid: o.metadata.uid ?? '',
  controller: true,
  blockOwnerDeletion: true,
});

export const isOwnedBy = (o: KubeObject, owner: KubeObject): boolean =>
  (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid && r.controller);

export function reconcileDeployments(ctx: ControllerContext): Changes {
  const changes = noChanges();
  const allRs = ctx.store.list<Rs>('ReplicaSet');
  for (const d of ctx.store.list<Dep>('Deployment')) {
    const ns = d.metadata.namespace ?? 'default';
    const name = d.metadata.name ?? '';
    const template = d.spec?.template ?? {};
    const hash = podTemplateHash(template);
    const rsName = `${name}-${hash}`;
    const replicas = d.spec?.replicas ?? 1;
    const owned = allRs.filter((rs) => rs.metadata.namespace === ns && isOwnedBy(rs, d));
    const current = owned.find((rs) => rs.metadata.name === rsName);
    const labels = { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash };
    const desiredSpec = {
      replicas,
      selector: {
        ...d.spec?.selector,
        matchLabels: { ...(d.spec?.selector?.matchLabels ?? {}), 'pod-template-hash': hash },
      },
      template: { ...template, metadata: { ...template.metadata, labels } },
    };
    if (!current) {
      changes.puts.push({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: rsName,
          namespace: ns,
          labels,
          annotations: { 'deployment.kubernetes.io/revision': String(owned.length + 1) },
          ownerReferences: [ownerRef(d)],
        },
        spec: desiredSpec,
      });
      changes.events.push({
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: `Scaled up replica set ${rsName} from 0 to ${replicas}`,
        involvedObject: { kind: 'Deployment', namespace: ns, name },
        source: 'deployment-controller',
      });
    } else if (!jsonEqual(current.spec, desiredSpec)) {
      const from = current.spec?.replicas ?? 0;
      changes.puts.push({ ...current, spec: desiredSpec });
      if (from !== replicas)
        changes.events.push({
          type: 'Normal',
          reason: 'ScalingReplicaSet',
          message: `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rsName} from ${from} to ${replicas}`,
          involvedObject: { kind: 'Deployment', namespace: ns, name },
          source: 'deployment-controller',
        });
    }
    for (const old of owned) {
      if (old.metadata.name === rsName || (old.spec?.replicas ?? 0) === 0) continue;
      changes.puts.push({ ...old, spec: { ...old.spec, selector: old.spec?.selector ?? {}, replicas: 0 } });
      changes.events.push({
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: `Scaled down replica set ${old.metadata.name} from ${old.spec?.replicas ?? 0} to 0`,
        involvedObject: { kind: 'Deployment', namespace: ns, name },
        source: 'deployment-controller',
      });
    }
    const status = deploymentStatus(d, owned, rsName, replicas);
    if (!jsonEqual(d.status, status)) changes.puts.push({ ...d, status });
  }
  return changes;
}

function deploymentStatus(d: Dep, owned: readonly Rs[], rsName: string, replicas: number) {
  const cur = owned.find((rs) => rs.metadata.name === rsName);
  const ready = owned.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
  const total = owned.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
  const updated = cur?.status?.replicas ?? 0;
  return {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: total,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: ready,
    ...(total - ready > 0 ? { unavailableReplicas: total - ready } : {}),
    conditions: [
      {
        type: 'Available',
        status: ready >= replicas ? 'True' : 'False',
        reason: ready >= replicas ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
        message:
          ready >= replicas
            ? 'Deployment has minimum availability.'
            : 'Deployment does not have minimum availability.',
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: updated >= replicas ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
        message:
          updated >= replicas
            ? `ReplicaSet "${rsName}" has successfully progressed.`
            : `ReplicaSet "${rsName}" is progressing.`,
      },
    ],
  };
}
