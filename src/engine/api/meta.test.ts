import fc from 'fast-check';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import { describe, expect, it } from 'vitest';
import { root } from './field';
import {
  dns1123LabelErrors,
  generateObjectName,
  goStringMap,
  nameCheckFor,
  validateObjectMeta,
  type ObjectMetaOptions,
} from './meta';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const pod: ObjectMetaOptions = { namespaced: true, nameCheck: nameCheckFor('Pod') };
const messages = (meta: unknown, opts = pod): string[] =>
  validateObjectMeta(meta as ObjectMeta, opts).map((e) => e.message);

describe('validateObjectMeta', () => {
  it('[M1] a missing name is required', () => {
    expect(messages({ namespace: 'default' })).toEqual([
      'metadata.name: Required value: name or generateName is required',
    ]);
    expect(messages({ name: '', namespace: 'default' })).toEqual([
      'metadata.name: Required value: name or generateName is required',
    ]);
  });

  it('[M2] a Pod name must be a DNS-1123 subdomain, with the upstream wording', () => {
    expect(messages({ name: 'Bad_Name', namespace: 'default' })).toEqual([
      `metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`,
    ]);
    expect(messages({ name: 'web.example', namespace: 'default' })).toEqual([]);
  });

  it('[M2] a Service name must be a DNS-1035 label (conformance val-svc-22)', () => {
    const svc = { namespaced: true, nameCheck: nameCheckFor('Service') };
    expect(messages({ name: '1web', namespace: 'default' }, svc)).toEqual([
      "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('[M2] a Namespace name is a DNS-1123 label; a dotted name "must not contain dots"', () => {
    const ns = { namespaced: false, nameCheck: nameCheckFor('Namespace') };
    expect(messages({ name: 'team.a' }, ns)).toEqual([
      'metadata.name: Invalid value: "team.a": must not contain dots',
    ]);
    expect(messages({ name: 'Team' }, ns)).toEqual([`metadata.name: Invalid value: "Team": ${LABEL_MSG}`]);
    expect(dns1123LabelErrors('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });

  it('[M2] Node, Deployment, ReplicaSet, NetworkPolicy, Ingress, EndpointSlice, ConfigMap names are subdomains', () => {
    for (const kind of [
      'Node',
      'Deployment',
      'ReplicaSet',
      'NetworkPolicy',
      'Ingress',
      'EndpointSlice',
      'ConfigMap',
    ])
      expect(nameCheckFor(kind)('node-1.example')).toEqual([]);
  });

  it('[M3] generateName is checked with its trailing dash masked', () => {
    expect(messages({ generateName: 'web-', name: 'web-x7k2p', namespace: 'default' })).toEqual([]);
    expect(messages({ generateName: 'Web-', name: 'web-x7k2p', namespace: 'default' })).toEqual([
      `metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_MSG}`,
    ]);
  });

  it('[M4] namespaced kinds need a DNS-1123 label namespace; cluster-scoped kinds may not have one', () => {
    expect(messages({ name: 'a' })).toEqual(['metadata.namespace: Required value']);
    expect(messages({ name: 'a', namespace: 'Prod' })).toEqual([
      `metadata.namespace: Invalid value: "Prod": ${LABEL_MSG}`,
    ]);
    const node = { namespaced: false, nameCheck: nameCheckFor('Node') };
    expect(messages({ name: 'n1', namespace: 'default' }, node)).toEqual([
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });

  it('[M5] labels: qualified-name keys and valid values', () => {
    expect(messages({ name: 'a', namespace: 'd', labels: { app: 'web!' } })).toEqual([
      "metadata.labels: Invalid value: \"web!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });

  it('[M6] annotation keys are qualified names, case-insensitively, and their total size is capped', () => {
    expect(messages({ name: 'a', namespace: 'd', annotations: { 'Example.COM/Note': 'x' } })).toEqual([]);
    expect(messages({ name: 'a', namespace: 'd', annotations: { 'a b': 'x' } })[0]).toMatch(
      /^metadata\.annotations: Invalid value: "a b": name part must consist of alphanumeric characters/,
    );
    expect(messages({ name: 'a', namespace: 'd', annotations: { big: 'x'.repeat(262144) } })).toEqual([
      'metadata.annotations: Too long: must have at most 262144 bytes',
    ]);
  });

  it('[M7] finalizers: a single-segment name must be a standard one; orphan and foregroundDeletion conflict', () => {
    expect(
      messages({ name: 'a', namespace: 'd', finalizers: ['example.com/cleanup', 'kubernetes'] }),
    ).toEqual([]);
    expect(messages({ name: 'a', namespace: 'd', finalizers: ['cleanup'] })).toEqual([
      'metadata.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
    ]);
    expect(messages({ name: 'a', namespace: 'd', finalizers: ['orphan', 'foregroundDeletion'] })).toEqual([
      'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
    ]);
  });

  it('[M8] generation must not be negative', () => {
    expect(messages({ name: 'a', namespace: 'd', generation: -1 })).toEqual([
      'metadata.generation: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('[M9] wrong JSON types are reported as Invalid value, never thrown', () => {
    expect(messages({ name: 7, namespace: 'd' })).toEqual([
      'metadata.name: Invalid value: 7: must be of type string',
    ]);
    expect(messages({ name: 'a', namespace: 'd', labels: 'app=web' })).toEqual([
      'metadata.labels: Invalid value: "app=web": must be of type object',
    ]);
    expect(messages('oops')).toEqual(['metadata: Invalid value: "oops": must be of type object']);
    fc.assert(
      fc.property(fc.anything(), fc.boolean(), (meta, namespaced) => {
        const errs = validateObjectMeta(
          meta as ObjectMeta,
          { namespaced, nameCheck: nameCheckFor('Pod') },
          root('metadata'),
        );
        expect(Array.isArray(errs)).toBe(true);
        for (const e of errs) expect(e.message.startsWith(`${e.field}: ${e.type}`)).toBe(true);
      }),
    );
  });

  it('[M10] generateObjectName appends 5 characters from the generator alphabet and fits a label', () => {
    let i = 0;
    const seq = [0, 0.5, 0.99, 0.1, 0.3];
    expect(generateObjectName('web-', () => seq[i++ % seq.length] ?? 0)).toBe('web-br9dl');
    expect(generateObjectName('x'.repeat(80), () => 0)).toHaveLength(63);
  });

  it('goStringMap prints Go %#v of a map[string]string with sorted keys', () => {
    expect(goStringMap({ tier: 'web', app: 'shop' })).toBe('map[string]string{"app":"shop", "tier":"web"}');
    expect(goStringMap(undefined)).toBe('map[string]string(nil)');
  });
});
