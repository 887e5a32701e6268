import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine';
import { exportManifests, userObjects } from './exportManifests';
import { replayLab, type LabRecord } from './labRecord';
import { starterLab } from './starterLab';

const record: LabRecord = {
  name: 'Export lab',
  settings: { seed: 11 },
  yaml: `${starterLab.yaml}
---
apiVersion: v1
kind: Service
metadata: {name: fixed, namespace: demo}
spec:
  clusterIP: 10.96.100.100
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, nodePort: 30080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: demo}
spec: {podSelector: {}, policyTypes: [Ingress]}
`,
  ops: [
    { op: 'kubectl', line: 'kubectl create deployment api --image=nginx -n demo' },
    { op: 'kubectl', line: 'kubectl expose deployment api --port=8080 --target-port=80 -n demo' },
  ],
};

interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: { clusterIP?: string; clusterIPs?: string[]; nodeName?: string; ports: { nodePort?: number }[] };
}

describe('exportManifests', () => {
  const { engine } = replayLab(record);
  const text = exportManifests(engine, record);
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Doc);

  it('exports what the learner made, without controller-owned or cluster objects', () => {
    const refs = docs.map((d) => `${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`);
    expect(refs).toContain('Namespace//demo');
    expect(refs).toContain('Deployment/demo/web');
    expect(refs).toContain('Deployment/demo/api');
    expect(refs).toContain('Service/demo/api');
    expect(refs).toContain('NetworkPolicy/demo/deny');
    expect(refs.some((r) => r.startsWith('ReplicaSet/'))).toBe(false);
    expect(refs.filter((r) => r.startsWith('Pod/')).every((r) => !r.startsWith('Pod/demo/web-'))).toBe(true);
    expect(refs.some((r) => r.includes('kube-system') || r === 'Service/default/kubernetes')).toBe(false);
  });

  it('leaves out status, server metadata and allocated addresses, keeping chosen ones', () => {
    expect(text).not.toMatch(/^\s*(status|uid|resourceVersion|creationTimestamp|managedFields|generation):/m);
    const api = docs.find((d) => d.kind === 'Service' && d.metadata.name === 'api');
    expect(api?.spec.clusterIP).toBeUndefined();
    expect(api?.spec.clusterIPs).toBeUndefined();
    const fixed = docs.find((d) => d.kind === 'Service' && d.metadata.name === 'fixed');
    expect(fixed?.spec.clusterIP).toBe('10.96.100.100');
    expect(fixed?.spec.ports[0]?.nodePort).toBe(30080);
    const pods = docs.filter((d) => d.kind === 'Pod');
    expect(pods.every((p) => p.spec.nodeName === undefined)).toBe(true);
  });

  it('applies cleanly to a fresh cluster and gives the same objects', () => {
    const fresh = createEngine(record.settings);
    const result = fresh.apply(text);
    expect(result.errors).toEqual([]);
    const names = (e: typeof engine) =>
      userObjects(e, record)
        .map((o) => `${String(o.kind)}/${String((o.metadata as { name: string }).name)}`)
        .sort();
    expect(names(fresh)).toEqual(names(engine));
  });
});
