import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { podOf, serviceOf } from './fixture';
import { lookup, resolverOptions, searchCandidates } from './stub';
import { testView } from './testCluster';
import type { DnsView } from './types';

const view = testView();
const client = podOf(view, 'shop/client');
const cip = (ref: string): string => serviceOf(view, ref).spec?.clusterIP ?? '';
const SEARCH = ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];
const ndots5 = resolverOptions(['ndots:5']);

describe('glibc stub resolver', () => {
  it('[SR1] a trailing dot sends only the name', () => {
    expect(searchCandidates('web.', SEARCH, ndots5)).toEqual(['web.']);
    const r = lookup(view, client, 'nosuch.', 'A');
    expect([r.rcode, r.queried]).toEqual(['NXDOMAIN', ['nosuch.']]);
  });

  it('[SR2] fewer dots than ndots: search first; at least ndots: as-is first', () => {
    expect(searchCandidates('web', SEARCH, ndots5)).toEqual([
      'web.shop.svc.cluster.local.',
      'web.svc.cluster.local.',
      'web.cluster.local.',
      'web.',
    ]);
    expect(searchCandidates('a.b.c.d.e.f', SEARCH, ndots5)).toEqual([
      'a.b.c.d.e.f.',
      'a.b.c.d.e.f.shop.svc.cluster.local.',
      'a.b.c.d.e.f.svc.cluster.local.',
      'a.b.c.d.e.f.cluster.local.',
    ]);
    // example.com has 1 dot < 5: three wasted cluster queries before the real one.
    const r = lookup(view, client, 'example.com', 'A');
    expect(r.queried).toEqual([
      'example.com.shop.svc.cluster.local.',
      'example.com.svc.cluster.local.',
      'example.com.cluster.local.',
      'example.com.',
    ]);
    expect([r.rcode, r.resolvedName, r.answers[0]?.data]).toEqual([
      'NOERROR',
      'example.com.',
      '93.184.215.14',
    ]);
  });

  it('[SR3] NODATA does not stop the walk; the final result follows res_search', () => {
    // "shop": shop.shop.svc… NXDOMAIN, shop.svc.cluster.local NODATA (namespace), then on.
    const r = lookup(view, client, 'shop', 'A');
    expect(r.queried).toEqual([
      'shop.shop.svc.cluster.local.',
      'shop.svc.cluster.local.',
      'shop.cluster.local.',
      'shop.',
    ]);
    expect([r.rcode, r.answers, r.resolvedName]).toEqual(['NOERROR', [], 'shop.svc.cluster.local.']);
    // As-is first (>= ndots) and failing: its rcode is the result even though later ones differ.
    const ndots1: Pod = {
      ...client,
      spec: { ...client.spec, containers: [], dnsConfig: { options: [{ name: 'ndots', value: '1' }] } },
    };
    const deep = lookup(view, ndots1, 'shop.svc', 'A');
    expect(deep.queried).toEqual([
      'shop.svc.',
      'shop.svc.shop.svc.cluster.local.',
      'shop.svc.svc.cluster.local.',
      'shop.svc.cluster.local.',
    ]);
    expect(deep.steps.map((s) => (s.nodata ? 'NODATA' : s.rcode))).toEqual([
      'NXDOMAIN',
      'NXDOMAIN',
      'NXDOMAIN',
      'NODATA',
    ]);
    expect([deep.rcode, deep.resolvedName]).toEqual(['NXDOMAIN', null]);
    // The answer stops the walk at once.
    const w = lookup(view, client, 'web', 'A');
    expect([w.queried, w.answers.map((a) => a.data)]).toEqual([
      ['web.shop.svc.cluster.local.'],
      [cip('shop/web')],
    ]);
    expect(w.steps[0]).toMatchObject({
      server: '10.96.0.10',
      via: 'coredns',
      rcode: 'NOERROR',
      fromCache: false,
      ttl: 30,
    });
  });

  it('[SR4] ndots and no-tld-query come from options', () => {
    expect(resolverOptions([])).toEqual({ ndots: 1, noTldQuery: false });
    expect(resolverOptions(['ndots:99']).ndots).toBe(15);
    expect(searchCandidates('web', ['a.example'], resolverOptions(['no-tld-query']))).toEqual([
      'web.a.example.',
    ]);
    const p: Pod = {
      ...client,
      spec: { ...client.spec, containers: [], dnsConfig: { options: [{ name: 'ndots', value: '1' }] } },
    };
    expect(lookup(view, p, 'example.com', 'A').queried).toEqual(['example.com.']);
  });

  it('[SR5] Default and host-network ClusterFirst Pods ask the node resolver, which knows no cluster names', () => {
    const host = podOf(view, 'shop/host-pod');
    const r = lookup(view, host, 'web.shop.svc.cluster.local', 'A');
    expect([r.rcode, r.queried]).toEqual(['NXDOMAIN', ['web.shop.svc.cluster.local.']]);
    expect(r.steps[0]).toMatchObject({ server: '172.18.0.1', via: 'node-resolver' });
    const short = lookup(view, host, 'web', 'A');
    expect(short.queried).toEqual(['web.']);
    const ext = lookup(view, host, 'example.com', 'A');
    expect([ext.rcode, ext.answers[0]?.data]).toEqual(['NOERROR', '93.184.215.14']);
    const withNet: Pod = {
      ...host,
      spec: { ...host.spec, containers: [], dnsPolicy: 'ClusterFirstWithHostNet' },
    };
    expect(lookup(view, withNet, 'web.shop.svc.cluster.local', 'A').rcode).toBe('NOERROR');
    const nodeSearch: DnsView = {
      ...view,
      nodeResolvConf: { nameservers: ['172.18.0.1'], search: ['example.com'] },
    };
    expect(lookup(nodeSearch, host, 'www', 'A').queried).toEqual(['www.example.com.']);
  });
});
