import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine';
import { dryRunApply, kubectlName } from './dryRun';
import { starterLab } from './starterLab';

const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: demo
spec:
  podSelector: {}
  policyTypes:
    - Ingress
`;

describe('dryRunApply', () => {
  it('reports the starter lab as unchanged once it is applied, and leaves the cluster alone', () => {
    const engine = createEngine();
    engine.apply(starterLab.yaml);
    const revision = engine.snapshot().revision;
    const preview = dryRunApply(engine, starterLab.yaml);
    expect(preview.errors).toEqual([]);
    expect(preview.results.map((r) => r.result)).toEqual(preview.results.map(() => 'unchanged'));
    expect(engine.snapshot().revision).toBe(revision);
  });

  it('copies every kind the API serves: an applied VirtualService previews as unchanged', () => {
    const engine = createEngine();
    const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: default}
spec:
  hosts: [web]
  http: [{route: [{destination: {host: web}}]}]
`;
    expect(engine.apply(vs).errors).toEqual([]);
    expect(dryRunApply(engine, vs).results.map((r) => r.result)).toEqual(['unchanged']);
  });

  it('says a new object would be created and a changed one configured', () => {
    const engine = createEngine();
    engine.apply(starterLab.yaml);
    const scaled = starterLab.yaml.replace('replicas: 3', 'replicas: 2');
    const preview = dryRunApply(engine, `${scaled}\n---\n${policy}`);
    expect(preview.errors).toEqual([]);
    expect(preview.results).toContainEqual({
      kind: 'Deployment',
      namespace: 'demo',
      name: 'web',
      result: 'configured',
    });
    expect(preview.results).toContainEqual({
      kind: 'NetworkPolicy',
      namespace: 'demo',
      name: 'default-deny-ingress',
      result: 'created',
    });
    expect(engine.list('NetworkPolicy', 'demo')).toEqual([]);
  });

  it('returns the API server error with the line of the offending field', () => {
    const engine = createEngine();
    engine.apply(starterLab.yaml);
    const preview = dryRunApply(engine, policy.replace('- Ingress', '- Inbound'));
    expect(preview.results).toEqual([]);
    expect(preview.errors).toHaveLength(1);
    expect(preview.errors[0]?.message).toContain('spec.policyTypes[0]: Unsupported value: "Inbound"');
    expect(preview.errors[0]?.line).toBe(9);
  });
});

describe('kubectlName', () => {
  it('names objects the way kubectl apply prints them', () => {
    expect(kubectlName({ kind: 'Deployment', name: 'web' })).toBe('deployment.apps/web');
    expect(kubectlName({ kind: 'Service', name: 'web' })).toBe('service/web');
    expect(kubectlName({ kind: 'NetworkPolicy', name: 'deny' })).toBe('networkpolicy.networking.k8s.io/deny');
  });
});
