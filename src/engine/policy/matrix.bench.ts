// `npx vitest bench --run src/engine/policy`: the full 1,000 x 1,000 matrix (1,000 pods in 100
// namespaces, 200 policies) and single evaluate calls. Printed, not asserted.
import type { Namespace } from 'kubernetes-types/core/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import { bench, describe } from 'vitest';
import type { IPv4 } from '../net/ip';
import type { PodEndpoint } from '../types';
import { compilePolicies } from './compile';
import { evaluate, podEndpoint, reachabilityMatrix } from './evaluate';

// A fixed LCG so the scenario is the same on every run.
let seed = 42;
const rnd = (n: number): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed % n;
};

const APPS = ['web', 'api', 'db', 'cache', 'worker'];
const namespaces: Namespace[] = Array.from({ length: 100 }, (_, i) => ({
  metadata: { name: `ns-${i}`, labels: { team: `t${i % 10}`, env: i % 2 ? 'prod' : 'dev' } },
}));
const pods: PodEndpoint[] = Array.from({ length: 1000 }, (_, k) => ({
  namespace: `ns-${k % 100}`,
  name: `pod-${k}`,
  labels: { app: APPS[k % 5] ?? 'web', tier: `t${rnd(3)}` },
  ip: `10.244.${k >> 8}.${k & 255}` as IPv4,
  nodeName: `node-${k % 10}`,
  ports: [
    { name: 'http', containerPort: 80 + (k % 2), protocol: 'TCP' },
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
  ],
}));
const policies: NetworkPolicy[] = Array.from({ length: 200 }, (_, i): NetworkPolicy => {
  const namespace = `ns-${i % 100}`;
  if (i < 100)
    return {
      metadata: { namespace, name: `allow-${i}` },
      spec: {
        podSelector: { matchLabels: { app: APPS[rnd(5)] ?? 'web' } },
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { team: `t${rnd(10)}` } },
                podSelector: { matchLabels: { app: 'web' } },
              },
              { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['t0', 't1'] }] } },
            ],
            ports: [{ port: 'http' }, { port: 8000, endPort: 8100 }],
          },
          { from: [{ ipBlock: { cidr: '10.244.0.0/16', except: [`10.244.${rnd(4)}.0/24`] } }] },
        ],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { env: 'prod' } } }], ports: [{ port: 80 }] }],
        policyTypes: ['Ingress', 'Egress'],
      },
    };
  return { metadata: { namespace, name: `deny-${i}` }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
});

describe('NetworkPolicy, 1,000 pods / 100 namespaces / 200 policies', () => {
  const set = compilePolicies(policies, namespaces);
  bench('compilePolicies', () => {
    compilePolicies(policies, namespaces);
  });
  bench('reachabilityMatrix 1,000 x 1,000 (TCP/80)', () => {
    reachabilityMatrix(set, pods, 80, 'TCP');
  });
  const eps = pods.map(podEndpoint);
  let k = 0;
  bench('evaluate (one pair)', () => {
    const a = eps[k % 1000];
    const b = eps[(k * 7 + 13) % 1000];
    k++;
    if (a && b) evaluate(set, a, b, 80, 'TCP');
  });
});
