import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster';
import { KNOWN_FIELDS } from './knownFields';
import { strictDecodingMessage, unknownFields } from './knownFieldsStrict';

const policy = (extra = '') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: default
  labels:
    anyKey: ok
spec:
  podSelector:
    matchLabels:
      whatever: x
  policyTypse:
    - Ingress
${extra}`;

describe('strict decoding', () => {
  it('[SD1] refuses an unknown field with the API server words, at its line, and creates nothing', () => {
    const c = new Cluster();
    const r = c.apply(policy());
    expect(r.results).toEqual([]);
    expect(r.errors).toEqual([
      {
        kind: 'NetworkPolicy',
        name: 'default-deny-ingress',
        namespace: 'default',
        document: 0,
        type: 'BadRequest',
        line: 12,
        lines: [12],
        message:
          'NetworkPolicy in version "v1" cannot be handled as a NetworkPolicy: strict decoding error: unknown field "spec.policyTypse"',
      },
    ]);
    expect(c.store.list('NetworkPolicy')).toEqual([]);
  });

  it('[SD1] names list items by index and the version without its group', () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { ports: [{ port: 80 }, { port: 81, nodeport: 30001 }] },
    };
    expect(unknownFields(svc, KNOWN_FIELDS)).toEqual(['spec.ports[1].nodeport']);
    expect(strictDecodingMessage('Deployment', 'apps/v1', ['spec.replica'])).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"',
    );
  });

  it('[SD2] lists several unknown fields comma-separated, keys in sorted order', () => {
    const c = new Cluster();
    const r = c.apply(policy('  zzz: 1\nextra: true\n'));
    expect(r.errors[0]?.message).toBe(
      'NetworkPolicy in version "v1" cannot be handled as a NetworkPolicy: strict decoding error: unknown field "extra", unknown field "spec.policyTypse", unknown field "spec.zzz"',
    );
  });

  it('[SD3] never flags map keys, status or managedFields content; flags unknown metadata fields', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        labels: { 'any/key': 'v' },
        annotations: { note: 'x' },
        managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': { 'f:x': {} } } }],
      },
      spec: {
        nodeSelector: { disk: 'ssd' },
        containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '1' } } }],
      },
      status: { anything: { goes: true } },
    };
    expect(unknownFields(pod, KNOWN_FIELDS)).toEqual([]);
    expect(unknownFields({ ...pod, metadata: { ...pod.metadata, app: 'web' } }, KNOWN_FIELDS)).toEqual([
      'metadata.app',
    ]);
  });

  it('[SD4] skips kinds and versions it has no schema for', () => {
    expect(
      unknownFields(
        { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', spec: { x: 1 } },
        KNOWN_FIELDS,
      ),
    ).toBe(null);
    expect(unknownFields({ apiVersion: 'v2', kind: 'Service', spec: { x: 1 } }, KNOWN_FIELDS)).toBe(null);
  });

  it('knows every field of the kinds it covers, from kubernetes-types', () => {
    expect(Object.keys(KNOWN_FIELDS.kinds)).toEqual(
      expect.arrayContaining(['Pod', 'Service', 'Deployment', 'NetworkPolicy', 'Ingress', 'Namespace']),
    );
    expect(KNOWN_FIELDS.types.NetworkPolicySpec).toEqual({
      egress: 'NetworkPolicyEgressRule',
      ingress: 'NetworkPolicyIngressRule',
      podSelector: 'LabelSelector',
      policyTypes: 0,
    });
  });
});
