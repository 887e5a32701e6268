// Task checks: outcomes of the simulated cluster, never the commands typed ([CK1]). Each check asks
// the engine through the same operations the headless protocol uses (list/get, connect, dns,
// settings), so a check passes exactly when the cluster the learner sees behaves that way.
import { ruleStats } from '../engine/parts';
import type { ConnectResult, Engine, KubeObject } from '../engine';
import type {
  Check,
  CheckReport,
  CheckResult,
  ConnectCheck,
  ConnectTarget,
  DnsCheck,
  HttpCheck,
  PodIPChangedCheck,
  PodPendingCheck,
  PodRef,
  RequestsCheck,
  SidecarCheck,
  TaskStart,
} from './types';

interface PodLike {
  readonly metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  readonly spec?: { nodeName?: string };
  readonly status?: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
  };
}

interface ServiceLike {
  readonly metadata?: { name?: string; namespace?: string };
  readonly spec?: { type?: string; clusterIP?: string; ports?: { port: number; nodePort?: number }[] };
  readonly status?: { loadBalancer?: { ingress?: { ip?: string }[] } };
}

const ns = (n: string | undefined): string => n ?? 'default';
const asPod = (o: KubeObject): PodLike => o as unknown as PodLike;
const asService = (o: KubeObject | undefined): ServiceLike | undefined =>
  o as unknown as ServiceLike | undefined;
const podReady = (p: PodLike): boolean =>
  (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

// --- label selectors (equality-based: `a=b`, `a==b`, `a!=b`, `a`, `!a`, comma = AND) ----------

export function parseSelectorText(
  text: string,
): { key: string; op: '=' | '!=' | 'exists' | '!exists'; value: string }[] | null {
  const out: { key: string; op: '=' | '!=' | 'exists' | '!exists'; value: string }[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (!part) return null;
    const m = /^([A-Za-z0-9._/-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/.exec(part);
    if (m) out.push({ key: m[1] ?? '', op: m[2] === '!=' ? '!=' : '=', value: m[3] ?? '' });
    else if (/^![A-Za-z0-9._/-]+$/.test(part)) out.push({ key: part.slice(1), op: '!exists', value: '' });
    else if (/^[A-Za-z0-9._/-]+$/.test(part)) out.push({ key: part, op: 'exists', value: '' });
    else return null;
  }
  return out;
}

export function selectorMatches(text: string, labels: Readonly<Record<string, string>> | undefined): boolean {
  const reqs = parseSelectorText(text);
  if (!reqs) return false;
  const l = labels ?? {};
  return reqs.every((r) => {
    const v = l[r.key];
    switch (r.op) {
      case '=':
        return v === r.value;
      case '!=':
        return v !== r.value;
      case 'exists':
        return v !== undefined;
      case '!exists':
        return v === undefined;
    }
  });
}

// --- the task's starting point ([CK3]) ------------------------------------------------------------

/** Records what `podIPChanged` and `serviceIPStable` compare with; call it when a task starts. */
export function captureTaskStart(engine: Engine): TaskStart {
  return {
    pods: engine.list('Pod').map((o) => {
      const p = asPod(o);
      return {
        namespace: ns(p.metadata?.namespace),
        name: p.metadata?.name ?? '',
        ip: p.status?.podIP ?? null,
        labels: { ...(p.metadata?.labels ?? {}) },
      };
    }),
    services: engine.list('Service').map((o) => {
      const s = asService(o);
      return {
        namespace: ns(s?.metadata?.namespace),
        name: s?.metadata?.name ?? '',
        clusterIP: s?.spec?.clusterIP ?? '',
      };
    }),
  };
}

// --- resolving references ---------------------------------------------------------------------------

const podRefText = (r: PodRef): string =>
  typeof r === 'string' ? r : `a pod labelled ${r.selector} in ${ns(r.namespace)}`;

/** `ns/name` of a running pod with an IP, or an error sentence. */
function resolvePod(engine: Engine, ref: PodRef): { ref: string; ip: string } | { error: string } {
  if (typeof ref === 'string') {
    const [namespace, name] = ref.includes('/') ? ref.split('/') : ['default', ref];
    const o = engine.get('Pod', namespace, name ?? '');
    const p = o ? asPod(o) : undefined;
    if (!p) return { error: `pod ${namespace}/${name} does not exist` };
    if (!p.status?.podIP || p.status.phase !== 'Running')
      return { error: `pod ${namespace}/${name} is not running with an IP` };
    return { ref: `${namespace}/${name}`, ip: p.status.podIP };
  }
  const namespace = ns(ref.namespace);
  const match = engine
    .list('Pod', namespace)
    .map(asPod)
    .filter(
      (p) =>
        p.status?.phase === 'Running' && p.status.podIP && selectorMatches(ref.selector, p.metadata?.labels),
    )
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const first = match[0];
  if (!first?.status?.podIP) return { error: `no running pod labelled ${ref.selector} in ${namespace}` };
  return { ref: `${namespace}/${first.metadata?.name ?? ''}`, ip: first.status.podIP };
}

function resolveSource(engine: Engine, from: PodRef): { from: string } | { error: string } {
  if (typeof from === 'string' && (from === 'external' || from.startsWith('node:'))) return { from };
  const p = resolvePod(engine, from);
  return 'error' in p ? p : { from: p.ref };
}

function splitHostPort(to: string): { host: string; port?: number } {
  const m = /^(.*):(\d+)$/.exec(to);
  return m ? { host: m[1] ?? '', port: Number(m[2]) } : { host: to };
}

function resolveTarget(
  engine: Engine,
  to: ConnectTarget,
  port: number | undefined,
): { to: string; port: number } | { error: string } {
  if (typeof to === 'string') {
    const hp = splitHostPort(to);
    const p = port ?? hp.port;
    return p === undefined ? { error: `no port given for ${to}` } : { to: hp.host, port: p };
  }
  if ('pod' in to) {
    const p = resolvePod(engine, to.pod);
    if ('error' in p) return p;
    return port === undefined ? { error: 'no port given' } : { to: p.ip, port };
  }
  const [namespace, name] = to.service.includes('/') ? to.service.split('/') : ['default', to.service];
  const svc = asService(engine.get('Service', namespace, name ?? ''));
  if (!svc) return { error: `Service ${namespace}/${name} does not exist` };
  const sp = port === undefined ? svc.spec?.ports?.[0] : svc.spec?.ports?.find((x) => x.port === port);
  if (!sp) return { error: `Service ${namespace}/${name} has no port ${port ?? ''}`.trim() };
  switch (to.via ?? 'clusterIP') {
    case 'clusterIP':
      return svc.spec?.clusterIP && svc.spec.clusterIP !== 'None'
        ? { to: svc.spec.clusterIP, port: sp.port }
        : { error: `Service ${namespace}/${name} has no ClusterIP` };
    case 'nodePort': {
      if (!sp.nodePort)
        return {
          error: `Service ${namespace}/${name} has no nodePort (type ${svc.spec?.type ?? 'ClusterIP'})`,
        };
      // The chosen node's InternalIP (default the first node): every node answers on a nodePort.
      const nodes = engine.list('Node') as unknown as {
        metadata?: { name?: string };
        status?: { addresses?: { type: string; address: string }[] };
      }[];
      const node = to.node ? nodes.find((n) => n.metadata?.name === to.node) : nodes[0];
      if (!node) return { error: `node ${to.node ?? ''} does not exist` };
      const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
      return ip ? { to: ip, port: sp.nodePort } : { error: 'the cluster has no node address' };
    }
    case 'loadBalancer': {
      const ip = svc.status?.loadBalancer?.ingress?.[0]?.ip;
      return ip
        ? { to: ip, port: sp.port }
        : {
            error: `Service ${namespace}/${name} has no load-balancer address (type ${svc.spec?.type ?? 'ClusterIP'})`,
          };
    }
  }
}

// --- labels -----------------------------------------------------------------------------------------

function targetText(to: ConnectTarget, port: number | undefined): string {
  const p = port === undefined ? '' : `:${port}`;
  if (typeof to === 'string') return `${to}${splitHostPort(to).port === undefined ? p : ''}`;
  if ('pod' in to) return `the IP of ${podRefText(to.pod)}${p}`;
  const via = to.via ?? 'clusterIP';
  const how =
    via === 'clusterIP' ? 'ClusterIP' : via === 'nodePort' ? 'nodePort on a node' : 'load-balancer address';
  return `Service ${to.service} (${how})${p}`;
}

const fromText = (from: PodRef): string =>
  from === 'external'
    ? 'a client outside the cluster'
    : typeof from === 'string' && from.startsWith('node:')
      ? `node ${from.slice(5)}`
      : podRefText(from);

export function describeCheck(check: Check): string {
  if (check.label) return check.label;
  if ('connect' in check) {
    const c = check.connect;
    const proto = c.protocol ?? 'TCP';
    const verb = {
      delivered: 'is delivered',
      blocked: 'is blocked',
      refused: 'is refused',
      nxdomain: 'fails to resolve',
      reset: 'is reset',
    }[c.expect];
    const extra = [
      c.decidedByPolicy
        ? c.expect === 'delivered'
          ? 'allowed by a NetworkPolicy rule'
          : 'by a NetworkPolicy'
        : '',
      c.sourceIP === 'client'
        ? "the backend sees the client's own address"
        : c.sourceIP === 'node'
          ? "the backend sees a node's address (SNAT)"
          : '',
      c.tunnel === true ? 'through a tunnel' : c.tunnel === false ? 'without a tunnel' : '',
      c.mtls === true ? 'inside mutual TLS' : c.mtls === false ? 'in plaintext' : '',
      c.minBackends ? `spread over at least ${c.minBackends} pods in ${c.attempts ?? 1} connections` : '',
    ].filter(Boolean);
    return `${proto} from ${fromText(c.from)} to ${targetText(c.to, c.port)} ${verb}${extra.length ? ` (${extra.join('; ')})` : ''}`;
  }
  if ('serviceReady' in check) {
    const c = check.serviceReady;
    const range =
      c.maxReadyEndpoints !== undefined
        ? c.minReadyEndpoints === c.maxReadyEndpoints
          ? `exactly ${c.maxReadyEndpoints}`
          : `${c.minReadyEndpoints ?? 0} to ${c.maxReadyEndpoints}`
        : `at least ${c.minReadyEndpoints ?? 1}`;
    return `Service ${ns(c.namespace)}/${c.name} has ${range} ready endpoint${range === 'at least 1' || range === 'exactly 1' ? '' : 's'}`;
  }
  if ('deploymentReady' in check) {
    const c = check.deploymentReady;
    return `Deployment ${ns(c.namespace)}/${c.name} has ${c.minReadyReplicas === undefined ? 'all its' : `at least ${c.minReadyReplicas}`} pods ready`;
  }
  if ('exists' in check) return `${check.exists.kind} ${refText(check.exists)} exists`;
  if ('absent' in check) return `${check.absent.kind} ${refText(check.absent)} does not exist`;
  if ('podIPChanged' in check) {
    const c = check.podIPChanged;
    return c.pod
      ? `Pod ${c.pod} has a different IP than when the task started`
      : `A pod labelled ${c.selector ?? ''} in ${ns(c.namespace)} was replaced and its replacement has a new IP`;
  }
  if ('serviceIPStable' in check)
    return `Service ${ns(check.serviceIPStable.namespace)}/${check.serviceIPStable.name} keeps the ClusterIP it had when the task started`;
  if ('dns' in check) {
    const c = check.dns;
    const ans =
      c.expectAnswer === undefined
        ? ''
        : typeof c.expectAnswer === 'string'
          ? ` with ${c.expectAnswer}`
          : 'pod' in c.expectAnswer
            ? ` with the IP of ${podRefText(c.expectAnswer.pod)}`
            : ` with the ClusterIP of ${c.expectAnswer.service}`;
    const queries =
      c.maxQueries === undefined ? '' : ` in at most ${c.maxQueries} quer${c.maxQueries === 1 ? 'y' : 'ies'}`;
    return `${c.type ?? 'A'} lookup of ${c.name} from ${podRefText(c.from)} answers ${c.expectRcode ?? 'NOERROR'}${ans}${queries}`;
  }
  if ('cni' in check) return `The cluster network plugin (CNI) is ${check.cni}`;
  if ('http' in check) {
    const c = check.http;
    const to = c.to ?? 'ingress';
    const where = to === 'ingress' ? 'the Ingress controller' : to;
    const req = `${c.host ? `http://${c.host}` : ''}${c.path ?? '/'}`;
    const svc = c.expectService ? `, served by Service ${c.expectService}` : '';
    return `HTTP GET ${req} from ${fromText(c.from)} through ${where} answers ${c.expectStatus ?? 200}${svc}`;
  }
  if ('podPending' in check) {
    const c = check.podPending;
    const n = c.minPods ?? 1;
    const reason = c.reasonContains ? ` with an event "${c.reasonContains}"` : '';
    return `${n === 1 ? 'A pod' : `At least ${n} pods`} labelled ${c.selector} in ${ns(c.namespace)} ${n === 1 ? 'is' : 'are'} stuck without an IP${reason}`;
  }
  if ('conntrack' in check) {
    const c = check.conntrack;
    const parts = [
      c.full === true ? 'is full' : c.full === false ? 'has room for new connections' : '',
      c.minEntries !== undefined ? `holds at least ${c.minEntries} entries` : '',
    ].filter(Boolean);
    return `The connection-tracking table of ${c.node} ${parts.join(' and ')}`;
  }
  if ('proxyRules' in check) {
    const c = check.proxyRules;
    const range =
      c.minRules !== undefined && c.maxRules !== undefined
        ? `${c.minRules} to ${c.maxRules}`
        : c.minRules !== undefined
          ? `at least ${c.minRules}`
          : `at most ${c.maxRules ?? 0}`;
    return `kube-proxy's iptables rules on ${c.node ?? 'the first node'} number ${range}`;
  }
  if ('sidecar' in check) {
    const c = check.sidecar;
    return `Every running pod labelled ${c.selector} in ${ns(c.namespace)} has the ${c.proxy ?? 'istio-proxy'} sidecar`;
  }
  if ('requests' in check) return describeRequests(check.requests);
  return `kube-proxy runs in ${check.proxyMode} mode`;
}

const refText = (r: { namespace?: string; name: string; kind: string }): string =>
  r.kind === 'Node' || r.kind === 'Namespace' ? r.name : `${ns(r.namespace)}/${r.name}`;

// --- probing without leaving traces ([CK4]) --------------------------------------------------------

/** Probes leave no trace in the learner's cluster (see Engine.probe). */
export function quietly<T>(engine: Engine, fn: () => T): T {
  return engine.probe(fn);
}

// --- evaluation -----------------------------------------------------------------------------------

function outcomeOf(r: ConnectResult): string {
  if (r.delivered) return `delivered to ${r.backend ?? '?'}`;
  const by = r.decidedBy ? ` by ${r.decidedBy.policy} (${r.decidedBy.direction})` : '';
  if (r.failure === 'timeout') return `blocked${by}: ${r.reason ?? 'dropped'}`;
  if (r.failure === 'refused') return `refused: ${r.reason ?? ''}`;
  if (r.failure === 'reset') return `reset: ${r.reason ?? ''}`;
  return `not resolved: ${r.reason ?? ''}`;
}

function meets(c: ConnectCheck, r: ConnectResult): string | null {
  const got = r.delivered
    ? 'delivered'
    : r.failure === 'timeout'
      ? 'blocked'
      : r.failure === 'refused'
        ? 'refused'
        : r.failure === 'reset'
          ? 'reset'
          : 'nxdomain';
  if (got !== c.expect) return `expected ${c.expect}, got ${outcomeOf(r)}`;
  if (c.decidedByPolicy !== undefined) {
    const decided = r.decidedBy !== null && r.decidedBy.allowed === r.delivered;
    if (decided !== c.decidedByPolicy)
      return c.decidedByPolicy
        ? `${outcomeOf(r)}, but no NetworkPolicy decided it`
        : `${outcomeOf(r)}, decided by ${r.decidedBy?.policy ?? '?'}`;
  }
  if (c.sourceIP !== undefined && r.delivered) {
    const same = r.sourceIP === r.clientIP;
    if (c.sourceIP === 'client' && !same)
      return `delivered, but the backend saw ${r.sourceIP ?? '?'} instead of the client's ${r.clientIP} (SNAT)`;
    if (c.sourceIP === 'node' && same)
      return `delivered, and the backend saw the client's own address ${r.clientIP}`;
  }
  if (c.tunnel !== undefined) {
    const tunnelled = r.hops.some((h) => h.outer !== undefined);
    if (tunnelled !== c.tunnel)
      return tunnelled ? 'the packet was encapsulated in a tunnel' : 'the packet crossed no tunnel';
  }
  if (c.mtls !== undefined) {
    // Mesh hops carry `tls`; the leg between the sidecars is the one that is (or is not) mutual TLS.
    const encrypted = r.hops.some((h) => h.tls?.mtls === true);
    if (encrypted !== c.mtls)
      return encrypted
        ? 'the request travelled inside mutual TLS'
        : 'the request crossed the network in plaintext (no mutual TLS)';
  }
  return null;
}

function evaluateConnect(engine: Engine, c: ConnectCheck): { ok: boolean; detail: string } {
  const src = resolveSource(engine, c.from);
  if ('error' in src) return { ok: false, detail: src.error };
  const dst = resolveTarget(engine, c.to, c.port);
  if ('error' in dst) return { ok: false, detail: dst.error };
  const attempts = Math.max(1, c.attempts ?? 1);
  const backends = new Set<string>();
  let last: ConnectResult | null = null;
  for (let i = 0; i < attempts; i++) {
    const r = engine.connect({ from: src.from, to: dst.to, port: dst.port, protocol: c.protocol ?? 'TCP' });
    last = r;
    const problem = meets(c, r);
    if (problem) return { ok: false, detail: attempts > 1 ? `connection ${i + 1}: ${problem}` : problem };
    if (r.backend) backends.add(r.backend);
  }
  if (c.minBackends !== undefined && backends.size < c.minBackends)
    return {
      ok: false,
      detail: `${attempts} connections reached ${backends.size} pod${backends.size === 1 ? '' : 's'} (${[...backends].join(', ')}), fewer than ${c.minBackends}`,
    };
  const spread =
    attempts > 1 && backends.size
      ? `; ${attempts} connections reached ${[...backends].sort().join(', ')}`
      : '';
  return { ok: true, detail: last ? `${outcomeOf(last)}${spread}` : '' };
}

function readyEndpoints(engine: Engine, namespace: string, name: string): string[] {
  const addrs = new Set<string>();
  for (const o of engine.list('EndpointSlice', namespace)) {
    const s = o as unknown as {
      metadata?: { labels?: Record<string, string> };
      endpoints?: { addresses?: string[]; conditions?: { ready?: boolean } }[];
    };
    if (s.metadata?.labels?.['kubernetes.io/service-name'] !== name) continue;
    // EndpointSlice API: a nil `ready` condition is interpreted as ready.
    for (const e of s.endpoints ?? [])
      if (e.conditions?.ready !== false) for (const a of e.addresses ?? []) addrs.add(a);
  }
  return [...addrs].sort();
}

function evaluatePodIPChanged(
  engine: Engine,
  c: PodIPChangedCheck,
  start: TaskStart,
): { ok: boolean; detail: string } {
  if (c.pod) {
    const [namespace, name] = c.pod.includes('/') ? c.pod.split('/') : ['default', c.pod];
    const before = start.pods.find((p) => p.namespace === namespace && p.name === name)?.ip ?? null;
    const o = engine.get('Pod', namespace, name ?? '');
    const now = o ? (asPod(o).status?.podIP ?? null) : null;
    if (!before) return { ok: false, detail: `pod ${c.pod} had no IP when the task started` };
    if (!now) return { ok: false, detail: `pod ${c.pod} has no IP now (was ${before})` };
    return now !== before
      ? { ok: true, detail: `${before} then, ${now} now` }
      : { ok: false, detail: `still ${now}` };
  }
  const namespace = ns(c.namespace);
  const selector = c.selector ?? '';
  const startPods = start.pods.filter(
    (p) => p.namespace === namespace && selectorMatches(selector, p.labels),
  );
  const startIPs = new Set(startPods.map((p) => p.ip).filter((ip): ip is string => ip !== null));
  const nowPods = engine
    .list('Pod', namespace)
    .map(asPod)
    .filter((p) => selectorMatches(selector, p.metadata?.labels));
  const nowNames = new Set(nowPods.map((p) => p.metadata?.name));
  const gone = startPods.filter((p) => !nowNames.has(p.name));
  const fresh = nowPods.filter((p) => podReady(p) && p.status?.podIP && !startIPs.has(p.status.podIP));
  if (!startPods.length)
    return { ok: false, detail: `no pod labelled ${selector} existed when the task started` };
  if (!gone.length)
    return {
      ok: false,
      detail: `the same pods are still there (${startPods.map((p) => `${p.name} ${p.ip ?? '-'}`).join(', ')})`,
    };
  if (!fresh.length)
    return {
      ok: false,
      detail: `${gone.map((p) => p.name).join(', ')} went away, but no ready replacement has a new IP yet`,
    };
  return {
    ok: true,
    detail: `${gone.map((p) => `${p.name} (${p.ip ?? '-'})`).join(', ')} replaced by ${fresh.map((p) => `${p.metadata?.name ?? ''} (${p.status?.podIP ?? ''})`).join(', ')}`,
  };
}

function evaluateDns(engine: Engine, c: DnsCheck): { ok: boolean; detail: string } {
  const src = resolvePod(engine, c.from);
  if ('error' in src) return { ok: false, detail: src.error };
  const r = engine.dns(src.ref, c.name, c.type ?? 'A');
  if ('error' in r) return { ok: false, detail: r.error };
  const want = c.expectRcode ?? 'NOERROR';
  const data = r.answers.map((a) => String(a.data));
  const got = `${r.rcode}${data.length ? ` ${data.join(', ')}` : ''}`;
  if (r.rcode !== want) return { ok: false, detail: `expected ${want}, got ${got}` };
  if (c.expectAnswer !== undefined) {
    let expected: string;
    if (typeof c.expectAnswer === 'string') expected = c.expectAnswer;
    else if ('pod' in c.expectAnswer) {
      const pod = resolvePod(engine, c.expectAnswer.pod);
      if ('error' in pod) return { ok: false, detail: pod.error };
      expected = pod.ip;
    } else {
      const ref = c.expectAnswer.service;
      const [namespace, name] = ref.includes('/') ? ref.split('/') : ['default', ref];
      const ip = asService(engine.get('Service', namespace, name ?? ''))?.spec?.clusterIP;
      if (!ip) return { ok: false, detail: `Service ${ref} has no ClusterIP` };
      expected = ip;
    }
    const norm = (s: string) => s.replace(/\.$/, '').toLowerCase();
    if (!data.some((d) => norm(d) === norm(expected)))
      return { ok: false, detail: `expected an answer ${expected}, got ${got}` };
  }
  if (c.maxQueries !== undefined) {
    const sent = `${r.queried.length} quer${r.queried.length === 1 ? 'y' : 'ies'} (${r.queried.join(', ')})`;
    if (r.queried.length > c.maxQueries) return { ok: false, detail: `${got} after ${sent}` };
    return { ok: true, detail: `${got} after ${sent}` };
  }
  return { ok: true, detail: got };
}

function evaluateHttp(engine: Engine, c: HttpCheck): { ok: boolean; detail: string } {
  const src = resolveSource(engine, c.from);
  if ('error' in src) return { ok: false, detail: src.error };
  const to = c.to ?? 'ingress';
  const hp = to === 'ingress' ? { host: to } : splitHostPort(to);
  const r = engine.http({
    from: src.from,
    to: hp.host,
    ...(hp.port !== undefined ? { port: hp.port } : {}),
    ...(c.host !== undefined ? { host: c.host } : {}),
    path: c.path ?? '/',
  });
  const got =
    r.status === 0
      ? `no HTTP answer (${r.body || 'the connection failed'})`
      : `${r.status}${r.service ? ` from Service ${r.service}` : ''}${r.backend ? ` (pod ${r.backend})` : ''}`;
  const want = c.expectStatus ?? 200;
  if (r.status !== want) return { ok: false, detail: `expected ${want}, got ${got}` };
  if (c.expectService !== undefined) {
    const full = c.expectService.includes('/') ? c.expectService : `default/${c.expectService}`;
    const served = r.service ?? '';
    const match = full.includes(':') ? served === full : served.split(':')[0] === full;
    if (!match) return { ok: false, detail: `expected Service ${full}, got ${got}` };
  }
  return { ok: true, detail: got };
}

function evaluatePodPending(engine: Engine, c: PodPendingCheck): { ok: boolean; detail: string } {
  const namespace = ns(c.namespace);
  const matching = engine
    .list('Pod', namespace)
    .map(asPod)
    .filter((p) => selectorMatches(c.selector, p.metadata?.labels));
  const stuck = matching.filter((p) => !p.status?.podIP && p.spec?.nodeName);
  const events = engine.snapshot().events;
  const eventOf = (name: string): string | undefined =>
    events
      .filter(
        (e) =>
          e.type === 'Warning' &&
          e.involvedObject.kind === 'Pod' &&
          (e.involvedObject.namespace ?? 'default') === namespace &&
          e.involvedObject.name === name,
      )
      .map((e) => e.message)
      .reverse()
      .find((m) => c.reasonContains === undefined || m.includes(c.reasonContains));
  const counted = c.reasonContains
    ? stuck.filter((p) => eventOf(p.metadata?.name ?? '') !== undefined)
    : stuck;
  const min = c.minPods ?? 1;
  const example = counted[0] ? eventOf(counted[0].metadata?.name ?? '') : undefined;
  const detail = `${stuck.length} of ${matching.length} pod${matching.length === 1 ? '' : 's'} labelled ${c.selector} without an IP${counted.length !== stuck.length ? ` (${counted.length} with that event)` : ''}${example ? `: ${example}` : ''}`;
  return { ok: counted.length >= min, detail };
}

// --- service mesh ---------------------------------------------------------------------------------

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

function describeRequests(c: RequestsCheck): string {
  const split = c.bySubset
    ? `split ${Object.entries(c.bySubset)
        .map(([k, v]) => `${k} ${pct(v)}`)
        .join(' / ')} (±${pct(c.tolerance ?? 0.05)})`
    : '';
  const rate =
    c.minSuccessRate !== undefined && c.maxSuccessRate !== undefined
      ? c.minSuccessRate === c.maxSuccessRate
        ? `succeed ${pct(c.minSuccessRate)}`
        : `succeed between ${pct(c.minSuccessRate)} and ${pct(c.maxSuccessRate)}`
      : c.minSuccessRate !== undefined
        ? `succeed at least ${pct(c.minSuccessRate)}`
        : c.maxSuccessRate !== undefined
          ? `succeed at most ${pct(c.maxSuccessRate)}`
          : '';
  const retries =
    c.minRetries !== undefined && c.maxRetries !== undefined
      ? `${c.minRetries} to ${c.maxRetries} retries`
      : c.minRetries !== undefined
        ? `at least ${c.minRetries} ${c.minRetries === 1 ? 'retry' : 'retries'}`
        : c.maxRetries !== undefined
          ? c.maxRetries === 0
            ? 'no retry'
            : `at most ${c.maxRetries} retries`
          : '';
  const p99 = c.maxP99Ms !== undefined ? `p99 latency at most ${c.maxP99Ms} ms` : '';
  const parts = [split, rate, retries, p99].filter(Boolean);
  return `${c.count} HTTP requests from ${podRefText(c.from)} to ${c.to}${c.port !== undefined ? `:${c.port}` : ''}${c.path && c.path !== '/' ? c.path : ''}: ${parts.join('; ')}`;
}

/** Container names of a pod, init containers included (Istio's native-sidecar mode runs istio-proxy as one). */
function containerNames(o: KubeObject): string[] {
  const spec = o.spec as
    { containers?: { name?: string }[]; initContainers?: { name?: string }[] } | undefined;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].map((c) => c.name ?? '');
}

function evaluateSidecar(engine: Engine, c: SidecarCheck): { ok: boolean; detail: string } {
  const namespace = ns(c.namespace);
  const proxy = c.proxy ?? 'istio-proxy';
  const running = engine
    .list('Pod', namespace)
    .filter((o) => asPod(o).status?.phase === 'Running' && selectorMatches(c.selector, o.metadata.labels));
  if (!running.length) return { ok: false, detail: `no running pod labelled ${c.selector} in ${namespace}` };
  const without = running.filter((o) => !containerNames(o).includes(proxy)).map((o) => o.metadata.name ?? '');
  return without.length
    ? {
        ok: false,
        detail: `${without.length} of ${running.length} pods without ${proxy}: ${without.join(', ')} (injection happens only when a pod is created)`,
      }
    : { ok: true, detail: `${running.length} of ${running.length} pods have ${proxy}` };
}

function evaluateRequests(engine: Engine, c: RequestsCheck): { ok: boolean; detail: string } {
  const src = resolvePod(engine, c.from);
  if ('error' in src) return { ok: false, detail: src.error };
  const hp = splitHostPort(c.to);
  const b = engine.requests({
    from: src.ref,
    to: hp.host,
    port: c.port ?? hp.port ?? 80,
    path: c.path ?? '/',
    count: c.count,
  });
  if ('error' in b) return { ok: false, detail: b.error };
  const shares = Object.entries(b.bySubset)
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const statuses = Object.entries(b.byStatus)
    .map(([k, v]) => `${v}× ${k}`)
    .join(', ');
  const detail = `${b.count} requests${b.meshed ? ' through the sidecar' : ' without a sidecar (kube-proxy)'}: ${shares}; ${statuses}; success ${pct(b.successRate)}, ${b.retries} ${b.retries === 1 ? 'retry' : 'retries'}, p50 ${b.p50Ms} ms, p99 ${b.p99Ms} ms`;
  const problems: string[] = [];
  if (c.bySubset) {
    const tol = c.tolerance ?? 0.05;
    for (const [subset, want] of Object.entries(c.bySubset)) {
      const got = (b.bySubset[subset] ?? 0) / Math.max(1, b.count);
      if (Math.abs(got - want) > tol + 1e-9)
        problems.push(`subset ${subset} got ${pct(got)}, expected ${pct(want)}`);
    }
  }
  if (c.minSuccessRate !== undefined && b.successRate < c.minSuccessRate)
    problems.push(`success rate ${pct(b.successRate)} is below ${pct(c.minSuccessRate)}`);
  if (c.maxSuccessRate !== undefined && b.successRate > c.maxSuccessRate)
    problems.push(`success rate ${pct(b.successRate)} is above ${pct(c.maxSuccessRate)}`);
  if (c.minRetries !== undefined && b.retries < c.minRetries)
    problems.push(`${b.retries} retries, fewer than ${c.minRetries}`);
  if (c.maxRetries !== undefined && b.retries > c.maxRetries)
    problems.push(`${b.retries} retries, more than ${c.maxRetries}`);
  if (c.maxP99Ms !== undefined && b.p99Ms > c.maxP99Ms)
    problems.push(`p99 ${b.p99Ms} ms is above ${c.maxP99Ms} ms`);
  return problems.length ? { ok: false, detail: `${problems.join('; ')} — ${detail}` } : { ok: true, detail };
}

export function evaluateCheck(engine: Engine, check: Check, start: TaskStart): CheckResult {
  const label = describeCheck(check);
  const r = quietly(engine, () => evaluateOne(engine, check, start));
  return { ok: r.ok, label, detail: r.detail };
}

function evaluateOne(engine: Engine, check: Check, start: TaskStart): { ok: boolean; detail: string } {
  if ('connect' in check) return evaluateConnect(engine, check.connect);
  if ('serviceReady' in check) {
    const c = check.serviceReady;
    const namespace = ns(c.namespace);
    if (!engine.get('Service', namespace, c.name))
      return { ok: false, detail: `Service ${namespace}/${c.name} does not exist` };
    const eps = readyEndpoints(engine, namespace, c.name);
    const min = c.minReadyEndpoints ?? 1;
    const ok = eps.length >= min && (c.maxReadyEndpoints === undefined || eps.length <= c.maxReadyEndpoints);
    return {
      ok,
      detail: `${eps.length} ready endpoint${eps.length === 1 ? '' : 's'}${eps.length ? `: ${eps.join(', ')}` : ''}`,
    };
  }
  if ('deploymentReady' in check) {
    const c = check.deploymentReady;
    const namespace = ns(c.namespace);
    const d = engine.get('Deployment', namespace, c.name) as unknown as
      { spec?: { replicas?: number }; status?: { readyReplicas?: number } } | undefined;
    if (!d) return { ok: false, detail: `Deployment ${namespace}/${c.name} does not exist` };
    const want = c.minReadyReplicas ?? d.spec?.replicas ?? 1;
    const ready = d.status?.readyReplicas ?? 0;
    return { ok: ready >= want && want > 0, detail: `${ready}/${d.spec?.replicas ?? 1} ready` };
  }
  if ('exists' in check || 'absent' in check) {
    const r = 'exists' in check ? check.exists : check.absent;
    const found = engine.get(r.kind, r.namespace ?? 'default', r.name) !== undefined;
    const text = `${r.kind} ${refText(r)} ${found ? 'exists' : 'does not exist'}`;
    return { ok: 'exists' in check ? found : !found, detail: text };
  }
  if ('podIPChanged' in check) return evaluatePodIPChanged(engine, check.podIPChanged, start);
  if ('serviceIPStable' in check) {
    const c = check.serviceIPStable;
    const namespace = ns(c.namespace);
    const before = start.services.find((s) => s.namespace === namespace && s.name === c.name)?.clusterIP;
    const now = asService(engine.get('Service', namespace, c.name))?.spec?.clusterIP;
    if (!before)
      return { ok: false, detail: `Service ${namespace}/${c.name} did not exist when the task started` };
    if (!now)
      return { ok: false, detail: `Service ${namespace}/${c.name} does not exist now (had ${before})` };
    return { ok: now === before, detail: now === before ? `still ${now}` : `${before} then, ${now} now` };
  }
  if ('dns' in check) return evaluateDns(engine, check.dns);
  if ('cni' in check)
    return { ok: engine.settings.cni === check.cni, detail: `the CNI is ${engine.settings.cni}` };
  if ('http' in check) return evaluateHttp(engine, check.http);
  if ('podPending' in check) return evaluatePodPending(engine, check.podPending);
  if ('conntrack' in check) {
    const c = check.conntrack;
    if (!engine.get('Node', undefined, c.node)) return { ok: false, detail: `node ${c.node} does not exist` };
    const t = engine.conntrackTable(c.node);
    const n = t.entries.length;
    const full = n >= t.max;
    const detail = `${n} of ${t.max} entries${full ? ': full, new connections are dropped' : ''}`;
    const ok = (c.full === undefined || c.full === full) && (c.minEntries === undefined || n >= c.minEntries);
    return { ok, detail };
  }
  if ('proxyRules' in check) {
    const c = check.proxyRules;
    const stats = ruleStats(engine.view().proxy).perNode;
    const node = c.node ?? Object.keys(stats).sort()[0] ?? '';
    const s = stats[node];
    if (!s) return { ok: false, detail: `node ${node} has no kube-proxy rules` };
    const ok =
      (c.minRules === undefined || s.rules >= c.minRules) &&
      (c.maxRules === undefined || s.rules <= c.maxRules);
    return {
      ok,
      detail: `${s.rules} iptables rules in ${s.chains} chains on ${node} (kube-proxy in ${engine.settings.proxyMode} mode${s.virtualServers ? `, ${s.virtualServers} IPVS virtual servers` : ''})`,
    };
  }
  if ('sidecar' in check) return evaluateSidecar(engine, check.sidecar);
  if ('requests' in check) return evaluateRequests(engine, check.requests);
  return {
    ok: engine.settings.proxyMode === check.proxyMode,
    detail: `kube-proxy is in ${engine.settings.proxyMode} mode`,
  };
}

/** Runs every check of a task against the cluster as it is now ([CK2]). */
export function evaluateChecks(engine: Engine, checks: readonly Check[], taskStart: TaskStart): CheckReport {
  const results = checks.map((c) => evaluateCheck(engine, c, taskStart));
  const passed = results.filter((r) => r.ok).length;
  return { results, percent: results.length ? Math.floor((100 * passed) / results.length) : 100 };
}
