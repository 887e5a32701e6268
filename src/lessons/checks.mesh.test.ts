// The mesh checks: `sidecar` and `requests` ([CK13], [CK14]) against a real engine with Istio objects.
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine';
import { captureTaskStart, describeCheck, evaluateCheck } from './checks';
import { parseLesson } from './parse';
import type { Check } from './types';

const deploy = (version: string, image = 'nginx') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web-${version}, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web, version: ${version}}}
  template:
    metadata: {labels: {app: web, version: ${version}}}
    spec:
      containers:
      - name: app
        image: ${image}
${image === 'busybox' ? '        command: [sleep, infinity]\n' : ''}`;

const BASE = [
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
  deploy('v1'),
  deploy('v2'),
  'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: shop, labels: {app: client}}\nspec:\n  containers: [{name: curl, image: curlimages/curl, command: [sleep, infinity]}]\n',
].join('---\n');

const DR = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: shop}
spec:
  host: web
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
`;
const VS = (w1: number, w2: number, extra = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  hosts: [web]
  http:
  - route:
    - {destination: {host: web, subset: v1}, weight: ${w1}}
    - {destination: {host: web, subset: v2}, weight: ${w2}}
${extra}`;

/** A shop namespace created with injection on, so every pod has istio-proxy from the start. */
function meshed(): Engine {
  const e = createEngine({ seed: 21 });
  const r = e.apply(
    BASE.replace('metadata: {name: shop}', 'metadata: {name: shop, labels: {istio-injection: enabled}}'),
  );
  expect(r.errors).toEqual([]);
  return e;
}

const run = (e: Engine, check: Check) => evaluateCheck(e, check, captureTaskStart(e));

describe('mesh checks', () => {
  it('[CK13] sidecar fails for pods created before injection was enabled, and passes once they are replaced', () => {
    const e = createEngine({ seed: 21 });
    expect(e.apply(BASE).errors).toEqual([]);
    const check: Check = { sidecar: { selector: 'app=web', namespace: 'shop' } };
    e.apply('apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {istio-injection: enabled}}\n');
    const before = run(e, check);
    expect(before.ok).toBe(false);
    expect(before.detail).toMatch(/^4 of 4 pods without istio-proxy: web-v1-/);
    for (const p of e.list('Pod', 'shop').filter((o) => o.metadata.labels?.app === 'web'))
      e.delete('Pod', 'shop', p.metadata.name ?? '');
    const after = run(e, check);
    expect(after).toEqual({
      ok: true,
      label: 'Every running pod labelled app=web in shop has the istio-proxy sidecar',
      detail: '4 of 4 pods have istio-proxy',
    });
    expect(run(e, { sidecar: { selector: 'app=web', namespace: 'shop', proxy: 'linkerd-proxy' } }).ok).toBe(
      false,
    );
    expect(run(e, { sidecar: { selector: 'app=nothing', namespace: 'shop' } }).detail).toBe(
      'no running pod labelled app=nothing in shop',
    );
  });

  it('[CK14] requests measures a 90/10 split by subset, and a split the route does not make fails', () => {
    const e = meshed();
    e.apply([DR, VS(90, 10)].join('---\n'));
    const check: Check = {
      requests: {
        from: 'shop/client',
        to: 'web',
        count: 400,
        bySubset: { v1: 0.9, v2: 0.1 },
        tolerance: 0.04,
        minSuccessRate: 1,
      },
    };
    const r = run(e, check);
    expect(r.ok).toBe(true);
    expect(r.detail).toMatch(/^400 requests through the sidecar: v1 3\d\d, v2 \d\d; 400× 200; success 100%/);
    expect(describeCheck(check)).toBe(
      '400 HTTP requests from shop/client to web: split v1 90% / v2 10% (±4%); succeed at least 100%',
    );
    e.apply(VS(50, 50));
    const half = run(e, check);
    expect(half.ok).toBe(false);
    expect(half.detail).toMatch(/^subset v1 got 4\d\.\d+%|^subset v1 got [45]\d%/);
  });

  it('[CK14][CK4] requests leaves no trace: same batch every time, no metrics, the lab rng untouched', () => {
    const e = meshed();
    e.apply([DR, VS(90, 10)].join('---\n'));
    const check: Check = { requests: { from: 'shop/client', to: 'web', count: 200, minSuccessRate: 0 } };
    const a = run(e, check);
    const b = run(e, check);
    expect(b).toEqual(a);
    expect(e.meshMetrics()).toEqual([]);
    const twin = meshed();
    twin.apply([DR, VS(90, 10)].join('---\n'));
    const direct = (x: Engine) => x.requests({ from: 'shop/client', to: 'web', count: 50 });
    expect(direct(e)).toEqual(direct(twin));
  });

  it('[CK14] retries and faults: a broken subset is retried and still fails; a fault abort is never retried', () => {
    const e = createEngine({ seed: 21 });
    e.apply(
      [
        BASE.replace('metadata: {name: shop}', 'metadata: {name: shop, labels: {istio-injection: enabled}}'),
        deploy('v3', 'busybox'),
        DR.replace('  - {name: v2', '  - {name: v3, labels: {version: v3}}\n  - {name: v2'),
      ].join('---\n'),
    );
    e.apply(
      VS(90, 10, '    retries: {attempts: 3, retryOn: connect-failure}\n').replace(
        'subset: v2',
        'subset: v3',
      ),
    );
    const broken = run(e, {
      requests: { from: 'shop/client', to: 'web', count: 400, maxSuccessRate: 0.95, minRetries: 30 },
    });
    expect(broken.ok).toBe(true);
    expect(broken.detail).toMatch(/× 503/);
    e.apply(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  hosts: [web]
  http:
  - fault: {abort: {httpStatus: 503, percentage: {value: 10}}}
    retries: {attempts: 3, retryOn: 503}
    route:
    - destination: {host: web, subset: v1}
`);
    const fault: Check = {
      requests: {
        from: 'shop/client',
        to: 'web',
        count: 400,
        minSuccessRate: 0.85,
        maxSuccessRate: 0.95,
        maxRetries: 0,
      },
    };
    expect(run(e, fault).ok).toBe(true);
    expect(
      run(e, { requests: { from: 'shop/client', to: 'web', count: 400, minRetries: 1 } }).detail,
    ).toMatch(/^0 retries, fewer than 1/);
  });

  it('[CK14] requests reports a latency bound and an unreachable source in words', () => {
    const e = meshed();
    const slow = run(e, { requests: { from: 'shop/client', to: 'web', count: 100, maxP99Ms: 0.5 } });
    expect(slow.ok).toBe(false);
    expect(slow.detail).toMatch(/^p99 \d+(\.\d+)? ms is above 0\.5 ms/);
    expect(run(e, { requests: { from: 'shop/nobody', to: 'web', count: 5, minSuccessRate: 1 } }).detail).toBe(
      'pod shop/nobody does not exist',
    );
    expect(run(e, { requests: { from: 'shop/client', to: 'nowhere', count: 5, minSuccessRate: 1 } }).ok).toBe(
      false,
    );
  });

  it('[LF2][LF3] sidecar and requests are parsed strictly', () => {
    const lesson = (checks: string) => `id: 99-x
title: x
summary: x
order: 99
steps:
  - title: s
    text: s.md
    task:
      goal: g
      checks:
${checks}
      hints: [h]
      solution: {yaml: s.yaml}
quiz: []
`;
    const problems = (checks: string) =>
      parseLesson(lesson(checks)).problems.filter((p) => p.path?.includes('checks'));
    expect(problems('        - sidecar: {selector: app=web, namespace: shop, proxy: istio-proxy}')).toEqual(
      [],
    );
    expect(problems('        - sidecar: {selector: app=web, proxy: envoy}').map((p) => p.message)).toEqual([
      'must be istio-proxy or linkerd-proxy',
    ]);
    expect(
      problems(
        '        - requests: {from: shop/client, to: web, count: 400, bySubset: {v1: 0.9, v2: 0.1}, tolerance: 0.04}',
      ),
    ).toEqual([]);
    const bad = problems(
      '        - requests: {from: shop/client, to: "web/x", count: 0, bySubset: {v1: 90}, minSuccessRate: 1.5, speed: 3}',
    ).map((p) => `${p.path ?? ''}: ${p.message}`);
    expect(bad).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/requests\.speed: unknown field/),
        expect.stringMatching(/requests\.to: "web\/x" must be a Service name/),
        expect.stringMatching(/requests\.count: must be between 1 and 5000/),
        expect.stringMatching(/requests\.bySubset\.v1: must be a number from 0 to 1/),
        expect.stringMatching(/requests\.minSuccessRate: must be a number from 0 to 1/),
      ]),
    );
    expect(
      problems('        - requests: {from: shop/client, to: web, count: 10}').map((p) => p.message),
    ).toEqual(['give at least one expectation (bySubset, min/maxSuccessRate, min/maxRetries, maxP99Ms)']);
  });
});
