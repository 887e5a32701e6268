// `npm run bench`: how fast the simulated cluster is at the sizes the issues set targets for.
// `npm run --silent bench -- --json`: one JSON object (medians in ms, p95s, targets, the kube-proxy
// rule-growth series). A missed target is reported, never turned into a failing exit code.
//
// Timings are wall-clock (performance.now()), each measurement warmed up and repeated; the figure
// compared with the target is the median. Scenario YAML is generated deterministically (bench/scenario.ts).
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createEngine, loadEngineParts, type Engine } from '../src/engine';
import { reachabilityMatrix, scaleSeries } from '../src/engine/parts';
import { compilePolicies } from '../src/engine/policy';
import { buildProxyRules, ruleStats, scaleView } from '../src/engine/proxy';
import type { PodEndpoint } from '../src/engine/types';
import { nodeNames, policyScenario, serviceScenario } from './scenario';
import { measure, fmtMs, round, time, type Sample } from './stats';
import { controllerRound, splitsOf, timeParse, timedApply, type ApplySplits } from './splits';

// The bench applies YAML text and traces packets: the engine's on-demand half is loaded first.
await loadEngineParts();

const JSON_MODE = process.argv.includes('--json');
const progress = (msg: string): void => {
  if (!JSON_MODE) process.stderr.write(`… ${msg}\n`);
};

/** Large enough that no connect in the bench meets "table full"; the table still grows per connect. */
const CONNTRACK_MAX = 1 << 22;
/** Virtual seconds past every conntrack timeout (TCP ESTABLISHED is 5 days), to empty the tables between runs. */
const PAST_ALL_TIMEOUTS = 10 * 86400;
const CONNECTS_PER_RUN = 2000;

interface Row {
  readonly key: string;
  readonly label: string;
  readonly sample: Sample;
  /** Target for the median, ms (null: reported only). */
  readonly target: number | null;
}
const rows: Row[] = [];
const add = (key: string, label: string, sample: Sample, target: number | null): void => {
  rows.push({ key, label, sample, target });
};
const notes: string[] = [];

function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`bench scenario is broken: ${what}`);
}

// ------------------------------------------------------------------ 1. 1,000 pods / 200 policies

const policyNodes = nodeNames(10); // 10 × a /24 node range: room for 1,000 pods (3 nodes hold ~760)
const pol = policyScenario(policyNodes);
const newPolicyEngine = (): Engine => createEngine({ nodes: policyNodes, conntrackMax: CONNTRACK_MAX });
const podsWithIP = (e: Engine, prefix: string): number =>
  e
    .list('Pod')
    .filter(
      (p) => p.metadata.namespace?.startsWith(prefix) && (p.status as { podIP?: string } | undefined)?.podIP,
    ).length;

progress(
  `apply+settle: ${pol.namespaces} namespaces, ${pol.pods} pods (${pol.pinned} pinned), ${pol.policies} NetworkPolicies`,
);
type RunSplit = { total: number; settle: number; parse: number };
const polRuns: RunSplit[] = [];
let nextParse = 0;
const m1 = measure({
  setup: () => {
    nextParse = timeParse(pol.yaml);
    return newPolicyEngine();
  },
  run: (e) => {
    const r = timedApply(e, pol.yaml);
    check(r.errors === 0, 'policy scenario apply errors');
    polRuns.push({ ...r, parse: nextParse });
    return r.total;
  },
  warmup: 1,
  minRuns: 7,
  maxRuns: 15,
  budgetMs: 7000,
});
add(
  'applySettle1kPods200PoliciesMs',
  `apply+settle ${pol.pods} pods / ${pol.namespaces} ns / ${pol.policies} NetworkPolicies`,
  m1.sample,
  200,
);
const polEngine = m1.last;
check(podsWithIP(polEngine, 'ns-') === pol.pods, `expected ${pol.pods} running pods`);

// What the first connect after a change pays: the DatapathView rebuild (pods by IP, compiled
// policies, every node's kube-proxy rules).
const polView = polEngine.view();
const polPods = pol.podRefs.map((ref) => polView.podByRef.get(ref));
check(polPods.every(Boolean), 'every scenario pod in the datapath view');
const podInfos = polPods.filter((p) => p !== undefined);
const firstConnectPolicy = time(() => {
  const v = polEngine.view();
  void v.policies;
  void v.proxy;
});

// ------------------------------------------------------------------ 2. the 1,000 × 1,000 matrix

const endpoints: PodEndpoint[] = podInfos.map((p) => p.endpoint);
const npObjects = polEngine.snapshot().networkPolicies;
const nsObjects = polEngine.snapshot().namespaces;
progress(`reachability matrix ${endpoints.length} × ${endpoints.length} on TCP/80`);
let allowedPairs = 0;
const m2 = measure({
  setup: () => null,
  run: () =>
    time(() => {
      const set = compilePolicies(npObjects, nsObjects);
      const m = reachabilityMatrix(set, endpoints, 80, 'TCP');
      allowedPairs = m.reduce((a, b) => a + b, 0);
    }),
  warmup: 2,
  minRuns: 9,
  maxRuns: 15,
  budgetMs: 5000,
});
add('matrixCompileAndRunMs', `compile policies + matrix ${endpoints.length}² pairs, TCP/80`, m2.sample, 1000);
const compiled = compilePolicies(npObjects, nsObjects);
const m2compile = measure({
  setup: () => null,
  run: () => time(() => void compilePolicies(npObjects, nsObjects)),
  warmup: 2,
  minRuns: 9,
  maxRuns: 15,
  budgetMs: 1000,
});
add('policyCompileMs', '  of which: compilePolicies (200 policies)', m2compile.sample, null);
const m2only = measure({
  setup: () => null,
  run: () => time(() => void reachabilityMatrix(compiled, endpoints, 80, 'TCP')),
  warmup: 2,
  minRuns: 9,
  maxRuns: 15,
  budgetMs: 4000,
});
add('matrixOnlyMs', '  of which: reachabilityMatrix only', m2only.sample, null);

// ------------------------------------------------------------------ 3. one connect, pod → pod IP

/** Times `count` connects (after emptying conntrack by moving the clock); returns ms per connect, and the first/last 10 %. */
function connectRun(e: Engine, count: number, req: (i: number) => { from: string; to: string }) {
  e.advance(PAST_ALL_TIMEOUTS);
  const tenth = Math.max(1, Math.floor(count / 10));
  let delivered = 0;
  let firstTenth = 0;
  const t0 = performance.now();
  let tMark = t0;
  for (let i = 0; i < count; i++) {
    const r = req(i);
    if (e.connect({ from: r.from, to: r.to, port: 80 }).delivered) delivered++;
    if (i === tenth - 1) {
      tMark = performance.now();
      firstTenth = (tMark - t0) / tenth;
    } else if (i === count - tenth - 1) tMark = performance.now();
  }
  const total = performance.now() - t0;
  const lastTenth = (performance.now() - tMark) / tenth;
  return { perConnect: total / count, delivered, firstTenth, lastTenth };
}

const n = podInfos.length;
const podPair = (i: number) => {
  const a = podInfos[(i * 13) % n];
  const b = podInfos[(i * 7 + 101) % n];
  return { from: a?.ref ?? '', to: b?.endpoint.ip ?? '' };
};
progress(`${CONNECTS_PER_RUN} connects pod → pod IP (TCP/80) per run`);
let podConnect = connectRun(polEngine, 1, podPair);
const m3 = measure({
  setup: () => null,
  run: () => {
    podConnect = connectRun(polEngine, CONNECTS_PER_RUN, podPair);
    return podConnect.perConnect;
  },
  warmup: 1,
  minRuns: 7,
  maxRuns: 15,
  budgetMs: 3000,
});
add('connectPodIpMs', 'one connect pod → pod IP (traced, policies on)', m3.sample, 0.2);
notes.push(
  `pod→pod connects: ${podConnect.delivered}/${CONNECTS_PER_RUN} delivered (the rest dropped by policy); ` +
    `per connect ${fmtMs(podConnect.firstTenth)} over the first 10 % vs ${fmtMs(podConnect.lastTenth)} over the last 10 % ` +
    `(conntrack table grows to ~${CONNECTS_PER_RUN} entries per run)`,
);

// ------------------------------------------------------------------ 4. 1,000 Services × 5 endpoints

const svcNodes = nodeNames(25); // 5,000 pods at 200 a node
const svc = serviceScenario(svcNodes);
const small = serviceScenario(svcNodes, 100);
const newServiceEngine = (s: typeof svc): Engine => {
  const e = createEngine({ nodes: svcNodes, conntrackMax: CONNTRACK_MAX });
  check(e.apply(s.podsYaml).errors.length === 0, 'service scenario pods apply errors');
  return e;
};
progress(
  `apply+settle: ${svc.services} Services, each selecting ${svc.pods / svc.services} of ${svc.pods} bare pods (pods applied first, untimed)`,
);
const podSetupMs: number[] = [];
const svcRuns: RunSplit[] = [];
// Warm up on a tenth of the scenario (100 Services / 500 pods): a full-size warm-up would cost
// another ~10 s and the code paths are the same.
for (let i = 0; i < 2; i++) newServiceEngine(small).apply(small.servicesYaml);
const m4 = measure({
  setup: () => {
    const t0 = performance.now();
    const e = newServiceEngine(svc);
    podSetupMs.push(performance.now() - t0);
    nextParse = timeParse(svc.servicesYaml);
    return e;
  },
  run: (e) => {
    const r = timedApply(e, svc.servicesYaml);
    check(r.errors === 0, 'service scenario apply errors');
    svcRuns.push({ ...r, parse: nextParse });
    return r.total;
  },
  warmup: 0,
  minRuns: 3,
  maxRuns: 5,
  budgetMs: 4000,
});
add(
  'applySettle1kServicesMs',
  `apply+settle ${svc.services} Services × 5 endpoints (${svc.pods} pods present)`,
  m4.sample,
  300,
);
const podSetup = measure({
  setup: () => null,
  run: () => podSetupMs.shift() ?? Number.NaN,
  warmup: 0,
  minRuns: m4.sample.runs,
  maxRuns: m4.sample.runs,
  budgetMs: 0,
});
add('applySettle5kPodsMs', `  (setup) apply+settle ${svc.pods} bare pinned pods`, podSetup.sample, null);
const svcEngine = m4.last;
check(
  svcEngine.list('EndpointSlice').filter((s) => s.metadata.namespace?.startsWith('svc-ns-')).length ===
    svc.services,
  'one EndpointSlice per Service',
);
const firstConnectServices = time(() => {
  const v = svcEngine.view();
  void v.policies;
  void v.proxy;
});

// ------------------------------------------------------------------ 5. one connect via a ClusterIP

const svcIPs = svcEngine
  .list('Service')
  .filter((s) => s.metadata.namespace?.startsWith('svc-ns-'))
  .map((s) => (s.spec as { clusterIP?: string }).clusterIP ?? '');
const clients = svcEngine
  .view()
  .pods.filter((p) => p.ref.startsWith('svc-ns-'))
  .map((p) => p.ref);
const svcPair = (i: number) => ({
  from: clients[(i * 11) % clients.length] ?? '',
  to: svcIPs[(i * 37) % svcIPs.length] ?? '',
});
progress(
  `${CONNECTS_PER_RUN} connects pod → ClusterIP:80 per run (${svcIPs.length} Services, ${svcEngine.settings.proxyMode})`,
);
let svcConnect = connectRun(svcEngine, 1, svcPair);
const m5 = measure({
  setup: () => null,
  run: () => {
    svcConnect = connectRun(svcEngine, CONNECTS_PER_RUN, svcPair);
    return svcConnect.perConnect;
  },
  warmup: 1,
  minRuns: 7,
  maxRuns: 15,
  budgetMs: 3000,
});
add(
  'connectClusterIpMs',
  `one connect pod → ClusterIP (${svcIPs.length} Services, iptables)`,
  m5.sample,
  0.3,
);
notes.push(
  `ClusterIP connects: ${svcConnect.delivered}/${CONNECTS_PER_RUN} delivered; per connect ${fmtMs(svcConnect.firstTenth)} ` +
    `over the first 10 % vs ${fmtMs(svcConnect.lastTenth)} over the last 10 %`,
);

// ------------------------------------------------------------------ 6. kube-proxy rule growth

const COUNTS = [10, 100, 1000, 10000] as const;
progress(`kube-proxy rule growth, ${COUNTS.join(' → ')} Services × 5 endpoints (iptables, ipvs)`);
let iptables: ReturnType<typeof scaleSeries> = [];
let ipvs: ReturnType<typeof scaleSeries> = [];
const seriesMs = {
  iptables: time(() => (iptables = scaleSeries(COUNTS, 'iptables'))),
  ipvs: time(() => (ipvs = scaleSeries(COUNTS, 'ipvs'))),
};
// IPVS keeps Services out of netfilter: what grows is the virtual servers and the KUBE-CLUSTER-IP
// ipset, which scaleSeries' rule count does not show; read them from the same synthetic cluster.
const ipvsKernel = COUNTS.map((c) => {
  const s = ruleStats(buildProxyRules(scaleView(c, 'ipvs'))).perNode['node-a'];
  return { services: c, virtualServers: s?.virtualServers ?? 0, ipsetEntries: s?.ipsetEntries ?? 0 };
});

// ------------------------------------------------------------------ where the time goes

progress('timing splits');
// polRuns holds the warm-up run first; the splits use the measured runs only.
const splitsPolicy = splitsOf(polRuns.slice(1));
const splitsServices = splitsOf(svcRuns);
const roundPolicy = controllerRound(polEngine);
const roundServices = controllerRound(svcEngine);

// ------------------------------------------------------------------ output

// Wall-clock figures mean little on a busy machine: say how busy it was.
const env = {
  node: process.version,
  cpus: cpus().length,
  loadAvg1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
};
const busy = env.loadAvg1m > env.cpus;
const medians = Object.fromEntries(rows.map((r) => [r.key, round(r.sample.median)]));
if (JSON_MODE) {
  const out = {
    ...medians,
    p95: Object.fromEntries(rows.map((r) => [r.key, round(r.sample.p95)])),
    runs: Object.fromEntries(rows.map((r) => [r.key, r.sample.runs])),
    targets: Object.fromEntries(rows.filter((r) => r.target !== null).map((r) => [r.key, r.target])),
    pass: Object.fromEntries(
      rows.filter((r) => r.target !== null).map((r) => [r.key, r.sample.median <= (r.target ?? 0)]),
    ),
    datapathRebuildMs: { policies: round(firstConnectPolicy), services: round(firstConnectServices) },
    splitsMs: { policies: splitsPolicy, services: splitsServices },
    noopSettleRoundMs: { policies: roundPolicy, services: roundServices },
    matrixAllowedPairs: allowedPairs,
    env,
    ruleGrowth: {
      endpointsPerService: 5,
      node: 'node-a',
      iptables,
      ipvs: ipvs.map((r, i) => ({ ...r, ...ipvsKernel[i] })),
      buildMs: { iptables: round(seriesMs.iptables), ipvs: round(seriesMs.ipvs) },
    },
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else {
  const w = Math.max(...rows.map((r) => r.label.length));
  const lines: string[] = [];
  lines.push(
    `Kubernetes Networking Lab engine benchmark (node ${env.node}, ${env.cpus} CPUs, load ${env.loadAvg1m}; medians over repeated runs)`,
  );
  if (busy)
    lines.push(
      'WARNING: the machine was busy (1-minute load above the CPU count): expect slow, noisy figures.',
    );
  lines.push('');
  lines.push(
    `${'measurement'.padEnd(w)}  ${'median'.padStart(9)}  ${'p95'.padStart(9)}  runs  ${'target'.padStart(9)}`,
  );
  for (const r of rows) {
    const verdict =
      r.target === null
        ? ''
        : r.sample.median <= r.target
          ? 'PASS'
          : `FAIL (${(r.sample.median / r.target).toFixed(1)}×)`;
    lines.push(
      `${r.label.padEnd(w)}  ${fmtMs(r.sample.median).padStart(9)}  ${fmtMs(r.sample.p95).padStart(9)}  ${String(r.sample.runs).padStart(4)}  ${(r.target === null ? '' : `≤ ${fmtMs(r.target)}`).padStart(9)}  ${verdict}`,
    );
  }
  lines.push('');
  lines.push(
    `matrix: ${allowedPairs.toLocaleString('en')} of ${(endpoints.length ** 2).toLocaleString('en')} pairs allowed`,
  );
  for (const note of notes) lines.push(note);
  lines.push(
    `datapath rebuild paid by the first connect after a change (DatapathView + compiled policies + all nodes' kube-proxy rules): ${fmtMs(firstConnectPolicy)} (policy scenario), ${fmtMs(firstConnectServices)} (1,000 Services)`,
  );
  lines.push('');
  lines.push(
    'Where apply time goes (medians; settle timed inside the measured runs, YAML parse beside each, admit = the rest):',
  );
  const split = (name: string, s: ApplySplits) =>
    `  ${name.padEnd(24)} total ${fmtMs(s.total).padStart(8)} = YAML parse ${fmtMs(s.parse).padStart(8)} + admit ${fmtMs(s.admit).padStart(8)} + settle ${fmtMs(s.settle).padStart(8)}`;
  lines.push(split('1,000 pods/200 policies', splitsPolicy));
  lines.push(split('1,000 Services', splitsServices));
  lines.push(
    'One settle round over a settled cluster (every controller runs, nothing changes), per controller:',
  );
  const roundLine = (name: string, r: Record<string, number>) =>
    `  ${name.padEnd(24)} ${Object.entries(r)
      .map(([k, v]) => `${k} ${fmtMs(v)}`)
      .join(', ')}`;
  lines.push(roundLine('1,000 pods/200 policies', roundPolicy));
  lines.push(roundLine('5,000 pods/1,000 Svcs', roundServices));
  lines.push('');
  lines.push(
    'kube-proxy rules on one node (node-a of 3), 5 ready endpoints per Service; "traversed" = rules a',
  );
  lines.push(
    "new connection to the last Service's ClusterIP walks (KUBE-SERVICES is scanned linearly in iptables mode):",
  );
  lines.push(
    `  ${'Services'.padStart(8)}  ${'iptables rules'.padStart(14)}  ${'traversed'.padStart(9)}  ${'IPVS rules'.padStart(10)}  ${'traversed'.padStart(9)}  ${'virtual servers'.padStart(15)}  ${'ipset entries'.padStart(13)}`,
  );
  COUNTS.forEach((c, i) => {
    const a = iptables[i];
    const b = ipvs[i];
    const k = ipvsKernel[i];
    lines.push(
      `  ${c.toLocaleString('en').padStart(8)}  ${(a?.rules ?? 0).toLocaleString('en').padStart(14)}  ${(a?.traversed ?? 0).toLocaleString('en').padStart(9)}  ${(b?.rules ?? 0).toLocaleString('en').padStart(10)}  ${(b?.traversed ?? 0).toLocaleString('en').padStart(9)}  ${(k?.virtualServers ?? 0).toLocaleString('en').padStart(15)}  ${(k?.ipsetEntries ?? 0).toLocaleString('en').padStart(13)}`,
    );
  });
  lines.push(
    `  (building the series took ${fmtMs(seriesMs.iptables)} iptables, ${fmtMs(seriesMs.ipvs)} IPVS)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}
