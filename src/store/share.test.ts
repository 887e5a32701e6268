import fc from 'fast-check';
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { createLabLibrary, SANDBOX_SLOT, type LabStorage } from './labLibrary';
import { checkLabRecord, type LabRecord } from './labRecord';
import { createLabStoreFrom } from './labStore';
import { SHARE_LIMITS, SHARE_PREFIX, SHARE_VERSION, type SharePayload } from './share';
import { decodeShareLink, inflate } from './shareDecode';
import { encodeShareLink } from './shareEncode';
import { starterLab } from './starterLab';

const lab: LabRecord = {
  name: 'Shared lab',
  settings: { seed: 42, cni: 'calico', proxyMode: 'ipvs', nodes: ['node-a', 'node-b'] },
  yaml: starterLab.yaml,
  ops: [
    { op: 'kubectl', line: 'kubectl create deployment api --image=nginx --replicas=2' },
    { op: 'setCni', cni: 'cilium' },
  ],
};

const link = encodeShareLink(lab, { lesson: { id: '04-services', step: 2 }, editorYaml: 'kind: Pod\n' });
const ok = (fragment: string): SharePayload => {
  const r = decodeShareLink(fragment);
  if (!r.ok) throw new Error(r.error);
  return r.payload;
};
const errorOf = (fragment: string): string => {
  const r = decodeShareLink(fragment);
  if (r.ok) throw new Error('expected an error');
  return r.error;
};
const data = link.slice(link.indexOf('.') + 1);

describe('share links', () => {
  it('round-trips the lab, the lesson and the editor content', () => {
    expect(link.startsWith(`${SHARE_PREFIX}${SHARE_VERSION}.`)).toBe(true);
    expect(ok(link)).toEqual({
      v: 1,
      lab,
      lesson: { id: '04-services', step: 2 },
      editorYaml: 'kind: Pod\n',
    });
    expect(ok(encodeShareLink(lab))).toEqual({ v: 1, lab });
  });

  it('opens the same cluster: same pod names, IPs and routes', () => {
    const a = createLabStoreFrom(lab).getState();
    const b = createLabStoreFrom(ok(link).lab).getState();
    const pods = (s: typeof a) => s.snapshot.pods.map((p) => [p.metadata?.name, p.status?.podIP]);
    expect(pods(b)).toEqual(pods(a));
    expect(pods(a).length).toBeGreaterThan(3);
    expect(b.snapshot.services.map((s) => s.spec?.clusterIP)).toEqual(
      a.snapshot.services.map((s) => s.spec?.clusterIP),
    );
    const line = 'kubectl get pods -A -o wide';
    expect(b.kubectl(line, '').stdout).toBe(a.kubectl(line, '').stdout);
  });

  it('rejects a link made by a newer version with that reason', () => {
    const newer = `${SHARE_PREFIX}${SHARE_VERSION + 1}.${data}`;
    expect(errorOf(newer)).toMatch(/made by a newer version of the lab/);
    expect(errorOf(`${SHARE_PREFIX}0.${data}`)).toMatch(/format \(0\) is not one the lab can read/);
    expect(errorOf(`${SHARE_PREFIX}x1.${data}`)).toMatch(/no format version/);
  });

  it('rejects a truncated or corrupted link as damaged', () => {
    expect(errorOf(link.slice(0, link.length - 20))).toMatch(/damaged/);
    expect(errorOf(`${SHARE_PREFIX}1.`)).toMatch(/damaged/);
    expect(errorOf(SHARE_PREFIX)).toMatch(/empty/);
    expect(errorOf(`${SHARE_PREFIX}1.${data.replace(/[A-Z]/, '~')}`)).toMatch(/damaged/);
  });

  it('rejects valid JSON that is not a lab, naming what is wrong', () => {
    const wrap = (v: unknown) => `${SHARE_PREFIX}1.${compressToEncodedURIComponent(JSON.stringify(v))}`;
    expect(errorOf(wrap({ v: 1, lab: { ...lab, ops: [{ op: 'eval', code: 'alert(1)' }] } }))).toMatch(
      /ops\[0\]\.op "eval" is not an operation/,
    );
    expect(errorOf(wrap({ v: 1, lab, script: '<script>' }))).toMatch(/field the lab does not know/);
    expect(errorOf(wrap({ v: 1, lab, lesson: { id: '../../etc', step: 1 } }))).toMatch(/lesson/);
    expect(errorOf(wrap({ v: 2, lab }))).toMatch(/damaged/);
    expect(errorOf(wrap([1, 2]))).toMatch(/damaged/);
  });

  it('rejects an oversized link before decompressing it', () => {
    const long = `${SHARE_PREFIX}1.${'A'.repeat(SHARE_LIMITS.maxEncoded)}`;
    expect(errorOf(long)).toMatch(/too long/);
  });

  it('rejects a link that decompresses out of all proportion', () => {
    // 400 KB of one character compresses to a few hundred characters: a ratio no lab has.
    const bomb = compressToEncodedURIComponent('a'.repeat(400_000));
    expect(bomb.length).toBeLessThan(2_000);
    expect(errorOf(`${SHARE_PREFIX}1.${bomb}`)).toMatch(/far more than a lab holds/);
    // A lab of a hundred identical Deployments is repetitive too, and still opens.
    const many = Array.from(
      { length: 100 },
      (_, i) =>
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${i}\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: c, image: nginx}]\n`,
    ).join('---\n');
    expect(ok(encodeShareLink({ ...lab, yaml: many, ops: [] })).lab.yaml).toBe(many);
  });

  it('keeps hostile strings as data', () => {
    const hostile = `apiVersion: v1
kind: Pod
metadata:
  name: x
  labels: {app: "<img src=x onerror=alert(1)>"}
  annotations: {note: "<script>alert(1)</script>"}
spec: {containers: [{name: c, image: nginx}]}
`;
    const payload = ok(encodeShareLink({ ...lab, name: '<script>alert(1)</script>', yaml: hostile }));
    expect(payload.lab.name).toBe('<script>alert(1)</script>');
    const state = createLabStoreFrom(payload.lab).getState();
    // The API server refuses the label value (not a valid label value); the annotation stays text.
    expect(state.lastApply?.errors[0]?.message).toMatch(/metadata\.labels/);
    expect(state.snapshot.pods.some((p) => p.metadata?.name === 'x')).toBe(false);
  });
});

describe('inflate (bounded lz-string decoder)', () => {
  it('decodes exactly what lz-string decodes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const packed = compressToEncodedURIComponent(text);
        expect(inflate(packed, 1_000_000)).toEqual({ ok: true, text });
        expect(decompressFromEncodedURIComponent(packed)).toBe(text);
      }),
      { numRuns: 150 },
    );
  }, 30_000);

  it('never returns text that differs from lz-string on arbitrary input', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 60 }), (input) => {
        const mine = inflate(input, 100_000);
        if (mine.ok) expect(decompressFromEncodedURIComponent(input)).toBe(mine.text);
      }),
      { numRuns: 500 },
    );
  });

  it('stops at the output limit', () => {
    const packed = compressToEncodedURIComponent('b'.repeat(10_000));
    expect(inflate(packed, 9_999)).toEqual({ ok: false, reason: 'too-large' });
    expect(inflate(packed, 10_000)).toEqual({ ok: true, text: 'b'.repeat(10_000) });
  });
});

/** A mutation of a valid link: what a chat app, a mail client or an attacker might do to it. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), code: fc.integer({ min: 0, max: 0xffff }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('version' as const), version: fc.string({ maxLength: 6 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(fragment: string, m: Mutation): string {
  const at = 'at' in m ? m.at % (fragment.length + 1) : 0;
  switch (m.kind) {
    case 'truncate':
      return fragment.slice(0, at);
    case 'flip':
      return fragment.slice(0, at) + String.fromCharCode(m.code) + fragment.slice(at + 1);
    case 'insert':
      return fragment.slice(0, at) + m.text + fragment.slice(at);
    case 'delete':
      return fragment.slice(0, at) + fragment.slice(at + m.count);
    case 'version':
      return `${SHARE_PREFIX}${m.version}${fragment.slice(fragment.indexOf('.'))}`;
  }
}

const memory = (): LabStorage & { data: Map<string, string> } => {
  const stored = new Map<string, string>();
  return {
    data: stored,
    getItem: (k) => stored.get(k) ?? null,
    setItem: (k, v) => void stored.set(k, v),
    removeItem: (k) => void stored.delete(k),
  };
};

describe('share links, mutated at random', () => {
  // A small lab keeps each replay fast enough for hundreds of runs.
  const small: LabRecord = {
    name: 'small',
    settings: { seed: 7 },
    yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {app: a}}\nspec: {containers: [{name: c, image: nginx}]}\n',
    ops: [{ op: 'kubectl', line: 'kubectl expose pod a --port=80' }],
  };
  const valid = encodeShareLink(small, { lesson: { id: '05-network-policies', step: 1 } });

  it('decode never throws and returns a checked record or a message', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        const fragment = ms.reduce(mutate, valid);
        const r = decodeShareLink(fragment);
        if (r.ok) expect(checkLabRecord(r.payload.lab)).toEqual({ ok: true, record: r.payload.lab });
        else expect(r.error).toMatch(/^This share link(?:'s)? .+[.)]$/);
      }),
      { numRuns: 1_000 },
    );
  });

  it("loading what decodes never throws and never touches the learner's sandbox", () => {
    const storage = memory();
    const library = createLabLibrary(storage);
    library.save(SANDBOX_SLOT, { ...small, name: 'my own lab' });
    const before = storage.data.get('k8s-net-lab:lab:sandbox');
    const store = createLabStoreFrom(small);
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 2 }), (ms) => {
        const r = decodeShareLink(ms.reduce(mutate, valid));
        if (!r.ok) return;
        store.getState().loadLab(r.payload.lab);
        expect(store.getState().record).toEqual(r.payload.lab);
      }),
      { numRuns: 300 },
    );
    expect(storage.data.get('k8s-net-lab:lab:sandbox')).toBe(before);
  });
});
