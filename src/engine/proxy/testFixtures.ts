// Test fixtures: a three-node cluster and small builders for Services and EndpointSlices.
import type { Service, ServiceSpec } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { IPv4 } from '../net/ip';
import type { NodeInfo, Protocol } from '../types';
import type { ProxyMode, ProxyView } from './types';

export const NODES: readonly NodeInfo[] = [
  { name: 'node-a', internalIP: '172.18.0.2' as IPv4, podCIDR: '10.244.0.0/24' },
  { name: 'node-b', internalIP: '172.18.0.3' as IPv4, podCIDR: '10.244.1.0/24' },
  { name: 'node-c', internalIP: '172.18.0.4' as IPv4, podCIDR: '10.244.2.0/24' },
];

export const ip = (s: string): IPv4 => s as IPv4;

export function svc(name: string, spec: ServiceSpec, lbIP?: string, ns = 'svc-lab'): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: {
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ...spec,
    },
    ...(lbIP ? { status: { loadBalancer: { ingress: [{ ip: lbIP }] } } } : {}),
  };
}

export interface EpSpec {
  readonly ip: string;
  readonly node: string;
  readonly pod: string;
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
}

export function slice(
  service: string,
  eps: readonly EpSpec[],
  port: { name?: string; port: number; protocol?: Protocol } = { name: '', port: 8080 },
  ns = 'svc-lab',
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-x1`, namespace: ns, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: [{ name: port.name ?? '', port: port.port, protocol: port.protocol ?? 'TCP' }],
    endpoints: eps.map((e) => ({
      addresses: [e.ip],
      conditions: {
        ready: e.ready ?? true,
        serving: e.serving ?? e.ready ?? true,
        terminating: e.terminating ?? false,
      },
      nodeName: e.node,
      targetRef: { kind: 'Pod', namespace: ns, name: e.pod },
    })),
  };
}

export function view(
  services: Service[],
  endpointSlices: EndpointSlice[],
  mode: ProxyMode = 'iptables',
): ProxyView {
  return { mode, nodes: NODES, services, endpointSlices, clusterCIDR: '10.244.0.0/16' };
}

/** mulberry32: a small seeded PRNG for deterministic tests. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const WEB_EPS: readonly EpSpec[] = [
  { ip: '10.244.0.5', node: 'node-a', pod: 'web-1' },
  { ip: '10.244.1.5', node: 'node-b', pod: 'web-2' },
  { ip: '10.244.2.5', node: 'node-c', pod: 'web-3' },
];
