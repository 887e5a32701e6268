import {
  CNI_NAMES,
  PROXY_MODES,
  createEngine,
  enginePartsLoaded,
  loadEngineParts,
  type ApplyResult,
  type Manifest,
  type CniName,
  type ConnectRequest,
  type Engine,
  type EngineOptions,
  type ProxyMode,
  type RequestsInput,
} from '../engine';
import type * as KubectlLayer from '../kubectl';
import type { KubectlOutput } from '../kubectl';
import { starterLab } from './starterLab';

// A lab is kept as what the learner did, not as the state it led to: the cluster it started from
// (settings, seed and manifests) and every operation since, in order. The engine is deterministic
// (a seed fixes every IP, name and random choice), so replaying the record rebuilds the same
// cluster, pod names and IPs included: that is how a lab is restored after a reload and how a
// shared link opens the same cluster in another browser. Every operation replays through the same
// entry points a learner uses (apply, kubectl), so a record from elsewhere can do nothing a learner
// could not type.

/** What the learner did to the cluster, one entry per action. */
export type LabOp =
  | { readonly op: 'apply'; readonly yaml: string }
  | { readonly op: 'delete'; readonly kind: string; readonly namespace?: string; readonly name: string }
  /**
   * A kubectl line typed in the terminal; `editorYaml` is what `apply -f editor.yaml` read, and
   * `files` the lesson files other `-f` names read.
   */
  | {
      readonly op: 'kubectl';
      readonly line: string;
      readonly editorYaml?: string;
      readonly files?: Readonly<Record<string, string>>;
    }
  | { readonly op: 'connect'; readonly request: ConnectRequest }
  | { readonly op: 'setCni'; readonly cni: CniName }
  | { readonly op: 'setProxyMode'; readonly proxyMode: ProxyMode }
  /** `sysctl -w net.netfilter.nf_conntrack_max=<n>` on every node. */
  | { readonly op: 'setConntrackMax'; readonly conntrackMax: number }
  /**
   * `sleep <seconds>` in the terminal: the lab's virtual clock moves on, so caches and conntrack
   * entries expire and ages grow as they would while the learner waited.
   */
  | { readonly op: 'advance'; readonly seconds: number }
  /**
   * A batch of HTTP requests (the Mesh view's "Send"). It draws on the seeded random source and
   * adds to the sidecars' metrics, so it replays like any other operation.
   */
  | { readonly op: 'requests'; readonly input: RequestsInput };

export interface LabRecord {
  readonly name: string;
  /** The cluster's settings when the lab started (CNI, kube-proxy mode, nodes, seed, ranges). */
  readonly settings: EngineOptions;
  /** The starting manifests. */
  readonly yaml: string;
  readonly ops: readonly LabOp[];
}

/** The file name `kubectl apply -f` gives the editor's content. */
export const EDITOR_FILE = 'editor.yaml';

/** kubectl verbs that only read: they change nothing, so the record leaves them out. */
const READ_ONLY_VERBS = new Set([
  'get',
  'describe',
  'logs',
  'version',
  'cluster-info',
  'explain',
  'api-resources',
  'api-versions',
  'config',
  'help',
]);

// The lab's tools are loaded on demand: the kubectl command layer, and the engine's half that reads
// YAML text and traces packets (loadEngineParts). Drawing a lab built from the starter manifest,
// read at build time, needs neither, so the first screen does not wait for them. loadLabTools() is
// the one way they are loaded; whatever runs kubectl, applies text, sends traffic or replays a
// record that does (the terminal, the editor, the traffic controls, a lesson, booting a saved lab)
// awaits it first.
let kubectlLayer: typeof KubectlLayer | null = null;
let toolsLoading: Promise<void> | null = null;

/** Loads the lab's tools once; resolves when kubectl lines, YAML text and packets can run and replay. */
export function loadLabTools(): Promise<void> {
  toolsLoading ??= Promise.all([import('../kubectl'), loadEngineParts()]).then(
    ([layer]) => {
      kubectlLayer = layer;
    },
    (e: unknown) => {
      // A failed load (the network dropped) is tried again next time.
      toolsLoading = null;
      throw e;
    },
  );
  return toolsLoading;
}

/** Whether loadLabTools() has resolved. */
export const labToolsLoaded = (): boolean => kubectlLayer !== null && enginePartsLoaded();

/** The manifest to apply for `yaml`: the starter lab's was read at build time, any other is text. */
const manifestOf = (yaml: string): string | Manifest =>
  yaml === starterLab.yaml ? starterLab.manifest : yaml;

/** Operations that replay without the lab's tools: they neither read YAML text nor trace packets. */
const WITHOUT_TOOLS: ReadonlySet<LabOp['op']> = new Set([
  'delete',
  'setCni',
  'setProxyMode',
  'setConntrackMax',
  'advance',
]);

/** Whether replaying `record` needs loadLabTools() first. */
export const needsLabTools = (record: LabRecord): boolean =>
  (record.yaml.trim() !== '' && typeof manifestOf(record.yaml) === 'string') ||
  record.ops.some((op) => !WITHOUT_TOOLS.has(op.op));

function kubectl(): typeof KubectlLayer {
  if (!kubectlLayer) throw new Error('The kubectl commands have not loaded yet; try again in a moment.');
  return kubectlLayer;
}

/** Whether a kubectl line can change the cluster or the kernel state (exec's curl does: conntrack). */
export function kubectlChanges(line: string): boolean {
  const { findVerb, tokenize } = kubectl();
  const verb = tokenize(line).words.find((w) => !w.startsWith('-') && findVerb(w) !== undefined);
  return verb !== undefined && !READ_ONLY_VERBS.has(findVerb(verb)?.name ?? verb);
}

/** Runs one kubectl line against `engine` the way the terminal does (after loadLabTools()). */
export function runKubectlLine(
  engine: Engine,
  line: string,
  editorYaml: string | undefined,
  files: Readonly<Record<string, string>> = {},
): KubectlOutput {
  return kubectl().runKubectl(engine, line, { editorYaml: editorYaml ?? '', editorName: EDITOR_FILE, files });
}

/** The file names a kubectl line reads with `-f NAME`, `-f=NAME`, `--filename NAME` or `--filename=NAME`. */
function fileArguments(line: string): string[] {
  const words = kubectl().tokenize(line).words;
  const names: string[] = [];
  words.forEach((w, i) => {
    const next = words[i + 1];
    if ((w === '-f' || w === '--filename') && next !== undefined) names.push(next);
    else if (w.startsWith('-f=')) names.push(w.slice(3));
    else if (w.startsWith('--filename=')) names.push(w.slice('--filename='.length));
  });
  return names;
}

/**
 * The record's entry for a kubectl line: the editor's content and the lesson files it names, only
 * when the line reads files, so that replaying it reads the same text.
 */
export function kubectlOp(
  line: string,
  editorYaml: string,
  files: Readonly<Record<string, string>> = {},
): LabOp {
  const names = fileArguments(line);
  if (!names.length) return { op: 'kubectl', line };
  const read = Object.fromEntries(
    names.filter((n) => Object.prototype.hasOwnProperty.call(files, n)).map((n) => [n, files[n] ?? '']),
  );
  return Object.keys(read).length
    ? { op: 'kubectl', line, editorYaml, files: read }
    : { op: 'kubectl', line, editorYaml };
}

/** Carries out one operation on `engine`; what apply returned, for apply operations. */
export function runOp(engine: Engine, op: LabOp): ApplyResult | null {
  switch (op.op) {
    case 'apply':
      return engine.apply(manifestOf(op.yaml));
    case 'delete':
      engine.delete(op.kind, op.namespace, op.name);
      return null;
    case 'kubectl':
      runKubectlLine(engine, op.line, op.editorYaml, op.files);
      return null;
    case 'connect':
      engine.connect(op.request);
      return null;
    case 'setCni':
      engine.setCni(op.cni);
      return null;
    case 'setProxyMode':
      engine.setProxyMode(op.proxyMode);
      return null;
    case 'setConntrackMax':
      engine.cluster.setSettings({ conntrackMax: op.conntrackMax });
      return null;
    case 'advance':
      engine.advance(op.seconds);
      return null;
    case 'requests':
      engine.requests(op.input);
      return null;
  }
}

export interface ReplayedLab {
  readonly engine: Engine;
  /** The outcome of the last apply: the starting manifests', or a later one's. */
  readonly lastApply: ApplyResult | null;
}

/**
 * Builds the lab's cluster: a fresh engine, the starting manifests, then every operation in order.
 * A record that needsLabTools() needs loadLabTools() to have resolved.
 */
export function replayLab(record: LabRecord): ReplayedLab {
  const engine = createEngine(record.settings);
  let lastApply = record.yaml.trim() === '' ? null : engine.apply(manifestOf(record.yaml));
  for (const op of record.ops) lastApply = runOp(engine, op) ?? lastApply;
  return { engine, lastApply };
}

// A record read back from storage or from a link is untrusted: it is checked field by field, and
// bounded, before anything replays it. The limits are far above any lab a learner builds by hand
// and far below what would freeze the tab.
export const RECORD_LIMITS = {
  /** Characters of YAML and kubectl text, all operations together. */
  maxText: 1_000_000,
  maxOps: 5_000,
  maxNodes: 12,
  maxNameLength: 253,
  /** HTTP requests, all `requests` operations together (each is simulated again on replay). */
  maxRequests: 100_000,
} as const;

export type RecordCheck =
  { readonly ok: true; readonly record: LabRecord } | { readonly ok: false; readonly error: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const validCidr = (v: unknown): v is string => {
  const m = typeof v === 'string' ? CIDR.exec(v) : null;
  return m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
};
/** nf_conntrack_max a lab accepts: a handful (to watch the table fill) up to ten million. */
export const CONNTRACK_MAX_LIMITS = { min: 1, max: 10_000_000 } as const;
const CONNTRACK_MAX_RANGE = `must be an integer from ${CONNTRACK_MAX_LIMITS.min} to ${CONNTRACK_MAX_LIMITS.max}`;
export const isConntrackMax = (v: unknown): v is number =>
  Number.isInteger(v) &&
  (v as number) >= CONNTRACK_MAX_LIMITS.min &&
  (v as number) <= CONNTRACK_MAX_LIMITS.max;
/** How far one `sleep` may move the lab's clock: a day. */
export const ADVANCE_LIMITS = { maxSeconds: 86_400 } as const;
export const isAdvanceSeconds = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= ADVANCE_LIMITS.maxSeconds;
/** Requests one batch may send: enough for a split to show its proportions, few enough to replay at once. */
export const REQUESTS_LIMITS = { min: 1, max: 10_000 } as const;
export const isRequestCount = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= REQUESTS_LIMITS.min && (v as number) <= REQUESTS_LIMITS.max;
const isPort = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;

function checkSettings(v: unknown): EngineOptions | string {
  if (v === undefined) return {};
  if (!isObject(v)) return 'settings must be an object';
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) {
    switch (key) {
      case 'nodes':
        if (
          !Array.isArray(value) ||
          value.length === 0 ||
          value.length > RECORD_LIMITS.maxNodes ||
          !value.every((n) => typeof n === 'string' && DNS_LABEL.test(n)) ||
          new Set(value).size !== value.length
        )
          return `settings.nodes must be 1 to ${RECORD_LIMITS.maxNodes} distinct DNS labels`;
        break;
      case 'cni':
        if (typeof value !== 'string' || !(CNI_NAMES as readonly string[]).includes(value))
          return `settings.cni must be one of ${CNI_NAMES.join(', ')}`;
        break;
      case 'proxyMode':
        if (typeof value !== 'string' || !(PROXY_MODES as readonly string[]).includes(value))
          return `settings.proxyMode must be one of ${PROXY_MODES.join(', ')}`;
        break;
      case 'seed':
        if (!Number.isSafeInteger(value)) return 'settings.seed must be an integer';
        break;
      case 'clusterCIDR':
      case 'serviceCIDR':
        if (!validCidr(value)) return `settings.${key} must be an IPv4 CIDR`;
        break;
      case 'nodeCidrMaskSize':
        if (!Number.isInteger(value) || (value as number) < 16 || (value as number) > 30)
          return 'settings.nodeCidrMaskSize must be an integer from 16 to 30';
        break;
      case 'conntrackMax':
        if (!isConntrackMax(value)) return `settings.conntrackMax ${CONNTRACK_MAX_RANGE}`;
        break;
      default:
        return `settings.${key} is not a cluster setting`;
    }
    out[key] = value;
  }
  return out as EngineOptions;
}

const str = (v: unknown): v is string => typeof v === 'string';

function checkOp(v: unknown, i: number): LabOp | string {
  const at = `ops[${i}]`;
  if (!isObject(v) || !str(v.op)) return `${at} must be an object with an op`;
  switch (v.op) {
    case 'apply':
      return str(v.yaml) ? { op: 'apply', yaml: v.yaml } : `${at}.yaml must be text`;
    case 'delete':
      if (!str(v.kind) || !str(v.name) || (v.namespace !== undefined && !str(v.namespace)))
        return `${at} must name a kind, a name and optionally a namespace`;
      return {
        op: 'delete',
        kind: v.kind,
        name: v.name,
        ...(str(v.namespace) ? { namespace: v.namespace } : {}),
      };
    case 'kubectl':
      if (!str(v.line) || (v.editorYaml !== undefined && !str(v.editorYaml)))
        return `${at} must hold a kubectl line`;
      if (
        v.files !== undefined &&
        (!isObject(v.files) || Object.keys(v.files).length > 20 || !Object.values(v.files).every(str))
      )
        return `${at}.files must map at most 20 file names to their text`;
      return {
        op: 'kubectl',
        line: v.line,
        ...(str(v.editorYaml) ? { editorYaml: v.editorYaml } : {}),
        ...(isObject(v.files) ? { files: v.files as Record<string, string> } : {}),
      };
    case 'connect': {
      const r = v.request;
      if (
        !isObject(r) ||
        !str(r.from) ||
        !str(r.to) ||
        !Number.isInteger(r.port) ||
        (r.protocol !== undefined && r.protocol !== 'TCP' && r.protocol !== 'UDP' && r.protocol !== 'SCTP')
      )
        return `${at}.request must have from, to, an integer port and a protocol`;
      // The HTTP request a connection carries only changes what its hops show (the payload).
      const h = r.http;
      if (
        h !== undefined &&
        (!isObject(h) ||
          !str(h.host) ||
          !str(h.path) ||
          (h.method !== undefined && !str(h.method)) ||
          (h.userAgent !== undefined && !str(h.userAgent)))
      )
        return `${at}.request.http must have a host, a path and optionally a method and a user agent`;
      return {
        op: 'connect',
        request: {
          from: r.from,
          to: r.to,
          port: r.port as number,
          ...(r.protocol === undefined ? {} : { protocol: r.protocol as 'TCP' | 'UDP' | 'SCTP' }),
          ...(isObject(h)
            ? {
                http: {
                  host: h.host as string,
                  path: h.path as string,
                  ...(str(h.method) ? { method: h.method } : {}),
                  ...(str(h.userAgent) ? { userAgent: h.userAgent } : {}),
                },
              }
            : {}),
        },
      };
    }
    case 'setCni':
      return str(v.cni) && (CNI_NAMES as readonly string[]).includes(v.cni)
        ? { op: 'setCni', cni: v.cni as CniName }
        : `${at}.cni is not a CNI`;
    case 'setProxyMode':
      return str(v.proxyMode) && (PROXY_MODES as readonly string[]).includes(v.proxyMode)
        ? { op: 'setProxyMode', proxyMode: v.proxyMode as ProxyMode }
        : `${at}.proxyMode is not a kube-proxy mode`;
    case 'setConntrackMax':
      return isConntrackMax(v.conntrackMax)
        ? { op: 'setConntrackMax', conntrackMax: v.conntrackMax }
        : `${at}.conntrackMax ${CONNTRACK_MAX_RANGE}`;
    case 'advance':
      return isAdvanceSeconds(v.seconds)
        ? { op: 'advance', seconds: v.seconds }
        : `${at}.seconds must be a number of seconds above 0 and at most ${ADVANCE_LIMITS.maxSeconds}`;
    case 'requests': {
      const r = v.input;
      if (
        !isObject(r) ||
        !str(r.from) ||
        !str(r.to) ||
        (r.port !== undefined && !isPort(r.port)) ||
        (r.path !== undefined && !str(r.path)) ||
        !isRequestCount(r.count)
      )
        return `${at}.input must have from, to, an optional port (1 to 65535) and path, and a count from ${REQUESTS_LIMITS.min} to ${REQUESTS_LIMITS.max}`;
      return {
        op: 'requests',
        input: {
          from: r.from,
          to: r.to,
          ...(r.port === undefined ? {} : { port: r.port }),
          ...(str(r.path) ? { path: r.path } : {}),
          count: r.count,
        },
      };
    }
    default:
      return `${at}.op "${v.op.slice(0, 40)}" is not an operation`;
  }
}

const textSize = (op: LabOp): number =>
  op.op === 'apply'
    ? op.yaml.length
    : op.op === 'kubectl'
      ? op.line.length +
        (op.editorYaml?.length ?? 0) +
        Object.entries(op.files ?? {}).reduce((n, [k, v]) => n + k.length + v.length, 0)
      : op.op === 'requests'
        ? op.input.from.length + op.input.to.length + (op.input.path?.length ?? 0) + 64
        : 64;

/** Checks an untrusted value (parsed JSON) is a lab record within the limits. */
export function checkLabRecord(v: unknown): RecordCheck {
  const fail = (error: string): RecordCheck => ({ ok: false, error });
  if (!isObject(v)) return fail('the lab is not an object');
  if (!str(v.name) || v.name.length > RECORD_LIMITS.maxNameLength) return fail('the lab has no valid name');
  if (!str(v.yaml)) return fail('the lab has no starting manifests');
  const settings = checkSettings(v.settings);
  if (typeof settings === 'string') return fail(settings);
  if (!Array.isArray(v.ops)) return fail('the lab has no list of operations');
  if (v.ops.length > RECORD_LIMITS.maxOps)
    return fail(`the lab has ${v.ops.length} operations; at most ${RECORD_LIMITS.maxOps} are allowed`);
  const ops: LabOp[] = [];
  let size = v.yaml.length;
  let requests = 0;
  for (const [i, raw] of v.ops.entries()) {
    const op = checkOp(raw, i);
    if (typeof op === 'string') return fail(op);
    size += textSize(op);
    if (op.op === 'requests') requests += op.input.count;
    ops.push(op);
  }
  if (requests > RECORD_LIMITS.maxRequests)
    return fail(
      `the lab sends ${requests} HTTP requests in all; at most ${RECORD_LIMITS.maxRequests} are allowed`,
    );
  if (size > RECORD_LIMITS.maxText)
    return fail(
      `the lab holds ${size} characters of manifests and commands; at most ${RECORD_LIMITS.maxText} are allowed`,
    );
  return { ok: true, record: { name: v.name, settings, yaml: v.yaml, ops } };
}
