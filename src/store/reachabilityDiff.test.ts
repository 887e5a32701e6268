import { describe, expect, it } from 'vitest';
import { createEngine, type EngineOptions } from '../engine';
import { previewApply, shadowOf } from './dryRun';
import { reachabilityDiff } from './reachabilityDiff';
import { starterLab } from './starterLab';

const denyAll = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: demo
spec:
  podSelector: {}
  policyTypes:
    - Ingress
`;

const allowFrontend = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-frontend
  namespace: demo
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: client
      ports:
        - port: 80
`;

function lab(options: EngineOptions = {}, extra = '') {
  const engine = createEngine(options);
  const r = engine.apply(starterLab.yaml + (extra ? `---\n${extra}` : ''));
  expect(r.errors).toEqual([]);
  return engine;
}

type Engine = ReturnType<typeof createEngine>;
const podRefs = (engine: Engine, namespace?: string) =>
  engine
    .list('Pod', namespace)
    .map((p) => `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`)
    .sort();
const webPods = (engine: Engine) => podRefs(engine, 'demo').filter((r) => r.startsWith('demo/web-'));

describe('reachabilityDiff', () => {
  it('a default-deny policy blocks every connection into the namespace, named by the policy', () => {
    const engine = lab();
    const preview = previewApply(engine, denyAll);
    const diff = preview.reachability;
    expect(diff.enforced).toBe(true);
    const webs = webPods(engine);
    expect(webs).toHaveLength(3);
    // Every pod (the client, the other web pods, CoreDNS, the ingress controller) reaches each web
    // pod on TCP/80 (the containerPort and the Service's targetPort); the client serves no port,
    // so nothing into it is listed.
    const expected = podRefs(engine)
      .flatMap((from) =>
        webs
          .filter((to) => to !== from)
          .map((to) => `${from} → ${to} TCP/80: allowed → blocked (default-deny-ingress)`),
      )
      .sort();
    expect(diff.changes.map((c) => c.text).sort()).toEqual(expected);
    expect(diff.podsNotCompared).toBe(0);
    // The live cluster is untouched.
    expect(engine.list('NetworkPolicy', 'demo')).toEqual([]);
  });

  it('an allow rule opens the connections it matches and names the allowing policy', () => {
    const engine = lab({}, denyAll);
    const diff = previewApply(engine, allowFrontend).reachability;
    const webs = webPods(engine);
    expect(diff.changes.map((c) => c.text)).toEqual(
      webs.map((to) => `demo/client → ${to} TCP/80: blocked → allowed (allow-frontend)`),
    );
  });

  it('deleting the policy turns blocked back into allowed, naming the policy that used to isolate', () => {
    const engine = lab({}, denyAll);
    const after = shadowOf(engine);
    expect(after.delete('NetworkPolicy', 'demo', 'default-deny-ingress')).toEqual({ ok: true });
    const diff = reachabilityDiff(engine, after);
    const webs = webPods(engine);
    expect(diff.changes).toHaveLength((podRefs(engine).length - 1) * 3);
    expect(diff.changes.find((c) => c.from === 'demo/client' && c.to === webs[0])).toEqual({
      from: 'demo/client',
      to: webs[0],
      port: 80,
      protocol: 'TCP',
      before: 'blocked',
      after: 'allowed',
      because: 'no longer isolated by default-deny-ingress',
      text: `demo/client → ${webs[0]} TCP/80: blocked → allowed (no longer isolated by default-deny-ingress)`,
    });
  });

  it('under Flannel no connection changes, whatever the policies say', () => {
    const engine = lab({ cni: 'flannel' });
    const diff = previewApply(engine, denyAll).reachability;
    expect(diff.enforced).toBe(false);
    expect(diff.cni).toMatch(/^Flannel/);
    expect(diff.changes).toEqual([]);
  });

  it('counts the pods a rollout replaces instead of guessing their connections', () => {
    const engine = lab({}, denyAll);
    const relabelled = starterLab.yaml.replace(
      /labels:\n {8}app: web/,
      'labels:\n        app: web\n        tier: front',
    );
    expect(relabelled).not.toBe(starterLab.yaml);
    const diff = previewApply(engine, relabelled).reachability;
    expect(diff.changes).toEqual([]);
    // Three old web pods go, three new ones come.
    expect(diff.podsNotCompared).toBe(6);
  });

  it('reads protocol and port from a named Service targetPort', () => {
    const engine = createEngine();
    const yaml = `apiVersion: v1
kind: Namespace
metadata:
  name: x
---
apiVersion: v1
kind: Pod
metadata:
  name: dns
  namespace: x
  labels:
    app: dns
spec:
  containers:
    - name: d
      image: coredns
      ports:
        - name: dns-udp
          containerPort: 5353
          protocol: UDP
---
apiVersion: v1
kind: Pod
metadata:
  name: a
  namespace: x
spec:
  containers:
    - name: c
      image: busybox
---
apiVersion: v1
kind: Service
metadata:
  name: dns
  namespace: x
spec:
  selector:
    app: dns
  ports:
    - port: 53
      protocol: UDP
      targetPort: dns-udp
`;
    expect(engine.apply(yaml).errors).toEqual([]);
    const diff = previewApply(engine, denyAll.replace('namespace: demo', 'namespace: x')).reachability;
    expect(diff.changes.map((c) => c.text)).toEqual(
      podRefs(engine)
        .filter((r) => r !== 'x/dns')
        .map((from) => `${from} → x/dns UDP/5353: allowed → blocked (default-deny-ingress)`),
    );
  });
});
