import type { Namespace } from 'kubernetes-types/core/v1';
import type { NetworkPolicy, NetworkPolicySpec } from 'kubernetes-types/networking/v1';
import { describe, expect, it } from 'vitest';
import type { IPv4 } from '../net/ip';
import type { NetEndpoint, PodEndpoint, Protocol } from '../types';
import { compilePolicies, policiesSelecting, type PolicySet } from './compile';
import { describePolicy } from './describe';
import { evaluate, podEndpoint, reachabilityMatrix } from './evaluate';

const ns = (name: string, labels: Record<string, string> = {}): Namespace => ({ metadata: { name, labels } });
const NAMESPACES = [ns('x', { team: 'a' }), ns('y', { team: 'b' })];

let ipSeq = 10;
const pod = (
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
  extra: Partial<PodEndpoint> = {},
): PodEndpoint => ({
  namespace,
  name,
  labels: { pod: name, ...labels },
  ip: `10.244.1.${ipSeq++}` as IPv4,
  nodeName: 'node-1',
  ports: [],
  ...extra,
});
const xa = pod('x', 'a');
const xb = pod('x', 'b', {}, { ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] });
const ya = pod(
  'y',
  'a',
  {},
  { nodeName: 'node-2', ports: [{ name: 'http', containerPort: 9090, protocol: 'TCP' }] },
);
const PODS = [xa, xb, ya];

const np = (namespace: string, name: string, spec: Partial<NetworkPolicySpec>): NetworkPolicy => ({
  metadata: { namespace, name },
  spec: { podSelector: {}, ...spec },
});
const set = (...policies: NetworkPolicy[]): PolicySet => compilePolicies(policies, NAMESPACES);
const ev = (
  s: PolicySet,
  a: PodEndpoint | NetEndpoint,
  b: PodEndpoint | NetEndpoint,
  port = 80,
  proto: Protocol = 'TCP',
) => evaluate(s, 'kind' in a ? a : podEndpoint(a), 'kind' in b ? b : podEndpoint(b), port, proto);
const external = (ip: string): NetEndpoint => ({ kind: 'external', ip: ip as IPv4 });
const node = (name: string, ip: string): NetEndpoint => ({ kind: 'node', node: name, ip: ip as IPv4 });

const denyIngressB = np('x', 'default-deny-ingress', { podSelector: { matchLabels: { pod: 'b' } } });

describe('NetworkPolicy evaluation', () => {
  it('[NP1] no policy: everything allowed and not isolated', () => {
    const v = ev(set(), xa, xb);
    expect(v.allowed).toBe(true);
    expect(v.ingress).toMatchObject({ isolated: false, decidedBy: { kind: 'not-isolated' } });
    expect(v.egress).toMatchObject({ isolated: false, decidedBy: { kind: 'not-isolated' } });
  });

  it('[NP1] a policy isolates only the pods it selects, in its own namespace', () => {
    const s = set(denyIngressB);
    const v = ev(s, xa, xb);
    expect(v.allowed).toBe(false);
    expect(v.ingress).toEqual({
      allowed: false,
      isolated: true,
      policies: ['x/default-deny-ingress'],
      decidedBy: { kind: 'no-rule-matched', policies: ['x/default-deny-ingress'] },
    });
    expect(v.reason).toBe(
      'x/b is isolated for ingress by default-deny-ingress and no rule allows TCP/80 from x/a',
    );
    expect(ev(s, xb, xa).allowed).toBe(true);
    // y/a has label pod=a too but lives in another namespace.
    expect(ev(s, xa, pod('y', 'b')).allowed).toBe(true);
    expect(policiesSelecting(s, xb)).toEqual({ ingress: ['x/default-deny-ingress'], egress: [] });
  });

  it('[NP2] egress: [] without policyTypes does not isolate egress; egress rules ignored without Egress', () => {
    expect(ev(set(np('x', 'p', { egress: [] })), xa, ya).egress.isolated).toBe(false);
    const s = set(
      np('x', 'p', { policyTypes: ['Ingress'], ingress: [{}], egress: [{ to: [{ podSelector: {} }] }] }),
    );
    expect(ev(s, xa, ya).allowed).toBe(true);
    expect(policiesSelecting(s, xa)).toEqual({ ingress: ['x/p'], egress: [] });
    const eg = set(np('x', 'e', { policyTypes: ['Egress'] }));
    expect(ev(eg, xa, ya).egress.decidedBy).toEqual({ kind: 'no-rule-matched', policies: ['x/e'] });
    expect(ev(eg, ya, xa).allowed).toBe(true);
  });

  it('[NP3] rules OR across policies; peers AND ports within a rule', () => {
    const s = set(
      denyIngressB,
      np('x', 'allow-a-81', {
        podSelector: { matchLabels: { pod: 'b' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'a' } } }], ports: [{ port: 81 }] }],
      }),
    );
    expect(ev(s, xa, xb, 80).allowed).toBe(false);
    const v = ev(s, xa, xb, 81);
    expect(v.allowed).toBe(true);
    expect(v.ingress.decidedBy).toEqual({ kind: 'rule', policy: 'x/allow-a-81', rule: 'ingress[0]' });
    expect(v.ingress.policies).toEqual(['x/allow-a-81', 'x/default-deny-ingress']);
    expect(ev(s, ya, xb, 81).allowed).toBe(false);
  });

  it('[NP4] numeric, endPort range inclusive, protocol exact, port omitted = all ports of that protocol', () => {
    const s = set(
      np('x', 'p', {
        podSelector: { matchLabels: { pod: 'b' } },
        ingress: [{ ports: [{ port: 100, endPort: 110 }, { protocol: 'UDP' }] }],
      }),
    );
    expect([99, 100, 105, 110, 111].map((p) => ev(s, xa, xb, p).allowed)).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    expect(ev(s, xa, xb, 100, 'SCTP').allowed).toBe(false);
    expect(ev(s, xa, xb, 5353, 'UDP').allowed).toBe(true);
  });

  it('[NP4] a named port resolves on the destination pod by name and protocol (egress: the peer)', () => {
    const ing = set(np('x', 'p', { ingress: [{ ports: [{ port: 'http' }] }] }));
    expect(ev(ing, xa, xb, 8080).allowed).toBe(true);
    expect(ev(ing, xa, xb, 8080, 'UDP').allowed).toBe(false);
    expect(ev(ing, xa, xb, 9090).allowed).toBe(false);
    const eg = set(np('x', 'p', { policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] }));
    expect(ev(eg, xa, ya, 9090).allowed).toBe(true);
    expect(ev(eg, xa, ya, 8080).allowed).toBe(false);
    // A named port never matches a destination that is not a pod.
    expect(ev(eg, xa, external('8.8.8.8'), 9090).allowed).toBe(false);
  });

  it('[NP5] empty from/ports match everything, including non-pod sources', () => {
    const s = set(np('x', 'p', { ingress: [{ from: [], ports: [] }] }));
    expect(ev(s, external('203.0.113.9'), xb, 1, 'SCTP').allowed).toBe(true);
  });

  it('[NP6] podSelector-only peer is namespace-local; namespaceSelector+podSelector is AND', () => {
    const local = set(
      np('x', 'p', {
        podSelector: { matchLabels: { pod: 'b' } },
        ingress: [{ from: [{ podSelector: {} }] }],
      }),
    );
    expect(ev(local, xa, xb).allowed).toBe(true);
    expect(ev(local, ya, xb).allowed).toBe(false);
    const and = set(
      np('x', 'p', {
        podSelector: { matchLabels: { pod: 'b' } },
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { team: 'b' } },
                podSelector: { matchLabels: { pod: 'a' } },
              },
            ],
          },
        ],
      }),
    );
    expect(ev(and, ya, xb).allowed).toBe(true);
    expect(ev(and, xa, xb).allowed).toBe(false);
    expect(ev(and, pod('y', 'c'), xb).allowed).toBe(false);
  });

  it('[NP7] both the source egress and the destination ingress must allow', () => {
    const s = set(
      np('x', 'eg', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Egress'] }),
      np('y', 'in', { ingress: [{ from: [{ namespaceSelector: {} }] }] }),
    );
    const v = ev(s, xa, ya);
    expect(v.allowed).toBe(false);
    expect(v.ingress.allowed).toBe(true);
    expect(v.egress.allowed).toBe(false);
    expect(v.reason).toBe('x/a is isolated for egress by eg and no rule allows TCP/80 to y/a');
  });

  it('[NP8] ipBlock is cidr minus except and matches pods, nodes and external addresses', () => {
    const s = set(
      np('x', 'p', { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.244.1.0/24'] } }] }] }),
    );
    expect(ev(s, external('10.9.9.9'), xb).allowed).toBe(true);
    expect(ev(s, node('node-9', '10.1.0.5'), xb).allowed).toBe(true);
    expect(ev(s, xa, xb).allowed).toBe(false); // 10.244.1.x is excepted
    expect(ev(s, external('192.168.0.1'), xb).allowed).toBe(false);
  });

  it('[NP9] selectors never match nodes or external addresses, which are never isolated', () => {
    const s = set(np('x', 'p', { ingress: [{ from: [{ namespaceSelector: {} }] }] }));
    expect(ev(s, node('node-2', '172.18.0.3'), xb).allowed).toBe(false);
    const v = ev(s, external('1.2.3.4'), xb);
    expect(v.allowed).toBe(false);
    expect(v.egress.decidedBy).toEqual({ kind: 'not-a-pod' });
    expect(ev(s, xb, external('1.2.3.4')).ingress).toMatchObject({ allowed: true, isolated: false });
  });

  it('[NP10] namespaces can be selected by kubernetes.io/metadata.name', () => {
    const s = set(
      np('x', 'p', {
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] }],
      }),
    );
    expect(ev(s, ya, xb).allowed).toBe(true);
    expect(ev(s, xa, xb).allowed).toBe(false);
  });

  it('[NP11] traffic from the pod’s own node is always allowed in, other nodes are not', () => {
    const s = set(np('x', 'deny', {}));
    const v = ev(s, node('node-1', '172.18.0.2'), xb);
    expect(v.allowed).toBe(true);
    expect(v.ingress).toMatchObject({ isolated: true, decidedBy: { kind: 'local-node' } });
    expect(ev(s, node('node-2', '172.18.0.3'), xb).allowed).toBe(false);
  });

  it('[NP12] a pod can always reach itself', () => {
    const s = set(np('x', 'deny', { policyTypes: ['Ingress', 'Egress'] }));
    const v = ev(s, xb, xb);
    expect(v.allowed).toBe(true);
    expect(v.ingress).toMatchObject({ isolated: true, decidedBy: { kind: 'self' } });
    expect(reachabilityMatrix(s, PODS, 80, 'TCP')).toEqual(Uint8Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]));
  });

  it('[NP13] the first allowing rule in key order decides, and the reason reads plainly', () => {
    const s = set(
      np('x', 'b-allow', { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }),
      np('x', 'a-allow', { ingress: [{ ports: [{ port: 81 }] }, { from: [{ podSelector: {} }] }] }),
    );
    const v = ev(s, xa, xb);
    expect(v.ingress.decidedBy).toEqual({ kind: 'rule', policy: 'x/a-allow', rule: 'ingress[1]' });
    expect(v.reason).toBe(
      'TCP/80 from x/a to x/b is allowed: no policy isolates x/a for egress, and a-allow ingress[1] allows TCP/80 from x/a',
    );
  });

  it('[NP3] reachabilityMatrix agrees with evaluate on every cell', () => {
    const many = [...PODS, pod('y', 'b', { role: 'db' }), pod('x', 'c', { role: 'db' })];
    const s = set(
      np('x', 'db', {
        podSelector: { matchLabels: { role: 'db' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }],
            ports: [{ port: 'http' }, { port: 80 }],
          },
        ],
        egress: [
          {
            to: [{ ipBlock: { cidr: '10.244.0.0/16', except: [`${xa.ip}/32`] } }],
            ports: [{ port: 'http' }],
          },
        ],
      }),
      np('y', 'in', { podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['a'] }] } }),
    );
    for (const [port, proto] of [
      [80, 'TCP'],
      [8080, 'TCP'],
      [9090, 'TCP'],
      [80, 'UDP'],
    ] as const) {
      const m = reachabilityMatrix(s, many, port, proto);
      many.forEach((a, i) =>
        many.forEach((b, j) =>
          expect(m[i * many.length + j], `${a.name}->${b.name} ${port}`).toBe(
            ev(s, a, b, port, proto).allowed ? 1 : 0,
          ),
        ),
      );
    }
  });
});

describe('describePolicy', () => {
  it('[NP2] says what the policy isolates and lists its rules in plain words', () => {
    expect(
      describePolicy(
        np('x', 'web', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { team: 'b' } },
                  podSelector: { matchLabels: { app: 'fe' } },
                },
                { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
              ],
              ports: [{ port: 80 }, { port: 'http', protocol: 'UDP' }, { port: 1000, endPort: 2000 }],
            },
          ],
          egress: [],
        }),
      ),
    ).toEqual([
      'Selects pods with app=web in namespace x.',
      'Ingress: isolated; only traffic matching one of these rules (or a rule of another policy selecting the pod) is allowed:',
      '  ingress[0]: allows traffic from pods with app=fe in namespaces with team=b OR IP block 10.0.0.0/8 except 10.1.0.0/16, on TCP/80 OR UDP port named "http" (on the destination pod) OR TCP ports 1000-2000.',
      'Egress: not isolated by this policy.',
    ]);
    expect(describePolicy(np('x', 'deny', { policyTypes: ['Egress'], ingress: [{}] }))).toEqual([
      'Selects every pod in namespace x.',
      'Ingress: not isolated by this policy; its ingress rules are ignored because policyTypes does not list Ingress.',
      'Egress: isolated, and no rule allows anything: all egress traffic of the selected pods is denied unless another policy allows it.',
    ]);
  });
});
