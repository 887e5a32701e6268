// The update half of `kubectl apply`: the new manifest replaces the user's fields, while what the
// server owns (uid, creation time, status, allocated addresses and ports, a pod's binding) stays.
// Immutable fields are refused as the API server refuses them.
import type { Pod } from 'kubernetes-types/core/v1';
import { forbidden, invalid, root, type FieldError } from '../api/field';
import { isRecord, jsonEqual, type KubeObject } from './objects';

const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export function updateObject(
  existing: KubeObject,
  desired: KubeObject,
  /** The manifest as written, before defaulting: tells which fields the user stated. */
  given?: KubeObject,
): { object: KubeObject } | { errors: FieldError[] } {
  const metadata = {
    ...desired.metadata,
    uid: existing.metadata.uid,
    creationTimestamp: existing.metadata.creationTimestamp,
    resourceVersion: existing.metadata.resourceVersion,
    ...(existing.metadata.generateName ? { generateName: existing.metadata.generateName } : {}),
    ...(desired.metadata.ownerReferences || !existing.metadata.ownerReferences
      ? {}
      : { ownerReferences: existing.metadata.ownerReferences }),
  };
  const specChanged = !jsonEqual(existing.spec, desired.spec);
  if (existing.metadata.generation !== undefined)
    metadata.generation = existing.metadata.generation + (specChanged ? 1 : 0);
  let spec = desired.spec;
  const errors: FieldError[] = [];
  switch (existing.kind) {
    case 'Pod': {
      const before = existing.spec as Pod['spec'];
      const after = { ...(desired.spec as Pod['spec']) } as NonNullable<Pod['spec']>;
      if (before?.nodeName && !after.nodeName) after.nodeName = before.nodeName;
      // kubectl apply's three-way merge patch keeps a server-defaulted field the manifest does not
      // state: a new image does not re-default imagePullPolicy (nginx → nginx:1.25 keeps Always),
      // so the update only changes the image, which ValidatePodUpdate allows.
      const givenContainers =
        isRecord(given?.spec) && Array.isArray(given.spec.containers) ? given.spec.containers : [];
      after.containers = (after.containers ?? []).map((c) => {
        const old = before?.containers?.find((b) => b.name === c.name);
        const stated = givenContainers.some(
          (g) => isRecord(g) && g.name === c.name && g.imagePullPolicy !== undefined,
        );
        return old?.imagePullPolicy && !stated ? { ...c, imagePullPolicy: old.imagePullPolicy } : c;
      });
      const images = (s: Pod['spec']) => ({
        ...s,
        containers: (s?.containers ?? []).map((c) => ({ ...c, image: '' })),
      });
      if (!jsonEqual(images(before), images(after)))
        errors.push(forbidden(root('spec'), POD_UPDATE_FORBIDDEN));
      spec = after;
      break;
    }
    case 'Deployment':
    case 'ReplicaSet': {
      const sel = (o: KubeObject) => (isRecord(o.spec) ? o.spec.selector : undefined);
      if (!jsonEqual(sel(existing), sel(desired)))
        errors.push(invalid(root('spec').child('selector'), sel(desired) ?? null, 'field is immutable'));
      break;
    }
    case 'Node':
      spec = {
        ...(isRecord(existing.spec) ? existing.spec : {}),
        ...(isRecord(desired.spec) ? desired.spec : {}),
      };
      break;
  }
  if (errors.length) return { errors };
  const object: KubeObject = { ...desired, metadata, ...(spec !== undefined ? { spec } : {}) };
  return { object: existing.status !== undefined ? { ...object, status: existing.status } : object };
}
