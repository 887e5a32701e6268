import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine';
import { captureTaskStart, describeCheck, evaluateChecks, selectorMatches } from './checks';
import type { Check } from './types';

const CLIENT = `
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec: {containers: [{name: c, image: curlimages/curl, command: [sleep, infinity]}]}
`;
const WEB = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
`;
const DENY = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: default}
spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}
`;

function cluster() {
  const engine = createEngine({ seed: 3 });
  expect(engine.apply(CLIENT).errors).toEqual([]);
  return engine;
}
const one = (engine: ReturnType<typeof cluster>, check: Check, start = captureTaskStart(engine)) =>
  evaluateChecks(engine, [check], start).results[0];

describe('checks', () => {
  it('[CK1] connect: delivered / refused / nxdomain follow what the cluster does, not commands', () => {
    const e = cluster();
    const c: Check = { connect: { from: 'default/client', to: 'web:80', expect: 'delivered' } };
    expect(one(e, c)?.ok).toBe(false);
    expect(one(e, { connect: { from: 'default/client', to: 'web:80', expect: 'nxdomain' } })?.ok).toBe(true);
    e.apply(WEB);
    expect(one(e, c)?.ok).toBe(true);
    expect(one(e, c)?.detail).toMatch(/^delivered to default\/web-/);
    // Nothing listens on 81 in an nginx pod: the kernel answers with a reset.
    const refused = one(e, {
      connect: { from: 'default/client', to: { pod: { selector: 'app=web' } }, port: 81, expect: 'refused' },
    });
    expect(refused?.ok).toBe(true);
  });

  it('[CK1] connect: blocked with decidedByPolicy names the policy; a selector picks the source pod', () => {
    const e = cluster();
    e.apply(WEB + '---' + DENY);
    const c: Check = {
      connect: { from: { selector: 'app=client' }, to: 'web:80', expect: 'blocked', decidedByPolicy: true },
    };
    const r = one(e, c);
    expect(r?.ok).toBe(true);
    expect(r?.detail).toContain('default/deny');
    expect(
      one(e, { connect: { from: { selector: 'app=nobody' }, to: 'web:80', expect: 'blocked' } })?.detail,
    ).toBe('no running pod labelled app=nobody in default');
  });

  it('[CK1] connect: sourceIP and tunnel describe the packet (Flannel VXLAN, no pod-to-pod NAT)', () => {
    const e = createEngine({ cni: 'flannel', seed: 2 });
    e.apply(`
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {nodeName: node-a, containers: [{name: c, image: curlimages/curl}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec: {nodeName: node-b, containers: [{name: c, image: nginx}]}
`);
    const check: Check = {
      connect: {
        from: 'default/a',
        to: { pod: 'default/b' },
        port: 80,
        expect: 'delivered',
        sourceIP: 'client',
        tunnel: true,
      },
    };
    expect(one(e, check)?.ok).toBe(true);
    e.setCni('calico');
    expect(one(e, check)?.detail).toBe('the packet crossed no tunnel');
  });

  it('[CK1] connect: attempts and minBackends count distinct answering pods', () => {
    const e = cluster();
    e.apply(WEB);
    const c = (minBackends: number): Check => ({
      connect: { from: 'default/client', to: 'web:80', expect: 'delivered', attempts: 20, minBackends },
    });
    expect(one(e, c(2))?.ok).toBe(true);
    expect(one(e, c(3))?.ok).toBe(false);
  });

  it('[CK2] serviceReady counts ready endpoints only; percent is the share of passing checks', () => {
    const e = cluster();
    e.apply(`
apiVersion: v1
kind: Pod
metadata: {name: unready, labels: {app: x}}
spec: {containers: [{name: c, image: nginx, readinessProbe: {exec: {command: ["false"]}}}]}
---
apiVersion: v1
kind: Service
metadata: {name: x}
spec: {selector: {app: x}, ports: [{port: 80}]}
`);
    const report = evaluateChecks(
      e,
      [
        { serviceReady: { name: 'x' } },
        { serviceReady: { name: 'x', minReadyEndpoints: 0, maxReadyEndpoints: 0 } },
        { exists: { kind: 'Pod', name: 'unready' } },
      ],
      captureTaskStart(e),
    );
    expect(report.results.map((r) => r.ok)).toEqual([false, true, true]);
    expect(report.percent).toBe(66);
  });

  it('[CK3] podIPChanged and serviceIPStable compare with the state recorded when the task started', () => {
    const e = cluster();
    e.apply(WEB);
    const start = captureTaskStart(e);
    const checks: Check[] = [
      { podIPChanged: { selector: 'app=web' } },
      { serviceIPStable: { name: 'web' } },
      { podIPChanged: { pod: 'default/client' } },
    ];
    expect(evaluateChecks(e, checks, start).results.map((r) => r.ok)).toEqual([false, true, false]);
    const victim = e.list('Pod').find((p) => p.metadata?.labels?.app === 'web')?.metadata?.name ?? '';
    expect(e.delete('Pod', 'default', victim)).toEqual({ ok: true });
    expect(evaluateChecks(e, checks, start).results.map((r) => r.ok)).toEqual([true, true, false]);
    e.delete('Pod', 'default', 'client');
    e.apply(CLIENT);
    expect(evaluateChecks(e, checks, start).results[2]?.ok).toBe(true);
  });

  it('[CK1] dns, cni, proxyMode, absent', () => {
    const e = cluster();
    e.apply(WEB);
    const start = captureTaskStart(e);
    const r = evaluateChecks(
      e,
      [
        { dns: { from: 'default/client', name: 'web', expectAnswer: { service: 'default/web' } } },
        { dns: { from: 'default/client', name: 'nope', expectRcode: 'NXDOMAIN' } },
        { cni: 'calico' },
        { proxyMode: 'ipvs' },
        { absent: { kind: 'Service', name: 'nope' } },
      ],
      start,
    );
    expect(r.results.map((x) => x.ok)).toEqual([true, true, true, false, true]);
  });

  it('[CK4] probing leaves no trace: no cached NXDOMAIN, no conntrack entries, the same random choices', () => {
    const probed = cluster();
    const quiet = cluster();
    const check: Check = {
      connect: { from: 'default/client', to: 'web:80', expect: 'delivered', attempts: 5 },
    };
    // Polled before the Service exists: a cached NXDOMAIN would break the learner's next curl.
    for (let i = 0; i < 3; i++) expect(one(probed, check)?.ok).toBe(false);
    probed.apply(WEB);
    quiet.apply(WEB);
    for (let i = 0; i < 3; i++) expect(one(probed, check)?.ok).toBe(true);
    expect(probed.conntrackTable('node-a')).toEqual(quiet.conntrackTable('node-a'));
    const a = probed.connect({ from: 'default/client', to: 'web', port: 80 });
    const b = quiet.connect({ from: 'default/client', to: 'web', port: 80 });
    expect(a.delivered).toBe(true);
    expect([a.backend, a.clientIP, a.hops.length]).toEqual([b.backend, b.clientIP, b.hops.length]);
    expect(probed.list('Pod').map((p) => p.metadata?.name)).toEqual(
      quiet.list('Pod').map((p) => p.metadata?.name),
    );
  });

  it('[CK5] labels are generated from the check, and a label field replaces them', () => {
    expect(describeCheck({ serviceReady: { name: 'web' } })).toBe(
      'Service default/web has at least 1 ready endpoint',
    );
    expect(
      describeCheck({
        connect: { from: 'external', to: 'web:80', expect: 'blocked', decidedByPolicy: true },
      }),
    ).toBe('TCP from a client outside the cluster to web:80 is blocked (by a NetworkPolicy)');
    expect(describeCheck({ label: 'Mine', cni: 'calico' })).toBe('Mine');
  });

  it('[CK6] equality-based selectors', () => {
    expect(selectorMatches('app=web,tier!=db', { app: 'web' })).toBe(true);
    expect(selectorMatches('app=web,tier', { app: 'web' })).toBe(false);
    expect(selectorMatches('!canary', { app: 'web' })).toBe(true);
  });
});
