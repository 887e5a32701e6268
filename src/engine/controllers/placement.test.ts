// Where pods land and which addresses they get: kube-scheduler, node IPAM, host-local IPAM.
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { Engine } from '../engine';
import type { KubeObject } from '../cluster/objects';
import { hostLocalRange } from './kubelet';

type P = Pod & KubeObject;

const pod = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
${extra}  containers:
  - name: c
    image: nginx
---
`;

const deployment = (replicas: number, name = 'web') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: nginx}]
`;

const getPod = (e: Engine, name: string, ns = 'default'): P | undefined =>
  e.get('Pod', ns, name) as P | undefined;
const podCIDRs = (e: Engine): (string | undefined)[] =>
  e.list('Node').map((n) => (n as Node & KubeObject).spec?.podCIDR);

describe('scheduler', () => {
  it('[SC1] a pod with spec.nodeName is bound there and not scheduled again', () => {
    const e = new Engine();
    e.apply(pod('pinned', '  nodeName: node-c\n'));
    expect(getPod(e, 'pinned')?.spec?.nodeName).toBe('node-c');
    expect(
      e.cluster.events.some((ev) => ev.reason === 'Scheduled' && ev.involvedObject.name === 'pinned'),
    ).toBe(false);
  });

  it('[SC2] nodeSelector: the pod goes to a node with the label', () => {
    const e = new Engine();
    e.apply('apiVersion: v1\nkind: Node\nmetadata:\n  name: node-d\n  labels: {disk: ssd}\n');
    e.apply(pod('db', '  nodeSelector: {disk: ssd}\n'));
    expect(getPod(e, 'db')?.spec?.nodeName).toBe('node-d');
    e.apply(pod('any', '  nodeSelector: {kubernetes.io/hostname: node-b}\n'));
    expect(getPod(e, 'any')?.spec?.nodeName).toBe('node-b');
  });

  it('[SC2] no node matches: Pending, PodScheduled False Unschedulable, and a FailedScheduling event', () => {
    const e = new Engine();
    e.apply(pod('db', '  nodeSelector: {disk: ssd}\n'));
    const p = getPod(e, 'db');
    expect(p?.spec?.nodeName).toBeUndefined();
    expect(p?.status?.phase).toBe('Pending');
    expect(p?.status?.podIP).toBeUndefined();
    expect(p?.status?.conditions).toEqual([
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }),
    ]);
    const ev = e.cluster.events.filter(
      (x) => x.reason === 'FailedScheduling' && x.involvedObject.name === 'db',
    );
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({
      type: 'Warning',
      source: 'default-scheduler',
      message:
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    });
  });

  it('[SC3] replicas of one Deployment spread over the nodes', () => {
    const e = new Engine();
    e.apply(deployment(6));
    const perNode = new Map<string, number>();
    for (const p of e.list('Pod', 'default') as P[])
      perNode.set(p.spec?.nodeName ?? '', (perNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
    expect([...perNode.entries()].sort()).toEqual([
      ['node-a', 2],
      ['node-b', 2],
      ['node-c', 2],
    ]);
  });

  it('[SC4] an unready or unschedulable node gets no pods', () => {
    const e = new Engine({ nodes: ['node-a'] });
    e.apply('apiVersion: v1\nkind: Node\nmetadata: {name: node-b}\nspec:\n  unschedulable: true\n');
    e.apply(deployment(4));
    for (const p of e.list('Pod', 'default') as P[]) expect(p.spec?.nodeName).toBe('node-a');
  });
});

describe('node IPAM', () => {
  it('[IP1] each node gets the next /24 of 10.244.0.0/16 in order', () => {
    expect(podCIDRs(new Engine())).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    const node = new Engine().list('Node')[0] as Node & KubeObject;
    expect(node.spec?.podCIDRs).toEqual(['10.244.0.0/24']);
  });

  it('[IP1] a Node applied later gets the next free range and the next node address', () => {
    const e = new Engine();
    expect(e.apply('apiVersion: v1\nkind: Node\nmetadata: {name: node-d}\n').results[0]?.result).toBe(
      'created',
    );
    const d = e.get('Node', undefined, 'node-d') as Node & KubeObject;
    expect(d.spec?.podCIDR).toBe('10.244.3.0/24');
    expect(d.status?.addresses?.find((a) => a.type === 'InternalIP')?.address).toBe('172.18.0.5');
    expect(
      e.cluster.events.some(
        (ev) =>
          ev.reason === 'CIDRAssignmentSucceeded' &&
          ev.message === 'Node node-d was assigned podCIDR 10.244.3.0/24',
      ),
    ).toBe(true);
  });

  it('[IP1] nodeCidrMaskSize sets the size of each node range', () => {
    expect(podCIDRs(new Engine({ nodeCidrMaskSize: 28 }))).toEqual([
      '10.244.0.0/28',
      '10.244.0.16/28',
      '10.244.0.32/28',
    ]);
  });
});

describe('host-local IPAM', () => {
  it('[KL1] the range skips the gateway: .1 is the bridge, pods start at .2 and end before broadcast', () => {
    expect(hostLocalRange('10.244.0.0/24')).toEqual({
      first: expect.any(Number),
      last: expect.any(Number),
      text: '10.244.0.1-10.244.0.254',
    });
    expect(hostLocalRange('10.244.0.0/28')?.text).toBe('10.244.0.1-10.244.0.14');
    const e = new Engine({ nodes: ['node-a'] });
    for (const p of e.list('Pod') as P[]) {
      const last = Number(p.status?.podIP?.split('.')[3]);
      expect(last).toBeGreaterThanOrEqual(2);
      expect(last).toBeLessThanOrEqual(254);
    }
  });

  it('[KL1] allocation continues after the last reserved address, so a replaced pod gets a new IP', () => {
    const e = new Engine({ nodes: ['node-a'] });
    e.apply(pod('a') + pod('b'));
    const ipA = getPod(e, 'a')?.status?.podIP;
    const ipB = getPod(e, 'b')?.status?.podIP;
    e.delete('Pod', 'default', 'a');
    e.apply(pod('a'));
    const again = getPod(e, 'a')?.status?.podIP;
    expect(again).not.toBe(ipA);
    expect(Number(again?.split('.')[3])).toBe(Number(ipB?.split('.')[3]) + 1);
  });

  it('[KL1] a /28 holds 13 pods; the 14th stays Pending with FailedCreatePodSandBox until an address is freed', () => {
    const e = new Engine({ nodes: ['node-a'], nodeCidrMaskSize: 28 });
    const system = (e.list('Pod') as P[]).length; // coredns ×2 and the ingress controller
    let yaml = '';
    for (let i = 0; i < 14 - system; i++) yaml += pod(`p${String(i).padStart(2, '0')}`);
    e.apply(yaml);
    const all = e.list('Pod') as P[];
    expect(all).toHaveLength(14);
    const withIP = all.filter((p) => p.status?.podIP);
    expect(withIP).toHaveLength(13);
    expect(new Set(withIP.map((p) => p.status?.podIP)).size).toBe(13);
    const pending = all.filter((p) => !p.status?.podIP);
    expect(pending).toHaveLength(1);
    const stuck = pending[0];
    expect(stuck?.status?.phase).toBe('Pending');
    expect(stuck?.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
    const ev = e.cluster.events.find(
      (x) => x.reason === 'FailedCreatePodSandBox' && x.involvedObject.name === stuck?.metadata.name,
    );
    expect(ev?.type).toBe('Warning');
    expect(ev?.message).toContain(
      'failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.14',
    );
    expect(ev?.message).toMatch(
      /^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{8}": plugin type="calico" failed \(add\): /,
    );

    const freed = withIP.find((p) => p.metadata.namespace === 'default');
    e.delete('Pod', 'default', freed?.metadata.name ?? '');
    const now = getPod(e, stuck?.metadata.name ?? '');
    expect(now?.status?.podIP).toBe(freed?.status?.podIP);
    expect(now?.status?.phase).toBe('Running');
  });
});
