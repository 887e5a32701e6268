import { describe, expect, it } from 'vitest';
import {
  buildProxyRules,
  emptyProxyState,
  iptablesSave,
  ipvsadmList,
  proxyPacket,
  ruleStats,
  scaleSeries,
  scaleView,
  servicePortEndpointChainName,
  servicePortPolicyClusterChain,
  type ProxyOutcome,
  type ProxyRules,
  type ProxyState,
} from './index';
import { base32Std, sha256, toHex } from './sha256';
import { ip, NODES, seeded, slice, svc, view, WEB_EPS } from './testFixtures';
import type { Protocol } from '../types';

const CLUSTER_IP = '10.96.12.7';

function webRules(
  spec: Parameters<typeof svc>[1] = {},
  mode: 'iptables' | 'ipvs' = 'iptables',
  eps = WEB_EPS,
): ProxyRules {
  return buildProxyRules(
    view(
      [
        svc('web', {
          clusterIP: CLUSTER_IP,
          ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
          ...spec,
        }),
      ],
      [slice('web', eps)],
      mode,
    ),
  );
}

function send(
  rules: ProxyRules,
  p: { node?: string; src: string; dst?: string; port?: number; protocol?: Protocol },
  rng: () => number = () => 0,
  now = 0,
  state: ProxyState = emptyProxyState,
): { state: ProxyState; outcome: ProxyOutcome } {
  return proxyPacket(
    rules,
    state,
    {
      node: p.node ?? 'node-c',
      srcIP: ip(p.src),
      dstIP: ip(p.dst ?? CLUSTER_IP),
      dstPort: p.port ?? 80,
      protocol: p.protocol ?? 'TCP',
    },
    rng,
    now,
  );
}

const backend = (o: ProxyOutcome): string => (o.action === 'dnat' ? o.endpoint.pod : o.action);

describe('chain names', () => {
  it('[KP1] pure-TS sha256 and base32 match the standard test vectors', () => {
    expect(toHex(sha256('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256('a'.repeat(1000)))).toBe(
      '41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3',
    );
    expect(base32Std(new TextEncoder().encode('foobar'))).toBe('MZXW6YTBOI======');
  });

  it('[KP1] KUBE-SVC names are the ones real clusters show', () => {
    expect(servicePortPolicyClusterChain('default/kubernetes:https', 'tcp')).toBe(
      'KUBE-SVC-NPX46M4PTMTKRN6Y',
    );
    expect(servicePortPolicyClusterChain('kube-system/kube-dns:dns', 'udp')).toBe(
      'KUBE-SVC-TCOU7JCQXEZGVUNU',
    );
    expect(servicePortPolicyClusterChain('kube-system/kube-dns:dns-tcp', 'tcp')).toBe(
      'KUBE-SVC-ERIFXISQEP7F7OF4',
    );
    expect(servicePortPolicyClusterChain('kube-system/kube-dns:metrics', 'tcp')).toBe(
      'KUBE-SVC-JD5MR3NA4I4DYORP',
    );
  });

  it('[KP1] KUBE-SEP hashes include the endpoint string', () => {
    const a = servicePortEndpointChainName('svc-lab/web', 'tcp', '10.244.0.5:8080');
    const b = servicePortEndpointChainName('svc-lab/web', 'tcp', '10.244.1.5:8080');
    expect(a).toMatch(/^KUBE-SEP-[A-Z2-7]{16}$/);
    expect(a).not.toBe(b);
    const rules = webRules();
    expect(Object.keys(rules.nodes[0]?.nat ?? {})).toContain(a);
  });
});

describe('iptables rules', () => {
  it('[KP3] probabilities for 3 endpoints are 1/3 and 1/2 with ten decimals, the last rule has none', () => {
    const rules = webRules();
    const svcChain = servicePortPolicyClusterChain('svc-lab/web', 'tcp');
    const chain = rules.nodes[0]?.nat[svcChain] ?? [];
    expect(chain.map((r) => r.probability)).toEqual([undefined, '0.3333333333', '0.5000000000', undefined]);
    const text = iptablesSave(rules.nodes[0]!);
    expect(text).toContain(
      `-A ${svcChain} -m comment --comment "svc-lab/web -> 10.244.0.5:8080" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-`,
    );
    expect(text).toContain(
      `-A KUBE-SERVICES -d 10.96.12.7/32 -p tcp -m comment --comment "svc-lab/web cluster IP" -m tcp --dport 80 -j ${svcChain}`,
    );
    expect(text).toContain(`-A ${svcChain} ! -s 10.244.0.0/16 -d 10.96.12.7/32 -p tcp`);
    expect(text).toMatch(
      /-A KUBE-SEP-\w+ -p tcp -m comment --comment svc-lab\/web -m tcp -j DNAT --to-destination 10.244.0.5:8080/,
    );
    expect(text.startsWith('*filter\n')).toBe(true);
    expect(text).toContain('COMMIT\n*nat\n');
  });

  it('[KP3] random choice is uniform over ready endpoints (chi-square, 3,000 seeded draws)', () => {
    const rules = webRules();
    const rng = seeded(42);
    const counts: Record<string, number> = {};
    let state = emptyProxyState;
    for (let i = 0; i < 3000; i++) {
      const r = send(rules, { src: '10.244.2.9' }, rng, i, state);
      state = r.state;
      counts[backend(r.outcome)] = (counts[backend(r.outcome)] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['svc-lab/web-1', 'svc-lab/web-2', 'svc-lab/web-3']);
    const chi2 = Object.values(counts).reduce((a, c) => a + (c - 1000) ** 2 / 1000, 0);
    expect(chi2).toBeLessThan(13.8); // df=2, p=0.001
  });

  it('[KP2] only Ready endpoints are used; headless and ExternalName Services get no rules', () => {
    const eps = [WEB_EPS[0]!, { ...WEB_EPS[1]!, ready: false, serving: false }];
    const rules = buildProxyRules(
      view(
        [
          svc('web', { clusterIP: CLUSTER_IP, ports: [{ port: 80, targetPort: 8080 }] }),
          svc('hl', { clusterIP: 'None', ports: [{ port: 5432 }] }),
          svc('alias', {
            type: 'ExternalName',
            externalName: 'api.backend.svc.cluster.local',
            ports: [{ port: 8080 }],
          }),
        ],
        [slice('web', eps), slice('hl', WEB_EPS, { name: '', port: 5432 })],
      ),
    );
    const rng = seeded(7);
    for (let i = 0; i < 100; i++)
      expect(backend(send(rules, { src: '10.244.2.9' }, rng).outcome)).toBe('svc-lab/web-1');
    const text = iptablesSave(rules.nodes[0]!);
    expect(text).not.toContain('svc-lab/hl');
    expect(text).not.toContain('svc-lab/alias');
  });

  it('[KP2] a slice is used only for the Service port of the same name and protocol', () => {
    const rules = buildProxyRules(
      view(
        [svc('web', { clusterIP: CLUSTER_IP, ports: [{ name: 'http', port: 80, targetPort: 8080 }] })],
        [slice('web', WEB_EPS, { name: 'other', port: 8080 })],
      ),
    );
    expect(send(rules, { src: '10.244.2.9' }).outcome).toMatchObject({
      action: 'reject',
      reason: 'svc-lab/web:http has no endpoints',
    });
  });

  it('[KP4] ClientIP affinity keeps the backend within timeoutSeconds since the last connection, not after', () => {
    const rules = webRules({
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
    });
    const text = iptablesSave(rules.nodes[2]!);
    expect(text).toMatch(/-m recent --name KUBE-SEP-\w+ --rcheck --seconds 10800 --reap -j KUBE-SEP-/);
    expect(text).toMatch(
      /-p tcp -m comment --comment svc-lab\/web -m recent --name KUBE-SEP-\w+ --set -m tcp -j DNAT/,
    );
    let r = send(rules, { src: '10.244.2.9' }, () => 0, 0);
    expect(backend(r.outcome)).toBe('svc-lab/web-1');
    const hi = (): number => 0.99;
    for (const t of [1, 100, 5000]) {
      r = send(rules, { src: '10.244.2.9' }, hi, t, r.state);
      expect(backend(r.outcome)).toBe('svc-lab/web-1');
    }
    // 10799 s after the last connection (t=5000): still pinned.
    r = send(rules, { src: '10.244.2.9' }, hi, 5000 + 10799, r.state);
    expect(backend(r.outcome)).toBe('svc-lab/web-1');
    // A different client is scheduled independently.
    expect(backend(send(rules, { src: '10.244.0.7' }, hi, 15800, r.state).outcome)).toBe('svc-lab/web-3');
    // More than the timeout after the last connection: chosen afresh.
    r = send(rules, { src: '10.244.2.9' }, hi, 15799 + 10800, r.state);
    expect(backend(r.outcome)).toBe('svc-lab/web-3');
  });

  it('[KP5] pod to ClusterIP is not masqueraded; the host and off-cluster sources are', () => {
    const rules = webRules();
    expect(send(rules, { src: '10.244.2.9' }).outcome).toMatchObject({
      action: 'dnat',
      masquerade: false,
      service: 'svc-lab/web',
    });
    const host = send(rules, { src: '172.18.0.4' }).outcome;
    expect(host).toMatchObject({ action: 'dnat', masquerade: 'node' });
    expect(host.walked[0]?.chain).toBe('OUTPUT');
    expect(send(rules, { src: '192.0.2.10' }).outcome).toMatchObject({ action: 'dnat', masquerade: 'node' });
  });

  it('[KP6] NodePort with externalTrafficPolicy Cluster: any node forwards to any endpoint, SNAT to the node', () => {
    const rules = webRules({
      type: 'NodePort',
      externalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }],
    });
    const seen = new Set<string>();
    const rng = seeded(3);
    for (const node of NODES) {
      for (let i = 0; i < 30; i++) {
        const o = send(
          rules,
          { node: node.name, src: '192.0.2.10', dst: node.internalIP, port: 30080 },
          rng,
        ).outcome;
        expect(o).toMatchObject({ action: 'dnat', masquerade: 'node', endpoint: { port: 8080 } });
        seen.add(backend(o));
      }
    }
    expect(seen.size).toBe(3);
    const walked = send(rules, {
      node: 'node-a',
      src: '192.0.2.10',
      dst: '172.18.0.2',
      port: 30080,
    }).outcome.walked.map((h) => h.chain);
    expect(walked).toEqual(
      expect.arrayContaining(['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-MARK-MASQ', 'KUBE-POSTROUTING']),
    );
    expect(walked.some((c) => c.startsWith('KUBE-EXT-'))).toBe(true);
    // No Service owns node port 30081.
    expect(
      send(rules, { node: 'node-b', src: '192.0.2.10', dst: '172.18.0.3', port: 30081 }).outcome.action,
    ).toBe('none');
  });

  it('[KP7] hairpin: a pod reaching itself through its Service is masqueraded', () => {
    const rules = webRules();
    const o = send(rules, { node: 'node-a', src: '10.244.0.5' }, () => 0).outcome;
    expect(o).toMatchObject({ action: 'dnat', endpoint: { pod: 'svc-lab/web-1' }, masquerade: 'hairpin' });
    expect(send(rules, { node: 'node-a', src: '10.244.0.5' }, () => 0.99).outcome).toMatchObject({
      masquerade: false,
    });
  });

  it('[KP8] a Service without endpoints is REJECTed (refused) on its ClusterIP and node port', () => {
    const rules = buildProxyRules(
      view(
        [
          svc('ghost', {
            type: 'NodePort',
            clusterIP: '10.96.0.50',
            ports: [{ port: 80, targetPort: 8080, nodePort: 30090 }],
          }),
        ],
        [],
      ),
    );
    expect(send(rules, { src: '10.244.2.9', dst: '10.96.0.50' }).outcome).toMatchObject({
      action: 'reject',
      reason: 'svc-lab/ghost has no endpoints',
    });
    expect(
      send(rules, { node: 'node-a', src: '192.0.2.1', dst: '172.18.0.2', port: 30090 }).outcome.action,
    ).toBe('reject');
    const text = iptablesSave(rules.nodes[0]!);
    expect(text).toContain(
      '-A KUBE-SERVICES -d 10.96.0.50/32 -p tcp -m comment --comment "svc-lab/ghost has no endpoints" -m tcp --dport 80 -j REJECT',
    );
    expect(text).toContain(
      '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "svc-lab/ghost has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30090 -j REJECT',
    );
  });

  it('[KP9] externalTrafficPolicy Local: only local endpoints, client source kept; nodes without one DROP', () => {
    const eps = [WEB_EPS[0]!, WEB_EPS[1]!];
    const rules = webRules(
      {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }],
      },
      'iptables',
      eps,
    );
    const rng = seeded(9);
    for (let i = 0; i < 50; i++) {
      const o = send(
        rules,
        { node: 'node-a', src: '192.0.2.10', dst: '172.18.0.2', port: 30080 },
        rng,
      ).outcome;
      expect(o).toMatchObject({ action: 'dnat', masquerade: false, endpoint: { pod: 'svc-lab/web-1' } });
    }
    expect(
      send(rules, { node: 'node-c', src: '192.0.2.10', dst: '172.18.0.4', port: 30080 }).outcome,
    ).toMatchObject({
      action: 'drop',
      reason: 'svc-lab/web has no local endpoints',
    });
    // Pods reaching the node port are short-circuited to the cluster-wide chain.
    expect(
      send(rules, { node: 'node-c', src: '10.244.2.9', dst: '172.18.0.4', port: 30080 }).outcome.action,
    ).toBe('dnat');
    expect(iptablesSave(rules.nodes[0]!)).toContain('KUBE-SVL-');
  });

  it('[KP9] load-balancer IP traffic follows the same policy', () => {
    const rules = buildProxyRules(
      view(
        [
          svc(
            'lb',
            {
              type: 'LoadBalancer',
              clusterIP: '10.96.0.60',
              externalTrafficPolicy: 'Cluster',
              ports: [{ port: 80, targetPort: 8080, nodePort: 31000 }],
            },
            '203.0.113.10',
          ),
        ],
        [slice('lb', WEB_EPS)],
      ),
    );
    expect(send(rules, { node: 'node-b', src: '192.0.2.10', dst: '203.0.113.10' }).outcome).toMatchObject({
      action: 'dnat',
      masquerade: 'node',
    });
  });

  it('[KP10] internalTrafficPolicy Local: ClusterIP traffic only to same-node endpoints, else DROP', () => {
    const rules = webRules({ internalTrafficPolicy: 'Local' }, 'iptables', [WEB_EPS[0]!, WEB_EPS[1]!]);
    const rng = seeded(5);
    for (let i = 0; i < 20; i++)
      expect(backend(send(rules, { node: 'node-a', src: '10.244.0.9' }, rng).outcome)).toBe('svc-lab/web-1');
    expect(send(rules, { node: 'node-c', src: '10.244.2.9' }).outcome).toMatchObject({
      action: 'drop',
      reason: 'svc-lab/web has no local endpoints',
    });
  });

  it('[KP11] with no Ready endpoint, serving+terminating ones are used (KEP-1669)', () => {
    const eps = [
      { ...WEB_EPS[0]!, ready: false, serving: true, terminating: true },
      { ...WEB_EPS[1]!, ready: false, serving: false, terminating: true },
    ];
    const rules = webRules({}, 'iptables', eps);
    for (let i = 0; i < 10; i++)
      expect(backend(send(rules, { src: '10.244.2.9' }, seeded(i)).outcome)).toBe('svc-lab/web-1');
    const withReady = webRules({}, 'iptables', [eps[0]!, WEB_EPS[2]!]);
    for (let i = 0; i < 10; i++)
      expect(backend(send(withReady, { src: '10.244.2.9' }, seeded(i)).outcome)).toBe('svc-lab/web-3');
  });

  it('[KP12] ports and protocols a Service does not declare are not proxied (iptables: no rule)', () => {
    const rules = webRules();
    expect(send(rules, { src: '10.244.2.9', port: 8080 }).outcome.action).toBe('none');
    expect(send(rules, { src: '10.244.2.9', protocol: 'UDP' }).outcome.action).toBe('none');
  });

  it('[KP13] every node has the same rules for Cluster-policy Services; Local policies differ per node', () => {
    const cluster = webRules();
    const [a, b] = cluster.nodes;
    expect(iptablesSave(a!)).toBe(iptablesSave(b!));
    const local = webRules({ internalTrafficPolicy: 'Local' }, 'iptables', [WEB_EPS[0]!]);
    expect(iptablesSave(local.nodes[0]!)).not.toBe(iptablesSave(local.nodes[1]!));
    expect(iptablesSave(local.nodes[1]!)).toContain(
      '"svc-lab/web has no local endpoints" -m tcp --dport 80 -j DROP',
    );
  });

  it('[KP15] above 1000 endpoints the per-endpoint comments are left out (large cluster mode)', () => {
    const small = buildProxyRules(scaleView(10, 'iptables'));
    const large = buildProxyRules(scaleView(201, 'iptables'));
    expect(iptablesSave(small.nodes[0]!)).toContain('-> 10.244.');
    expect(iptablesSave(large.nodes[0]!)).not.toContain('-> 10.244.');
    expect(iptablesSave(large.nodes[0]!)).toContain('cluster IP"');
  });

  it('[KP16] the walk lists every matched rule in order and counts the rules evaluated', () => {
    const o = send(webRules(), { src: '10.244.2.9' }, () => 0.99).outcome;
    expect(o.walked.map((h) => h.verdict)).toEqual([
      'jump',
      'jump',
      'nomatch',
      'nomatch',
      'jump',
      'dnat',
      'jump',
      'return',
    ]);
    expect(o.rulesTraversed).toBe(1 + 1 + 4 + 2 + 2);
  });
});

describe('IPVS mode', () => {
  it('[KP14] round-robin over real servers in order, one virtual server per address and port', () => {
    const rules = webRules({}, 'ipvs');
    let state = emptyProxyState;
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = send(rules, { src: '10.244.2.9' }, () => 0, i, state);
      state = r.state;
      order.push(backend(r.outcome));
    }
    expect(order).toEqual(['web-1', 'web-2', 'web-3', 'web-1', 'web-2', 'web-3'].map((p) => `svc-lab/${p}`));
    expect(ipvsadmList(rules.nodes[0]!)).toContain(
      'TCP  10.96.12.7:80 rr\n  -> 10.244.0.5:8080              Masq    1      0          0',
    );
  });

  it('[KP14] persistence pins a client; no real servers answers ICMP unreachable; undeclared ports are rejected', () => {
    const rules = webRules(
      { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } },
      'ipvs',
    );
    expect(ipvsadmList(rules.nodes[0]!)).toContain('TCP  10.96.12.7:80 rr persistent 60');
    let r = send(rules, { src: '10.244.2.9' }, () => 0, 0);
    r = send(rules, { src: '10.244.0.9' }, () => 0, 1, r.state);
    expect(backend(r.outcome)).toBe('svc-lab/web-2');
    r = send(rules, { src: '10.244.2.9' }, () => 0, 30, r.state);
    expect(backend(r.outcome)).toBe('svc-lab/web-1');
    expect(send(rules, { src: '10.244.2.9', port: 8080 }).outcome).toMatchObject({ action: 'reject' });
    const empty = buildProxyRules(
      view([svc('ghost', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] })], [], 'ipvs'),
    );
    expect(send(empty, { src: '10.244.2.9', dst: '10.96.0.50' }).outcome.action).toBe('reject');
  });

  it('[KP14] masquerade: NodePort Cluster marks, hairpin via KUBE-LOOP-BACK, eTP Local without local endpoint fails', () => {
    const rules = webRules(
      { type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }] },
      'ipvs',
    );
    expect(
      send(rules, { node: 'node-a', src: '192.0.2.1', dst: '172.18.0.2', port: 30080 }).outcome,
    ).toMatchObject({ masquerade: 'node' });
    expect(send(rules, { node: 'node-a', src: '10.244.0.5' }).outcome).toMatchObject({
      masquerade: 'hairpin',
    });
    const local = webRules(
      {
        type: 'NodePort',
        externalTrafficPolicy: 'Local',
        ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }],
      },
      'ipvs',
      [WEB_EPS[0]!],
    );
    expect(
      send(local, { node: 'node-a', src: '192.0.2.1', dst: '172.18.0.2', port: 30080 }).outcome,
    ).toMatchObject({ action: 'dnat', masquerade: false });
    expect(
      send(local, { node: 'node-b', src: '192.0.2.1', dst: '172.18.0.3', port: 30080 }).outcome.action,
    ).toBe('drop');
  });
});

describe('scale', () => {
  it('[KP17] iptables rules grow linearly with Services, IPVS stays flat', () => {
    const ipt = scaleSeries([10, 100, 1000], 'iptables');
    const ipvs = scaleSeries([10, 100, 1000], 'ipvs');
    // Per service with 5 endpoints: 1 KUBE-SERVICES + 1 masquerade + 5 statistic + 5×2 SEP rules.
    expect(ipt[1]!.rules - ipt[0]!.rules).toBe(90 * 17);
    expect(ipt[2]!.traversed).toBeGreaterThan(1000);
    expect(new Set(ipvs.map((s) => s.rules)).size).toBe(1);
    expect(new Set(ipvs.map((s) => s.traversed)).size).toBe(1);
    const stats = ruleStats(buildProxyRules(scaleView(10, 'ipvs')));
    expect(stats.perNode['node-a']?.virtualServers).toBe(10);
  });

  it('[KP17] buildProxyRules for 1,000 Services × 5 endpoints writes 17 rules per Service', () => {
    // Its speed is measured by `npm run bench` (proxy rules), not here.
    const rules = buildProxyRules(scaleView(1000, 'iptables'));
    expect(ruleStats(rules).perNode['node-a']?.rules).toBe(1000 * 17 + 23);
  });
});
