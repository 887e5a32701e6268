import fc from 'fast-check';
import type { Node } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { defaultNode, validateNode } from './node';

const messages = (n: unknown): string[] => validateNode(defaultNode(n as Node)).map((e) => e.message);

describe('defaultNode', () => {
  it('[N1] podCIDR and podCIDRs mirror each other', () => {
    expect(defaultNode({ spec: { podCIDR: '10.244.1.0/24' } }).spec?.podCIDRs).toEqual(['10.244.1.0/24']);
    expect(defaultNode({ spec: { podCIDRs: ['10.244.2.0/24'] } }).spec?.podCIDR).toBe('10.244.2.0/24');
  });

  it('[N2] allocatable defaults to capacity; the namespace is cleared', () => {
    const n = defaultNode({
      metadata: { name: 'n1', namespace: 'x' },
      status: { capacity: { pods: '110' } },
    });
    expect(n.status?.allocatable).toEqual({ pods: '110' });
    expect(n.metadata).toEqual({ name: 'n1' });
  });

  it('[N1] idempotent, never throws', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        const once = defaultNode(x as Node);
        expect(defaultNode(once)).toEqual(once);
      }),
    );
  });
});

describe('validateNode', () => {
  it('a node with a pod CIDR and addresses is valid', () => {
    expect(
      messages({
        spec: { podCIDR: '10.244.1.0/24' },
        status: {
          addresses: [
            { type: 'InternalIP', address: '172.18.0.2' },
            { type: 'Hostname', address: 'n1' },
          ],
        },
      }),
    ).toEqual([]);
  });

  it('[N3] podCIDRs: valid CIDRs, one per family, no duplicates', () => {
    expect(messages({ spec: { podCIDR: '10.244.1.0/33' } })).toEqual([
      'spec.podCIDRs[0]: Invalid value: "10.244.1.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
    expect(messages({ spec: { podCIDRs: ['10.244.1.0/24', '10.244.1.0/24'] } })).toEqual([
      'spec.podCIDRs: Invalid value: []string{"10.244.1.0/24", "10.244.1.0/24"}: may specify no more than one CIDR for each IP family',
      'spec.podCIDRs[1]: Duplicate value: "10.244.1.0/24"',
    ]);
    expect(messages({ spec: { podCIDRs: ['10.244.1.0/24', 'fd00:10:244:1::/64'] } })).toEqual([]);
  });

  it('[N4] duplicate status.addresses are rejected', () => {
    const a = { type: 'InternalIP', address: '172.18.0.2' };
    expect(messages({ status: { addresses: [a, a] } })).toEqual([
      'status.addresses[1]: Duplicate value: core.NodeAddress{Type:"InternalIP", Address:"172.18.0.2"}',
    ]);
  });

  it('[N5] (simulator) address types are known and IP types hold IPv4 addresses', () => {
    expect(
      messages({
        status: {
          addresses: [
            { type: 'PodIP', address: 'x' },
            { type: 'InternalIP', address: '172.18.0.300' },
          ],
        },
      }),
    ).toEqual([
      'status.addresses[0].type: Unsupported value: "PodIP": supported values: "Hostname", "InternalIP", "ExternalIP", "InternalDNS", "ExternalDNS"',
      'status.addresses[1].address: Invalid value: "172.18.0.300": must be a valid IPv4 address',
    ]);
  });

  it('[M9] wrong JSON types are reported, never thrown', () => {
    expect(messages({ spec: { podCIDRs: '10.0.0.0/24' } })).toEqual([
      'spec.podCIDRs: Invalid value: "10.0.0.0/24": must be of type array',
    ]);
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(Array.isArray(validateNode(x as Node))).toBe(true);
        expect(Array.isArray(validateNode(defaultNode(x as Node)))).toBe(true);
      }),
    );
  });
});
