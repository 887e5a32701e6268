import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine';
import { documentStartLines, errorMarkers } from './markers';

const two = `apiVersion: v1
kind: Namespace
metadata:
  name: a
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny
  namespace: a
spec:
  podSelector: {}
  policyTypes:
    - Inbound
`;

describe('editor markers', () => {
  it('finds where each document starts', () => {
    expect(documentStartLines(two)).toEqual([1, 6]);
    expect(documentStartLines('---\nkind: A\n---\nkind: B\n')).toEqual([2, 4]);
  });

  it('puts an engine validation error on the line of its field, in the API server wording', () => {
    const { errors } = createEngine().apply(two);
    const [marker] = errorMarkers(two, errors);
    expect(marker).toMatchObject({ startLineNumber: 14, startColumn: 5, endColumn: 14 });
    expect(marker?.message).toContain(
      'NetworkPolicy "deny" is invalid: spec.policyTypes[0]: Unsupported value: "Inbound"',
    );
  });

  it('puts a strict decoding error on the misspelt key, in the API server wording', () => {
    const typo = two.replace('policyTypes:', 'policyTypse:');
    const { errors } = createEngine().apply(typo);
    expect(errors).toHaveLength(1);
    const [marker] = errorMarkers(typo, errors);
    expect(marker).toMatchObject({ startLineNumber: 13, startColumn: 3 });
    expect(marker?.message).toBe(
      'Error from server (BadRequest): NetworkPolicy in version "v1" cannot be handled as a NetworkPolicy: strict decoding error: unknown field "spec.policyTypse"',
    );
  });

  it('marks every misspelt key of one object, each with the whole message', () => {
    const typos = two.replace('policyTypes:', 'policyTypse:').replace('podSelector:', 'podSelecter:');
    const { errors } = createEngine().apply(typos);
    expect(errors).toHaveLength(1);
    const markers = errorMarkers(typos, errors);
    expect(markers.map((m) => m.startLineNumber)).toEqual([12, 13]);
    for (const m of markers)
      expect(m.message).toContain(
        'strict decoding error: unknown field "spec.podSelecter", unknown field "spec.policyTypse"',
      );
  });

  it('puts a YAML syntax error at its line and column', () => {
    const yaml = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [a\n';
    const { errors } = createEngine().apply(yaml);
    expect(errors.length).toBeGreaterThan(0);
    const [marker] = errorMarkers(yaml, errors);
    expect(marker?.startLineNumber).toBe(errors[0]?.line);
    expect(marker?.startColumn).toBe(errors[0]?.column);
  });
});
