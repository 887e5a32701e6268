import { describe, expect, it } from 'vitest';
import { KUBERNETES_TTL, serverAnswer, upstreamAnswer } from './coredns';
import { DNS_SERVICE_IP, podOf, serviceOf } from './fixture';
import { testView } from './testCluster';
import type { DnsRecord, DnsView } from './types';

const view = testView();
const ip = (ref: string): string => podOf(view, ref).status?.podIP ?? '';
const cip = (ref: string): string => serviceOf(view, ref).spec?.clusterIP ?? '';
const dashed = (ref: string): string => ip(ref).replaceAll('.', '-');
const rev = (a: string): string => `${a.split('.').reverse().join('.')}.in-addr.arpa.`;
const data = (rs: readonly DnsRecord[]): string[] => rs.map((r) => `${r.type} ${r.data}`).sort();
const srv = (rs: readonly DnsRecord[]): string[] => rs.map((r) => `${r.port} ${r.target}`).sort();

describe('CoreDNS kubernetes plugin', () => {
  it('[CD1] names outside the zones go upstream; case folds; answers echo the question', () => {
    const a = serverAnswer(view, 'WEB.Shop.svc.cluster.local.', 'A');
    expect(a.source).toBe('kubernetes');
    expect(a.answers).toEqual([
      { type: 'A', name: 'WEB.Shop.svc.cluster.local.', data: cip('shop/web'), ttl: 30 },
    ]);
    const u = serverAnswer(view, 'example.com.', 'A');
    expect(u.source).toBe('forward');
    expect(data(u.answers)).toEqual(['A 93.184.215.14']);
  });

  it('[CD2] a ClusterIP Service answers its ClusterIP', () => {
    expect(data(serverAnswer(view, 'web.shop.svc.cluster.local.', 'A').answers)).toEqual([
      `A ${cip('shop/web')}`,
    ]);
    expect(data(serverAnswer(view, 'kubernetes.default.svc.cluster.local.', 'A').answers)).toEqual([
      'A 10.96.0.1',
    ]);
  });

  it('[CD3] headless: ready endpoints only; publishNotReadyAddresses publishes all; none ready is NXDOMAIN', () => {
    const db = serverAnswer(view, 'db.shop.svc.cluster.local.', 'A');
    expect(data(db.answers)).toEqual([`A ${ip('shop/db-0')}`, `A ${ip('shop/db-1')}`].sort());
    const all = serverAnswer(view, 'db-all.shop.svc.cluster.local.', 'A');
    expect(all.answers).toHaveLength(3);
    expect(serverAnswer(view, 'empty.shop.svc.cluster.local.', 'A').rcode).toBe('NXDOMAIN');
  });

  it('[CD4] endpoint names: hostname for subdomain Pods, dashed IP otherwise, ClusterIP Services too', () => {
    expect(data(serverAnswer(view, 'db-0.db.shop.svc.cluster.local.', 'A').answers)).toEqual([
      `A ${ip('shop/db-0')}`,
    ]);
    // db-0 has a hostname, so its dashed-IP name does not exist.
    expect(serverAnswer(view, `${dashed('shop/db-0')}.db.shop.svc.cluster.local.`, 'A').rcode).toBe(
      'NXDOMAIN',
    );
    expect(
      data(serverAnswer(view, `${dashed('shop/db-1')}.db.shop.svc.cluster.local.`, 'A').answers),
    ).toEqual([`A ${ip('shop/db-1')}`]);
    // db-2 is not ready: nothing under db, but db-all publishes it (hostname only under its subdomain Service).
    expect(serverAnswer(view, 'db-2.db.shop.svc.cluster.local.', 'A').rcode).toBe('NXDOMAIN');
    expect(serverAnswer(view, `${dashed('shop/db-2')}.db-all.shop.svc.cluster.local.`, 'A').rcode).toBe(
      'NOERROR',
    );
    expect(
      data(serverAnswer(view, `${dashed('shop/web-1')}.web.shop.svc.cluster.local.`, 'A').answers),
    ).toEqual([`A ${ip('shop/web-1')}`]);
  });

  it('[CD5] SRV: ClusterIP targets the Service with the Service port; headless one per endpoint with its port', () => {
    const c = serverAnswer(view, '_http._tcp.web.shop.svc.cluster.local.', 'SRV');
    expect(srv(c.answers)).toEqual(['80 web.shop.svc.cluster.local.']);
    expect(c.answers[0]).toMatchObject({ priority: 0, weight: 100 });
    const udp = serverAnswer(view, '_metrics._udp.web.shop.svc.cluster.local.', 'SRV');
    expect(srv(udp.answers)).toEqual(['9090 web.shop.svc.cluster.local.']);
    expect(serverAnswer(view, '_metrics._tcp.web.shop.svc.cluster.local.', 'SRV').rcode).toBe('NXDOMAIN');
    const h = serverAnswer(view, '_pg._tcp.db.shop.svc.cluster.local.', 'SRV');
    expect(srv(h.answers)).toEqual(
      [
        `5432 db-0.db.shop.svc.cluster.local.`,
        `5432 ${dashed('shop/db-1')}.db.shop.svc.cluster.local.`,
      ].sort(),
    );
    expect(h.answers.map((r) => r.weight)).toEqual([50, 50]);
    // Without _port._proto every port matches.
    expect(srv(serverAnswer(view, 'web.shop.svc.cluster.local.', 'SRV').answers)).toEqual([
      '80 web.shop.svc.cluster.local.',
      '9090 web.shop.svc.cluster.local.',
    ]);
    const ext = serverAnswer(view, 'ext.shop.svc.cluster.local.', 'SRV');
    expect([ext.rcode, ext.answers.length]).toEqual(['NOERROR', 0]);
  });

  it('[CD6] ExternalName: CNAME, chased upstream or in-zone', () => {
    const c = serverAnswer(view, 'ext.shop.svc.cluster.local.', 'CNAME');
    expect(data(c.answers)).toEqual(['CNAME www.example.com.']);
    // A: CNAME, then the upstream's own chain (www.example.com CNAME example.com, A).
    const a = serverAnswer(view, 'ext.shop.svc.cluster.local.', 'A');
    expect(a.answers.map((r) => `${r.name} ${r.type} ${r.data}`)).toEqual([
      'ext.shop.svc.cluster.local. CNAME www.example.com.',
      'www.example.com. CNAME example.com.',
      'example.com. A 93.184.215.14',
    ]);
    // Upstream NXDOMAIN: the CNAME is still answered.
    const g = serverAnswer(view, 'gone.shop.svc.cluster.local.', 'A');
    expect([g.rcode, ...data(g.answers)]).toEqual(['NOERROR', 'CNAME nowhere.example.net.']);
    // In-zone target: CNAME plus the target's A.
    expect(data(serverAnswer(view, 'alias.shop.svc.cluster.local.', 'A').answers)).toEqual(
      [`A ${cip('shop/web')}`, 'CNAME web.shop.svc.cluster.local.'].sort(),
    );
    // In-zone target that does not exist: no CNAME at all, NODATA.
    const d = serverAnswer(view, 'dangling.shop.svc.cluster.local.', 'A');
    expect([d.rcode, d.answers.length]).toEqual(['NOERROR', 0]);
    const n = serverAnswer(view, 'web.shop.svc.cluster.local.', 'CNAME');
    expect([n.rcode, n.answers.length]).toEqual(['NOERROR', 0]);
  });

  it('[CD7] pods insecure: any dashed IPv4 in an existing namespace', () => {
    expect(data(serverAnswer(view, '10-244-1-2.shop.pod.cluster.local.', 'A').answers)).toEqual([
      'A 10.244.1.2',
    ]);
    expect(data(serverAnswer(view, '1-2-3-4.default.pod.cluster.local.', 'A').answers)).toEqual([
      'A 1.2.3.4',
    ]);
    expect(serverAnswer(view, '1-2-3-4.nosuchns.pod.cluster.local.', 'A').rcode).toBe('NXDOMAIN');
    expect(serverAnswer(view, '1-2-3-999.shop.pod.cluster.local.', 'A').rcode).toBe('NXDOMAIN');
    expect(serverAnswer(view, 'client.shop.pod.cluster.local.', 'A').rcode).toBe('NXDOMAIN');
  });

  it('[CD8] PTR: ClusterIP → Service; endpoint → one per backing Service; else upstream', () => {
    expect(data(serverAnswer(view, rev(cip('shop/web')), 'PTR').answers)).toEqual([
      'PTR web.shop.svc.cluster.local.',
    ]);
    expect(data(serverAnswer(view, rev(ip('shop/db-0')), 'PTR').answers)).toEqual([
      `PTR ${dashed('shop/db-0')}.db-all.shop.svc.cluster.local.`,
      'PTR db-0.db.shop.svc.cluster.local.',
    ]);
    expect(data(serverAnswer(view, rev(ip('shop/web-1')), 'PTR').answers)).toEqual([
      `PTR ${dashed('shop/web-1')}.web.shop.svc.cluster.local.`,
    ]);
    const client = serverAnswer(view, rev(ip('shop/client')), 'PTR');
    expect([client.rcode, client.source]).toEqual(['NXDOMAIN', 'forward']);
    expect(data(serverAnswer(view, rev('93.184.215.14'), 'PTR').answers)).toEqual(['PTR example.com.']);
  });

  it('[CD9] NXDOMAIN for unknown names and shapes, NODATA for names that exist', () => {
    const code = (n: string) => {
      const a = serverAnswer(view, n, 'A');
      return a.rcode === 'NOERROR' && a.answers.length === 0 ? 'NODATA' : a.rcode;
    };
    expect(code('shop.svc.cluster.local.')).toBe('NODATA');
    expect(code('nosuchns.svc.cluster.local.')).toBe('NXDOMAIN');
    expect(code('svc.cluster.local.')).toBe('NODATA');
    expect(code('pod.cluster.local.')).toBe('NODATA');
    expect(code('cluster.local.')).toBe('NODATA');
    expect(code('shop.pod.cluster.local.')).toBe('NODATA');
    expect(code('web.cluster.local.')).toBe('NXDOMAIN');
    expect(code('nosuch.shop.svc.cluster.local.')).toBe('NXDOMAIN');
    expect(code('a.b.web.shop.svc.cluster.local.')).toBe('NXDOMAIN'); // port 'a', protocol 'b'
    expect(code('x.y.z.web.shop.svc.cluster.local.')).toBe('NXDOMAIN'); // too long
    const ptr = (n: string) => serverAnswer(view, n, 'PTR');
    expect(ptr('web.shop.svc.cluster.local.')).toMatchObject({ rcode: 'NOERROR', answers: [] });
    expect(ptr('nosuch.shop.svc.cluster.local.').rcode).toBe('NXDOMAIN');
    expect(serverAnswer(view, 'web.shop.svc.cluster.local.', 'SRV').rcode).toBe('NOERROR');
  });

  it('[CD10] TTL 30 on records and on negative answers; ns.dns is the kube-dns address', () => {
    expect(serverAnswer(view, 'web.shop.svc.cluster.local.', 'A').ttl).toBe(KUBERNETES_TTL);
    expect(serverAnswer(view, 'nosuch.shop.svc.cluster.local.', 'A').ttl).toBe(30);
    expect(data(serverAnswer(view, 'ns.dns.cluster.local.', 'A').answers)).toEqual([`A ${DNS_SERVICE_IP}`]);
  });
});

describe('upstream', () => {
  const up: DnsView = {
    ...view,
    upstream: new Map([
      ['a.test.', [{ type: 'CNAME', name: 'a.test.', data: 'b.test', ttl: 10 }]],
      ['b.test.', [{ type: 'A', name: 'b.test.', data: '192.0.2.1', ttl: 50 }]],
      ['c.test.', [{ type: 'CNAME', name: 'c.test.', data: 'missing.test.', ttl: 10 }]],
      ['empty.test.', []],
    ]),
  };
  it('[UP1] NXDOMAIN unknown, NODATA known-without-type, CNAME chains followed', () => {
    const a = upstreamAnswer(up, 'a.test.', 'A');
    expect([a.rcode, ...data(a.answers), a.ttl]).toEqual(['NOERROR', 'A 192.0.2.1', 'CNAME b.test.', 10]);
    expect(upstreamAnswer(up, 'nope.test.', 'A')).toMatchObject({ rcode: 'NXDOMAIN', ttl: 900 });
    expect(upstreamAnswer(up, 'empty.test.', 'A')).toMatchObject({ rcode: 'NOERROR', answers: [] });
    expect(upstreamAnswer(up, 'b.test.', 'SRV')).toMatchObject({ rcode: 'NOERROR', answers: [] });
    const c = upstreamAnswer(up, 'c.test.', 'A');
    expect([c.rcode, ...data(c.answers)]).toEqual(['NXDOMAIN', 'CNAME missing.test.']);
    expect(upstreamAnswer(up, 'web.shop.svc.cluster.local.', 'A').rcode).toBe('NXDOMAIN');
  });
});
