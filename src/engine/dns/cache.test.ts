import type { Service } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { DnsCache, KUBEADM_132_CACHE } from './cache';
import { podOf, serviceOf } from './fixture';
import { lookup } from './stub';
import { testView } from './testCluster';
import type { DnsView } from './types';

const view = testView();
const client = podOf(view, 'shop/client');
const FQDN = 'web.shop.svc.cluster.local.';

/** `kubectl delete svc web; kubectl apply` : same name, a new ClusterIP. */
function recreated(v: DnsView, ip: string): DnsView {
  const old = serviceOf(v, 'shop/web');
  const fresh: Service = { ...old, spec: { ...old.spec, clusterIP: ip, clusterIPs: [ip] } };
  return { ...v, services: v.services.map((s) => (s === old ? fresh : s)) };
}

describe('CoreDNS cache 30', () => {
  it('[CA1] answers are kept for min(TTL, 30) with TTLs counted down', () => {
    const cache = new DnsCache();
    const first = lookup(view, client, FQDN, 'A', cache, 100);
    expect(first.steps[0]).toMatchObject({ fromCache: false, ttl: 30 });
    const hit = lookup(view, client, FQDN, 'A', cache, 112.7);
    expect(hit.steps[0]).toMatchObject({ fromCache: true, ttl: 18 });
    expect(hit.answers[0]?.ttl).toBe(18);
    expect(lookup(view, client, FQDN, 'A', cache, 130).steps[0]?.fromCache).toBe(false);
    // Upstream records above the cap are capped; below 5 s they are kept 5 s.
    const c2 = new DnsCache();
    c2.put(
      'long.test.',
      'A',
      {
        rcode: 'NOERROR',
        answers: [{ type: 'A', name: 'long.test.', data: '192.0.2.1', ttl: 3600 }],
        ttl: 3600,
        source: 'forward',
      },
      0,
    );
    c2.put(
      'short.test.',
      'A',
      {
        rcode: 'NOERROR',
        answers: [{ type: 'A', name: 'short.test.', data: '192.0.2.2', ttl: 1 }],
        ttl: 1,
        source: 'forward',
      },
      0,
    );
    expect(c2.entries().map((e) => [e.name, e.ttl])).toEqual([
      ['long.test.', 30],
      ['short.test.', 5],
    ]);
    expect(c2.get('LONG.test', 'A', 29)?.remaining).toBe(1);
    expect(c2.get('long.test.', 'A', 30)).toBeNull();
    expect(c2.entries(10)).toHaveLength(1);
    c2.clear();
    expect(c2.entries()).toEqual([]);
  });

  it('[CA2] a recreated Service answers its old ClusterIP until the TTL runs out', () => {
    const cache = new DnsCache();
    const oldIP = serviceOf(view, 'shop/web').spec?.clusterIP;
    expect(lookup(view, client, 'web', 'A', cache, 0).answers[0]?.data).toBe(oldIP);
    const after = recreated(view, '10.96.0.99');
    const stale = lookup(after, client, 'web', 'A', cache, 20);
    expect([stale.answers[0]?.data, stale.steps[0]?.fromCache]).toEqual([oldIP, true]);
    expect(lookup(after, client, 'web', 'A', cache, 30).answers[0]?.data).toBe('10.96.0.99');
    // Negative caching: asked before it existed, NXDOMAIN sticks for 30 s.
    const neg = new DnsCache();
    const before: DnsView = { ...view, services: view.services.filter((s) => s.metadata?.name !== 'web') };
    expect(lookup(before, client, FQDN, 'A', neg, 0).rcode).toBe('NXDOMAIN');
    expect(lookup(view, client, FQDN, 'A', neg, 29).rcode).toBe('NXDOMAIN');
    expect(lookup(view, client, FQDN, 'A', neg, 30).rcode).toBe('NOERROR');
  });

  it('[CA3] kubeadm v1.32+: cluster.local is never cached, upstream still is', () => {
    const cache = new DnsCache(KUBEADM_132_CACHE);
    lookup(view, client, 'web', 'A', cache, 0);
    const fresh = lookup(recreated(view, '10.96.0.99'), client, 'web', 'A', cache, 1);
    expect(fresh.answers[0]?.data).toBe('10.96.0.99');
    lookup(view, client, 'example.com.', 'A', cache, 0);
    expect(cache.entries().map((e) => e.name)).toEqual(['example.com.']);
  });

  it('[CA4] Pods off cluster DNS bypass the CoreDNS cache', () => {
    const cache = new DnsCache();
    lookup(view, podOf(view, 'shop/host-pod'), 'example.com.', 'A', cache, 0);
    expect(cache.entries()).toEqual([]);
    // An ExternalName chase through the upstream is cached under the target's name as well.
    lookup(view, client, 'ext.shop.svc.cluster.local.', 'A', cache, 0);
    expect(
      cache
        .entries()
        .map((e) => e.name)
        .sort(),
    ).toEqual(['ext.shop.svc.cluster.local.', 'www.example.com.']);
  });
});
