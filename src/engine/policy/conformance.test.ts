// Every probe of shared/conformance/cases/netpol.json, through compilePolicies + evaluate, and the
// same cells through reachabilityMatrix.
import { readFileSync } from 'node:fs';
import type { Namespace, Node, Pod } from 'kubernetes-types/core/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { IPv4 } from '../net/ip';
import type { NetEndpoint, PodEndpoint, Protocol } from '../types';
import { compilePolicies } from './compile';
import { evaluate, podEndpoint, reachabilityMatrix } from './evaluate';

interface Probe {
  from?: string;
  fromNode?: string;
  to: string;
  port: number;
  protocol: Protocol;
  expect: boolean;
  loopback?: boolean;
}
interface Case {
  id: string;
  manifests: string;
  probes: Probe[];
  nodeProbes?: Probe[];
}
const suite = JSON.parse(
  readFileSync(new URL('../../../../shared/conformance/cases/netpol.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

type Doc = { kind?: string };

function build(c: Case) {
  const docs = parseAllDocuments(c.manifests)
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => !!d);
  const namespaces = docs.filter((d): d is Namespace & Doc => d.kind === 'Namespace');
  const nodes = docs.filter((d): d is Node & Doc => d.kind === 'Node');
  const policies = docs.filter((d): d is NetworkPolicy & Doc => d.kind === 'NetworkPolicy');
  const nodeIndex = new Map(nodes.map((n, i) => [n.metadata?.name ?? '', i + 1]));
  const pods: PodEndpoint[] = docs
    .filter((d): d is Pod & Doc => d.kind === 'Pod')
    .map((p, k) => {
      const nodeName = p.spec?.nodeName ?? 'node-1';
      return {
        namespace: p.metadata?.namespace ?? 'default',
        name: p.metadata?.name ?? '',
        labels: p.metadata?.labels ?? {},
        // Synthetic pod IPs from the node's (made-up) pod CIDR 10.244.<n>.0/24.
        ip: `10.244.${nodeIndex.get(nodeName) ?? 1}.${k + 2}` as IPv4,
        nodeName,
        ports: (p.spec?.containers ?? []).flatMap((ct) =>
          (ct.ports ?? []).map((cp) => ({
            ...(cp.name ? { name: cp.name } : {}),
            containerPort: cp.containerPort,
            protocol: (cp.protocol ?? 'TCP') as Protocol,
          })),
        ),
      };
    });
  const nodeEndpoint = (name: string): NetEndpoint => {
    const n = nodes.find((x) => x.metadata?.name === name);
    const ip = n?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (!ip) throw new Error(`no node ${name}`);
    return { kind: 'node', node: name, ip: ip as IPv4 };
  };
  return { set: compilePolicies(policies, namespaces), pods, nodeEndpoint };
}

describe('[NP] netpol.json conformance: every probe', () => {
  it('has all 28 cases', () => expect(suite.cases).toHaveLength(28));
  for (const c of suite.cases) {
    it(`${c.id}`, () => {
      const { set, pods, nodeEndpoint } = build(c);
      const pod = (ref: string): PodEndpoint => {
        const p = pods.find((x) => `${x.namespace}/${x.name}` === ref);
        if (!p) throw new Error(`no pod ${ref}`);
        return p;
      };
      const wrong: string[] = [];
      const matrices = new Map<string, Uint8Array>();
      for (const pr of c.probes) {
        const src = pod(pr.from ?? '');
        const dst = pod(pr.to);
        const v = evaluate(set, podEndpoint(src), podEndpoint(dst), pr.port, pr.protocol);
        if (v.allowed !== pr.expect)
          wrong.push(`${pr.from} -> ${pr.to} ${pr.protocol}/${pr.port}: ${v.reason}`);
        const key = `${pr.port}/${pr.protocol}`;
        let m = matrices.get(key);
        if (!m) matrices.set(key, (m = reachabilityMatrix(set, pods, pr.port, pr.protocol)));
        const cell = m[pods.indexOf(src) * pods.length + pods.indexOf(dst)];
        if (cell !== (pr.expect ? 1 : 0)) wrong.push(`matrix ${pr.from} -> ${pr.to} ${key}: ${cell}`);
      }
      for (const pr of c.nodeProbes ?? []) {
        const v = evaluate(
          set,
          nodeEndpoint(pr.fromNode ?? ''),
          podEndpoint(pod(pr.to)),
          pr.port,
          pr.protocol,
        );
        if (v.allowed !== pr.expect)
          wrong.push(`${pr.fromNode} -> ${pr.to} ${pr.protocol}/${pr.port}: ${v.reason}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});
