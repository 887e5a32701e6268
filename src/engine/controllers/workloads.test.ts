// Deployment → ReplicaSet → Pods, the garbage collector, and the kubelet's view of a pod's life:
// the names, owners and addresses a learner sees in `kubectl get pods -o wide`.
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { Engine } from '../engine';
import type { KubeObject } from '../cluster/objects';
import { podTemplateHash } from './deployment';

type P = Pod & KubeObject;
type Rs = ReplicaSet & KubeObject;

const deployment = (replicas: number, image = 'nginx', name = 'web', ns = 'default') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: main
        image: ${image}
`;

const pods = (e: Engine, ns = 'default'): P[] => e.list('Pod', ns) as P[];
const replicaSets = (e: Engine, ns = 'default'): Rs[] => e.list('ReplicaSet', ns) as Rs[];
const ipOf = (p: P | undefined): string | undefined => p?.status?.podIP;

/** The digits 0-9 through rand.SafeEncodeString's alphabet bcdfghjklmnpqrstvwxz2456789. */
const HASH = '[4-9bcdf]{1,10}';
const SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]{5}';

describe('Deployment → ReplicaSet → Pods', () => {
  it('[DP1] the ReplicaSet is <deployment>-<pod-template-hash>, its pods <rs>-<5 chars>, each owned by its controller', () => {
    const e = new Engine();
    expect(e.apply(deployment(3)).errors).toEqual([]);
    const [rs] = replicaSets(e);
    expect(replicaSets(e)).toHaveLength(1);
    expect(rs?.metadata.name).toMatch(new RegExp(`^web-${HASH}$`));
    const hash = rs?.metadata.labels?.['pod-template-hash'];
    expect(rs?.metadata.name).toBe(`web-${hash}`);
    expect(rs?.spec?.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    const dep = e.get('Deployment', 'default', 'web');
    expect(rs?.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Deployment', name: 'web', uid: dep?.metadata.uid, controller: true }),
    ]);
    const ps = pods(e);
    expect(ps).toHaveLength(3);
    for (const p of ps) {
      expect(p.metadata.name).toMatch(new RegExp(`^${rs?.metadata.name}-${SUFFIX}$`));
      expect(p.metadata.generateName).toBe(`${rs?.metadata.name}-`);
      expect(p.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'ReplicaSet',
        uid: rs?.metadata.uid,
        controller: true,
      });
      expect(p.status?.phase).toBe('Running');
    }
  });

  it('[DP1] the hash depends on the template only, not on the seed', () => {
    const a = new Engine({ seed: 1 });
    const b = new Engine({ seed: 99 });
    a.apply(deployment(1));
    b.apply(deployment(1));
    expect(replicaSets(a)[0]?.metadata.name).toBe(replicaSets(b)[0]?.metadata.name);
    expect(podTemplateHash({ a: 1 })).toMatch(new RegExp(`^${HASH}$`));
    expect(podTemplateHash({ a: 1 })).not.toBe(podTemplateHash({ a: 2 }));
  });

  it('[DP2] scaling up adds pods and scaling down removes pods, on the same ReplicaSet', () => {
    const e = new Engine();
    e.apply(deployment(2));
    const rsName = replicaSets(e)[0]?.metadata.name;
    e.apply(deployment(5));
    expect(pods(e)).toHaveLength(5);
    e.apply(deployment(1));
    expect(pods(e)).toHaveLength(1);
    expect(replicaSets(e).map((r) => r.metadata.name)).toEqual([rsName]);
    expect(replicaSets(e)[0]?.spec?.replicas).toBe(1);
    const msgs = e.cluster.events
      .filter((ev) => ev.reason === 'ScalingReplicaSet' && ev.involvedObject.name === 'web')
      .map((ev) => ev.message);
    expect(msgs).toEqual([
      `Scaled up replica set ${rsName} from 0 to 2`,
      `Scaled up replica set ${rsName} from 2 to 5`,
      `Scaled down replica set ${rsName} from 5 to 1`,
    ]);
  });

  it('[DP3] a template change makes a new ReplicaSet; the old one is scaled to 0 and kept', () => {
    const e = new Engine();
    e.apply(deployment(2, 'nginx:1.25'));
    const old = replicaSets(e)[0]?.metadata.name;
    e.apply(deployment(2, 'nginx:1.27'));
    const all = replicaSets(e);
    expect(all).toHaveLength(2);
    const next = all.find((r) => r.metadata.name !== old);
    expect(next?.metadata.name).toMatch(new RegExp(`^web-${HASH}$`));
    expect(all.find((r) => r.metadata.name === old)?.spec?.replicas).toBe(0);
    expect(next?.spec?.replicas).toBe(2);
    expect(next?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const ps = pods(e);
    expect(ps).toHaveLength(2);
    for (const p of ps) expect(p.metadata.name?.startsWith(`${next?.metadata.name}-`)).toBe(true);
  });

  it('[DP4] status counts ready replicas and the Available condition', () => {
    const e = new Engine();
    e.apply(deployment(3));
    const st = e.get('Deployment', 'default', 'web')?.status as {
      replicas: number;
      readyReplicas: number;
      conditions: { type: string; status: string }[];
    };
    expect(st.replicas).toBe(3);
    expect(st.readyReplicas).toBe(3);
    expect(st.conditions.find((c) => c.type === 'Available')?.status).toBe('True');
  });

  it('[RS1] deleting a pod of a Deployment brings a replacement with a new name and a new IP', () => {
    const e = new Engine();
    e.apply(deployment(3));
    const victim = pods(e)[0];
    const name = victim?.metadata.name ?? '';
    const ip = ipOf(victim);
    expect(e.delete('Pod', 'default', name)).toEqual({ ok: true });
    const after = pods(e);
    expect(after).toHaveLength(3);
    expect(after.map((p) => p.metadata.name)).not.toContain(name);
    expect(after.map(ipOf)).not.toContain(ip);
    const created = e.cluster.events.filter((ev) => ev.reason === 'SuccessfulCreate');
    expect(created.at(-1)?.message).toMatch(new RegExp(`^Created pod: web-${HASH}-${SUFFIX}$`));
  });
});

describe('container restarts', () => {
  it('[KL2] restartContainer keeps the pod, its name and its IP, and bumps restartCount', () => {
    const e = new Engine();
    e.apply(deployment(1));
    const p = pods(e)[0];
    const name = p?.metadata.name ?? '';
    expect(e.cluster.restartContainer('default', name)).toEqual({ ok: true });
    e.cluster.settle();
    const after = e.get('Pod', 'default', name) as P | undefined;
    expect(ipOf(after)).toBe(ipOf(p));
    expect(after?.metadata.uid).toBe(p?.metadata.uid);
    expect(after?.status?.containerStatuses?.[0]?.restartCount).toBe(1);
    expect(after?.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(137);
    e.cluster.restartContainer('default', name);
    expect((e.get('Pod', 'default', name) as P).status?.containerStatuses?.[0]?.restartCount).toBe(2);
  });

  it('[EV1] the same event again is counted, not repeated, and moves to the newest, as client-go correlates it', () => {
    const e = new Engine();
    e.apply(deployment(2));
    const [a, b] = pods(e).map((p) => p.metadata.name ?? '');
    e.cluster.restartContainer('default', a ?? '');
    e.advance(5);
    e.cluster.restartContainer('default', b ?? '');
    e.advance(5);
    e.cluster.restartContainer('default', a ?? '');
    const started = e.cluster.events.filter(
      (ev) => ev.reason === 'Started' && (ev.involvedObject.name === a || ev.involvedObject.name === b),
    );
    // Each container started once when its pod came up, then again per restart.
    expect(started.map((ev) => [ev.involvedObject.name, ev.count])).toEqual([
      [b, 2],
      [a, 3],
    ]);
    const again = started.at(-1);
    expect((again?.lastTimestamp ?? 0) - (again?.firstTimestamp ?? 0)).toBe(10);
  });

  it('[KL2] restarting a pod that does not exist is NotFound', () => {
    expect(new Engine().cluster.restartContainer('default', 'nope')).toEqual({
      error: 'Error from server (NotFound): pods "nope" not found',
    });
  });
});

describe('garbage collection', () => {
  it('[GC1] deleting a Deployment deletes its ReplicaSets and their pods', () => {
    const e = new Engine();
    e.apply(deployment(2, 'nginx:1.25'));
    e.apply(deployment(2, 'nginx:1.27'));
    expect(replicaSets(e)).toHaveLength(2);
    expect(e.delete('Deployment', 'default', 'web')).toEqual({ ok: true });
    expect(replicaSets(e)).toEqual([]);
    expect(pods(e)).toEqual([]);
    // The system's own workloads are untouched.
    expect(pods(e, 'kube-system')).toHaveLength(2);
  });

  it('[GC1] deleting a Service deletes its EndpointSlices', () => {
    const e = new Engine();
    e.apply(
      deployment(1) +
        '---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
    );
    expect(
      e.list('EndpointSlice', 'default').map((s) => s.metadata.labels?.['kubernetes.io/service-name']),
    ).toContain('web');
    e.delete('Service', 'default', 'web');
    expect(
      e.list('EndpointSlice', 'default').map((s) => s.metadata.labels?.['kubernetes.io/service-name']),
    ).not.toContain('web');
  });

  it('[GC2] deleting a namespace deletes everything in it', () => {
    const e = new Engine();
    e.apply(
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n' +
        deployment(2, 'nginx', 'cart', 'shop') +
        '---\napiVersion: v1\nkind: Service\nmetadata: {name: cart, namespace: shop}\nspec:\n  selector: {app: cart}\n  ports: [{port: 80}]\n' +
        '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec:\n  podSelector: {}\n',
    );
    expect(pods(e, 'shop')).toHaveLength(2);
    expect(e.delete('Namespace', undefined, 'shop')).toEqual({ ok: true });
    for (const k of ['Pod', 'Deployment', 'ReplicaSet', 'Service', 'EndpointSlice', 'NetworkPolicy'])
      expect(e.list(k, 'shop')).toEqual([]);
    expect(e.get('Namespace', undefined, 'shop')).toBeUndefined();
    expect(pods(e, 'kube-system')).toHaveLength(2);
  });
});

describe('PodGC', () => {
  it('[GC3] pods of a deleted node stay through the 40 s quarantine, then go, and their ReplicaSet replaces them', () => {
    const e = new Engine();
    e.apply(deployment(3));
    const nodeOf = (p: P | undefined) => p?.spec?.nodeName ?? '';
    const victim = pods(e).find((p) => nodeOf(p) !== '');
    const node = nodeOf(victim);
    const orphans = pods(e)
      .filter((p) => nodeOf(p) === node)
      .map((p) => p.metadata.name);
    expect(e.delete('Node', undefined, node)).toEqual({ ok: true });
    e.advance(39);
    expect(
      pods(e)
        .filter((p) => nodeOf(p) === node)
        .map((p) => p.metadata.name),
    ).toEqual(orphans);
    e.advance(1);
    const after = pods(e);
    expect(after.filter((p) => nodeOf(p) === node)).toEqual([]);
    expect(after).toHaveLength(3);
    expect(after.every((p) => p.status?.podIP && nodeOf(p) !== node)).toBe(true);
  });
});
