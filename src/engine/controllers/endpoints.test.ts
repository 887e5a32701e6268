// Readiness, EndpointSlices and LoadBalancer addresses: which pods a Service can send traffic to.
import { describe, expect, it } from 'vitest';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { Engine } from '../engine';
import type { KubeObject } from '../cluster/objects';

type P = Pod & KubeObject;

const pod = (name: string, node: string, probe = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: web}
spec:
  nodeName: ${node}
  containers:
  - name: c
    image: nginx
${probe}---
`;
const FAILING_PROBE = '    readinessProbe:\n      exec:\n        command: ["false"]\n';
const CLIENT =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: client}\nspec:\n  nodeName: node-c\n  containers: [{name: c, image: nginx}]\n---\n';
const SERVICE =
  'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n';

const slicesOf = (e: Engine, svc: string): EndpointSlice[] =>
  (e.list('EndpointSlice', 'default') as (EndpointSlice & KubeObject)[]).filter(
    (s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc,
  );

describe('readiness', () => {
  it('[KL3] a readinessProbe that execs false: Running but not Ready (ContainersNotReady)', () => {
    const e = new Engine();
    e.apply(pod('sick', 'node-a', FAILING_PROBE));
    const p = e.get('Pod', 'default', 'sick') as P;
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.podIP).toBeTruthy();
    expect(p.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [c]',
    });
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ ready: false, started: true });
  });

  it('[ES1] the unready pod is in the EndpointSlice with conditions.ready false; the ready one with true', () => {
    const e = new Engine();
    e.apply(pod('well', 'node-a') + pod('sick', 'node-b', FAILING_PROBE) + SERVICE);
    const [slice, ...rest] = slicesOf(e, 'web');
    expect(rest).toEqual([]);
    expect(slice?.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
    const byPod = new Map((slice?.endpoints ?? []).map((ep) => [ep.targetRef?.name, ep]));
    expect(byPod.get('well')?.conditions).toEqual({ ready: true, serving: true, terminating: false });
    expect(byPod.get('sick')?.conditions).toEqual({ ready: false, serving: false, terminating: false });
    expect(byPod.get('sick')?.nodeName).toBe('node-b');
    expect(slice?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'web' });
  });

  it('[ES1] Service traffic never lands on the unready pod', () => {
    const e = new Engine();
    e.apply(CLIENT + pod('well', 'node-a') + pod('sick', 'node-b', FAILING_PROBE) + SERVICE);
    for (let i = 0; i < 30; i++) {
      const r = e.connect({ from: 'default/client', to: 'web', port: 80 });
      expect(r.delivered).toBe(true);
      expect(r.backend).toBe('default/well');
    }
  });

  it('[ES2] publishNotReadyAddresses marks every endpoint ready', () => {
    const e = new Engine();
    e.apply(pod('sick', 'node-b', FAILING_PROBE) + SERVICE + '  publishNotReadyAddresses: true\n');
    const ep = slicesOf(e, 'web')[0]?.endpoints?.[0];
    expect(ep?.conditions).toEqual({ ready: true, serving: false, terminating: false });
  });

  it('[ES3] a Service whose selector matches nothing keeps one empty slice', () => {
    const e = new Engine();
    e.apply(SERVICE);
    const slices = slicesOf(e, 'web');
    expect(slices).toHaveLength(1);
    expect(slices[0]?.endpoints).toEqual([]);
  });

  it('[ES4] a named targetPort resolves per pod; a pod without the port gets no endpoint', () => {
    const e = new Engine();
    e.apply(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: named, labels: {app: web}}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports: [{name: http, containerPort: 8080}]\n---\n' +
        pod('plain', 'node-a') +
        'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n',
    );
    const slices = slicesOf(e, 'web');
    expect(slices).toHaveLength(1);
    expect(slices[0]?.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    expect(slices[0]?.endpoints?.map((ep) => ep.targetRef?.name)).toEqual(['named']);
  });
});

describe('load balancers', () => {
  it('[LB1] a LoadBalancer Service gets an address from the cloud pool; a type change gives it back', () => {
    const e = new Engine();
    const lb = (type: string) =>
      `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: ${type}\n  selector: {app: web}\n  ports: [{port: 80}]\n`;
    e.apply(lb('LoadBalancer'));
    const ip = (e.get('Service', 'default', 'web') as Service & KubeObject).status?.loadBalancer?.ingress?.[0]
      ?.ip;
    expect(ip).toMatch(/^203\.0\.113\.\d+$/);
    const controller = e.get('Service', 'ingress-nginx', 'ingress-nginx-controller') as Service & KubeObject;
    expect(controller.status?.loadBalancer?.ingress?.[0]?.ip).not.toBe(ip);
    e.apply(lb('NodePort'));
    expect(
      (e.get('Service', 'default', 'web') as Service & KubeObject).status?.loadBalancer?.ingress,
    ).toBeUndefined();
  });
});
