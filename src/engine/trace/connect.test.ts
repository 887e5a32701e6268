// The packet tracer end to end through the engine: hops per CNI, NAT, policy enforcement and the
// ways a connection fails.
import { describe, expect, it } from 'vitest';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import { Engine } from '../engine';
import type { CniName } from '../cluster/settings';
import type { KubeObject } from '../cluster/objects';
import type { ConnectResult, Hop } from './types';
import { podListeners } from './listening';

const NODE_IP = { 'node-a': '172.18.0.2', 'node-b': '172.18.0.3', 'node-c': '172.18.0.4' } as const;

const pod = (name: string, node: string, labels = `app: ${name}`) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {${labels}}
spec:
  nodeName: ${node}
  containers:
  - name: c
    image: nginx
---
`;
const DENY_ALL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all}
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
`;

/** Pods a (node-a), b (node-b), c (node-a) under the given CNI, plus extra manifests. */
function lab(cni: CniName, extra = '', options: { conntrackMax?: number } = {}): Engine {
  const e = new Engine({ cni, ...options });
  const r = e.apply(pod('a', 'node-a') + pod('b', 'node-b') + pod('c', 'node-a') + extra);
  expect(r.errors).toEqual([]);
  return e;
}

const ipOf = (e: Engine, name: string): string =>
  (e.get('Pod', 'default', name) as Pod & KubeObject).status?.podIP ?? '';
const hops = (r: ConnectResult, kind: Hop['kind']): Hop[] => r.hops.filter((h) => h.kind === kind);

describe('pod to pod across nodes, per CNI', () => {
  it('[TR2] flannel: a VXLAN tunnel hop, outer UDP 8472 between the node InternalIPs, inner addresses unchanged', () => {
    const e = lab('flannel');
    const r = e.connect({ from: 'default/a', to: ipOf(e, 'b'), port: 80 });
    expect(r.delivered).toBe(true);
    expect(r.backend).toBe('default/b');
    const [tunnel, ...more] = hops(r, 'tunnel');
    expect(more).toEqual([]);
    expect(tunnel?.outer).toEqual({
      src: NODE_IP['node-a'],
      dst: NODE_IP['node-b'],
      protocol: 'UDP',
      dport: 8472,
      encapsulation: 'VXLAN',
      vni: 1,
      device: 'flannel.1',
    });
    expect(tunnel?.packet.src).toBe(ipOf(e, 'a'));
    expect(tunnel?.packet.dst).toBe(ipOf(e, 'b'));
    expect(hops(r, 'route')[0]?.route).toBe('10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink');
    expect(hops(r, 'bridge')[0]?.where).toBe('node-b cni0');
  });

  it('[TR1] pod-to-pod traffic is not NATed: every hop carries the pod addresses', () => {
    for (const cni of ['flannel', 'calico', 'cilium', 'weave'] as const) {
      const e = lab(cni);
      const r = e.connect({ from: 'default/a', to: ipOf(e, 'b'), port: 80 });
      expect(r.delivered).toBe(true);
      expect(r.sourceIP).toBe(ipOf(e, 'a'));
      for (const h of r.hops) {
        expect(h.packet.src).toBe(ipOf(e, 'a'));
        expect(h.packet.dst).toBe(ipOf(e, 'b'));
        expect(h.rewrite).toBeUndefined();
      }
    }
  });

  it('[TR2] calico: routed over BGP, "via <nodeIP> dev eth0 proto bird", no outer header', () => {
    const e = lab('calico');
    const r = e.connect({ from: 'default/a', to: ipOf(e, 'b'), port: 80 });
    expect(r.delivered).toBe(true);
    expect(hops(r, 'tunnel')).toEqual([]);
    expect(r.hops.every((h) => h.outer === undefined)).toBe(true);
    expect(hops(r, 'route')[0]?.route).toBe(`10.244.1.0/24 via ${NODE_IP['node-b']} dev eth0 proto bird`);
    expect(hops(r, 'veth').at(-1)?.where).toMatch(/^node-b cali[0-9a-f]{11}$/);
  });

  it('[TR2] weave: VXLAN on UDP 6784 (vxlan-6784)', () => {
    const e = lab('weave');
    const r = e.connect({ from: 'default/a', to: ipOf(e, 'b'), port: 80 });
    expect(hops(r, 'tunnel')[0]?.outer).toMatchObject({
      dport: 6784,
      device: 'vxlan-6784',
      src: NODE_IP['node-a'],
      dst: NODE_IP['node-b'],
    });
  });

  it('[TR2] cilium: VXLAN on UDP 8472 (cilium_vxlan), delivered by eBPF', () => {
    const e = lab('cilium');
    const r = e.connect({ from: 'default/a', to: ipOf(e, 'b'), port: 80 });
    expect(hops(r, 'tunnel')[0]?.outer).toMatchObject({ dport: 8472, device: 'cilium_vxlan' });
    expect(r.hops.some((h) => h.what.includes('eBPF'))).toBe(true);
  });

  it('[TR3] same-node traffic has no route or tunnel hop', () => {
    for (const cni of ['flannel', 'calico', 'cilium', 'weave'] as const) {
      const e = lab(cni);
      const r = e.connect({ from: 'default/a', to: ipOf(e, 'c'), port: 80 });
      expect(r.delivered).toBe(true);
      expect(hops(r, 'tunnel')).toEqual([]);
      expect(hops(r, 'route')).toEqual([]);
    }
  });
});

describe('NetworkPolicy enforcement', () => {
  it('[TR4] flannel with a deny-all policy still delivers, and the policy hop says Flannel does not enforce it', () => {
    const e = lab('flannel', DENY_ALL);
    const r = e.connect({ from: 'default/a', to: ipOf(e, 'b'), port: 80 });
    expect(r.delivered).toBe(true);
    const [hop] = hops(r, 'policy');
    expect(hop?.policy).toMatchObject({
      direction: 'ingress',
      allowed: false,
      enforced: false,
      policies: ['default/deny-all'],
    });
    expect(hop?.what).toContain('Flannel does not enforce NetworkPolicy');
    expect(hop?.dropped).toBeUndefined();
  });

  it('[TR4] calico drops it: failure timeout, decidedBy names the policy', () => {
    const e = lab('calico', DENY_ALL);
    const r = e.connect({ from: 'default/a', to: ipOf(e, 'b'), port: 80 });
    expect(r.delivered).toBe(false);
    expect(r.failure).toBe('timeout');
    expect(r.decidedBy).toEqual({
      policy: 'default/deny-all',
      rule: '',
      direction: 'ingress',
      allowed: false,
    });
    const drop = r.hops.at(-1);
    expect(drop).toMatchObject({
      kind: 'drop',
      dropped: true,
      where: 'node-b calico ingress policy for default/b',
    });
    expect(drop?.policy?.enforced).toBe(true);
  });

  it('[TR4] cilium and weave enforce too', () => {
    for (const cni of ['cilium', 'weave'] as const) {
      const r = lab(cni, DENY_ALL).connect({ from: 'default/a', to: 'b', port: 80 });
      expect(r.failure === 'timeout' || r.failure === 'dns-nxdomain').toBe(true);
    }
    const e = lab('weave', DENY_ALL);
    expect(e.connect({ from: 'default/a', to: ipOf(e, 'b'), port: 80 }).failure).toBe('timeout');
  });
});

describe('Services', () => {
  const SERVICE =
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: b}\n  ports: [{port: 80}]\n';

  it('[TR5] ClusterIP: a DNAT rewrite hop with the KUBE-SERVICES → KUBE-SVC → KUBE-SEP rules', () => {
    const e = lab('calico', SERVICE);
    const vip = (e.get('Service', 'default', 'web') as Service & KubeObject).spec?.clusterIP ?? '';
    const r = e.connect({ from: 'default/a', to: 'web', port: 80 });
    expect(r.delivered).toBe(true);
    expect(r.service).toBe('default/web');
    expect(r.backend).toBe('default/b');
    expect(hops(r, 'dns')[0]?.what).toContain(`Resolved web to ${vip}`);
    const [nat] = hops(r, 'netfilter');
    expect(nat?.rewrite).toEqual({ type: 'DNAT', before: `${vip}:80`, after: `${ipOf(e, 'b')}:80` });
    const chains = (nat?.rules ?? []).map((x) => x.chain);
    expect(chains).toContain('KUBE-SERVICES');
    expect(chains.some((c) => /^KUBE-SVC-[A-Z2-7]{16}$/.test(c))).toBe(true);
    expect(chains.some((c) => /^KUBE-SEP-[A-Z2-7]{16}$/.test(c))).toBe(true);
    expect(r.sourceIP).toBe(ipOf(e, 'a'));
    const ct = hops(r, 'conntrack')[0]?.conntrack;
    expect(ct).toMatch(
      new RegExp(
        `^tcp +6 \\d+ SYN_SENT src=${ipOf(e, 'a')} dst=${vip} sport=\\d+ dport=80 \\[UNREPLIED\\] src=${ipOf(e, 'b')}`,
      ),
    );
  });

  it('[TR6] NodePort from outside with externalTrafficPolicy Cluster: SNAT to the node, and ipBlock sees the node address', () => {
    const np = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: b}
  ports: [{port: 80, nodePort: 30080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-outside}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress:
  - from:
    - ipBlock: {cidr: 198.51.100.0/24}
`;
    const e = lab('calico', np);
    const r = e.connect({ from: 'external', to: NODE_IP['node-a'], port: 30080 });
    expect(r.clientIP).toBe('198.51.100.7');
    const snat = hops(r, 'netfilter').find((h) => h.rewrite?.type === 'SNAT');
    expect(snat?.rewrite?.after).toMatch(new RegExp(`^${NODE_IP['node-a'].replace(/\./g, '\\.')}:\\d+$`));
    // The backend's policy admits the client's network, but what reaches it is node-a's address.
    expect(r.delivered).toBe(false);
    expect(r.failure).toBe('timeout');
    expect(r.decidedBy?.policy).toBe('default/from-outside');
    const policy = hops(r, 'drop').at(-1)?.policy;
    expect(policy?.direction).toBe('ingress');
    expect(hops(r, 'drop').at(-1)?.packet.src).toBe(NODE_IP['node-a']);
  });

  it('[TR6] the same NodePort with externalTrafficPolicy Local keeps the client address, and the ipBlock admits it', () => {
    const e = lab(
      'calico',
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  externalTrafficPolicy: Local\n  selector: {app: b}\n  ports: [{port: 80, nodePort: 30080}]\n---\n' +
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: from-outside}\nspec:\n  podSelector: {matchLabels: {app: b}}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 198.51.100.0/24}\n',
    );
    const r = e.connect({ from: 'external', to: NODE_IP['node-b'], port: 30080 });
    expect(r.delivered).toBe(true);
    expect(r.sourceIP).toBe('198.51.100.7');
  });
});

describe('failures', () => {
  it('[TR7] nothing listening on the port: refused', () => {
    const e = lab('calico');
    const r = e.connect({ from: 'default/a', to: ipOf(e, 'b'), port: 81 });
    expect(r.delivered).toBe(false);
    expect(r.failure).toBe('refused');
    expect(r.reason).toBe('connection refused: nothing listens on TCP 81 in default/b');
    expect(r.hops.at(-1)).toMatchObject({ kind: 'drop', dropped: true });
  });

  it('[TR8] a name that does not resolve: dns-nxdomain after the search list', () => {
    const e = lab('calico');
    const r = e.connect({ from: 'default/a', to: 'nosuch', port: 80 });
    expect(r.failure).toBe('dns-nxdomain');
    expect(r.reason).toBe('Could not resolve host: nosuch');
    expect(r.hops).toHaveLength(1);
    expect(r.hops[0]?.what).toContain('nosuch.default.svc.cluster.local.');
  });

  it('[TR9] conntrack table full: timeout with the kernel message', () => {
    const e = lab('calico', '', { conntrackMax: 2 });
    const to = ipOf(e, 'b');
    expect(e.connect({ from: 'default/a', to, port: 80 }).delivered).toBe(true);
    expect(e.connect({ from: 'default/a', to, port: 80 }).delivered).toBe(true);
    const r = e.connect({ from: 'default/a', to, port: 80 });
    expect(r.delivered).toBe(false);
    expect(r.failure).toBe('timeout');
    expect(r.reason).toBe('nf_conntrack: table full, dropping packet');
    expect(hops(r, 'conntrack')[0]).toMatchObject({
      dropped: true,
      what: 'nf_conntrack: table full, dropping packet',
    });
    // Only the source node's table is full: node-b's pods still connect.
    expect(e.connect({ from: 'default/b', to: ipOf(e, 'a'), port: 80 }).delivered).toBe(true);
  });

  it('[TR9] delivered connections are ESTABLISHED and ASSURED in conntrack', () => {
    const e = lab('calico');
    e.connect({ from: 'default/a', to: ipOf(e, 'b'), port: 80 });
    const [entry] = e.conntrackTable('node-a').entries;
    expect(entry).toMatchObject({ state: 'ESTABLISHED', assured: true, replied: true });
  });

  it('[TR9] a refused connection is not established, so it does not fill the table', () => {
    const e = lab('calico', '', { conntrackMax: 1 });
    for (let i = 0; i < 3; i++)
      expect(e.connect({ from: 'default/a', to: ipOf(e, 'b'), port: 81 }).failure).toBe('refused');
    expect(e.connect({ from: 'default/a', to: ipOf(e, 'b'), port: 80 }).delivered).toBe(true);
  });

  it('[TR12] an unknown source pod', () => {
    const r = lab('calico').connect({ from: 'default/ghost', to: '10.244.0.2', port: 80 });
    expect(r).toMatchObject({
      delivered: false,
      failure: 'refused',
      reason: 'pod "default/ghost" is not running with an IP',
    });
  });
});

describe('switching CNI', () => {
  it('[TR10] setCni keeps pods and IPs but changes the hops', () => {
    const e = lab('calico');
    const before = e.list('Pod').map((p) => [p.metadata.name, (p.status as Pod['status'])?.podIP]);
    const calico = e.connect({ from: 'default/a', to: ipOf(e, 'b'), port: 80 });
    e.setCni('flannel');
    expect(e.settings.cni).toBe('flannel');
    expect(e.list('Pod').map((p) => [p.metadata.name, (p.status as Pod['status'])?.podIP])).toEqual(before);
    const flannel = e.connect({ from: 'default/a', to: ipOf(e, 'b'), port: 80 });
    expect(hops(calico, 'tunnel')).toEqual([]);
    expect(hops(flannel, 'tunnel')[0]?.outer?.dport).toBe(8472);
    expect(flannel.backend).toBe(calico.backend);
  });
});

describe('listeners', () => {
  it('[TR11] declared ports and the ports known images serve', () => {
    const p = (
      image: string,
      args: string[] = [],
      ports: { containerPort: number; protocol?: string }[] = [],
    ): Pod => ({ spec: { containers: [{ name: 'c', image, args, ports }] } }) as Pod;
    expect(podListeners(p('nginx:1.27')).map((l) => `${l.port}/${l.protocol}`)).toEqual(['80/TCP']);
    expect(
      podListeners(
        p('registry.k8s.io/e2e-test-images/agnhost:2.47', ['netexec', '--http-port=8080', '--udp-port=8081']),
      ).map((l) => `${l.port}/${l.protocol}`),
    ).toEqual(['8080/TCP', '8081/UDP']);
    expect(
      podListeners(p('busybox', [], [{ containerPort: 9000, protocol: 'UDP' }])).map(
        (l) => `${l.port}/${l.protocol}`,
      ),
    ).toEqual(['9000/UDP']);
    expect(podListeners(p('busybox'))).toEqual([]);
  });
});
