import fc from 'fast-check';
import type { Namespace } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { defaultNamespace, validateNamespace } from './namespace';

describe('defaultNamespace', () => {
  it('[NS1] adds kubernetes.io/metadata.name = name, overwriting any other value', () => {
    const ns = defaultNamespace({
      metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'x', env: 'dev' } },
    });
    expect(ns.metadata?.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a', env: 'dev' });
    expect(defaultNamespace({ metadata: { generateName: 'tmp-' } }).metadata?.labels).toBeUndefined();
  });

  it('[NS2] on create: the kubernetes finalizer and phase Active', () => {
    const ns = defaultNamespace({ metadata: { name: 'a' }, spec: { finalizers: ['example.com/x'] } });
    expect(ns.spec?.finalizers).toEqual(['example.com/x', 'kubernetes']);
    expect(ns.status?.phase).toBe('Active');
  });

  it('[NS4] a namespace on the cluster-scoped object is cleared', () => {
    expect(defaultNamespace({ metadata: { name: 'a', namespace: 'default' } }).metadata).not.toHaveProperty(
      'namespace',
    );
  });

  it('[NS1] idempotent, never throws', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        const once = defaultNamespace(x as Namespace);
        expect(defaultNamespace(once)).toEqual(once);
      }),
    );
  });
});

describe('validateNamespace', () => {
  it('[NS3] spec.finalizers must be qualified and known when unprefixed', () => {
    expect(validateNamespace({ spec: { finalizers: ['kubernetes', 'example.com/x'] } })).toEqual([]);
    expect(validateNamespace({ spec: { finalizers: ['cleanup'] } }).map((e) => e.message)).toEqual([
      'spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });

  it('[M9] wrong JSON types are reported, never thrown', () => {
    expect(
      validateNamespace({ spec: { finalizers: 'kubernetes' } } as unknown as Namespace).map((e) => e.message),
    ).toEqual(['spec.finalizers: Invalid value: "kubernetes": must be of type array']);
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(Array.isArray(validateNamespace(x as Namespace))).toBe(true);
        expect(Array.isArray(validateNamespace(defaultNamespace(x as Namespace)))).toBe(true);
      }),
    );
  });
});
