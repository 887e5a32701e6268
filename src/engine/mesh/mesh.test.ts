import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../index';
import { mtlsMode as mtlsModeOf } from './config';

const NS = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: enabled
`;
const deploy = (
  name: string,
  version: string,
  image = 'nginx',
  replicas = 2,
  ns = 'shop',
) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web, version: ${version}}
  template:
    metadata:
      labels: {app: web, version: ${version}}
    spec:
      containers:
      - name: app
        image: ${image}
${image === 'busybox' ? "        command: ['sleep', '3600']\n" : ''}`;
const SVC = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
  - port: 80
`;
const CLIENT = (ns = 'shop') => `apiVersion: v1
kind: Pod
metadata:
  name: client
  namespace: ${ns}
spec:
  containers:
  - name: curl
    image: curlimages/curl
    command: ['sleep', '3600']
`;
const DR = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: web
  namespace: shop
spec:
  host: web
  subsets:
  - name: v1
    labels: {version: v1}
  - name: v2
    labels: {version: v2}
`;
const VS = (w1: number, w2: number, extra = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
  namespace: shop
spec:
  hosts: [web]
  http:
  - route:
    - destination: {host: web, subset: v1}
      weight: ${w1}
    - destination: {host: web, subset: v2}
      weight: ${w2}
${extra}`;

function lab(seed = 7, v2Image = 'nginx'): Engine {
  const e = createEngine({ seed });
  const r = e.apply(
    [NS, deploy('web-v1', 'v1'), deploy('web-v2', 'v2', v2Image), SVC, CLIENT(), DR].join('---\n'),
  );
  expect(r.errors).toEqual([]);
  return e;
}

const containers = (e: Engine, ns: string) =>
  e
    .list('Pod', ns)
    .map((p) => ((p.spec as { containers: { name: string }[] }).containers ?? []).map((c) => c.name));

describe('service mesh', () => {
  it('[MS1] a namespace labelled istio-injection=enabled gets istio-proxy in every new pod', () => {
    const e = lab();
    for (const names of containers(e, 'shop')) expect(names).toContain('istio-proxy');
    const pod = e.list('Pod', 'shop')[0];
    expect(pod?.metadata.labels?.['security.istio.io/tlsMode']).toBe('istio');
  });

  it('[MS1] injection happens only at pod creation; the sidecar.istio.io/inject=false label opts out', () => {
    const e = createEngine({ seed: 3 });
    e.apply(['apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n', CLIENT()].join('---\n'));
    e.apply(NS); // label the namespace afterwards
    expect(containers(e, 'shop')).toEqual([['curl']]);
    e.apply(`apiVersion: v1
kind: Pod
metadata:
  name: opted-out
  namespace: shop
  labels: {sidecar.istio.io/inject: "false"}
spec:
  containers:
  - name: app
    image: nginx
`);
    expect(containers(e, 'shop')).toEqual([['curl'], ['app']]);
  });

  it('[MS1] linkerd.io/inject: enabled on the namespace adds linkerd-proxy', () => {
    const e = createEngine({ seed: 3 });
    e.apply(`apiVersion: v1
kind: Namespace
metadata:
  name: ld
  annotations: {linkerd.io/inject: enabled}
---
${CLIENT('ld')}`);
    expect(containers(e, 'ld')).toEqual([['linkerd-proxy', 'curl']]);
  });

  it('[MS2][MS4] a meshed connection passes both sidecars and is encrypted between them', () => {
    const e = lab();
    const r = e.connect({ from: 'shop/client', to: 'web', port: 80, http: { host: 'web', path: '/' } });
    expect(r.delivered).toBe(true);
    const sidecars = r.hops.filter((h) => h.kind === 'sidecar');
    expect(sidecars.map((h) => h.where)).toEqual([
      'shop/client iptables nat OUTPUT (ISTIO_OUTPUT)',
      'shop/client istio-proxy (Envoy) outbound',
      expect.stringMatching(/^shop\/web-v[12]-.* istio-proxy \(Envoy\) inbound :15006$/),
    ]);
    expect(sidecars[0]?.packet.dport).toBe(15001);
    expect(r.hops.find((h) => h.kind === 'pod')?.payload).toContain('GET / HTTP/1.1\r\nHost: web');
    const between = r.hops.filter((h) => h.tls?.mtls);
    expect(between.length).toBeGreaterThan(0);
    for (const h of between) expect(h.payload).toMatch(/^TLS 1\.3 application data \(encrypted\): 17 03 03/);
    expect(r.hops.at(-1)?.payload).toContain('GET / HTTP/1.1');
    // kube-proxy's ClusterIP rules never see it: Envoy dialled the endpoint's address itself.
    expect(r.hops.some((h) => h.kind === 'netfilter' && h.rewrite?.type === 'DNAT')).toBe(false);
  });

  it('[MS4] without a mesh the payload is plaintext on every hop', () => {
    const e = createEngine({ seed: 7 });
    e.apply(
      [
        deploy('web-v1', 'v1', 'nginx', 1, 'default'),
        SVC.replace('namespace: shop', 'namespace: default'),
        CLIENT('default'),
      ].join('---\n'),
    );
    const r = e.connect({ from: 'default/client', to: 'web', port: 80, http: { host: 'web', path: '/' } });
    expect(r.delivered).toBe(true);
    for (const h of r.hops.filter((x) => x.kind !== 'dns')) expect(h.payload).toContain('GET / HTTP/1.1');
    expect(r.hops.some((h) => h.tls)).toBe(false);
  });

  it('[MS3] STRICT refuses plaintext from a pod outside the mesh with a reset; PERMISSIVE accepts it', () => {
    const e = lab();
    e.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: outside\n---\n${CLIENT('outside')}`);
    const permissive = e.connect({ from: 'outside/client', to: 'web.shop', port: 80 });
    expect(permissive.delivered).toBe(true);
    expect(
      e.apply(`apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: shop
spec:
  mtls: {mode: STRICT}
`).errors,
    ).toEqual([]);
    const strict = e.connect({ from: 'outside/client', to: 'web.shop', port: 80 });
    expect(strict.delivered).toBe(false);
    expect(strict.failure).toBe('reset');
    expect(strict.reason).toMatch(/requires mutual TLS \(PeerAuthentication shop\/default STRICT\)/);
    expect(strict.hops.at(-1)?.kind).toBe('drop');
    // Meshed clients still get through: their sidecars speak mTLS.
    expect(e.connect({ from: 'shop/client', to: 'web', port: 80 }).delivered).toBe(true);
  });

  it('[MS3] a workload selector policy beats the namespace policy; the mesh-wide one is the fallback', () => {
    const e = lab();
    e.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: istio-system\n---
apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: v1-open, namespace: shop}
spec:
  selector: {matchLabels: {version: v1}}
  mtls: {mode: PERMISSIVE}
`);
    const d = e.meshData();
    const v1 = d.pods.find((p) => p.endpoint.labels.version === 'v1');
    const v2 = d.pods.find((p) => p.endpoint.labels.version === 'v2');
    expect(e.get('PeerAuthentication', 'istio-system', 'default')?.apiVersion).toBe('security.istio.io/v1');
    expect(v1 && mtlsOf(e, v1.ref)).toEqual({ mode: 'PERMISSIVE', policy: 'shop/v1-open' });
    expect(v2 && mtlsOf(e, v2.ref)).toEqual({ mode: 'STRICT', policy: 'istio-system/default' });
  });

  it('[MS5] 1,000 requests through a 90/10 VirtualService split about 90/10, and replay exactly', () => {
    const run = () => {
      const e = lab(11);
      expect(e.apply(VS(90, 10)).errors).toEqual([]);
      return e.requests({ from: 'shop/client', to: 'web', count: 1000 });
    };
    const a = run();
    if ('error' in a) throw new Error(a.error);
    expect(a.meshed).toBe(true);
    expect(a.virtualService).toBe('shop/web');
    expect((a.bySubset.v1 ?? 0) + (a.bySubset.v2 ?? 0)).toBe(1000);
    expect(a.bySubset.v1).toBeGreaterThan(860);
    expect(a.bySubset.v1).toBeLessThan(940);
    expect(a.successRate).toBe(1);
    expect(run()).toEqual(a);
  });

  it('[MS5] a client without a sidecar ignores the VirtualService: kube-proxy splits by endpoint count', () => {
    const e = lab(11);
    e.apply(VS(100, 0));
    e.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: outside\n---\n${CLIENT('outside')}`);
    const b = e.requests({ from: 'outside/client', to: 'web.shop', count: 400 });
    if ('error' in b) throw new Error(b.error);
    expect(b.meshed).toBe(false);
    const v2 = Object.entries(b.byBackend)
      .filter(([k]) => k.startsWith('shop/web-v2'))
      .reduce((n, [, c]) => n + c, 0);
    expect(v2).toBeGreaterThan(120);
  });

  it('[MS7] a failing subset with retries shows the extra attempts; faults abort without retries', () => {
    const e = lab(5, 'busybox');
    e.apply(VS(50, 50, '    retries: {attempts: 3, retryOn: connect-failure}\n'));
    const b = e.requests({ from: 'shop/client', to: 'web', count: 200 });
    if ('error' in b) throw new Error(b.error);
    const v2 = b.requests.filter((r) => r.subset === 'v2');
    expect(v2.length).toBeGreaterThan(0);
    for (const r of v2) {
      expect(r.attempts).toHaveLength(4);
      expect(r.status).toBe(503);
      expect(r.flag).toBe('UF');
      expect(r.attempts[0]?.reason).toMatch(/upstream connect error/);
    }
    expect(b.retries).toBe(v2.length * 3);
    const f = lab(5);
    f.apply(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  hosts: [web]
  http:
  - fault:
      abort: {httpStatus: 503, percentage: {value: 50}}
    route:
    - destination: {host: web}
`);
    const fb = f.requests({ from: 'shop/client', to: 'web', count: 400 });
    if ('error' in fb) throw new Error(fb.error);
    expect(fb.byStatus['503']).toBeGreaterThan(150);
    expect(fb.requests.every((r) => r.attempts.length <= 1)).toBe(true);
  });

  it('[MS8] meshMetrics accumulates per Service; [MS9] meshCost counts 60 MB per sidecar', () => {
    const e = lab(2);
    e.requests({ from: 'shop/client', to: 'web', count: 100 });
    e.probe((x) => x.requests({ from: 'shop/client', to: 'web', count: 50 }));
    e.requests({ from: 'shop/client', to: 'web', count: 100 });
    const [m] = e.meshMetrics();
    expect(m?.service).toBe('shop/web');
    expect(m?.requests).toBe(200);
    expect(m?.successRate).toBe(1);
    expect(m?.p99Ms).toBeGreaterThanOrEqual(m?.p50Ms ?? 0);
    const cost = e.meshCost();
    expect(cost.sidecars).toBe(5);
    expect(cost.memoryMB).toBe(300);
    expect(cost.addedLatencyMsP90PerRequest).toBe(1.7);
  });

  it('[MS10] the Istio webhook rejects bad weights and retries in its own words', () => {
    const e = lab();
    const bad = e.apply(VS(0, 0));
    expect(bad.errors[0]?.message).toBe(
      'admission webhook "validation.istio.io" denied the request: configuration is invalid: total destination weight = 0',
    );
    const neg = e.apply(VS(-10, 110, '    retries: {attempts: -1}\n'));
    expect(neg.errors[0]?.message).toContain(
      '2 errors occurred:\n\t* attempts cannot be negative\n\t* weight -10 < 0',
    );
    const mode = e.apply(`apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: x, namespace: shop}
spec: {mtls: {mode: STRICTER}}
`);
    expect(mode.errors[0]?.message).toBe(
      'spec.mtls.mode: Unsupported value: "STRICTER": supported values: "UNSET", "DISABLE", "PERMISSIVE", "STRICT"',
    );
    expect(
      e.apply(VS(90, 10).replace('networking.istio.io/v1', 'networking.istio.io/v1beta1')).errors,
    ).toEqual([]);
  });
});

function mtlsOf(e: Engine, ref: string) {
  const d = e.meshData();
  const p = d.pods.find((x) => x.ref === ref);
  if (!p) throw new Error(ref);
  return e.probe(() => mtlsModeOf(d, p, 80));
}
