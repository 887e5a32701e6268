// Deployment and ReplicaSet defaulting and validation as kube-apiserver does it on create.
//   defaulting: pkg/apis/apps/v1/defaults.go (SetDefaults_Deployment, SetDefaults_ReplicaSet);
//     the pod template's spec gets the PodSpec defaults (pkg/apis/core/v1/defaults.go).
//   validation: pkg/apis/apps/validation/validation.go (ValidateDeploymentSpec,
//     ValidateReplicaSetSpec, ValidatePodTemplateSpecForReplicaSet, ValidateDeploymentStrategy,
//     ValidateRollingUpdateDeployment, ValidatePositiveIntOrPercent, IsNotMoreThan100Percent).
// Rules are numbered [D…] in ./SPEC.md. Metadata is validated by the apply pipeline.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1';
import { type FieldError, type FieldPath, forbidden, invalid, notSupported, required, root } from './field';
import { matchesSelector } from './labels';
import { isQualifiedName, isValidLabelValue, validateLabelSelector } from './names';
import {
  type JsonObject,
  goStringMap,
  goStringSlice,
  isAbsent,
  isRecord,
  rawError,
  readArray,
  readInt,
  readObject,
  readString,
  readStringList,
  readStringMap,
  typeError,
} from './meta';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from './pod';

type Mutable = Record<string, unknown>;

export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
export const DEFAULT_MAX_UNAVAILABLE = '25%';
export const DEFAULT_MAX_SURGE = '25%';

// ---------------------------------------------------------------------------------------------
// Defaulting

/** The template is a Go struct value: absent → defaulted like an empty one. */
function defaultTemplate(o: Mutable): void {
  const t = o['template'];
  if (isAbsent(t)) o['template'] = defaultPodTemplateSpec({});
  else if (isRecord(t)) o['template'] = defaultPodTemplateSpec(t);
}

/** Applies `f` to the spec (absent → {}); returns the object untouched when it is malformed. */
function withSpec<T>(obj: T, f: (spec: Mutable) => void): T {
  const o: unknown = obj;
  if (!isRecord(o)) return obj;
  const given = isAbsent(o['spec']) ? {} : o['spec'];
  if (!isRecord(given)) return obj;
  const spec: Mutable = { ...given };
  f(spec);
  const out: unknown = { ...o, spec };
  return out as T;
}

/**
 * SetDefaults_Deployment: replicas 1, strategy RollingUpdate with maxUnavailable/maxSurge 25%,
 * revisionHistoryLimit 10, progressDeadlineSeconds 600; the template spec gets PodSpec defaults.
 */
export function defaultDeployment(d: Deployment): Deployment {
  return withSpec(d, (spec) => {
    if (isAbsent(spec['replicas'])) spec['replicas'] = 1;
    const st = isAbsent(spec['strategy']) ? {} : spec['strategy'];
    if (isRecord(st)) {
      const strategy: Mutable = { ...st };
      if (isAbsent(strategy['type']) || strategy['type'] === '') strategy['type'] = 'RollingUpdate';
      if (strategy['type'] === 'RollingUpdate') {
        const ru = isAbsent(strategy['rollingUpdate']) ? {} : strategy['rollingUpdate'];
        if (isRecord(ru)) {
          const r: Mutable = { ...ru };
          if (isAbsent(r['maxUnavailable'])) r['maxUnavailable'] = DEFAULT_MAX_UNAVAILABLE;
          if (isAbsent(r['maxSurge'])) r['maxSurge'] = DEFAULT_MAX_SURGE;
          strategy['rollingUpdate'] = r;
        }
      }
      spec['strategy'] = strategy;
    }
    if (isAbsent(spec['revisionHistoryLimit'])) spec['revisionHistoryLimit'] = DEFAULT_REVISION_HISTORY_LIMIT;
    if (isAbsent(spec['progressDeadlineSeconds']))
      spec['progressDeadlineSeconds'] = DEFAULT_PROGRESS_DEADLINE_SECONDS;
    defaultTemplate(spec);
  });
}

/** SetDefaults_ReplicaSet: replicas 1; the template spec gets PodSpec defaults. */
export function defaultReplicaSet(rs: ReplicaSet): ReplicaSet {
  return withSpec(rs, (spec) => {
    if (isAbsent(spec['replicas'])) spec['replicas'] = 1;
    defaultTemplate(spec);
  });
}

// ---------------------------------------------------------------------------------------------
// Go renderings of the values these errors carry

const goQuote = (s: string): string => JSON.stringify(s);

function goRequirement(r: LabelSelectorRequirement): string {
  return `v1.LabelSelectorRequirement{Key:${goQuote(r.key)}, Operator:${goQuote(r.operator)}, Values:${goStringSlice(r.values)}}`;
}

/**
 * Go %#v of a metav1.LabelSelector, as kube-apiserver prints it in these errors, e.g.
 * `v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`.
 */
export function goLabelSelector(sel: LabelSelector): string {
  const exprs =
    sel.matchExpressions === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${sel.matchExpressions.map(goRequirement).join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** IntOrString implements fmt.Stringer, so the API server prints it bare: `30%`, `0`. */
const intOrStringText = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? 0));

// ---------------------------------------------------------------------------------------------
// Validation

/** Reads a LabelSelector, type-checking every part; undefined when it is malformed. */
function readSelector(raw: unknown, path: FieldPath, errs: FieldError[]): LabelSelector | undefined {
  if (!isRecord(raw)) {
    errs.push(typeError(path, raw, 'object'));
    return undefined;
  }
  const before = errs.length;
  const matchLabels = readStringMap(raw, 'matchLabels', path, errs);
  const exprs = readArray(raw, 'matchExpressions', path, errs);
  const matchExpressions: LabelSelectorRequirement[] = [];
  exprs?.forEach((e, i) => {
    const p = path.child('matchExpressions').index(i);
    if (!isRecord(e)) {
      errs.push(typeError(p, e, 'object'));
      return;
    }
    const key = readString(e, 'key', p, errs) ?? '';
    const operator = readString(e, 'operator', p, errs) ?? '';
    const values = readStringList(e, 'values', p, errs);
    matchExpressions.push(values === undefined ? { key, operator } : { key, operator, values: [...values] });
  });
  if (errs.length > before) return undefined;
  const sel: LabelSelector = {};
  if (matchLabels !== undefined) Object.assign(sel, { matchLabels });
  if (exprs !== undefined) Object.assign(sel, { matchExpressions });
  return sel;
}

/** Would metav1.LabelSelectorAsSelector fail (labels.NewRequirement rejects the requirement)? */
function selectorConversionFails(sel: LabelSelector): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {}))
    if (isQualifiedName(k).length || isValidLabelValue(v).length) return true;
  for (const e of sel.matchExpressions ?? []) {
    const values = e.values ?? [];
    if (isQualifiedName(e.key).length) return true;
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (values.length === 0) return true;
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (values.length > 0) return true;
    } else return true;
    if (values.some((v) => isValidLabelValue(v).length > 0)) return true;
  }
  return false;
}

const isEmptySelector = (sel: LabelSelector): boolean =>
  Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;

/**
 * The selector checks of ValidateDeploymentSpec / ValidateReplicaSetSpec followed by
 * ValidatePodTemplateSpecForReplicaSet.
 */
function validateSelectorAndTemplate(s: JsonObject, path: FieldPath, errs: FieldError[]): void {
  const selPath = path.child('selector');
  const raw = s['selector'];
  let selector: LabelSelector | undefined;
  if (isAbsent(raw)) errs.push(required(selPath));
  else {
    selector = readSelector(raw, selPath, errs);
    if (!selector) return; // malformed: the decoder would have refused it
    errs.push(...validateLabelSelector(selector, selPath));
    // The message says "deployment" for ReplicaSets too, as upstream.
    if (isEmptySelector(selector))
      errs.push(
        rawError(
          selPath,
          'Invalid value',
          goLabelSelector(selector),
          'empty selector is invalid for deployment',
        ),
      );
    if (selectorConversionFails(selector)) {
      errs.push(rawError(selPath, 'Invalid value', goLabelSelector(selector), 'invalid label selector'));
      return; // upstream skips the template when the selector does not convert
    }
  }

  const tPath = path.child('template');
  const rawTemplate = s['template'];
  if (!isAbsent(rawTemplate) && !isRecord(rawTemplate)) {
    errs.push(typeError(tPath, rawTemplate, 'object'));
    return;
  }
  const template: JsonObject = isRecord(rawTemplate) ? rawTemplate : {};
  const meta = isRecord(template['metadata']) ? template['metadata'] : {};
  const labels = isRecord(meta['labels'])
    ? Object.fromEntries(
        Object.entries(meta['labels']).filter((e): e is [string, string] => typeof e[1] === 'string'),
      )
    : undefined;
  // A nil selector converts to labels.Nothing() (never matches); an empty one to Everything().
  const matches =
    selector === undefined ? false : isEmptySelector(selector) || matchesSelector(selector, labels);
  if (!matches)
    errs.push(
      rawError(
        tPath.child('metadata', 'labels'),
        'Invalid value',
        goStringMap(labels),
        '`selector` does not match template `labels`',
      ),
    );
  errs.push(...validatePodTemplateSpec(template, tPath));
  const spec = template['spec'];
  if (isAbsent(spec) || isRecord(spec)) {
    const ps: JsonObject = isRecord(spec) ? spec : {};
    const rp = ps['restartPolicy'];
    if (isAbsent(rp) || (typeof rp === 'string' && rp !== 'Always'))
      errs.push(notSupported(tPath.child('spec', 'restartPolicy'), rp ?? '', ['Always']));
    if (!isAbsent(ps['activeDeadlineSeconds']))
      errs.push(
        forbidden(
          tPath.child('spec', 'activeDeadlineSeconds'),
          'activeDeadlineSeconds in ReplicaSet is not Supported',
        ),
      );
  }
}

/** ValidateNonnegativeField. */
function nonNegative(o: JsonObject, key: string, path: FieldPath, errs: FieldError[]): number | undefined {
  const v = readInt(o, key, path, errs);
  if (v !== undefined && v < 0) errs.push(invalid(path.child(key), v, 'must be greater than or equal to 0'));
  return v;
}

const PERCENT_ERROR =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** ValidatePositiveIntOrPercent; returns getIntOrPercentValue (an invalid string counts as Atoi). */
function validateIntOrPercent(v: unknown, path: FieldPath, errs: FieldError[]): number {
  if (isAbsent(v)) return 0;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) {
      errs.push(typeError(path, v, 'integer'));
      return 0;
    }
    if (v < 0) errs.push(invalid(path, v, 'must be greater than or equal to 0'));
    return v;
  }
  if (typeof v === 'string') {
    if (/^[0-9]+%$/.test(v)) return Number(v.slice(0, -1));
    errs.push(rawError(path, 'Invalid value', v, PERCENT_ERROR));
    return /^[+-]?\d+$/.test(v) ? Number(v) : 0;
  }
  errs.push(typeError(path, v, 'integer'));
  return 0;
}

/** ValidateDeploymentStrategy + ValidateRollingUpdateDeployment. */
function validateStrategy(s: JsonObject, path: FieldPath, errs: FieldError[]): void {
  const p = path.child('strategy');
  const strategy = readObject(s, 'strategy', path, errs);
  if (!strategy && !isAbsent(s['strategy'])) return;
  const st = strategy ?? {};
  const type = readString(st, 'type', p, errs);
  if (type === undefined && !isAbsent(st['type'])) return;
  const ru = st['rollingUpdate'];
  if (type === 'Recreate') {
    if (!isAbsent(ru))
      errs.push(
        forbidden(p.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"),
      );
  } else if (type === 'RollingUpdate') {
    if (isAbsent(ru))
      errs.push(required(p.child('rollingUpdate'), 'this should be defaulted and never be nil'));
    else if (!isRecord(ru)) errs.push(typeError(p.child('rollingUpdate'), ru, 'object'));
    else {
      const rp = p.child('rollingUpdate');
      const mu = validateIntOrPercent(ru['maxUnavailable'], rp.child('maxUnavailable'), errs);
      const ms = validateIntOrPercent(ru['maxSurge'], rp.child('maxSurge'), errs);
      if (mu === 0 && ms === 0)
        errs.push(
          rawError(
            rp.child('maxUnavailable'),
            'Invalid value',
            intOrStringText(ru['maxUnavailable']),
            'may not be 0 when `maxSurge` is 0',
          ),
        );
      const m = ru['maxUnavailable'];
      if (typeof m === 'string' && /^[0-9]+%$/.test(m) && Number(m.slice(0, -1)) > 100)
        errs.push(rawError(rp.child('maxUnavailable'), 'Invalid value', m, 'must not be greater than 100%'));
    }
  } else {
    // field.NotSupported(fldPath, strategy, ...) prints the internal struct with %#v; a non-nil
    // pointer prints as an address, which varies from run to run upstream.
    const ruText = isAbsent(ru)
      ? '(*apps.RollingUpdateDeployment)(nil)'
      : '(*apps.RollingUpdateDeployment)(0xc000010000)';
    errs.push(
      rawError(
        p,
        'Unsupported value',
        `apps.DeploymentStrategy{Type:${goQuote(type ?? '')}, RollingUpdate:${ruText}}`,
        'supported values: "Recreate", "RollingUpdate"',
      ),
    );
  }
}

function specOf(obj: unknown, errs: FieldError[]): JsonObject | undefined {
  if (!isRecord(obj)) {
    errs.push(typeError(root('spec'), obj, 'object'));
    return undefined;
  }
  const spec = obj['spec'];
  if (isAbsent(spec)) return {};
  if (isRecord(spec)) return spec;
  errs.push(typeError(root('spec'), spec, 'object'));
  return undefined;
}

/** ValidateDeploymentSpec (metadata is validated by the apply pipeline). Expects a defaulted object. */
export function validateDeployment(d: Deployment): FieldError[] {
  const errs: FieldError[] = [];
  const s = specOf(d, errs);
  if (!s) return errs;
  const path = root('spec');
  nonNegative(s, 'replicas', path, errs);
  validateSelectorAndTemplate(s, path, errs);
  validateStrategy(s, path, errs);
  const minReady = nonNegative(s, 'minReadySeconds', path, errs) ?? 0;
  nonNegative(s, 'revisionHistoryLimit', path, errs);
  const pds = nonNegative(s, 'progressDeadlineSeconds', path, errs);
  if (pds !== undefined && pds <= minReady)
    errs.push(invalid(path.child('progressDeadlineSeconds'), pds, 'must be greater than minReadySeconds'));
  return errs;
}

/** ValidateReplicaSetSpec (metadata is validated by the apply pipeline). Expects a defaulted object. */
export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const errs: FieldError[] = [];
  const s = specOf(rs, errs);
  if (!s) return errs;
  const path = root('spec');
  nonNegative(s, 'replicas', path, errs);
  nonNegative(s, 'minReadySeconds', path, errs);
  validateSelectorAndTemplate(s, path, errs);
  return errs;
}
