// Reads lesson.yaml strictly ([LF1]–[LF8]): every field typed, every unknown key reported, so a
// teacher's typo is a clear lint error instead of a silently ignored field.
import { parse as parseYaml } from 'yaml';
import { CNI_NAMES, PROXY_MODES } from '../engine';
import type { CniName, ProxyMode } from '../engine';
import { parseSelectorText } from './checks';
import {
  CHECK_TYPES,
  type Check,
  type Lesson,
  type LessonCluster,
  type Prediction,
  type QuizQuestion,
  type Solution,
  type Step,
  type Task,
} from './types';

export interface LessonProblem {
  /** The file, relative to the lesson folder. */
  readonly file: string;
  /** Where in it (`steps[2].task.checks[0].connect.expect`), when known. */
  readonly path?: string;
  readonly message: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Reader {
  readonly problems: LessonProblem[] = [];
  constructor(private readonly file: string) {}

  err(path: string, message: string): void {
    this.problems.push({ file: this.file, path, message });
  }

  obj(v: unknown, path: string, allowed: readonly string[]): Obj | null {
    if (!isObj(v)) {
      this.err(path, `must be a mapping`);
      return null;
    }
    for (const k of Object.keys(v))
      if (!allowed.includes(k))
        this.err(path ? `${path}.${k}` : k, `unknown field (allowed: ${allowed.join(', ')})`);
    return v;
  }

  str(o: Obj, key: string, path: string, required = true): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) this.err(`${path}${key}`, 'required');
      return undefined;
    }
    if (typeof v !== 'string' || (required && !v.trim())) {
      this.err(`${path}${key}`, 'must be a non-empty string');
      return undefined;
    }
    return v;
  }

  num(o: Obj, key: string, path: string, required = true): number | undefined {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) this.err(`${path}${key}`, 'required');
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.err(`${path}${key}`, 'must be an integer');
      return undefined;
    }
    return v;
  }

  strList(o: Obj, key: string, path: string, required = true): string[] | undefined {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) this.err(`${path}${key}`, 'required');
      return undefined;
    }
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !x.trim())) {
      this.err(`${path}${key}`, 'must be a list of non-empty strings');
      return undefined;
    }
    return v as string[];
  }
}

function readCluster(r: Reader, v: unknown): LessonCluster {
  const o = r.obj(v, 'cluster', ['cni', 'proxyMode', 'nodes', 'seed', 'nodeCidrMaskSize', 'conntrackMax']);
  const cni = (o?.cni ?? 'calico') as CniName;
  if (!CNI_NAMES.includes(cni)) r.err('cluster.cni', `must be one of ${CNI_NAMES.join(', ')}`);
  const proxyMode = (o?.proxyMode ?? 'iptables') as ProxyMode;
  if (!PROXY_MODES.includes(proxyMode))
    r.err('cluster.proxyMode', `must be one of ${PROXY_MODES.join(', ')}`);
  const nodes = (o ? r.strList(o, 'nodes', 'cluster.', false) : undefined) ?? ['node-a', 'node-b', 'node-c'];
  const seed = (o ? r.num(o, 'seed', 'cluster.', false) : undefined) ?? 1;
  // The cluster CIDR is a /16; kube-controller-manager needs a node mask longer than it, and a /30
  // or longer leaves host-local no address for a pod once the gateway is reserved.
  const nodeCidrMaskSize = o ? r.num(o, 'nodeCidrMaskSize', 'cluster.', false) : undefined;
  if (nodeCidrMaskSize !== undefined && (nodeCidrMaskSize < 17 || nodeCidrMaskSize > 29))
    r.err('cluster.nodeCidrMaskSize', 'must be between 17 and 29 (the cluster CIDR is a /16)');
  const conntrackMax = o ? r.num(o, 'conntrackMax', 'cluster.', false) : undefined;
  if (conntrackMax !== undefined && (conntrackMax < 1 || conntrackMax > 4194304))
    r.err('cluster.conntrackMax', 'must be between 1 and 4194304');
  return {
    cni,
    proxyMode,
    nodes,
    seed,
    ...(nodeCidrMaskSize !== undefined ? { nodeCidrMaskSize } : {}),
    ...(conntrackMax !== undefined ? { conntrackMax } : {}),
  };
}

function readChoiceQuestion(r: Reader, v: unknown, path: string): Prediction | null {
  const o = r.obj(v, path, ['question', 'choices', 'answer', 'explanation']);
  if (!o) return null;
  const p = `${path}.`;
  const question = r.str(o, 'question', p);
  const choices = r.strList(o, 'choices', p);
  const answer = r.str(o, 'answer', p);
  const explanation = r.str(o, 'explanation', p);
  if (choices && choices.length < 2) r.err(`${p}choices`, 'needs at least two choices');
  if (choices && new Set(choices).size !== choices.length) r.err(`${p}choices`, 'has duplicate choices');
  if (choices && answer !== undefined && !choices.includes(answer))
    r.err(`${p}answer`, `"${answer}" is not one of the choices`);
  if (!question || !choices || !answer || !explanation) return null;
  return { question, choices, answer, explanation };
}

const CONNECT_FIELDS = [
  'from',
  'to',
  'port',
  'protocol',
  'expect',
  'decidedByPolicy',
  'sourceIP',
  'tunnel',
  'mtls',
  'attempts',
  'minBackends',
];
const EXPECTS = ['delivered', 'blocked', 'refused', 'nxdomain', 'reset'];

function checkPodRef(r: Reader, v: unknown, path: string, allowHosts: boolean): void {
  if (typeof v === 'string') {
    if (allowHosts && (v === 'external' || /^node:[a-z0-9.-]+$/.test(v))) return;
    if (!/^[a-z0-9.-]+\/[a-z0-9.-]+$/.test(v))
      r.err(
        path,
        `"${v}" is not a pod reference (namespace/name${allowHosts ? ', external or node:<name>' : ''}, or {selector, namespace})`,
      );
    return;
  }
  const o = r.obj(v, path, ['selector', 'namespace']);
  if (!o) return;
  const sel = r.str(o, 'selector', `${path}.`);
  if (sel && !parseSelectorText(sel))
    r.err(`${path}.selector`, `"${sel}" is not an equality-based label selector (a=b,c!=d)`);
  r.str(o, 'namespace', `${path}.`, false);
}

const REQUESTS_FIELDS = [
  'from',
  'to',
  'port',
  'path',
  'count',
  'bySubset',
  'tolerance',
  'minSuccessRate',
  'maxSuccessRate',
  'minRetries',
  'maxRetries',
  'maxP99Ms',
];

/** A number (not only an integer) in [min, max], or undefined when absent. */
function fraction(r: Reader, o: Obj, key: string, p: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    r.err(`${p}.${key}`, `must be a number from ${min} to ${max}`);
    return undefined;
  }
  return v;
}

function readRequestsCheck(r: Reader, body: unknown, p: string): void {
  const o = r.obj(body, p, REQUESTS_FIELDS);
  if (!o) return;
  if (o.from === undefined) r.err(`${p}.from`, 'required');
  else checkPodRef(r, o.from, `${p}.from`, false);
  const to = r.str(o, 'to', `${p}.`);
  if (to !== undefined && !/^[a-z0-9.-]+(:\d{1,5})?$/.test(to))
    r.err(`${p}.to`, `"${to}" must be a Service name (web, web.shop) with an optional :port`);
  const port = r.num(o, 'port', `${p}.`, false);
  if (port !== undefined && (port < 1 || port > 65535)) r.err(`${p}.port`, 'must be between 1 and 65535');
  const path = r.str(o, 'path', `${p}.`, false);
  if (path !== undefined && !path.startsWith('/')) r.err(`${p}.path`, 'must start with /');
  const count = r.num(o, 'count', `${p}.`);
  if (count !== undefined && (count < 1 || count > 5000)) r.err(`${p}.count`, 'must be between 1 and 5000');
  if (o.bySubset !== undefined) {
    if (!isObj(o.bySubset) || !Object.keys(o.bySubset).length)
      r.err(`${p}.bySubset`, 'must map subset names to shares, as {v1: 0.9, v2: 0.1}');
    else for (const k of Object.keys(o.bySubset)) fraction(r, o.bySubset, k, `${p}.bySubset`, 0, 1);
  }
  fraction(r, o, 'tolerance', p, 0, 1);
  const minS = fraction(r, o, 'minSuccessRate', p, 0, 1);
  const maxS = fraction(r, o, 'maxSuccessRate', p, 0, 1);
  if (minS !== undefined && maxS !== undefined && minS > maxS)
    r.err(p, 'minSuccessRate is larger than maxSuccessRate');
  const minR = r.num(o, 'minRetries', `${p}.`, false);
  const maxR = r.num(o, 'maxRetries', `${p}.`, false);
  if ((minR !== undefined && minR < 0) || (maxR !== undefined && maxR < 0))
    r.err(p, 'minRetries and maxRetries must not be negative');
  if (minR !== undefined && maxR !== undefined && minR > maxR)
    r.err(p, 'minRetries is larger than maxRetries');
  fraction(r, o, 'maxP99Ms', p, 0, 600000);
  if (
    ['bySubset', 'minSuccessRate', 'maxSuccessRate', 'minRetries', 'maxRetries', 'maxP99Ms'].every(
      (k) => o[k] === undefined,
    )
  )
    r.err(p, 'give at least one expectation (bySubset, min/maxSuccessRate, min/maxRetries, maxP99Ms)');
}

function readCheck(r: Reader, v: unknown, path: string): Check | null {
  if (!isObj(v)) {
    r.err(path, 'must be a mapping with one check type');
    return null;
  }
  const types = Object.keys(v).filter((k) => k !== 'label');
  const unknown = types.filter((k) => !(CHECK_TYPES as readonly string[]).includes(k));
  for (const k of unknown)
    r.err(`${path}.${k}`, `unknown check type "${k}" (known: ${CHECK_TYPES.join(', ')})`);
  if (unknown.length) return null;
  if (types.length !== 1) {
    r.err(path, `must have exactly one check type, found ${types.length ? types.join(', ') : 'none'}`);
    return null;
  }
  if (v.label !== undefined && (typeof v.label !== 'string' || !v.label.trim()))
    r.err(`${path}.label`, 'must be a non-empty string');
  const type = types[0] ?? '';
  const body = v[type];
  const p = `${path}.${type}`;
  const before = r.problems.length;
  switch (type) {
    case 'connect': {
      const o = r.obj(body, p, CONNECT_FIELDS);
      if (!o) break;
      if (o.from === undefined) r.err(`${p}.from`, 'required');
      else checkPodRef(r, o.from, `${p}.from`, true);
      if (o.to === undefined) r.err(`${p}.to`, 'required');
      else if (typeof o.to !== 'string') {
        const t = r.obj(o.to, `${p}.to`, ['pod', 'service', 'via', 'node']);
        if (t && t.pod !== undefined) {
          checkPodRef(r, t.pod, `${p}.to.pod`, false);
          if (t.service !== undefined || t.via !== undefined)
            r.err(`${p}.to`, 'give either pod or service (with via)');
        } else if (t) {
          const s = r.str(t, 'service', `${p}.to.`);
          if (s && !/^([a-z0-9-]+\/)?[a-z0-9-]+$/.test(s))
            r.err(`${p}.to.service`, `"${s}" is not namespace/name`);
          if (t.via !== undefined && !['clusterIP', 'nodePort', 'loadBalancer'].includes(String(t.via)))
            r.err(`${p}.to.via`, 'must be clusterIP, nodePort or loadBalancer');
          if (t.node !== undefined && (t.via !== 'nodePort' || typeof t.node !== 'string'))
            r.err(`${p}.to.node`, 'a node name, only with via: nodePort');
        }
      }
      const port = r.num(o, 'port', `${p}.`, false);
      if (port !== undefined && (port < 1 || port > 65535)) r.err(`${p}.port`, 'must be between 1 and 65535');
      if (
        port === undefined &&
        (typeof o.to !== 'string' || !/:\d+$/.test(o.to)) &&
        !(isObj(o.to) && o.to.service !== undefined)
      )
        r.err(`${p}.port`, 'required (or give it in to, as web:80)');
      if (o.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(String(o.protocol)))
        r.err(`${p}.protocol`, 'must be TCP, UDP or SCTP');
      if (!EXPECTS.includes(String(o.expect))) r.err(`${p}.expect`, `must be one of ${EXPECTS.join(', ')}`);
      for (const b of ['decidedByPolicy', 'tunnel', 'mtls'])
        if (o[b] !== undefined && typeof o[b] !== 'boolean') r.err(`${p}.${b}`, 'must be true or false');
      if (o.sourceIP !== undefined && !['client', 'node'].includes(String(o.sourceIP)))
        r.err(`${p}.sourceIP`, 'must be client or node');
      const attempts = r.num(o, 'attempts', `${p}.`, false);
      if (attempts !== undefined && (attempts < 1 || attempts > 100))
        r.err(`${p}.attempts`, 'must be between 1 and 100');
      const minB = r.num(o, 'minBackends', `${p}.`, false);
      if (minB !== undefined && (attempts === undefined || minB > attempts))
        r.err(`${p}.minBackends`, 'needs attempts at least as large');
      break;
    }
    case 'serviceReady': {
      const o = r.obj(body, p, ['namespace', 'name', 'minReadyEndpoints', 'maxReadyEndpoints']);
      if (!o) break;
      r.str(o, 'namespace', `${p}.`, false);
      r.str(o, 'name', `${p}.`);
      const min = r.num(o, 'minReadyEndpoints', `${p}.`, false);
      const max = r.num(o, 'maxReadyEndpoints', `${p}.`, false);
      if (min !== undefined && max !== undefined && min > max)
        r.err(p, 'minReadyEndpoints is larger than maxReadyEndpoints');
      break;
    }
    case 'deploymentReady': {
      const o = r.obj(body, p, ['namespace', 'name', 'minReadyReplicas']);
      if (!o) break;
      r.str(o, 'namespace', `${p}.`, false);
      r.str(o, 'name', `${p}.`);
      r.num(o, 'minReadyReplicas', `${p}.`, false);
      break;
    }
    case 'exists':
    case 'absent': {
      const o = r.obj(body, p, ['kind', 'namespace', 'name']);
      if (!o) break;
      r.str(o, 'kind', `${p}.`);
      r.str(o, 'namespace', `${p}.`, false);
      r.str(o, 'name', `${p}.`);
      break;
    }
    case 'podIPChanged': {
      const o = r.obj(body, p, ['pod', 'selector', 'namespace']);
      if (!o) break;
      if ((o.pod === undefined) === (o.selector === undefined))
        r.err(p, 'give either pod (namespace/name) or selector');
      if (o.pod !== undefined) checkPodRef(r, o.pod, `${p}.pod`, false);
      const sel = r.str(o, 'selector', `${p}.`, false);
      if (sel && !parseSelectorText(sel))
        r.err(`${p}.selector`, `"${sel}" is not an equality-based label selector`);
      r.str(o, 'namespace', `${p}.`, false);
      break;
    }
    case 'serviceIPStable': {
      const o = r.obj(body, p, ['namespace', 'name']);
      if (!o) break;
      r.str(o, 'namespace', `${p}.`, false);
      r.str(o, 'name', `${p}.`);
      break;
    }
    case 'dns': {
      const o = r.obj(body, p, ['from', 'name', 'type', 'expectRcode', 'expectAnswer', 'maxQueries']);
      if (!o) break;
      if (o.from === undefined) r.err(`${p}.from`, 'required');
      else checkPodRef(r, o.from, `${p}.from`, false);
      r.str(o, 'name', `${p}.`);
      if (o.type !== undefined && !['A', 'SRV', 'CNAME', 'PTR'].includes(String(o.type)))
        r.err(`${p}.type`, 'must be A, SRV, CNAME or PTR');
      if (o.expectRcode !== undefined && !['NOERROR', 'NXDOMAIN', 'SERVFAIL'].includes(String(o.expectRcode)))
        r.err(`${p}.expectRcode`, 'must be NOERROR, NXDOMAIN or SERVFAIL');
      if (o.expectAnswer !== undefined && typeof o.expectAnswer !== 'string') {
        const a = r.obj(o.expectAnswer, `${p}.expectAnswer`, ['service', 'pod']);
        if (a && a.pod !== undefined) {
          checkPodRef(r, a.pod, `${p}.expectAnswer.pod`, false);
          if (a.service !== undefined) r.err(`${p}.expectAnswer`, 'give either service or pod');
        } else if (a) r.str(a, 'service', `${p}.expectAnswer.`);
      }
      const maxQ = r.num(o, 'maxQueries', `${p}.`, false);
      if (maxQ !== undefined && (maxQ < 1 || maxQ > 40)) r.err(`${p}.maxQueries`, 'must be between 1 and 40');
      break;
    }
    case 'http': {
      const o = r.obj(body, p, ['from', 'to', 'host', 'path', 'expectStatus', 'expectService']);
      if (!o) break;
      if (o.from === undefined) r.err(`${p}.from`, 'required');
      else checkPodRef(r, o.from, `${p}.from`, true);
      const to = r.str(o, 'to', `${p}.`, false);
      if (to !== undefined && to !== 'ingress' && !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(to))
        r.err(`${p}.to`, `"${to}" must be ingress, or a name or IP with an optional :port`);
      r.str(o, 'host', `${p}.`, false);
      const path = r.str(o, 'path', `${p}.`, false);
      if (path !== undefined && !path.startsWith('/')) r.err(`${p}.path`, 'must start with /');
      const status = r.num(o, 'expectStatus', `${p}.`, false);
      if (status !== undefined && (status < 100 || status > 599))
        r.err(`${p}.expectStatus`, 'must be an HTTP status (100–599)');
      const svc = r.str(o, 'expectService', `${p}.`, false);
      if (svc !== undefined && !/^([a-z0-9-]+\/)?[a-z0-9-]+(:\d{1,5})?$/.test(svc))
        r.err(`${p}.expectService`, `"${svc}" is not namespace/name or namespace/name:port`);
      break;
    }
    case 'podPending': {
      const o = r.obj(body, p, ['selector', 'namespace', 'reasonContains', 'minPods']);
      if (!o) break;
      const sel = r.str(o, 'selector', `${p}.`);
      if (sel && !parseSelectorText(sel))
        r.err(`${p}.selector`, `"${sel}" is not an equality-based label selector`);
      r.str(o, 'namespace', `${p}.`, false);
      r.str(o, 'reasonContains', `${p}.`, false);
      const min = r.num(o, 'minPods', `${p}.`, false);
      if (min !== undefined && min < 1) r.err(`${p}.minPods`, 'must be at least 1');
      break;
    }
    case 'conntrack': {
      const o = r.obj(body, p, ['node', 'full', 'minEntries']);
      if (!o) break;
      r.str(o, 'node', `${p}.`);
      if (o.full !== undefined && typeof o.full !== 'boolean') r.err(`${p}.full`, 'must be true or false');
      const min = r.num(o, 'minEntries', `${p}.`, false);
      if (min !== undefined && min < 0) r.err(`${p}.minEntries`, 'must not be negative');
      if (o.full === undefined && min === undefined) r.err(p, 'give full and/or minEntries');
      break;
    }
    case 'proxyRules': {
      const o = r.obj(body, p, ['node', 'minRules', 'maxRules']);
      if (!o) break;
      r.str(o, 'node', `${p}.`, false);
      const min = r.num(o, 'minRules', `${p}.`, false);
      const max = r.num(o, 'maxRules', `${p}.`, false);
      if (min === undefined && max === undefined) r.err(p, 'give minRules and/or maxRules');
      if (min !== undefined && max !== undefined && min > max) r.err(p, 'minRules is larger than maxRules');
      break;
    }
    case 'sidecar': {
      const o = r.obj(body, p, ['selector', 'namespace', 'proxy']);
      if (!o) break;
      const sel = r.str(o, 'selector', `${p}.`);
      if (sel && !parseSelectorText(sel))
        r.err(`${p}.selector`, `"${sel}" is not an equality-based label selector`);
      r.str(o, 'namespace', `${p}.`, false);
      if (o.proxy !== undefined && !['istio-proxy', 'linkerd-proxy'].includes(String(o.proxy)))
        r.err(`${p}.proxy`, 'must be istio-proxy or linkerd-proxy');
      break;
    }
    case 'requests':
      readRequestsCheck(r, body, p);
      break;
    case 'cni':
      if (!CNI_NAMES.includes(body as CniName)) r.err(p, `must be one of ${CNI_NAMES.join(', ')}`);
      break;
    case 'proxyMode':
      if (!PROXY_MODES.includes(body as ProxyMode)) r.err(p, `must be one of ${PROXY_MODES.join(', ')}`);
      break;
  }
  return r.problems.length === before ? (v as unknown as Check) : null;
}

function readTask(r: Reader, v: unknown, path: string): Task | null {
  const o = r.obj(v, path, ['goal', 'checks', 'hints', 'solution']);
  if (!o) return null;
  const goal = r.str(o, 'goal', `${path}.`);
  const checks: Check[] = [];
  if (!Array.isArray(o.checks) || o.checks.length === 0) r.err(`${path}.checks`, 'must be a non-empty list');
  else
    o.checks.forEach((c, i) => {
      const check = readCheck(r, c, `${path}.checks[${i}]`);
      if (check) checks.push(check);
    });
  const hints = r.strList(o, 'hints', `${path}.`) ?? [];
  if (!hints.length) r.err(`${path}.hints`, 'needs at least one hint');
  const s = r.obj(o.solution, `${path}.solution`, ['yaml', 'kubectl', 'settings']);
  let solution: Solution = {};
  if (s) {
    const yaml = r.str(s, 'yaml', `${path}.solution.`, false);
    const kubectl = r.strList(s, 'kubectl', `${path}.solution.`, false);
    let settings: Solution['settings'];
    if (s.settings !== undefined) {
      const st = r.obj(s.settings, `${path}.solution.settings`, ['cni', 'proxyMode']);
      if (st?.cni !== undefined && !CNI_NAMES.includes(st.cni as CniName))
        r.err(`${path}.solution.settings.cni`, `must be one of ${CNI_NAMES.join(', ')}`);
      if (st?.proxyMode !== undefined && !PROXY_MODES.includes(st.proxyMode as ProxyMode))
        r.err(`${path}.solution.settings.proxyMode`, 'must be iptables or ipvs');
      if (st)
        settings = {
          ...(st.cni ? { cni: st.cni as CniName } : {}),
          ...(st.proxyMode ? { proxyMode: st.proxyMode as ProxyMode } : {}),
        };
    }
    if (!yaml && !kubectl?.length && !settings) r.err(`${path}.solution`, 'needs yaml, kubectl or settings');
    solution = {
      ...(yaml ? { yaml } : {}),
      ...(kubectl ? { kubectl } : {}),
      ...(settings ? { settings } : {}),
    };
  }
  if (!goal) return null;
  return { goal, checks, hints, solution };
}

/** Parses lesson.yaml; `problems` is empty when it is well-formed (files are checked by the linter). */
export function parseLesson(
  text: string,
  file = 'lesson.yaml',
): { lesson: Lesson | null; problems: LessonProblem[] } {
  const r = new Reader(file);
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    return { lesson: null, problems: [{ file, message: `YAML does not parse: ${(e as Error).message}` }] };
  }
  const o = r.obj(doc, '', ['id', 'title', 'summary', 'order', 'cluster', 'steps', 'quiz']);
  if (!o) return { lesson: null, problems: r.problems };
  const id = r.str(o, 'id', '');
  if (id && !/^\d{2}-[a-z0-9-]+$/.test(id))
    r.err('id', `"${id}" must look like 04-services (two digits, a dash, lowercase words)`);
  const title = r.str(o, 'title', '');
  const summary = r.str(o, 'summary', '');
  const order = r.num(o, 'order', '');
  const cluster = readCluster(r, o.cluster ?? {});
  const steps: Step[] = [];
  if (!Array.isArray(o.steps) || !o.steps.length) r.err('steps', 'must be a non-empty list');
  else
    o.steps.forEach((sv, i) => {
      const path = `steps[${i}]`;
      const s = r.obj(sv, path, ['title', 'text', 'prediction', 'task']);
      if (!s) return;
      const stitle = r.str(s, 'title', `${path}.`);
      const text = r.str(s, 'text', `${path}.`);
      if (text && !text.endsWith('.md')) r.err(`${path}.text`, `"${text}" must name a Markdown file (.md)`);
      const prediction =
        s.prediction === undefined ? undefined : readChoiceQuestion(r, s.prediction, `${path}.prediction`);
      const task = s.task === undefined ? undefined : readTask(r, s.task, `${path}.task`);
      if (stitle && text)
        steps.push({ title: stitle, text, ...(prediction ? { prediction } : {}), ...(task ? { task } : {}) });
    });
  const quiz: QuizQuestion[] = [];
  if (!Array.isArray(o.quiz) || !o.quiz.length) r.err('quiz', 'must be a non-empty list');
  else
    o.quiz.forEach((q, i) => {
      const question = readChoiceQuestion(r, q, `quiz[${i}]`);
      if (question) quiz.push(question);
    });
  if (r.problems.length || !id || !title || !summary || order === undefined)
    return { lesson: null, problems: r.problems };
  return { lesson: { id, title, summary, order, cluster, steps, quiz }, problems: [] };
}
