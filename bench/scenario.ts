// Deterministic YAML for the engine benchmark: the same text on every run, so runs compare.
// Bench code, not engine code: plain string building, no engine imports.

/** A fixed LCG (Numerical Recipes constants) so every generated scenario is identical. */
export function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

export const nodeNames = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `node-${String(i).padStart(2, '0')}`);

const APPS = ['web', 'api', 'db', 'cache', 'worker'] as const;
const app = (i: number): string => APPS[i % APPS.length] ?? 'web';

const podDoc = (o: {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  nodeName?: string;
}): string =>
  [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${o.name}`,
    `  namespace: ${o.namespace}`,
    '  labels:',
    ...Object.entries(o.labels).map(([k, v]) => `    ${k}: ${v}`),
    'spec:',
    ...(o.nodeName ? [`  nodeName: ${o.nodeName}`] : []),
    '  containers:',
    '    - name: web',
    '      image: nginx:1.27',
    '      ports:',
    '        - name: http',
    '          containerPort: 80',
    '        - name: dns',
    '          containerPort: 53',
    '          protocol: UDP',
  ].join('\n');

export interface PolicyScenario {
  readonly yaml: string;
  readonly namespaces: number;
  readonly pods: number;
  readonly policies: number;
  readonly pinned: number;
  /** `ns/name` of every pod, in generation order. */
  readonly podRefs: readonly string[];
}

/**
 * 100 namespaces (team/env labels), 10 pods each (every other one pinned with spec.nodeName, the
 * rest left to the scheduler; app/tier labels varied), 2 NetworkPolicies per namespace: one
 * allow-list mixing podSelector, namespaceSelector (alone and AND-ed with a podSelector), ipBlock
 * with except, a named port and a port range, with an egress rule; one default-deny-ingress or a
 * namespace-wide ingress rule by ipBlock.
 */
export function policyScenario(
  nodes: readonly string[],
  namespaces = 100,
  podsPerNamespace = 10,
): PolicyScenario {
  const rnd = lcg(42);
  const docs: string[] = [];
  const podRefs: string[] = [];
  let pinned = 0;
  let policies = 0;
  for (let n = 0; n < namespaces; n++) {
    const ns = `ns-${String(n).padStart(3, '0')}`;
    docs.push(
      [
        'apiVersion: v1',
        'kind: Namespace',
        'metadata:',
        `  name: ${ns}`,
        '  labels:',
        `    team: t${n % 10}`,
        `    env: ${n % 2 ? 'prod' : 'dev'}`,
      ].join('\n'),
    );
    for (let p = 0; p < podsPerNamespace; p++) {
      const k = n * podsPerNamespace + p;
      const pin = p % 2 === 0;
      if (pin) pinned++;
      const name = `pod-${String(p).padStart(2, '0')}`;
      podRefs.push(`${ns}/${name}`);
      docs.push(
        podDoc({
          namespace: ns,
          name,
          labels: { app: app(k), tier: `t${rnd(3)}`, ...(k % 7 === 0 ? { canary: '"yes"' } : {}) },
          ...(pin ? { nodeName: nodes[k % nodes.length] ?? '' } : {}),
        }),
      );
    }
    policies += 2;
    docs.push(
      [
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata:',
        `  name: allow-${app(rnd(5))}`,
        `  namespace: ${ns}`,
        'spec:',
        '  podSelector:',
        '    matchLabels:',
        `      app: ${app(rnd(5))}`,
        '  policyTypes: [Ingress, Egress]',
        '  ingress:',
        '    - from:',
        '        - namespaceSelector:',
        '            matchLabels:',
        `              team: t${rnd(10)}`,
        '          podSelector:',
        '            matchLabels:',
        '              app: web',
        '        - podSelector:',
        '            matchExpressions:',
        '              - {key: tier, operator: In, values: [t0, t1]}',
        '      ports:',
        '        - port: http',
        '        - port: 8000',
        '          endPort: 8100',
        '    - from:',
        '        - ipBlock:',
        '            cidr: 10.244.0.0/16',
        `            except: [10.244.${rnd(10)}.0/24]`,
        '  egress:',
        '    - to:',
        '        - namespaceSelector:',
        '            matchLabels:',
        '              env: prod',
        '      ports:',
        '        - port: 80',
        '    - ports:',
        '        - port: 53',
        '          protocol: UDP',
      ].join('\n'),
    );
    docs.push(
      n % 3 === 0
        ? [
            'apiVersion: networking.k8s.io/v1',
            'kind: NetworkPolicy',
            'metadata:',
            '  name: default-deny-ingress',
            `  namespace: ${ns}`,
            'spec:',
            '  podSelector: {}',
            '  policyTypes: [Ingress]',
          ].join('\n')
        : [
            'apiVersion: networking.k8s.io/v1',
            'kind: NetworkPolicy',
            'metadata:',
            '  name: allow-same-team',
            `  namespace: ${ns}`,
            'spec:',
            '  podSelector:',
            '    matchExpressions:',
            '      - {key: canary, operator: DoesNotExist}',
            '  ingress:',
            '    - from:',
            '        - namespaceSelector:',
            '            matchExpressions:',
            `              - {key: team, operator: In, values: [t${n % 10}, t${(n + 1) % 10}]}`,
            '        - ipBlock:',
            '            cidr: 172.18.0.0/16',
            '      ports:',
            '        - protocol: TCP',
            '          port: 80',
          ].join('\n'),
    );
  }
  return {
    yaml: docs.join('\n---\n'),
    namespaces,
    pods: namespaces * podsPerNamespace,
    policies,
    pinned,
    podRefs,
  };
}

export interface ServiceScenario {
  /** The bare pods (applied before the timed step). */
  readonly podsYaml: string;
  /** The Services (the timed step). */
  readonly servicesYaml: string;
  readonly services: number;
  readonly pods: number;
  readonly namespaces: number;
}

/**
 * `services` ClusterIP Services, each selecting exactly `endpoints` bare Pods by an `svc` label
 * (so `services × endpoints` pods), spread over `namespaces` namespaces; pods pinned round-robin
 * to nodes so scheduling is not what is measured.
 */
export function serviceScenario(
  nodes: readonly string[],
  services = 1000,
  endpoints = 5,
  namespaces = 10,
): ServiceScenario {
  const pods: string[] = [];
  const svcs: string[] = [];
  for (let n = 0; n < namespaces; n++)
    pods.push(['apiVersion: v1', 'kind: Namespace', 'metadata:', `  name: svc-ns-${n}`].join('\n'));
  let k = 0;
  for (let s = 0; s < services; s++) {
    const ns = `svc-ns-${s % namespaces}`;
    const name = `svc-${String(s).padStart(4, '0')}`;
    for (let e = 0; e < endpoints; e++, k++)
      pods.push(
        podDoc({
          namespace: ns,
          name: `${name}-${e}`,
          labels: { svc: name, app: app(s) },
          nodeName: nodes[k % nodes.length] ?? '',
        }),
      );
    svcs.push(
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        `  name: ${name}`,
        `  namespace: ${ns}`,
        'spec:',
        '  selector:',
        `    svc: ${name}`,
        '  ports:',
        '    - name: http',
        '      port: 80',
        '      targetPort: http',
      ].join('\n'),
    );
  }
  return {
    podsYaml: pods.join('\n---\n'),
    servicesYaml: svcs.join('\n---\n'),
    services,
    pods: services * endpoints,
    namespaces,
  };
}
