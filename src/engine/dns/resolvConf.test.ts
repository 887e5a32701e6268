import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { DNS_SERVICE_IP, podOf } from './fixture';
import { parseResolvConf, podDnsConfig, podDnsType, resolvConf } from './resolvConf';
import { testView } from './testCluster';
import type { DnsView } from './types';

const base = testView();
const view: DnsView = {
  ...base,
  nodeResolvConf: { nameservers: ['172.18.0.1'], search: ['lab.internal.'], options: ['edns0'] },
};
const client = podOf(view, 'shop/client');
const withSpec = (spec: Partial<NonNullable<Pod['spec']>>): Pod => ({
  ...client,
  spec: { containers: [], ...client.spec, ...spec },
});

describe('kubelet resolv.conf', () => {
  it('[RC1] dnsPolicy picks the base; ClusterFirst on the host network falls back to Default', () => {
    expect(podDnsType(withSpec({ dnsPolicy: undefined }))).toBe('cluster');
    expect(podDnsType(withSpec({ dnsPolicy: 'ClusterFirst' }))).toBe('cluster');
    expect(podDnsType(withSpec({ dnsPolicy: 'ClusterFirst', hostNetwork: true }))).toBe('host');
    expect(podDnsType(withSpec({ dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true }))).toBe('cluster');
    expect(podDnsType(withSpec({ dnsPolicy: 'Default' }))).toBe('host');
    expect(podDnsType(withSpec({ dnsPolicy: 'None' }))).toBe('none');
    expect(podDnsConfig(view, podOf(view, 'shop/host-pod'))).toEqual({
      nameservers: ['172.18.0.1'],
      searches: ['lab.internal'],
      options: ['edns0'],
    });
  });

  it('[RC2] ClusterFirst: kube-dns, the three cluster domains then the node’s, ndots:5', () => {
    expect(podDnsConfig(view, client)).toEqual({
      nameservers: [DNS_SERVICE_IP],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'lab.internal'],
      options: ['ndots:5'],
    });
    expect(podDnsConfig(base, client).searches).toEqual([
      'shop.svc.cluster.local',
      'svc.cluster.local',
      'cluster.local',
    ]);
  });

  it('[RC3] dnsConfig is appended without duplicates; options merge with the Pod winning', () => {
    const p = withSpec({
      dnsConfig: {
        nameservers: ['1.1.1.1', DNS_SERVICE_IP],
        searches: ['svc.cluster.local', 'corp.example'],
        options: [{ name: 'ndots', value: '2' }, { name: 'single-request-reopen' }],
      },
    });
    expect(podDnsConfig(view, p)).toEqual({
      nameservers: [DNS_SERVICE_IP, '1.1.1.1'],
      searches: [
        'shop.svc.cluster.local',
        'svc.cluster.local',
        'cluster.local',
        'lab.internal',
        'corp.example',
      ],
      options: ['ndots:2', 'single-request-reopen'],
    });
    const none = withSpec({
      dnsPolicy: 'None',
      dnsConfig: { nameservers: ['9.9.9.9'], searches: ['a.example'] },
    });
    expect(podDnsConfig(view, none)).toEqual({
      nameservers: ['9.9.9.9'],
      searches: ['a.example'],
      options: [],
    });
  });

  it('[RC4] limits truncate: 3 nameservers, 32 search domains, 2048 characters', () => {
    const many = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
    const p = withSpec({
      dnsPolicy: 'None',
      dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'], searches: many },
    });
    const c = podDnsConfig(view, p);
    expect(c.nameservers).toEqual(['1.1.1.1', '2.2.2.2', '3.3.3.3']);
    expect(c.searches).toEqual(many.slice(0, 32));
    const long = Array.from({ length: 20 }, (_, i) => `${'x'.repeat(60)}.${'y'.repeat(60)}.d${i}.example`);
    const c2 = podDnsConfig(
      view,
      withSpec({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: long } }),
    );
    expect(c2.searches.join(' ').length).toBeLessThanOrEqual(2048);
    expect(c2.searches).toEqual(long.slice(0, c2.searches.length));
    expect(c2.searches.length).toBeLessThan(20);
  });

  it('[RC5] the file: search, one nameserver line each, options', () => {
    expect(resolvConf(base, client)).toBe(
      `search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${DNS_SERVICE_IP}\noptions ndots:5\n`,
    );
    const text = resolvConf(
      view,
      withSpec({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8'] } }),
    );
    expect(text).toBe('nameserver 1.1.1.1\nnameserver 8.8.8.8\n');
    expect(parseResolvConf(text).nameservers).toEqual(['1.1.1.1', '8.8.8.8']);
  });
});
