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
  fc.constantFrom(
    'web',
    'nginx',
    'TCP',
    'UDP',
    'None',
    '10.96.0.10',
    'ClusterIP',
    'NodePort',
    'LoadBalancer',
    'app',
    '',
  ),
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
  labels: fc.option(
    fc.dictionary(fc.constantFrom('app', 'tier', 'bad key!'), fc.constantFrom('web', 'db', '-x')),
    {
      nil: undefined,
    },
  ),
  spec: shape,
  extra: fc.option(fc.dictionary(fieldNames, shape, { maxKeys: 2 }), { nil: undefined }),
});

/** Valid manifests of the kinds a lab uses most, to be mutated at one field each. */
const BASES: Record<string, unknown> = {
  Pod: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, name: 'http' }] }] },
  },
  Service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
  },
  Deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
    },
  },
  NetworkPolicy: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'np' },
    spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: {} }] }] },
  },
};
const PATHS: Record<string, readonly (string | number)[][]> = {
  Pod: [
    ['spec', 'containers', 0, 'image'],
    ['spec', 'containers', 0, 'ports', 0, 'containerPort'],
    ['spec', 'containers', 0, 'ports', 0, 'protocol'],
    ['spec', 'containers', 0, 'readinessProbe'],
    ['spec', 'nodeName'],
    ['spec', 'nodeSelector'],
    ['spec', 'hostNetwork'],
    ['spec', 'containers'],
    ['metadata', 'labels', 'app'],
    ['metadata', 'namespace'],
  ],
  Service: [
    ['spec', 'type'],
    ['spec', 'clusterIP'],
    ['spec', 'ports', 0, 'port'],
    ['spec', 'ports', 0, 'targetPort'],
    ['spec', 'ports', 0, 'nodePort'],
    ['spec', 'ports', 0, 'protocol'],
    ['spec', 'selector'],
    ['spec', 'externalTrafficPolicy'],
    ['spec', 'sessionAffinity'],
    ['spec', 'externalName'],
  ],
  Deployment: [
    ['spec', 'replicas'],
    ['spec', 'selector', 'matchLabels', 'app'],
    ['spec', 'template', 'metadata', 'labels', 'app'],
    ['spec', 'template', 'spec', 'containers', 0, 'image'],
    ['spec', 'template', 'spec', 'nodeSelector'],
    ['spec', 'template'],
  ],
  NetworkPolicy: [
    ['spec', 'podSelector'],
    ['spec', 'policyTypes'],
    ['spec', 'ingress', 0, 'from', 0, 'ipBlock'],
    ['spec', 'ingress', 0, 'ports'],
    ['spec', 'egress'],
  ],
};

function setIn(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...(root as unknown[])] : [];
    arr[head] = setIn(arr[head], rest, value);
    return arr.map((x) => x ?? null);
  }
  const rec =
    root && typeof root === 'object' && !Array.isArray(root) ? { ...(root as Record<string, unknown>) } : {};
  rec[head] = setIn(rec[head], rest, value);
  return rec;
}

/** A valid manifest with one field replaced by a leaf or a small shape (replicas kept small). */
const mutated = fc
  .constantFrom(...Object.keys(BASES))
  .chain((kind) =>
    fc.record({
      kind: fc.constant(kind),
      path: fc.constantFrom(...(PATHS[kind] ?? [])),
      value: fc.oneof(leaf, shape, fc.integer({ min: 0, max: 40 })),
    }),
  )
  .map(({ kind, path, value }) => {
    const v = path.at(-1) === 'replicas' && typeof value === 'number' ? value % 40 : value;
    return stringify(setIn(BASES[kind], path, v));
  });

describe('apply never throws (property)', () => {
  it('[AP8] any text: answers with well-formed results and errors; a rejected document changes nothing', () => {
    const e = new Engine();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({
            unit: fc.constantFrom(
              'a',
              ':',
              ' ',
              '\n',
              '-',
              '{',
              '}',
              '[',
              ']',
              '"',
              "'",
              '#',
              '&',
              '*',
              '!',
              '|',
              '>',
              '\t',
            ),
            maxLength: 80,
          }),
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

  it('[AP8] valid manifests with one field mutated: never throws, a rejected document changes nothing', () => {
    const e = new Engine();
    let created = 0;
    fc.assert(
      fc.property(mutated, (text) => {
        const before = e.list('Pod').length + e.list('Service').length;
        applyChecked(e, text);
        if (e.list('Pod').length + e.list('Service').length !== before) created++;
      }),
      { numRuns: NUM_RUNS },
    );
    // The generator reaches the controllers, not only validation.
    expect(created).toBeGreaterThan(0);
  });

  it('[AP8] the lab keeps answering after arbitrary applies: connect and snapshot do not throw', () => {
    const e = new Engine();
    fc.assert(
      fc.property(fc.array(mutated, { minLength: 1, maxLength: 3 }), (docs) => {
        const text = docs.join('---\n');
        expectWellFormed(e.apply(text));
        expect(() => e.snapshot()).not.toThrow();
        const pod = e.list('Pod').find((p) => (p.status as { podIP?: string } | undefined)?.podIP);
        if (pod) {
          const r = e.connect({
            from: `${pod.metadata.namespace}/${pod.metadata.name}`,
            to: 'kubernetes.default',
            port: 443,
          });
          expect(typeof r.delivered).toBe('boolean');
        }
      }),
      { numRuns: 60 },
    );
  });
});
