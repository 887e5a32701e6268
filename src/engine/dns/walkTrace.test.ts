// The search-list walk as the packet tracer shows it: the dns hop of a traced connection lists
// every query the Pod's resolver sent, with CoreDNS's answer, through the engine's own cache.
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine';
import { DataPlane } from '../dataPlane';
import { traceConnect, type DatapathKernel } from '../trace/connect';
import type { ConnectRequest, ConnectResult, Hop } from '../trace/types';
import type { IPv4 } from '../net/ip';
import { DnsCache } from './cache';
import { lookup } from './stub';

const LAB = `apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec:
  containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, labels: {app: web}}
spec:
  containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]
---
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;

/**
 * A tracer over the engine's datapath whose resolver hands over the walk's steps: the data plane's own
 * kernel for kube-proxy and conntrack, and glibc's walk through one CoreDNS cache kept across
 * connections, on the engine's virtual clock.
 */
function lab(): { engine: Engine; trace(req: ConnectRequest): ConnectResult } {
  const engine = new Engine();
  expect(engine.apply(LAB + SERVICE).errors).toEqual([]);
  const cache = new DnsCache();
  const plane = new DataPlane(engine);
  const trace = (req: ConnectRequest): ConnectResult => {
    const view = engine.view();
    const kernel = (plane as unknown as { kernel(): DatapathKernel }).kernel();
    return traceConnect(
      view,
      {
        ...kernel,
        resolve: (from, name) => {
          if (!from) return { ip: null, queried: [name], rcode: 'NXDOMAIN' };
          const r = lookup(view.dns, from.pod, name, 'A', cache, engine.now());
          const a = r.answers.find((x) => x.type === 'A');
          return { ip: a ? (a.data as IPv4) : null, queried: r.queried, rcode: r.rcode, steps: r.steps };
        },
      },
      req,
    );
  };
  return { engine, trace };
}

const dnsHop = (r: ConnectResult): Hop | undefined => r.hops.find((h) => h.kind === 'dns');

describe('the dns hop of a traced connection', () => {
  it('[SR6] example.com (1 dot < ndots:5) walks the search list: three NXDOMAINs, then NOERROR', () => {
    const { trace } = lab();
    const r = trace({ from: 'default/client', to: 'example.com', port: 80 });
    expect(r.delivered).toBe(true);
    const hop = dnsHop(r);
    expect(hop?.queries?.map((q) => `${q.name} ${q.rcode}`)).toEqual([
      'example.com.default.svc.cluster.local. NXDOMAIN',
      'example.com.svc.cluster.local. NXDOMAIN',
      'example.com.cluster.local. NXDOMAIN',
      'example.com. NOERROR',
    ]);
    expect(hop?.queries?.at(-1)?.address).toBe('93.184.215.14');
    expect(hop?.queries?.slice(0, 3).every((q) => q.address === undefined && !q.nodata)).toBe(true);
    expect(hop?.what).toContain('3 queries without an answer first');
  });

  it('[SR6] a trailing dot sends one query; a Service in the namespace answers the first', () => {
    const { trace } = lab();
    const abs = dnsHop(trace({ from: 'default/client', to: 'example.com.', port: 80 }));
    expect(abs?.queries?.map((q) => q.name)).toEqual(['example.com.']);
    const svc = dnsHop(trace({ from: 'default/client', to: 'web', port: 80 }));
    expect(svc?.queries?.map((q) => `${q.name} ${q.rcode}`)).toEqual([
      'web.default.svc.cluster.local. NOERROR',
    ]);
  });

  it('[SR6][CA1] a repeated walk is served from the cache, TTLs counted down', () => {
    const { engine, trace } = lab();
    trace({ from: 'default/client', to: 'example.com', port: 80 });
    engine.advance(10);
    const q = dnsHop(trace({ from: 'default/client', to: 'example.com', port: 80 }))?.queries ?? [];
    expect(q).toHaveLength(4);
    expect(q.every((x) => x.fromCache)).toBe(true);
    // `cache 30` caps every answer (upstream TTL 300, negative 900) at 30 s; 10 s have passed.
    expect(q.map((x) => x.ttl)).toEqual([20, 20, 20, 20]);
  });

  it('[SR6][CA2] after a Service is recreated the cache serves the old ClusterIP until its TTL runs out', () => {
    const { engine, trace } = lab();
    const first = trace({ from: 'default/client', to: 'web', port: 80 });
    expect(first.delivered).toBe(true);
    const oldIP = dnsHop(first)?.queries?.[0]?.address;
    expect(engine.delete('Service', 'default', 'web')).toEqual({ ok: true });
    expect(engine.apply(SERVICE).errors).toEqual([]);
    const newIP = (engine.get('Service', 'default', 'web') as { spec?: { clusterIP?: string } }).spec
      ?.clusterIP;
    expect(newIP).not.toBe(oldIP);

    engine.advance(29);
    const stale = trace({ from: 'default/client', to: 'web', port: 80 });
    expect(dnsHop(stale)?.queries?.[0]).toMatchObject({ address: oldIP, fromCache: true, ttl: 1 });
    // No kube-proxy rule matches the old address any more: nothing answers there.
    expect(stale.delivered).toBe(false);

    engine.advance(1);
    const fresh = trace({ from: 'default/client', to: 'web', port: 80 });
    expect(dnsHop(fresh)?.queries?.[0]).toMatchObject({ address: newIP, fromCache: false });
    expect(fresh.delivered).toBe(true);
  });
});
