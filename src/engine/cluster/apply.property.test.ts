// Property tests of the apply pipeline: whatever text or object shape a learner pastes, apply
// answers with results and errors and never throws, and a rejected document changes nothing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { Engine } from '../engine';
import { KINDS } from '../api/kinds';

const NUM_RUNS = 200;

/** Every object of every kind the store holds, as JSON text (the store's whole content). */
function storeContents(e: Engine): string {
  return JSON.stringify(KINDS.map((k) => e.list(k.kind)));
}

function expectWellFormed(r: ReturnType<Engine['apply']>): void {
  for (const err of r.errors) {
    expect(typeof err.message).toBe('string');
    expect(err.message.trim().length).toBeGreaterThan(0);
    expect(err.document).toBeGreaterThanOrEqual(0);
  }
  for (const res of r.results) expect(['created', 'configured', 'unchanged']).toContain(res.result);
}

/** Applies and checks [AP2]: a single-document apply that returns only errors leaves the store as it was. */
function applyChecked(e: Engine, text: string): void {
  const revision = e.cluster.store.revision;
  const before = storeContents(e);
  let r: ReturnType<Engine['apply']> | undefined;
  expect(() => {
    r = e.apply(text);
  }).not.toThrow();
  if (!r) return;
  expectWellFormed(r);
  if (r.errors.length > 0 && r.results.length === 0) {
    expect(e.cluster.store.revision).toBe(revision);
    expect(storeContents(e)).toBe(before);
  }
}

const names = fc.constantFrom('a', 'web', 'db', 'x-1', 'Bad_Name', '', 'kube-system', 'a'.repeat(70));
const namespaces = fc.constantFrom(undefined, 'default', 'kube-system', 'missing', 'BAD');
const kinds = fc.constantFrom(...KINDS.map((k) => k.kind));

/** Values that look like what manifests hold, and some that do not. */
const leaf = fc.oneof(
  fc.constantFrom('web', 'nginx', 'TCP', 'UDP', 'None', '10.96.0.10', 'ClusterIP', 'NodePort', 'LoadBalancer', 'app', ''),
  fc.integer({ min: -5, max: 70000 }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 8 }),
);
const fieldNames = fc.constantFrom(
  'containers',
  'name',
  'image',
  'ports',
  'port',
  'targetPort',
  'nodePort',
  'protocol',
  'selector',
  'matchLabels',
  'replicas',
  'template',
  'metadata',
  'labels',
  'spec',
  'type',
  'clusterIP',
  'podSelector',
  'ingress',
  'egress',
  'from',
  'to',
  'ipBlock',
  'cidr',
  'rules',
  'http',
  'paths',
  'path',
  'backend',
  'nodeName',
  'nodeSelector',
  'readinessProbe',
  'exec',
  'command',
  'hostNetwork',
  'policyTypes',
  'endpoints',
  'addresses',
);
const { value: shape } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fieldNames, tie('value'), { maxKeys: 4 }),
  ),
}));

const manifest = fc.record({
  kind: kinds,
  name: names,
  namespace: namespaces,
  labels: fc.option(fc.dictionary(fc.constantFrom('app', 'tier', 'bad key!'), fc.constantFrom('web', 'db', '-x')), {
    nil: undefined,
  }),
  spec: shape,
  extra: fc.option(fc.dictionary(fieldNames, shape, { maxKeys: 2 }), { nil: undefined }),
});

describe('apply never throws (property)', () => {
  it('[AP8] any text: answers with well-formed results and errors; a rejected document changes nothing', () => {
    const e = new Engine();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: fc.constantFrom('a', ':', ' ', '\n', '-', '{', '}', '[', ']', '"', "'", '#', '&', '*', '!', '|', '>', '\t'), maxLength: 80 }),
        ),
        (text) => applyChecked(e, text),
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('[AP8] YAML of arbitrary object shapes of the supported kinds: never throws, a rejected document changes nothing', () => {
    const e = new Engine();
    fc.assert(
      fc.property(manifest, (m) => {
        const info = KINDS.find((k) => k.kind === m.kind);
        const doc: Record<string, unknown> = {
          apiVersion: info?.apiVersion,
          kind: m.kind,
          metadata: {
            name: m.name,
            ...(m.namespace !== undefined ? { namespace: m.namespace } : {}),
            ...(m.labels ? { labels: m.labels } : {}),
          },
          spec: m.spec,
          ...(m.extra ?? {}),
        };
        applyChecked(e, stringify(doc));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('[AP8] the lab keeps answering after arbitrary applies: connect and snapshot do not throw', () => {
    const e = new Engine();
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), (ms) => {
        const text = ms
          .map((m) =>
            stringify({
              apiVersion: KINDS.find((k) => k.kind === m.kind)?.apiVersion,
              kind: m.kind,
              metadata: { name: m.name, ...(m.namespace ? { namespace: m.namespace } : {}) },
              spec: m.spec,
            }),
          )
          .join('---\n');
        expectWellFormed(e.apply(text));
        expect(() => e.snapshot()).not.toThrow();
        const pod = e.list('Pod').find((p) => (p.status as { podIP?: string } | undefined)?.podIP);
        if (pod) {
          const r = e.connect({ from: `${pod.metadata.namespace}/${pod.metadata.name}`, to: 'kubernetes.default', port: 443 });
          expect(typeof r.delivered).toBe('boolean');
        }
      }),
      { numRuns: 60 },
    );
  });
});
