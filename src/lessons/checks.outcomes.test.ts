// The outcome checks added for the scale, DNS and Ingress lessons ([CK7]–[CK11]), against a real
// engine: each passes exactly when the cluster behaves that way.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine';
import { runKubectl } from '../kubectl';
import { captureTaskStart, describeCheck, evaluateChecks } from './checks';
import { parseLesson } from './parse';
import type { Check } from './types';

const CLIENT = `
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec:
  nodeName: node-a
  containers: [{name: c, image: curlimages/curl, command: [sleep, infinity]}]
`;
const web = (replicas: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
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
const INGRESS = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;

type E = ReturnType<typeof createEngine>;
const one = (engine: E, check: Check) => evaluateChecks(engine, [check], captureTaskStart(engine)).results[0];

describe('outcome checks for Ingress, IP exhaustion, conntrack, kube-proxy rules and ndots', () => {
  it('[CK7] http: an outside request through the Ingress controller reaches the Service its host and path route to', () => {
    const e = createEngine({ seed: 7 });
    e.apply(web(1));
    const check: Check = {
      http: { from: 'external', host: 'shop.example.com', path: '/cart', expectService: 'default/web' },
    };
    expect(one(e, check)?.ok).toBe(false);
    expect(one(e, check)?.detail).toMatch(/expected 200, got 404/);
    e.apply(INGRESS);
    expect(one(e, check)).toMatchObject({ ok: true });
    expect(one(e, check)?.detail).toMatch(/^200 from Service default\/web:80/);
    expect(one(e, { http: { from: 'external', host: 'other.example.com', expectStatus: 404 } })?.ok).toBe(
      true,
    );
    expect(one(e, { http: { ...check.http, expectService: 'default/api' } } as Check)?.ok).toBe(false);
    expect(describeCheck(check)).toBe(
      'HTTP GET http://shop.example.com/cart from a client outside the cluster through the Ingress controller answers 200, served by Service default/web',
    );
  });

  it('[CK8] podPending: pods beyond a node range stay without an IP, with the CNI event', () => {
    const e = createEngine({ seed: 8, nodeCidrMaskSize: 28 });
    const check: Check = {
      podPending: { selector: 'app=web', reasonContains: 'no IP addresses available in range set' },
    };
    e.apply(web(3));
    expect(one(e, check)?.ok).toBe(false);
    e.apply(web(45));
    const r = one(e, check);
    expect(r?.ok).toBe(true);
    expect(r?.detail).toMatch(/failed to allocate for range 0: no IP addresses available in range set/);
    e.apply(web(30));
    expect(one(e, check)?.ok).toBe(false);
  });

  it('[CK9] conntrack: a burst fills a small nf_conntrack_max; the check itself leaves no entry', () => {
    const e = createEngine({ seed: 9, conntrackMax: 6 });
    e.apply(CLIENT + '---' + web(2));
    const full: Check = { conntrack: { node: 'node-a', full: true } };
    expect(one(e, full)?.ok).toBe(false);
    for (let i = 0; i < 3; i++) runKubectl(e, 'kubectl exec client -- curl -s web:80', { files: {} });
    expect(one(e, full)).toMatchObject({
      ok: true,
      detail: '6 of 6 entries: full, new connections are dropped',
    });
    expect(one(e, { connect: { from: 'default/client', to: 'web:80', expect: 'blocked' } })?.ok).toBe(true);
    // A probe connection opened by another check was rolled back.
    expect(e.conntrackTable('node-a').entries).toHaveLength(6);
    expect(one(e, { conntrack: { node: 'node-z', minEntries: 0 } })?.ok).toBe(false);
  });

  it('[CK10] proxyRules: iptables rules grow with Services; IPVS keeps the iptables part small', () => {
    const e = createEngine({ seed: 10 });
    const many = Array.from(
      { length: 20 },
      (_, i) =>
        `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n`,
    ).join('---\n');
    e.apply(web(2) + '---\n' + many);
    const flat: Check = { proxyRules: { node: 'node-a', maxRules: 60 } };
    expect(one(e, flat)?.ok).toBe(false);
    expect(one(e, flat)?.detail).toMatch(/iptables rules .* on node-a \(kube-proxy in iptables mode\)/);
    e.setProxyMode('ipvs');
    expect(one(e, flat)?.ok).toBe(true);
    expect(one(e, flat)?.detail).toMatch(/IPVS virtual servers/);
  });

  it('[CK11] dns maxQueries: ndots:5 walks the search list; a trailing dot or ndots:1 asks once', () => {
    const e = createEngine({ seed: 11 });
    e.apply(CLIENT);
    const once: Check = { dns: { from: 'default/client', name: 'api.example.com', maxQueries: 1 } };
    const r = one(e, once);
    expect(r?.ok).toBe(false);
    expect(r?.detail).toMatch(/after 4 queries \(api\.example\.com\.default\.svc\.cluster\.local\./);
    expect(one(e, { dns: { from: 'default/client', name: 'api.example.com.', maxQueries: 1 } })?.ok).toBe(
      true,
    );
  });

  it('[CK12] connect mtls and reset: sidecars encrypt between pods; STRICT resets a plaintext client', () => {
    const e = createEngine({ seed: 12 });
    e.apply(
      `
apiVersion: v1
kind: Namespace
metadata: {name: bank, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Pod
metadata: {name: ledger, namespace: bank, labels: {app: ledger}}
spec: {nodeName: node-c, containers: [{name: nginx, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: ledger, namespace: bank}
spec: {selector: {app: ledger}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: teller, namespace: bank}
spec: {nodeName: node-a, containers: [{name: c, image: curlimages/curl, command: [sleep, infinity]}]}
` +
        '---' +
        CLIENT,
    );
    const meshed: Check = {
      connect: { from: 'bank/teller', to: 'ledger.bank:80', expect: 'delivered', mtls: true },
    };
    const plain: Check = { connect: { from: 'default/client', to: 'ledger.bank:80', expect: 'reset' } };
    expect(one(e, meshed)?.ok).toBe(true);
    expect(one(e, { connect: { ...meshed.connect, mtls: false } } as Check)?.detail).toBe(
      'the request travelled inside mutual TLS',
    );
    expect(one(e, plain)?.ok).toBe(false);
    e.apply(`
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: bank}
spec: {mtls: {mode: STRICT}}
`);
    expect(one(e, plain)).toMatchObject({ ok: true });
    expect(one(e, plain)?.detail).toMatch(/^reset/);
    expect(describeCheck(plain)).toBe('TCP from default/client to ledger.bank:80 is reset');
  });

  it('[LF3] the new check types and cluster settings are validated', () => {
    const lesson = (cluster: string, check: string) => `
id: 99-x
title: x
summary: x
order: 99
cluster: ${cluster}
steps:
  - title: x
    text: x.md
    task:
      goal: x
      checks: [${check}]
      hints: [x]
      solution: {kubectl: [kubectl get pods]}
quiz: []
`;
    const problems = (c: string, k: string) =>
      parseLesson(lesson(c, k)).problems.map((p) => `${p.path}: ${p.message}`);
    expect(
      problems('{nodeCidrMaskSize: 28, conntrackMax: 64}', '{conntrack: {node: node-a, full: true}}'),
    ).toEqual(['quiz: must be a non-empty list']);
    expect(problems('{nodeCidrMaskSize: 31}', '{proxyRules: {}}')).toEqual([
      'cluster.nodeCidrMaskSize: must be between 17 and 29 (the cluster CIDR is a /16)',
      'steps[0].task.checks[0].proxyRules: give minRules and/or maxRules',
      'quiz: must be a non-empty list',
    ]);
    expect(problems('{}', '{http: {from: external, path: cart, expectStatus: 700}}')).toEqual([
      'steps[0].task.checks[0].http.path: must start with /',
      'steps[0].task.checks[0].http.expectStatus: must be an HTTP status (100–599)',
      'quiz: must be a non-empty list',
    ]);
    expect(problems('{}', '{podPending: {namespace: x}}')).toEqual([
      'steps[0].task.checks[0].podPending.selector: required',
      'quiz: must be a non-empty list',
    ]);
  });
});
