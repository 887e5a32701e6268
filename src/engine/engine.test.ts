// The engine as a whole: determinism of a seeded lab ([DT1] in cluster/SPEC.md) and the facade.
import { describe, expect, it } from 'vitest';
import { createEngine, Engine } from './engine';
import type { ConnectResult } from './trace/types';
import { parts } from './lazy';

const LAB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: nginx}]
`;

function run(seed: number): { snapshot: string; connects: ConnectResult[]; engine: Engine } {
  const e = createEngine({ seed });
  e.apply(LAB);
  const victim = e.list('Pod', 'default').find((p) => p.metadata.name?.startsWith('web-'));
  e.delete('Pod', 'default', victim?.metadata.name ?? '');
  e.advance(30);
  const connects = [1, 2, 3, 4, 5, 6].map(() => e.connect({ from: 'default/client', to: 'web', port: 80 }));
  connects.push(
    e.connect({
      from: 'external',
      to: '172.18.0.3',
      port:
        (e.get('Service', 'default', 'web')?.spec as { ports: { nodePort: number }[] }).ports[0]?.nodePort ??
        0,
    }),
  );
  return { snapshot: JSON.stringify(e.snapshot()), connects, engine: e };
}

describe('determinism', () => {
  it('[DT1] the same seed and inputs give identical snapshots (names, IPs, ClusterIPs, nodePorts) and identical connects', () => {
    const a = run(7);
    const b = run(7);
    expect(a.snapshot).toBe(b.snapshot);
    expect(a.connects).toEqual(b.connects);
    expect(a.connects.every((c) => c.delivered)).toBe(true);
  });

  it('[DT1] a different seed gives different generated names and addresses', () => {
    const a = run(7).engine;
    const b = run(8).engine;
    const names = (e: Engine) => e.list('Pod', 'default').map((p) => p.metadata.name);
    expect(names(a)).not.toEqual(names(b));
    const vip = (e: Engine) => (e.get('Service', 'default', 'web')?.spec as { clusterIP: string }).clusterIP;
    expect(vip(a)).not.toBe(vip(b));
    // The template hash is not random: the ReplicaSet has the same name under both seeds.
    expect(a.list('ReplicaSet', 'default').map((r) => r.metadata.name)).toEqual(
      b.list('ReplicaSet', 'default').map((r) => r.metadata.name),
    );
  });
});

describe('engine facade', () => {
  it('[EN1] snapshot is the same object while nothing changed, and a new one after a change', () => {
    const e = new Engine();
    const s1 = e.snapshot();
    expect(e.snapshot()).toBe(s1);
    e.apply('apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n');
    const s2 = e.snapshot();
    expect(s2).not.toBe(s1);
    expect(s2.namespaces.map((n) => n.metadata?.name)).toContain('x');
    expect(s2.revision).toBeGreaterThan(s1.revision);
  });

  it('[EN2] get defaults the namespace to "default"; cluster-scoped kinds ignore it', () => {
    const e = new Engine();
    expect(e.get('Service', undefined, 'kubernetes')?.metadata.name).toBe('kubernetes');
    expect(e.get('Node', 'whatever', 'node-a')?.metadata.name).toBe('node-a');
  });

  it('[EN3] advance moves the virtual clock; nothing else does', () => {
    const e = new Engine();
    expect(e.now()).toBe(0);
    e.apply('apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n');
    expect(e.now()).toBe(0);
    e.advance(90);
    expect(e.now()).toBe(90);
    e.advance(-5);
    expect(e.now()).toBe(90);
  });

  it('[EN4] resolvConf and dns answer for a running pod, and say so for an unknown one', () => {
    const e = new Engine();
    e.apply(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n',
    );
    const rc = e.resolvConf('default/p');
    expect('text' in rc && rc.text).toContain('nameserver 10.96.0.10');
    expect('text' in rc && rc.text).toContain(
      'search default.svc.cluster.local svc.cluster.local cluster.local',
    );
    expect(e.resolvConf('default/ghost')).toEqual({ error: 'pod "default/ghost" not found' });
    const r = e.dns('default/p', 'kubernetes.default');
    expect('answers' in r && r.answers.find((a) => a.type === 'A')?.data).toBe('10.96.0.1');
    expect(e.dns('default/ghost', 'x')).toEqual({ error: 'pod "default/ghost" is not running' });
  });

  it('[EN5] http through the ingress controller answers 404 without an Ingress', () => {
    const e = new Engine();
    e.apply(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n',
    );
    const r = e.http({ from: 'external', to: 'ingress', path: '/' });
    expect(r.status).toBe(404);
    expect(r.connect?.delivered).toBe(true);
  });
});

describe('the data plane', () => {
  it('[EN6] a node keeps no conntrack entries and no mesh metrics until the first packet', () => {
    const e = new Engine({ conntrackMax: 7 });
    e.apply(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n',
    );
    expect(e.conntrackTable('node-a')).toEqual({ entries: [], max: 7 });
    expect(e.meshMetrics()).toEqual([]);
    const r = e.connect({ from: 'default/p', to: 'kubernetes.default', port: 443 });
    expect(r.delivered).toBe(true);
    const node = e.get('Pod', 'default', 'p')?.spec as { nodeName?: string } | undefined;
    expect(e.conntrackTable(node?.nodeName ?? '').entries.length).toBeGreaterThan(0);
  });

  it('[EN7] a manifest read beforehand applies as its text does, lines included', () => {
    const text =
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  ports: [{port: 80}]\n  typo: 1\n';
    const fromText = new Engine().apply(text);
    const fromManifest = new Engine().apply(parts().parseYamlDocuments(text));
    expect(fromManifest).toEqual(fromText);
    expect(fromText.errors.map((x) => x.line)).toEqual([10]);
  });
});
