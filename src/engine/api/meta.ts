// ObjectMeta validation and the per-kind name rules, as kube-apiserver runs them on create:
//   k8s.io/apimachinery/pkg/api/validation/objectmeta.go (ValidateObjectMetaAccessor,
//     ValidateAnnotations, ValidateFinalizers) and generic.go (NameIsDNSSubdomain, NameIsDNSLabel,
//     NameIsDNS1035Label, maskTrailingDash);
//   pkg/apis/core/validation/validation.go (ValidateObjectMeta adds validateKubeFinalizerName).
// Also the small guarded readers the kind validators share: the apply pipeline hands validators
// whatever YAML a learner typed, so every field is type-checked before use (see SPEC.md [M9]).
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import {
  type FieldError,
  type FieldErrorType,
  type FieldPath,
  forbidden,
  goValue,
  invalid,
  required,
  root,
} from './field';
import {
  invalidEach,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  validateLabels,
} from './names';

// ---------------------------------------------------------------------------------------------
// Guarded readers

export type JsonObject = Readonly<Record<string, unknown>>;

export const isRecord = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go decodes JSON null as the zero value, so null and absent are the same thing. */
export const isAbsent = (v: unknown): v is null | undefined => v === undefined || v === null;

export type JsonType = 'string' | 'integer' | 'boolean' | 'object' | 'array';

/**
 * A value of the wrong JSON type. kube-apiserver rejects these while decoding (400, "cannot
 * unmarshal string into Go struct field ... of type int32"); the lab reports them as field errors
 * in the wording of the OpenAPI schema validator ("must be of type integer").
 */
export const typeError = (path: FieldPath, value: unknown, expected: JsonType): FieldError =>
  invalid(path, value, `must be of type ${expected}`);

/** Reads a string field; absent → undefined; wrong type → error pushed, undefined returned. */
export function readString(
  o: JsonObject,
  key: string,
  path: FieldPath,
  errs: FieldError[],
): string | undefined {
  const v = o[key];
  if (isAbsent(v)) return undefined;
  if (typeof v === 'string') return v;
  errs.push(typeError(path.child(key), v, 'string'));
  return undefined;
}

export function readInt(o: JsonObject, key: string, path: FieldPath, errs: FieldError[]): number | undefined {
  const v = o[key];
  if (isAbsent(v)) return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  errs.push(typeError(path.child(key), v, 'integer'));
  return undefined;
}

export function readBool(
  o: JsonObject,
  key: string,
  path: FieldPath,
  errs: FieldError[],
): boolean | undefined {
  const v = o[key];
  if (isAbsent(v)) return undefined;
  if (typeof v === 'boolean') return v;
  errs.push(typeError(path.child(key), v, 'boolean'));
  return undefined;
}

export function readObject(
  o: JsonObject,
  key: string,
  path: FieldPath,
  errs: FieldError[],
): JsonObject | undefined {
  const v = o[key];
  if (isAbsent(v)) return undefined;
  if (isRecord(v)) return v;
  errs.push(typeError(path.child(key), v, 'object'));
  return undefined;
}

export function readArray(
  o: JsonObject,
  key: string,
  path: FieldPath,
  errs: FieldError[],
): readonly unknown[] | undefined {
  const v = o[key];
  if (isAbsent(v)) return undefined;
  if (Array.isArray(v)) return v;
  errs.push(typeError(path.child(key), v, 'array'));
  return undefined;
}

/** A map[string]string field (labels, nodeSelector): an object whose values are all strings. */
export function readStringMap(
  o: JsonObject,
  key: string,
  path: FieldPath,
  errs: FieldError[],
): Readonly<Record<string, string>> | undefined {
  const m = readObject(o, key, path, errs);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) {
    if (typeof v === 'string') out[k] = v;
    else errs.push(typeError(path.child(key).key(k), v, 'string'));
  }
  return out;
}

/** A []string field: array of strings; other elements are reported and dropped. */
export function readStringList(
  o: JsonObject,
  key: string,
  path: FieldPath,
  errs: FieldError[],
): readonly string[] | undefined {
  const a = readArray(o, key, path, errs);
  if (!a) return undefined;
  const out: string[] = [];
  a.forEach((v, i) => {
    if (typeof v === 'string') out.push(v);
    else errs.push(typeError(path.child(key).index(i), v, 'string'));
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Errors whose bad value is Go syntax (%#v of a map or struct) rather than a scalar

/** field.Error rendering with a value already in Go syntax, e.g. `map[string]string{"app":"web"}`. */
export function rawError(path: FieldPath, type: FieldErrorType, goText: string, detail?: string): FieldError {
  const field = path.toString();
  const body = `${type}: ${goText}${detail ? `: ${detail}` : ''}`;
  return { field, type, message: `${field}: ${body}` };
}

/** Go %#v of a string (Go quoting is close enough to JSON's for the names that reach here). */
const goQuote = (s: string): string => JSON.stringify(s);

/** Go's byte-wise string order, which fmt uses to print map keys. */
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Go %#v of a map[string]string: nil → `map[string]string(nil)`, keys sorted. */
export function goStringMap(m: Readonly<Record<string, string>> | undefined): string {
  if (m === undefined) return 'map[string]string(nil)';
  const entries = Object.keys(m)
    .sort(byteOrder)
    .map((k) => `${goQuote(k)}:${goQuote(m[k] ?? '')}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** Go %#v of a []string: nil → `[]string(nil)`. */
export const goStringSlice = (s: readonly string[] | undefined): string =>
  s === undefined ? '[]string(nil)' : `[]string{${s.map(goQuote).join(', ')}}`;

export { goValue };

// ---------------------------------------------------------------------------------------------
// Names

/**
 * IsDNS1123Label as current apimachinery has it: a value that is a valid subdomain but not a
 * label fails with "must not contain dots" instead of the regex message
 * (k8s.io/apimachinery/pkg/util/validation/validation.go IsDNS1123Label).
 */
export function dns1123LabelErrors(value: string): string[] {
  const errs = isDns1123Label(value);
  const subdomainRegexOk = !isDns1123Subdomain(value).some((e) => e.startsWith('a lowercase'));
  return errs.map((e) =>
    e.startsWith('a lowercase RFC 1123 label') && subdomainRegexOk ? 'must not contain dots' : e,
  );
}

/** ValidateNameFunc: the checks for one kind's metadata.name, as upstream assigns them. */
export type NameCheck = (name: string) => string[];

/**
 * The metadata.name rule per kind (pkg/apis/core/validation ValidateServiceName = NameIsDNS1035Label,
 * ValidateNamespaceName = NameIsDNSLabel, ValidatePodName/ValidateNodeName and the apps,
 * networking and discovery kinds = NameIsDNSSubdomain).
 */
export function nameCheckFor(kind: string): NameCheck {
  switch (kind) {
    case 'Service':
      return isDns1035Label;
    case 'Namespace':
      return dns1123LabelErrors;
    default:
      // Pod, Deployment, ReplicaSet, NetworkPolicy, Ingress, IngressClass, EndpointSlice, ConfigMap, Node
      return isDns1123Subdomain;
  }
}

/**
 * generic.go maskTrailingDash: for a generateName prefix a trailing '-' is allowed; upstream
 * replaces the last two characters with "a" before checking.
 */
const maskTrailingDash = (name: string): string =>
  name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;

/** metav1.FinalizerOrphanDependents, FinalizerDeleteDependents and core.FinalizerKubernetes. */
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

/** apimachinery TotalAnnotationSizeLimitB. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;

const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

/** ValidateAnnotations: keys are qualified names (case-insensitive), total size ≤ 256 KiB. */
export function validateAnnotations(annotations: unknown, path: FieldPath): FieldError[] {
  if (isAbsent(annotations)) return [];
  if (!isRecord(annotations)) return [typeError(path, annotations, 'object')];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    errs.push(...invalidEach(path, k, isQualifiedName(k.toLowerCase())));
    if (typeof v !== 'string') errs.push(typeError(path.key(k), v, 'string'));
    size += utf8Length(k) + (typeof v === 'string' ? utf8Length(v) : 0);
  }
  // field.TooLong omits the value: "metadata.annotations: Too long: must have at most 262144 bytes"
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT_B) {
    const field = path.toString();
    errs.push({
      field,
      type: 'Too long',
      message: `${field}: Too long: must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT_B} bytes`,
    });
  }
  return errs;
}

/** metav1 ValidateLabels behind a type guard (labels must be a map of strings). */
export function validateLabelMap(labels: unknown, path: FieldPath): FieldError[] {
  if (isAbsent(labels)) return [];
  if (!isRecord(labels)) return [typeError(path, labels, 'object')];
  return validateLabels(labels, path);
}

/** ValidateFinalizers plus core's validateKubeFinalizerName. */
function validateFinalizers(finalizers: unknown, path: FieldPath): FieldError[] {
  if (isAbsent(finalizers)) return [];
  if (!Array.isArray(finalizers)) return [typeError(path, finalizers, 'array')];
  const errs: FieldError[] = [];
  const names: string[] = [];
  finalizers.forEach((f: unknown, i) => {
    if (typeof f !== 'string') {
      errs.push(typeError(path.index(i), f, 'string'));
      return;
    }
    names.push(f);
    errs.push(...invalidEach(path, f, isQualifiedName(f)));
  });
  if (names.includes('orphan') && names.includes('foregroundDeletion'))
    errs.push(
      rawError(
        path,
        'Invalid value',
        goStringSlice(names),
        'finalizer orphan and foregroundDeletion cannot be both set',
      ),
    );
  finalizers.forEach((f: unknown, i) => {
    if (typeof f === 'string') errs.push(...validateKubeFinalizerName(f, path.index(i)));
  });
  return errs;
}

/** validateKubeFinalizerName: a name without '/' must be one of the standard finalizers. */
export function validateKubeFinalizerName(name: string, path: FieldPath): FieldError[] {
  if (name.split('/').length === 1 && !STANDARD_FINALIZERS.includes(name))
    return [invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified')];
  return [];
}

export interface ObjectMetaOptions {
  readonly namespaced: boolean;
  readonly nameCheck: NameCheck;
}

/**
 * ValidateObjectMeta on create. Upstream expects name generation to have happened already
 * (generateName + 5 random characters, see generateObjectName) and the request namespace to be
 * filled in; a cluster-scoped object's namespace is cleared by the registry before validation.
 */
export function validateObjectMeta(
  meta: ObjectMeta | undefined,
  opts: ObjectMetaOptions,
  path: FieldPath = root('metadata'),
): FieldError[] {
  const m: unknown = meta;
  if (!isAbsent(m) && !isRecord(m)) return [typeError(path, m, 'object')];
  const o: JsonObject = isRecord(m) ? m : {};
  const errs: FieldError[] = [];

  const generateName = readString(o, 'generateName', path, errs);
  if (generateName)
    errs.push(
      ...invalidEach(
        path.child('generateName'),
        generateName,
        opts.nameCheck(maskTrailingDash(generateName)),
      ),
    );

  const nameValue = o['name'];
  if (isAbsent(nameValue) || nameValue === '')
    errs.push(required(path.child('name'), 'name or generateName is required'));
  else if (typeof nameValue !== 'string') errs.push(typeError(path.child('name'), nameValue, 'string'));
  else errs.push(...invalidEach(path.child('name'), nameValue, opts.nameCheck(nameValue)));

  const namespace = readString(o, 'namespace', path, errs);
  if (opts.namespaced) {
    // ValidateNamespaceName = NameIsDNSLabel; an empty namespace is Required (detail empty).
    if (namespace)
      errs.push(...invalidEach(path.child('namespace'), namespace, dns1123LabelErrors(namespace)));
    else if (isAbsent(o['namespace']) || namespace === '') errs.push(required(path.child('namespace')));
  } else if (namespace) {
    errs.push(forbidden(path.child('namespace'), 'not allowed on this type'));
  }

  const generation = readInt(o, 'generation', path, errs);
  if (generation !== undefined && generation < 0)
    errs.push(invalid(path.child('generation'), generation, 'must be greater than or equal to 0'));

  errs.push(...validateLabelMap(o['labels'], path.child('labels')));
  errs.push(...validateAnnotations(o['annotations'], path.child('annotations')));
  errs.push(...validateFinalizers(o['finalizers'], path.child('finalizers')));
  return errs;
}

// names.SimpleNameGenerator: generateName + 5 characters from utilrand's alphabet (no vowels, no
// confusable digits); the base is cut to 58 so the result fits a 63-character label.
// https://github.com/kubernetes/apiserver/blob/master/pkg/storage/names/generate.go
const GENERATED_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATED_BASE = 63 - 5;

/** The name kube-apiserver generates from metadata.generateName; `rand` returns [0, 1). */
export function generateObjectName(base: string, rand: () => number): string {
  let suffix = '';
  for (let i = 0; i < 5; i++)
    suffix += GENERATED_ALPHABET[Math.floor(rand() * GENERATED_ALPHABET.length) % GENERATED_ALPHABET.length];
  return `${base.slice(0, MAX_GENERATED_BASE)}${suffix}`;
}

// Re-exported so kind modules use one import site for name checks.
export { isDns1035Label, isDns1123Subdomain, isQualifiedName };
