// Namespace defaulting and validation as kube-apiserver does it on create.
//   defaulting: pkg/apis/core/v1/defaults.go SetDefaults_Namespace (the
//     `kubernetes.io/metadata.name` label, NamespaceDefaultLabelName, GA in 1.22) and the
//     namespace REST strategy's PrepareForCreate (pkg/registry/core/namespace/strategy.go: phase
//     Active, the `kubernetes` finalizer); a cluster-scoped object's metadata.namespace is cleared
//     by the generic registry (rest.BeforeCreate) before validation.
//   validation: pkg/apis/core/validation/validation.go ValidateNamespace (spec.finalizers).
// Rules are numbered [NS…] in ./SPEC.md. The name (a DNS-1123 label) is checked by the apply
// pipeline through validateObjectMeta with nameCheckFor('Namespace').
import type { Namespace } from 'kubernetes-types/core/v1';
import { type FieldError, root } from './field';
import { invalidEach, isQualifiedName } from './names';
import { isAbsent, isRecord, readArray, typeError, validateKubeFinalizerName } from './meta';

/** v1.LabelMetadataName: set to the namespace's name on every write, so it cannot be changed. */
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';
/** core.FinalizerKubernetes: the namespace controller's finalizer, added on create. */
export const FINALIZER_KUBERNETES = 'kubernetes';

type Mutable = Record<string, unknown>;

/**
 * SetDefaults_Namespace + PrepareForCreate: the metadata.name label (always overwritten with the
 * name), spec.finalizers gains `kubernetes`, status.phase Active. Idempotent.
 */
export function defaultNamespace(ns: Namespace): Namespace {
  const o: unknown = ns;
  if (!isRecord(o)) return ns;
  const out: Mutable = { ...o };
  const meta = isAbsent(o['metadata']) ? {} : o['metadata'];
  if (isRecord(meta)) {
    const m: Mutable = { ...meta };
    delete m['namespace'];
    const name = m['name'];
    // "we can't SetDefaults for nameless namespaces (generateName)"
    if (typeof name === 'string' && name.length > 0) {
      const labels = isAbsent(m['labels']) ? {} : m['labels'];
      if (isRecord(labels)) m['labels'] = { ...labels, [LABEL_METADATA_NAME]: name };
    }
    out['metadata'] = m;
  }
  const spec = isAbsent(o['spec']) ? {} : o['spec'];
  if (isRecord(spec)) {
    const finalizers = isAbsent(spec['finalizers']) ? [] : spec['finalizers'];
    if (Array.isArray(finalizers))
      out['spec'] = {
        ...spec,
        finalizers: finalizers.includes(FINALIZER_KUBERNETES)
          ? finalizers
          : [...finalizers, FINALIZER_KUBERNETES],
      };
  }
  const status = isAbsent(o['status']) ? {} : o['status'];
  if (isRecord(status)) out['status'] = { ...status, phase: 'Active' };
  const result: unknown = out;
  return result as Namespace;
}

/** ValidateNamespace's spec part: each spec.finalizers entry is a qualified, known finalizer name. */
export function validateNamespace(ns: Namespace): FieldError[] {
  const o: unknown = ns;
  const path = root('spec');
  if (!isRecord(o)) return [typeError(path, o, 'object')];
  const spec = o['spec'];
  if (isAbsent(spec)) return [];
  if (!isRecord(spec)) return [typeError(path, spec, 'object')];
  const errs: FieldError[] = [];
  const fp = path.child('finalizers');
  (readArray(spec, 'finalizers', path, errs) ?? []).forEach((f, i) => {
    if (typeof f !== 'string') {
      errs.push(typeError(fp.index(i), f, 'string'));
      return;
    }
    // validateFinalizerName: apimachinery's qualified-name check, then validateKubeFinalizerName;
    // both report at spec.finalizers (no index).
    errs.push(...invalidEach(fp, f, isQualifiedName(f)));
    errs.push(...validateKubeFinalizerName(f, fp));
  });
  return errs;
}
