// Pod defaulting and validation as kube-apiserver does it on create.
//   defaulting: pkg/apis/core/v1/defaults.go (SetDefaults_Pod, SetDefaults_PodSpec,
//     SetDefaults_Container, SetDefaults_ContainerPort, SetDefaults_Probe, SetDefaults_HTTPGetAction,
//     SetDefaults_Volume, SetDefaults_ObjectFieldSelector) and pkg/util/parsers.ParseImageName.
//   validation: pkg/apis/core/validation/validation.go (ValidatePodSpec, validateContainers,
//     validateContainerCommon, validateContainerPorts, validateProbe, validateHandler,
//     validatePodDNSConfig, validatePodHostNetworkDeps, AccumulateUniqueHostPorts,
//     ValidatePodTemplateSpec, validateContainersOnlyForPod).
// The subset is what a networking lab exercises; rules are numbered [P…] in ./SPEC.md.
// Metadata is validated by the apply pipeline with validateObjectMeta (./meta.ts).
import type { Pod, PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1';
import ipaddr from 'ipaddr.js';
import {
  type FieldError,
  type FieldPath,
  duplicate,
  forbidden,
  invalid,
  notFound,
  notSupported,
  required,
  root,
} from './field';
import { invalidEach, isDns1123Subdomain, isValidPortName, isValidPortNum } from './names';
import {
  type JsonObject,
  dns1123LabelErrors,
  goStringSlice,
  isAbsent,
  isRecord,
  rawError,
  readArray,
  readBool,
  readInt,
  readObject,
  readString,
  readStringList,
  typeError,
  validateAnnotations,
  validateLabelMap,
} from './meta';

// ---------------------------------------------------------------------------------------------
// Defaulting

type Mutable = Record<string, unknown>;

/** Go zero values: "" and null/absent are unset for strings; 0 too for the int32 probe fields. */
const unsetString = (v: unknown): boolean => isAbsent(v) || v === '';
const unsetInt = (v: unknown): boolean => isAbsent(v) || v === 0;

/** Maps the object elements of an array field, leaving malformed values for validation to report. */
function mapRecords(v: unknown, f: (o: JsonObject) => JsonObject): unknown {
  return Array.isArray(v) ? v.map((x: unknown) => (isRecord(x) ? f(x) : x)) : v;
}

/** Sets key only when the new value is defined (keeps defaulted objects free of undefined keys). */
function put(o: Mutable, key: string, value: unknown): void {
  if (value !== undefined) o[key] = value;
}

export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
export const TERMINATION_MESSAGE_PATH_DEFAULT = '/dev/termination-log';

// github.com/distribution/reference grammar, enough to tell what ParseImageName would reject.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_RE = new RegExp(`^${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?$`);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$/;

/**
 * The tag parsers.ParseImageName reports: "latest" when neither tag nor digest is given, "" when
 * only a digest is, and "" when the reference does not parse (the error is ignored upstream).
 */
export function imageTag(image: string): string {
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) return '';
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag = '';
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) return '';
  }
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasDomain && !DOMAIN_RE.test(first)) return '';
  const path = hasDomain ? parts.slice(1) : parts;
  if (rest.length > 255 || path.length === 0 || !path.every((p) => PATH_COMPONENT_RE.test(p))) return '';
  return tag === '' && digest === '' ? 'latest' : tag;
}

function defaultHttpGet(h: JsonObject): JsonObject {
  const o: Mutable = { ...h };
  if (unsetString(o['path'])) o['path'] = '/';
  if (unsetString(o['scheme'])) o['scheme'] = 'HTTP';
  return o;
}

function defaultProbe(p: JsonObject): JsonObject {
  const o: Mutable = { ...p };
  if (unsetInt(o['timeoutSeconds'])) o['timeoutSeconds'] = 1;
  if (unsetInt(o['periodSeconds'])) o['periodSeconds'] = 10;
  if (unsetInt(o['successThreshold'])) o['successThreshold'] = 1;
  if (unsetInt(o['failureThreshold'])) o['failureThreshold'] = 3;
  if (isRecord(o['httpGet'])) o['httpGet'] = defaultHttpGet(o['httpGet']);
  return o;
}

function defaultLifecycleHandler(h: JsonObject): JsonObject {
  return isRecord(h['httpGet']) ? { ...h, httpGet: defaultHttpGet(h['httpGet']) } : h;
}

function defaultEnvVar(e: JsonObject): JsonObject {
  const from = e['valueFrom'];
  if (!isRecord(from) || !isRecord(from['fieldRef'])) return e;
  const ref = from['fieldRef'];
  return unsetString(ref['apiVersion'])
    ? { ...e, valueFrom: { ...from, fieldRef: { ...ref, apiVersion: 'v1' } } }
    : e;
}

function defaultContainer(c: JsonObject): JsonObject {
  const o: Mutable = { ...c };
  if (unsetString(o['imagePullPolicy'])) {
    const tag = typeof o['image'] === 'string' ? imageTag(o['image']) : '';
    o['imagePullPolicy'] = tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  if (unsetString(o['terminationMessagePath']))
    o['terminationMessagePath'] = TERMINATION_MESSAGE_PATH_DEFAULT;
  if (unsetString(o['terminationMessagePolicy'])) o['terminationMessagePolicy'] = 'File';
  put(
    o,
    'ports',
    mapRecords(o['ports'], (p) => (unsetString(p['protocol']) ? { ...p, protocol: 'TCP' } : p)),
  );
  put(o, 'env', mapRecords(o['env'], defaultEnvVar));
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const p = o[probe];
    if (isRecord(p)) o[probe] = defaultProbe(p);
  }
  const lifecycle = o['lifecycle'];
  if (isRecord(lifecycle)) {
    const l: Mutable = { ...lifecycle };
    for (const k of ['postStart', 'preStop']) {
      const h = l[k];
      if (isRecord(h)) l[k] = defaultLifecycleHandler(h);
    }
    o['lifecycle'] = l;
  }
  return o;
}

/** Volume sources that carry a defaultMode (0644 = 420) when none is given. */
const MODE_SOURCES = ['configMap', 'secret', 'downwardAPI', 'projected'];
/** The VolumeSource members, one of which must be set; none → emptyDir: {} (SetDefaults_Volume). */
const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI',
  'fc', 'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
  'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
]; // prettier-ignore

function defaultVolume(v: JsonObject): JsonObject {
  if (!VOLUME_SOURCES.some((k) => !isAbsent(v[k]))) return { ...v, emptyDir: {} };
  const o: Mutable = { ...v };
  for (const k of MODE_SOURCES) {
    const src = o[k];
    if (isRecord(src) && isAbsent(src['defaultMode'])) o[k] = { ...src, defaultMode: 420 };
  }
  return o;
}

function defaultPodSpecObject(spec: JsonObject): JsonObject {
  const o: Mutable = { ...spec };
  if (unsetString(o['dnsPolicy'])) o['dnsPolicy'] = 'ClusterFirst';
  if (unsetString(o['restartPolicy'])) o['restartPolicy'] = 'Always';
  if (isAbsent(o['securityContext'])) o['securityContext'] = {};
  if (isAbsent(o['terminationGracePeriodSeconds']))
    o['terminationGracePeriodSeconds'] = DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  if (unsetString(o['schedulerName'])) o['schedulerName'] = DEFAULT_SCHEDULER_NAME;
  put(o, 'containers', mapRecords(o['containers'], defaultContainer));
  put(o, 'initContainers', mapRecords(o['initContainers'], defaultContainer));
  put(o, 'volumes', mapRecords(o['volumes'], defaultVolume));
  return o;
}

/** SetDefaults_PodSpec and what it reaches (containers, ports, probes, volumes): also for templates. */
export function defaultPodSpec(spec: PodSpec): PodSpec {
  const s: unknown = spec;
  return (isRecord(s) ? defaultPodSpecObject(s) : s) as PodSpec;
}

/** A pod template's defaults: the spec's only (SetDefaults_Pod does not run on templates). */
export function defaultPodTemplateSpec(template: PodTemplateSpec): PodTemplateSpec {
  const t: unknown = template;
  // The template's spec is a Go struct value: an absent one is defaulted like an empty one.
  const spec = isRecord(t) ? (isAbsent(t['spec']) ? {} : t['spec']) : undefined;
  if (!isRecord(t) || !isRecord(spec)) return template;
  const out: unknown = { ...t, spec: defaultPodSpecObject(spec) };
  return out as PodTemplateSpec;
}

/** defaultHostNetworkPorts: with hostNetwork, an unset hostPort takes the containerPort. */
function defaultHostNetworkPorts(c: JsonObject): JsonObject {
  const ports = mapRecords(c['ports'], (p) =>
    unsetInt(p['hostPort']) && typeof p['containerPort'] === 'number'
      ? { ...p, hostPort: p['containerPort'] }
      : p,
  );
  return ports === undefined ? c : { ...c, ports };
}

/** SetDefaults_Pod: requests default to limits, per resource name. */
function defaultRequestsFromLimits(c: JsonObject): JsonObject {
  const res = c['resources'];
  if (!isRecord(res) || !isRecord(res['limits'])) return c;
  const requests: Mutable = isRecord(res['requests']) ? { ...res['requests'] } : {};
  if (!isAbsent(res['requests']) && !isRecord(res['requests'])) return c;
  for (const [k, v] of Object.entries(res['limits'])) if (!(k in requests)) requests[k] = v;
  return { ...c, resources: { ...res, requests } };
}

/**
 * SetDefaults_Pod + SetDefaults_PodSpec + the container defaults: restartPolicy Always, dnsPolicy
 * ClusterFirst, terminationGracePeriodSeconds 30, schedulerName default-scheduler,
 * securityContext {}, enableServiceLinks true, ports' protocol TCP, imagePullPolicy from the tag,
 * terminationMessagePath/Policy, probe timings, hostNetwork hostPorts. Idempotent.
 */
export function defaultPod(pod: Pod): Pod {
  const p: unknown = pod;
  const given = isRecord(p) ? (isAbsent(p['spec']) ? {} : p['spec']) : undefined;
  if (!isRecord(p) || !isRecord(given)) return pod;
  const spec: Mutable = { ...defaultPodSpecObject(given) };
  if (isAbsent(spec['enableServiceLinks'])) spec['enableServiceLinks'] = true;
  put(spec, 'containers', mapRecords(spec['containers'], defaultRequestsFromLimits));
  put(spec, 'initContainers', mapRecords(spec['initContainers'], defaultRequestsFromLimits));
  if (spec['hostNetwork'] === true) {
    put(spec, 'containers', mapRecords(spec['containers'], defaultHostNetworkPorts));
    put(spec, 'initContainers', mapRecords(spec['initContainers'], defaultHostNetworkPorts));
  }
  const out: unknown = { ...p, spec };
  return out as Pod;
}

// ---------------------------------------------------------------------------------------------
// Validation

export interface PodSpecValidationOptions {
  /** PodValidationOptions.ResourceIsPod: the spec is a Pod's, not a template's. */
  readonly resourceIsPod: boolean;
}

const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP']; // sets.List order
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never']; // sets.List order
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const HTTP_SCHEMES = ['HTTP', 'HTTPS'];
const MAX_DNS_NAMESERVERS = 3;
const MAX_DNS_SEARCH_PATHS = 32;
const MAX_DNS_SEARCH_LIST_CHARS = 2048;
const MAX_INT32 = 2147483647;

/** Reads an element of a list as an object, reporting a wrong type. */
function asRecord(v: unknown, path: FieldPath, errs: FieldError[]): JsonObject | undefined {
  if (isRecord(v)) return v;
  errs.push(typeError(path, v, 'object'));
  return undefined;
}

/** ValidateNonnegativeField (IsNegativeErrorMsg). */
function nonNegative(o: JsonObject, key: string, path: FieldPath, errs: FieldError[]): void {
  const v = readInt(o, key, path, errs);
  if (v !== undefined && v < 0) errs.push(invalid(path.child(key), v, 'must be greater than or equal to 0'));
}

/** validation.IsValidIP: what netutils.ParseIPSloppy accepts (IPv4 may have leading zeros). */
export function isValidIP(s: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) return v4.slice(1).every((p) => Number(p) <= 255);
  return s.includes(':') && !s.includes('%') && ipaddr.IPv6.isValid(s);
}
export const IP_ERROR = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

const DNS1123_LABEL_US = '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_US = `${DNS1123_LABEL_US}(\\.${DNS1123_LABEL_US})*`;
/** IsDNS1123SubdomainWithUnderscore (dnsConfig.searches under RelaxedDNSSearchValidation). */
function isDns1123SubdomainWithUnderscore(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push('must be no more than 253 characters');
  if (!new RegExp(`^${DNS1123_SUBDOMAIN_US}$`).test(value))
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '" +
        DNS1123_SUBDOMAIN_US +
        "')",
    );
  return errs;
}

/** IsHTTPHeaderName. */
const headerNameErrors = (v: string): string[] =>
  /^[-A-Za-z0-9]+$/.test(v)
    ? []
    : [
        "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
      ];

/** ValidatePortNumOrName for an IntOrString (absent = IntOrString zero value, the int 0). */
function validatePortNumOrName(v: unknown, path: FieldPath): FieldError[] {
  if (isAbsent(v)) return invalidEach(path, 0, isValidPortNum(0));
  if (typeof v === 'number')
    return Number.isInteger(v) ? invalidEach(path, v, isValidPortNum(v)) : [typeError(path, v, 'integer')];
  if (typeof v === 'string') return invalidEach(path, v, isValidPortName(v));
  return [typeError(path, v, 'integer')];
}

/** validateHandler: exactly one action; `kinds` in upstream's order. */
function validateHandler(
  h: JsonObject,
  kinds: readonly string[],
  gracePeriod: number | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const k of kinds) {
    const v = h[k];
    if (isAbsent(v)) continue;
    const p = path.child(k);
    if (n > 0) {
      errs.push(forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    const a = asRecord(v, p, errs);
    if (!a) continue;
    switch (k) {
      case 'exec': {
        const cmd = readArray(a, 'command', p, errs);
        if (isAbsent(a['command']) || (cmd && cmd.length === 0)) errs.push(required(p.child('command')));
        break;
      }
      case 'httpGet': {
        const hp = readString(a, 'path', p, errs);
        if (isAbsent(a['path']) || hp === '') errs.push(required(p.child('path')));
        errs.push(...validatePortNumOrName(a['port'], p.child('port')));
        const scheme = readString(a, 'scheme', p, errs);
        if (scheme !== undefined || isAbsent(a['scheme'])) {
          const s = scheme ?? '';
          if (!HTTP_SCHEMES.includes(s)) errs.push(notSupported(p.child('scheme'), s, HTTP_SCHEMES));
        }
        for (const [i, hdr] of (readArray(a, 'httpHeaders', p, errs) ?? []).entries()) {
          const ho = asRecord(hdr, p.child('httpHeaders').index(i), errs);
          const name = ho ? readString(ho, 'name', p.child('httpHeaders').index(i), errs) : undefined;
          if (ho && (name !== undefined || isAbsent(ho['name'])))
            errs.push(...invalidEach(p.child('httpHeaders'), name ?? '', headerNameErrors(name ?? '')));
        }
        break;
      }
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(a['port'], p.child('port')));
        break;
      case 'grpc': {
        const port = a['port'];
        if (typeof port === 'string') errs.push(typeError(p.child('port'), port, 'integer'));
        else errs.push(...validatePortNumOrName(port, p.child('port')));
        break;
      }
      case 'sleep': {
        // AllowPodLifecycleSleepActionZeroValue (on by default since 1.33).
        const seconds = readInt(a, 'seconds', p, errs) ?? 0;
        if (gracePeriod !== undefined && (seconds < 0 || seconds > gracePeriod))
          errs.push(
            invalid(
              p,
              seconds,
              `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`,
            ),
          );
        break;
      }
    }
  }
  if (n === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** validateLivenessProbe / validateReadinessProbe / validateStartupProbe over validateProbe. */
function validateProbe(
  v: unknown,
  kind: ProbeKind,
  gracePeriod: number | undefined,
  path: FieldPath,
): FieldError[] {
  if (isAbsent(v)) return [];
  const errs: FieldError[] = [];
  const p = asRecord(v, path, errs);
  if (!p) return errs;
  errs.push(...validateHandler(p, ['exec', 'httpGet', 'tcpSocket', 'grpc'], gracePeriod, path));
  for (const k of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ])
    nonNegative(p, k, path, errs);
  const tgps = readInt(p, 'terminationGracePeriodSeconds', path, errs);
  if (tgps !== undefined && tgps <= 0)
    errs.push(invalid(path.child('terminationGracePeriodSeconds'), tgps, 'must be greater than 0'));
  if (kind === 'readiness') {
    if (tgps !== undefined)
      errs.push(
        invalid(path.child('terminationGracePeriodSeconds'), tgps, 'must not be set for readinessProbes'),
      );
  } else {
    const st = p['successThreshold'];
    const value = isAbsent(st) ? 0 : st;
    if (value !== 1 && (typeof value === 'number' || isAbsent(st)))
      errs.push(invalid(path.child('successThreshold'), value, 'must be 1'));
  }
  return errs;
}

function validateLifecycle(v: unknown, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  if (isAbsent(v)) return [];
  const errs: FieldError[] = [];
  const l = asRecord(v, path, errs);
  if (!l) return errs;
  for (const k of ['postStart', 'preStop']) {
    const h = l[k];
    if (isAbsent(h)) continue;
    const ho = asRecord(h, path.child(k), errs);
    if (ho)
      errs.push(
        ...validateHandler(ho, ['exec', 'httpGet', 'tcpSocket', 'sleep'], gracePeriod, path.child(k)),
      );
  }
  return errs;
}

/** validateContainerPorts: names are IANA_SVC_NAMEs unique within the container. */
function validateContainerPorts(ports: readonly unknown[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const p = path.index(i);
    const port = asRecord(raw, p, errs);
    if (!port) return;
    const name = readString(port, 'name', p, errs);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) errs.push(...invalidEach(p.child('name'), name, msgs));
      else if (names.has(name)) errs.push(duplicate(p.child('name'), name));
      else names.add(name);
    }
    const cp = readInt(port, 'containerPort', p, errs);
    if (cp === 0 || isAbsent(port['containerPort'])) errs.push(required(p.child('containerPort')));
    else if (cp !== undefined) errs.push(...invalidEach(p.child('containerPort'), cp, isValidPortNum(cp)));
    const hp = readInt(port, 'hostPort', p, errs);
    if (hp !== undefined && hp !== 0) errs.push(...invalidEach(p.child('hostPort'), hp, isValidPortNum(hp)));
    const protocol = readString(port, 'protocol', p, errs);
    if (protocol === '' || isAbsent(port['protocol'])) errs.push(required(p.child('protocol')));
    else if (protocol !== undefined && !PORT_PROTOCOLS.includes(protocol))
      errs.push(notSupported(p.child('protocol'), protocol, PORT_PROTOCOLS));
  });
  return errs;
}

/** ValidateEnv under RelaxedEnvironmentVariableValidation (GA): printable ASCII except '='. */
function validateEnv(env: readonly unknown[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((raw, i) => {
    const p = path.index(i);
    const e = asRecord(raw, p, errs);
    if (!e) return;
    const name = readString(e, 'name', p, errs);
    if (name === '' || isAbsent(e['name'])) errs.push(required(p.child('name')));
    else if (name !== undefined && [...name].some((ch) => ch < ' ' || ch > '~' || ch === '='))
      errs.push(
        invalid(
          p.child('name'),
          name,
          "a valid environment variable name must consist only of printable ASCII characters other than '='",
        ),
      );
    readString(e, 'value', p, errs);
  });
  return errs;
}

/** ValidateVolumeMounts (the name / mountPath part). */
function validateVolumeMounts(
  mounts: readonly unknown[],
  volumes: ReadonlySet<string>,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  mounts.forEach((raw, i) => {
    const p = path.index(i);
    const m = asRecord(raw, p, errs);
    if (!m) return;
    const name = readString(m, 'name', p, errs) ?? '';
    if (name === '') errs.push(required(p.child('name')));
    if (!volumes.has(name)) errs.push(notFound(p.child('name'), name));
    const mountPath = readString(m, 'mountPath', p, errs) ?? '';
    if (mountPath === '') errs.push(required(p.child('mountPath')));
    if (mountPoints.has(mountPath)) errs.push(invalid(p.child('mountPath'), mountPath, 'must be unique'));
    mountPoints.add(mountPath);
  });
  return errs;
}

interface ContainerContext {
  readonly volumes: ReadonlySet<string>;
}

/** validateContainerCommon: name, image, terminationMessagePolicy, ports, env, mounts, pull policy. */
function validateContainerCommon(c: JsonObject, ctx: ContainerContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = readString(c, 'name', path, errs);
  if (name === '' || isAbsent(c['name'])) errs.push(required(path.child('name')));
  else if (name !== undefined) errs.push(...invalidEach(path.child('name'), name, dns1123LabelErrors(name)));

  const image = readString(c, 'image', path, errs);
  if (image === '' || isAbsent(c['image'])) errs.push(required(path.child('image')));

  const tmp = readString(c, 'terminationMessagePolicy', path, errs);
  if (tmp === '' || isAbsent(c['terminationMessagePolicy']))
    errs.push(required(path.child('terminationMessagePolicy')));
  else if (tmp !== undefined && !TERMINATION_MESSAGE_POLICIES.includes(tmp))
    errs.push(notSupported(path.child('terminationMessagePolicy'), tmp, TERMINATION_MESSAGE_POLICIES));

  const ports = readArray(c, 'ports', path, errs);
  if (ports) errs.push(...validateContainerPorts(ports, path.child('ports')));
  const env = readArray(c, 'env', path, errs);
  if (env) errs.push(...validateEnv(env, path.child('env')));
  const mounts = readArray(c, 'volumeMounts', path, errs);
  if (mounts) errs.push(...validateVolumeMounts(mounts, ctx.volumes, path.child('volumeMounts')));

  const pull = readString(c, 'imagePullPolicy', path, errs);
  if (pull === '' || isAbsent(c['imagePullPolicy'])) errs.push(required(path.child('imagePullPolicy')));
  else if (pull !== undefined && !PULL_POLICIES.includes(pull))
    errs.push(notSupported(path.child('imagePullPolicy'), pull, PULL_POLICIES));
  return errs;
}

/** A container's hostPorts as AccumulateUniqueHostPorts keys them: "<protocol>/<hostIP>/<port>". */
function accumulateHostPorts(
  containers: readonly unknown[],
  indices: readonly number[],
  seen: Set<string>,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const ci of indices) {
    const c = containers[ci];
    if (!isRecord(c) || !Array.isArray(c['ports'])) continue;
    c['ports'].forEach((port: unknown, pi: number) => {
      if (!isRecord(port)) return;
      const hp = port['hostPort'];
      if (typeof hp !== 'number' || hp === 0) return;
      const protocol = typeof port['protocol'] === 'string' ? port['protocol'] : '';
      const hostIP = typeof port['hostIP'] === 'string' ? port['hostIP'] : '';
      const key = `${protocol}/${hostIP}/${hp}`;
      if (seen.has(key)) errs.push(duplicate(path.index(ci).child('ports').index(pi).child('hostPort'), key));
      else seen.add(key);
    });
  }
  return errs;
}

/** validateContainers (regular containers). */
function validateContainers(
  containers: readonly unknown[] | undefined,
  ctx: ContainerContext,
  gracePeriod: number | undefined,
  path: FieldPath,
): FieldError[] {
  if (!containers || containers.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((raw, i) => {
    const p = path.index(i);
    const c = asRecord(raw, p, errs);
    if (!c) return;
    errs.push(...validateContainerCommon(c, ctx, p));
    const name = typeof c['name'] === 'string' ? c['name'] : '';
    if (names.has(name)) errs.push(duplicate(p.child('name'), name));
    else names.add(name);
    errs.push(...validateLifecycle(c['lifecycle'], gracePeriod, p.child('lifecycle')));
    errs.push(...validateProbe(c['livenessProbe'], 'liveness', gracePeriod, p.child('livenessProbe')));
    errs.push(...validateProbe(c['readinessProbe'], 'readiness', gracePeriod, p.child('readinessProbe')));
    errs.push(...validateProbe(c['startupProbe'], 'startup', gracePeriod, p.child('startupProbe')));
    if (!isAbsent(c['restartPolicy']))
      errs.push(forbidden(p.child('restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...accumulateHostPorts(containers, [...containers.keys()], new Set(), path));
  return errs;
}

/** validateInitContainers: names unique across regular and init containers; sidecars may probe. */
function validateInitContainers(
  inits: readonly unknown[],
  regular: readonly unknown[],
  ctx: ContainerContext,
  gracePeriod: number | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const c of regular) if (isRecord(c) && typeof c['name'] === 'string') names.add(c['name']);
  inits.forEach((raw, i) => {
    const p = path.index(i);
    const c = asRecord(raw, p, errs);
    if (!c) return;
    errs.push(...validateContainerCommon(c, ctx, p));
    const rp = readString(c, 'restartPolicy', p, errs);
    if (rp !== undefined && rp !== 'Always')
      errs.push(notSupported(p.child('restartPolicy'), rp, ['Always']));
    const name = typeof c['name'] === 'string' ? c['name'] : '';
    if (names.has(name)) errs.push(duplicate(p.child('name'), name));
    else if (name.length > 0) names.add(name);
    // init containers run one by one, so host ports are checked per container
    errs.push(...accumulateHostPorts(inits, [i], new Set(), path));
    if (rp === 'Always') {
      errs.push(...validateLifecycle(c['lifecycle'], gracePeriod, p.child('lifecycle')));
      errs.push(...validateProbe(c['livenessProbe'], 'liveness', gracePeriod, p.child('livenessProbe')));
      errs.push(...validateProbe(c['readinessProbe'], 'readiness', gracePeriod, p.child('readinessProbe')));
      errs.push(...validateProbe(c['startupProbe'], 'startup', gracePeriod, p.child('startupProbe')));
    } else {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'])
        if (!isAbsent(c[k]))
          errs.push(forbidden(p.child(k), 'may not be set for init containers without restartPolicy=Always'));
    }
  });
  return errs;
}

/** Volume names (ValidateVolumes: required, DNS-1123 label, unique) for the mount checks. */
function validateVolumes(volumes: readonly unknown[], path: FieldPath, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  volumes.forEach((raw, i) => {
    const p = path.index(i);
    const v = asRecord(raw, p, errs);
    if (!v) return;
    const el: FieldError[] = [];
    const name = readString(v, 'name', p, el);
    if (name === '' || isAbsent(v['name'])) el.push(required(p.child('name')));
    else if (name !== undefined) el.push(...invalidEach(p.child('name'), name, dns1123LabelErrors(name)));
    if (name !== undefined && names.has(name)) el.push(duplicate(p.child('name'), name));
    if (el.length === 0 && name !== undefined) names.add(name);
    errs.push(...el);
  });
  return errs;
}

/** validatePodDNSConfig. */
function validateDnsConfig(
  spec: JsonObject,
  dnsPolicy: string | undefined,
  path: FieldPath,
  errs: FieldError[],
): void {
  const raw = spec['dnsConfig'];
  const p = path.child('dnsConfig');
  if (!isAbsent(raw) && !isRecord(raw)) {
    errs.push(typeError(p, raw, 'object'));
    return;
  }
  const cfg = isRecord(raw) ? raw : undefined;
  const nameservers = cfg ? readStringList(cfg, 'nameservers', p, errs) : undefined;
  if (dnsPolicy === 'None') {
    if (!cfg) {
      errs.push(required(p, 'must provide `dnsConfig` when `dnsPolicy` is None'));
      return;
    }
    if (!nameservers || nameservers.length === 0) {
      errs.push(
        required(p.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'),
      );
      return;
    }
  }
  if (!cfg) return;
  if (nameservers) {
    if (nameservers.length > MAX_DNS_NAMESERVERS)
      errs.push(
        rawError(
          p.child('nameservers'),
          'Invalid value',
          goStringSlice(nameservers),
          `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`,
        ),
      );
    nameservers.forEach((ns, i) => {
      if (!isValidIP(ns)) errs.push(invalid(p.child('nameservers').index(i), ns, IP_ERROR));
    });
  }
  const searches = readStringList(cfg, 'searches', p, errs);
  if (searches) {
    if (searches.length > MAX_DNS_SEARCH_PATHS)
      errs.push(
        rawError(
          p.child('searches'),
          'Invalid value',
          goStringSlice(searches),
          `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`,
        ),
      );
    if (searches.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS)
      errs.push(
        rawError(
          p.child('searches'),
          'Invalid value',
          goStringSlice(searches),
          `must not have more than ${MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list`,
        ),
      );
    // RelaxedDNSSearchValidation (on by default since 1.33): "." and underscores are allowed.
    searches.forEach((s, i) => {
      if (s === '.') return;
      const trimmed = s.endsWith('.') ? s.slice(0, -1) : s;
      errs.push(
        ...invalidEach(p.child('searches').index(i), trimmed, isDns1123SubdomainWithUnderscore(trimmed)),
      );
    });
  }
  (readArray(cfg, 'options', p, errs) ?? []).forEach((o, i) => {
    const op = p.child('options').index(i);
    const opt = asRecord(o, op, errs);
    if (!opt) return;
    const name = readString(opt, 'name', op, errs);
    if (name === '' || isAbsent(opt['name'])) errs.push(required(op, 'must not be empty'));
  });
}

/** validatePodHostNetworkDeps: with hostNetwork, hostPort must equal containerPort. */
function validateHostNetworkDeps(
  containers: readonly unknown[],
  opts: PodSpecValidationOptions,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    if (!isRecord(c) || !Array.isArray(c['ports'])) return;
    c['ports'].forEach((port: unknown, j: number) => {
      if (!isRecord(port)) return;
      const hp = typeof port['hostPort'] === 'number' ? port['hostPort'] : 0;
      const cp = typeof port['containerPort'] === 'number' ? port['containerPort'] : 0;
      // A template may leave hostPort 0: it is defaulted when the Pod is created.
      if ((opts.resourceIsPod || hp !== 0) && hp !== cp)
        errs.push(
          invalid(
            path.child('containers').index(i).child('ports').index(j).child('hostPort'),
            hp,
            'must match `containerPort` when `hostNetwork` is true',
          ),
        );
    });
  });
  return errs;
}

/** An enum string field: Required when empty, Unsupported when not one of `valid`. */
function enumField(
  o: JsonObject,
  key: string,
  valid: readonly string[],
  path: FieldPath,
  errs: FieldError[],
): string | undefined {
  const v = readString(o, key, path, errs);
  if (v === '' || isAbsent(o[key])) errs.push(required(path.child(key)));
  else if (v !== undefined && !valid.includes(v)) errs.push(notSupported(path.child(key), v, valid));
  return v;
}

/** A name field checked by a ValidateNameFunc when non-empty. */
function nameField(
  o: JsonObject,
  key: string,
  check: (s: string) => string[],
  path: FieldPath,
  errs: FieldError[],
): void {
  const v = readString(o, key, path, errs);
  if (v) errs.push(...invalidEach(path.child(key), v, check(v)));
}

/** ValidatePodSpec (networking subset); `spec` may be any JSON value. */
export function validatePodSpec(
  spec: unknown,
  path: FieldPath,
  opts: PodSpecValidationOptions,
): FieldError[] {
  if (!isAbsent(spec) && !isRecord(spec)) return [typeError(path, spec, 'object')];
  const s: JsonObject = isRecord(spec) ? spec : {};
  const errs: FieldError[] = [];

  const gracePeriod = readInt(s, 'terminationGracePeriodSeconds', path, errs);
  if (isAbsent(s['terminationGracePeriodSeconds']))
    errs.push(required(path.child('terminationGracePeriodSeconds')));

  const volumeNames = new Set<string>();
  const volumes = readArray(s, 'volumes', path, errs);
  if (volumes) errs.push(...validateVolumes(volumes, path.child('volumes'), volumeNames));
  const ctx: ContainerContext = { volumes: volumeNames };

  const containers = readArray(s, 'containers', path, errs);
  if (containers !== undefined || isAbsent(s['containers']))
    errs.push(...validateContainers(containers, ctx, gracePeriod, path.child('containers')));
  const inits = readArray(s, 'initContainers', path, errs);
  if (inits)
    errs.push(
      ...validateInitContainers(inits, containers ?? [], ctx, gracePeriod, path.child('initContainers')),
    );

  const hostNetwork = readBool(s, 'hostNetwork', path, errs);
  if (hostNetwork === true && containers) errs.push(...validateHostNetworkDeps(containers, opts, path));

  enumField(s, 'restartPolicy', RESTART_POLICIES, path, errs);
  const dnsPolicy = enumField(s, 'dnsPolicy', DNS_POLICIES, path, errs);
  errs.push(...validateLabelMap(s['nodeSelector'], path.child('nodeSelector')));
  validateDnsConfig(s, dnsPolicy, path, errs);

  // ValidateServiceAccountName, ValidateNodeName: NameIsDNSSubdomain.
  nameField(s, 'serviceAccountName', isDns1123Subdomain, path, errs);
  nameField(s, 'nodeName', isDns1123Subdomain, path, errs);
  const ads = readInt(s, 'activeDeadlineSeconds', path, errs);
  if (ads !== undefined && (ads < 1 || ads > MAX_INT32))
    errs.push(
      invalid(path.child('activeDeadlineSeconds'), ads, `must be between 1 and ${MAX_INT32}, inclusive`),
    );
  nameField(s, 'hostname', dns1123LabelErrors, path, errs);
  nameField(s, 'subdomain', dns1123LabelErrors, path, errs);

  (readArray(s, 'hostAliases', path, errs) ?? []).forEach((raw, i) => {
    const p = path.child('hostAliases').index(i);
    const a = asRecord(raw, p, errs);
    if (!a) return;
    const ip = readString(a, 'ip', p, errs);
    if (ip !== undefined || isAbsent(a['ip'])) {
      if (!isValidIP(ip ?? '')) errs.push(invalid(p.child('ip'), ip ?? '', IP_ERROR));
    }
    (readStringList(a, 'hostnames', p, errs) ?? []).forEach((h, j) =>
      errs.push(...invalidEach(p.child('hostnames').index(j), h, isDns1123Subdomain(h))),
    );
  });
  nameField(s, 'priorityClassName', isDns1123Subdomain, path, errs);
  return errs;
}

/** validateContainersOnlyForPod: a Pod's images may not carry surrounding whitespace. */
function validateContainersOnlyForPod(containers: unknown, path: FieldPath): FieldError[] {
  if (!Array.isArray(containers)) return [];
  const errs: FieldError[] = [];
  containers.forEach((c: unknown, i) => {
    if (!isRecord(c) || typeof c['image'] !== 'string') return;
    const image = c['image'];
    if (image !== image.trim())
      errs.push(invalid(path.index(i).child('image'), image, 'must not have leading or trailing whitespace'));
  });
  return errs;
}

/**
 * A Pod's spec as validatePodMetadataAndSpec checks it (metadata goes through validateObjectMeta
 * in the apply pipeline). Expects a defaulted pod, as kube-apiserver validates after defaulting.
 */
export function validatePod(pod: Pod): FieldError[] {
  const p: unknown = pod;
  if (!isRecord(p)) return [typeError(root('spec'), p, 'object')];
  const spec = p['spec'];
  const errs = validatePodSpec(spec, root('spec'), { resourceIsPod: true });
  if (isRecord(spec)) {
    errs.push(...validateContainersOnlyForPod(spec['containers'], root('spec').child('containers')));
    errs.push(...validateContainersOnlyForPod(spec['initContainers'], root('spec').child('initContainers')));
  }
  return errs;
}

/**
 * ValidatePodTemplateSpec: note upstream reports the template's labels and annotations at
 * `<path>.labels` / `<path>.annotations` (not `<path>.metadata.labels`).
 */
export function validatePodTemplateSpec(template: unknown, path: FieldPath): FieldError[] {
  if (!isAbsent(template) && !isRecord(template)) return [typeError(path, template, 'object')];
  const t: JsonObject = isRecord(template) ? template : {};
  const errs: FieldError[] = [];
  const meta = readObject(t, 'metadata', path, errs) ?? {};
  errs.push(...validateLabelMap(meta['labels'], path.child('labels')));
  errs.push(...validateAnnotations(meta['annotations'], path.child('annotations')));
  errs.push(...validatePodSpec(t['spec'], path.child('spec'), { resourceIsPod: false }));
  const spec = t['spec'];
  if (isRecord(spec) && Array.isArray(spec['ephemeralContainers']) && spec['ephemeralContainers'].length > 0)
    errs.push(
      forbidden(
        path.child('spec', 'ephemeralContainers'),
        'ephemeral containers not allowed in pod template',
      ),
    );
  return errs;
}
