import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSchema } from './gen-k8s-schema';

type Def = { properties?: Record<string, unknown>; required?: string[]; additionalProperties?: boolean };

describe('Kubernetes schema for the editor', () => {
  const committed = JSON.parse(
    readFileSync(new URL('../src/ui/editor/k8s-schema.json', import.meta.url), 'utf8'),
  );

  it('the committed schema is what the generator makes (run `npx tsx scripts/gen-k8s-schema.ts`)', () => {
    expect(committed).toEqual(generateSchema());
  }, 30_000);

  it('closes every object, requires apiVersion/kind/metadata, and drops status', () => {
    const defs = committed.definitions as Record<string, Def>;
    expect(defs.ContainerPort?.additionalProperties).toBe(false);
    expect(Object.keys(defs.ContainerPort?.properties ?? {})).toContain('containerPort');
    for (const kind of ['Pod', 'Service', 'Deployment', 'NetworkPolicy', 'Ingress', 'Namespace', 'Node']) {
      expect(defs[kind]?.required).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'metadata']));
      expect(defs[kind]?.properties).not.toHaveProperty('status');
    }
  });
});
