import { describe, expect, it } from 'vitest';
import { createLabStoreFrom } from './labStore';
import {
  checkLabRecord,
  kubectlChanges,
  kubectlOp,
  needsLabTools,
  RECORD_LIMITS,
  replayLab,
  type LabRecord,
} from './labRecord';
import { createEngine, type Manifest } from '../engine';
import { parts } from '../engine/lazy';
import { starterLab } from './starterLab';

const start: LabRecord = {
  name: 'record test',
  settings: { seed: 7, cni: 'calico' },
  yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
  ops: [],
};

const podsOf = (s: ReturnType<typeof createLabStoreFrom>) =>
  s
    .getState()
    .snapshot.pods.filter((p) => p.metadata?.namespace === 'default')
    .map((p) => `${p.metadata?.name} ${p.status?.podIP ?? ''}`);

describe('lab record', () => {
  it('replays to the same cluster: pod names and IPs, after deletes that draw new names', () => {
    const store = createLabStoreFrom(start);
    const s = store.getState();
    s.kubectl('kubectl create deployment web --image=nginx --replicas=3', '');
    s.kubectl('kubectl get pods', '');
    const victim = podsOf(store)[0]?.split(' ')[0] ?? '';
    store.getState().kubectl(`kubectl delete pod ${victim}`, '');
    store.getState().setCni('cilium');
    const record = store.getState().record;
    expect(record.ops.map((o) => o.op)).toEqual(['kubectl', 'kubectl', 'setCni']);

    const again = createLabStoreFrom(record);
    expect(podsOf(again)).toEqual(podsOf(store));
    expect(podsOf(again)).not.toContain(expect.stringContaining(victim));
    expect(again.getState().snapshot.settings.cni).toBe('cilium');
  });

  it('resetLab goes back to the start, keeping the settings it began with', () => {
    const store = createLabStoreFrom(start);
    store.getState().kubectl('kubectl create deployment web --image=nginx', '');
    store.getState().setCni('flannel');
    store.getState().resetLab();
    expect(store.getState().record.ops).toEqual([]);
    expect(store.getState().snapshot.deployments.filter((d) => d.metadata?.namespace === 'default')).toEqual(
      [],
    );
    expect(store.getState().snapshot.settings.cni).toBe('calico');
  });

  it('records the editor content only for lines that read a file', () => {
    expect(kubectlOp('kubectl apply -f editor.yaml', 'x: 1')).toEqual({
      op: 'kubectl',
      line: 'kubectl apply -f editor.yaml',
      editorYaml: 'x: 1',
    });
    expect(kubectlOp('kubectl scale deployment web --replicas=2', 'x: 1')).toEqual({
      op: 'kubectl',
      line: 'kubectl scale deployment web --replicas=2',
    });
  });

  it('leaves read-only kubectl verbs out of the record, and keeps exec (it opens connections)', () => {
    expect(kubectlChanges('kubectl get pods -o wide')).toBe(false);
    expect(kubectlChanges('k -n kube-system describe svc kube-dns')).toBe(false);
    expect(kubectlChanges('kubectl exec -it client -- curl web')).toBe(true);
    expect(kubectlChanges('kubectl delete pod x')).toBe(true);
  });

  it('a bad operation in a record is reported by the engine like a typed one, and replay goes on', () => {
    const record: LabRecord = {
      ...start,
      ops: [
        { op: 'apply', yaml: 'kind: [' },
        { op: 'kubectl', line: 'kubectl gett pods' },
        { op: 'kubectl', line: 'kubectl create deployment api --image=nginx' },
      ],
    };
    const { engine, lastApply } = replayLab(record);
    expect(lastApply?.errors.length ?? 0).toBeGreaterThan(0);
    expect(engine.get('Deployment', 'default', 'api')).toBeDefined();
  });
});

// A meshed namespace with a 90/10 canary (the Mesh view's journey).
const MESH_LAB: LabRecord = {
  name: 'mesh record test',
  settings: { seed: 11 },
  yaml: [
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio-injection: enabled}\n',
    ...['v1', 'v2'].map(
      (v) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web-${v}, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web, version: ${v}}}
  template:
    metadata: {labels: {app: web, version: ${v}}}
    spec: {containers: [{name: app, image: nginx}]}
`,
    ),
    'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
    "apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: shop}\nspec:\n  containers: [{name: curl, image: curlimages/curl, command: ['sleep', '3600']}]\n",
    `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: shop}
spec:
  host: web
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
`,
    `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  hosts: [web]
  http:
  - route:
    - {destination: {host: web, subset: v1}, weight: 90}
    - {destination: {host: web, subset: v2}, weight: 10}
`,
  ].join('---\n'),
  ops: [],
};

describe('lab record: request batches', () => {
  it('sendRequests keeps the batch, records it, and a replay draws the same requests after it', () => {
    const store = createLabStoreFrom(MESH_LAB);
    const batch = store.getState().sendRequests({ from: 'shop/client', to: 'web', count: 1000 });
    if ('error' in batch) throw new Error(batch.error);
    expect(store.getState().lastRequests).toBe(batch);
    expect(batch.meshed).toBe(true);
    expect(batch.virtualService).toBe('shop/web');
    expect(batch.bySubset.v1).toBeGreaterThan(850);
    expect(batch.bySubset.v1).toBeLessThan(950);
    expect(store.getState().record.ops).toEqual([
      { op: 'requests', input: { from: 'shop/client', to: 'web', count: 1000 } },
    ]);

    // A share link carries the record as JSON: it must pass the check and replay exactly.
    const checked = checkLabRecord(JSON.parse(JSON.stringify(store.getState().record)));
    if (!checked.ok) throw new Error(checked.error);
    const again = createLabStoreFrom(checked.record);
    expect(again.getState().engine.meshMetrics()).toEqual(store.getState().engine.meshMetrics());
    const next = store.getState().sendRequests({ from: 'shop/client', to: 'web', count: 50 });
    const nextAgain = again.getState().sendRequests({ from: 'shop/client', to: 'web', count: 50 });
    expect(nextAgain).toEqual(next);
    // A fresh lab starts without a batch.
    again.getState().resetLab();
    expect(again.getState().lastRequests).toBeNull();
  });

  it('refuses a count out of range or a bad port, recording nothing', () => {
    const store = createLabStoreFrom(MESH_LAB);
    for (const input of [
      { from: 'shop/client', to: 'web', count: 0 },
      { from: 'shop/client', to: 'web', count: 1.5 },
      { from: 'shop/client', to: 'web', count: 10_001 },
      { from: 'shop/client', to: 'web', port: 70000, count: 10 },
    ]) {
      const r = store.getState().sendRequests(input);
      expect(r).toEqual({ error: expect.stringMatching(/count|port/) });
    }
    expect(store.getState().record.ops).toEqual([]);
    expect(store.getState().lastRequests).toBeNull();
  });

  it('records a batch the engine refuses too, with its reason, and keeps the last good batch', () => {
    const store = createLabStoreFrom(MESH_LAB);
    store.getState().sendRequests({ from: 'shop/client', to: 'web', count: 10 });
    const good = store.getState().lastRequests;
    const r = store.getState().sendRequests({ from: 'shop/client', to: 'nowhere', count: 10 });
    expect(r).toEqual({ error: 'Could not resolve host: nowhere' });
    expect(store.getState().lastRequests).toBe(good);
    expect(store.getState().record.ops).toHaveLength(2);
  });

  it('checkLabRecord checks a requests operation field by field and bounds the requests in all', () => {
    const rec = (input: unknown, n = 1) => ({
      ...MESH_LAB,
      ops: Array.from({ length: n }, () => ({ op: 'requests', input })),
    });
    expect(checkLabRecord(rec({ from: 'shop/client', to: 'web', port: 80, path: '/a', count: 5 }))).toEqual({
      ok: true,
      record: {
        ...MESH_LAB,
        ops: [{ op: 'requests', input: { from: 'shop/client', to: 'web', port: 80, path: '/a', count: 5 } }],
      },
    });
    for (const bad of [
      { to: 'web', count: 5 },
      { from: 'shop/client', to: 'web', count: '5' },
      { from: 'shop/client', to: 'web', count: 0 },
      { from: 'shop/client', to: 'web', port: 0, count: 5 },
      { from: 'shop/client', to: 'web', path: 3, count: 5 },
    ])
      expect(checkLabRecord(rec(bad))).toEqual({ ok: false, error: expect.stringContaining('ops[0].input') });
    const many = checkLabRecord(rec({ from: 'shop/client', to: 'web', count: 10_000 }, 11));
    expect(many).toEqual({
      ok: false,
      error: expect.stringContaining(`at most ${RECORD_LIMITS.maxRequests}`),
    });
  });
});

describe('kubectl lines that read lesson files', () => {
  it('record the files they read, so the line replays the same', () => {
    const store = createLabStoreFrom({ name: 'files', settings: {}, yaml: '', ops: [] });
    const files = {
      'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
      'other.yaml': 'x: 1\n',
    };
    const out = store.getState().kubectl('kubectl apply -f ns.yaml', '', files);
    expect(out.stdout).toBe('namespace/shop created\n');
    expect(store.getState().record.ops).toEqual([
      {
        op: 'kubectl',
        line: 'kubectl apply -f ns.yaml',
        editorYaml: '',
        files: { 'ns.yaml': files['ns.yaml'] },
      },
    ]);
    const again = createLabStoreFrom(store.getState().record);
    expect(again.getState().engine.get('Namespace', undefined, 'shop')).toBeDefined();
    expect(checkLabRecord(JSON.parse(JSON.stringify(store.getState().record)))).toMatchObject({ ok: true });
    expect(
      checkLabRecord({ ...store.getState().record, ops: [{ op: 'kubectl', line: 'k', files: { a: 1 } }] }),
    ).toMatchObject({ ok: false, error: 'ops[0].files must map at most 20 file names to their text' });
  });
});

describe('letting time pass', () => {
  it('an advance operation replays the clock and is checked like any other', () => {
    const rec = (seconds: unknown) => ({ ...start, ops: [{ op: 'advance', seconds }] });
    expect(checkLabRecord(rec(30))).toEqual({ ok: true, record: rec(30) });
    for (const bad of [0, -1, 86_401, Number.NaN, '30'])
      expect(checkLabRecord(rec(bad))).toEqual({
        ok: false,
        error: expect.stringContaining('ops[0].seconds'),
      });
    const replayed = replayLab({ ...start, ops: [{ op: 'advance', seconds: 45 }] }).engine;
    expect(replayed.now() - replayLab(start).engine.now()).toBe(45);
    expect(needsLabTools({ ...start, yaml: '', ops: [{ op: 'advance', seconds: 45 }] })).toBe(false);
  });
});

describe('what a record needs loaded to replay', () => {
  const starter: LabRecord = { name: starterLab.name, settings: {}, yaml: starterLab.yaml, ops: [] };

  it('the starter lab, and operations that neither read YAML nor send packets, replay without the tools', () => {
    expect(needsLabTools(starter)).toBe(false);
    expect(needsLabTools({ ...starter, yaml: '' })).toBe(false);
    expect(
      needsLabTools({
        ...starter,
        ops: [
          { op: 'setCni', cni: 'flannel' },
          { op: 'setProxyMode', proxyMode: 'ipvs' },
          { op: 'setConntrackMax', conntrackMax: 5 },
          { op: 'delete', kind: 'Pod', namespace: 'demo', name: 'client' },
        ],
      }),
    ).toBe(false);
  });

  it('other manifests, applies, kubectl lines, connections and requests need them', () => {
    expect(needsLabTools({ ...starter, yaml: start.yaml })).toBe(true);
    expect(needsLabTools({ ...starter, ops: [{ op: 'apply', yaml: start.yaml }] })).toBe(true);
    expect(needsLabTools({ ...starter, ops: [{ op: 'kubectl', line: 'kubectl get pods' }] })).toBe(true);
    expect(
      needsLabTools({
        ...starter,
        ops: [{ op: 'connect', request: { from: 'demo/client', to: 'web', port: 80 } }],
      }),
    ).toBe(true);
    expect(
      needsLabTools({
        ...starter,
        ops: [{ op: 'requests', input: { from: 'demo/client', to: 'web', count: 1 } }],
      }),
    ).toBe(true);
  });

  it('the starter manifest read at build time is what reading its text gives', () => {
    const read = parts().parseYamlDocuments(starterLab.yaml);
    expect(read.errors).toEqual([]);
    const shape = (m: Manifest) =>
      m.docs.map((d) => ({ index: d.index, value: d.value, line: d.line, unknownFields: d.unknownFields }));
    expect(shape(starterLab.manifest)).toEqual(shape(read));
    expect(
      replayLab(starter)
        .engine.snapshot()
        .pods.map((p) => p.metadata?.name),
    ).toEqual(
      (() => {
        const e = createEngine();
        e.apply(starterLab.yaml);
        return e.snapshot().pods.map((p) => p.metadata?.name);
      })(),
    );
  });
});
