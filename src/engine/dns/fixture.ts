// Test support: a DnsView built by hand from manifests, standing in for the engine's object store
// and controllers (IPs are synthetic; EndpointSlices follow the EndpointSlice controller:
// selected Pods with an IP, ready unless not ready and publishNotReadyAddresses is off, named
// target ports resolved per Pod, hostname when spec.hostname is set and spec.subdomain names the
// Service).
import type { Container, Namespace, Pod, Service } from 'kubernetes-types/core/v1';
import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1';
import { parseAllDocuments } from 'yaml';
import { matchesMap } from '../api/labels';
import type { IPv4 } from '../net/ip';
import type { DnsRecord, DnsView } from './types';

export const DNS_SERVICE_IP = '10.96.0.10' as IPv4;

type Doc = { kind?: string; metadata?: { name?: string; namespace?: string } };

/** The lab's small simulated internet. */
export const UPSTREAM: ReadonlyMap<string, readonly DnsRecord[]> = new Map([
  ['example.com.', [{ type: 'A', name: 'example.com.', data: '93.184.215.14', ttl: 300 }]],
  ['www.example.com.', [{ type: 'CNAME', name: 'www.example.com.', data: 'example.com.', ttl: 120 }]],
  [
    'my.database.example.com.',
    [{ type: 'A', name: 'my.database.example.com.', data: '203.0.113.10', ttl: 60 }],
  ],
  [
    '14.215.184.93.in-addr.arpa.',
    [{ type: 'PTR', name: '14.215.184.93.in-addr.arpa.', data: 'example.com.', ttl: 3600 }],
  ],
]);

export interface BuildOptions {
  /** `ns/pod` → { ready } */
  readonly podStates?: Readonly<Record<string, { ready?: boolean }>>;
  readonly nodeResolvConf?: DnsView['nodeResolvConf'];
  readonly upstream?: ReadonlyMap<string, readonly DnsRecord[]>;
}

const refOf = (o: Doc): string => `${o.metadata?.namespace ?? 'default'}/${o.metadata?.name ?? ''}`;

/** A readinessProbe that execs `false` keeps the Pod never Ready (engine-protocol). */
const failsReadiness = (c: Container): boolean => {
  const cmd = c.readinessProbe?.exec?.command;
  return cmd?.length === 1 && (cmd[0] === 'false' || cmd[0] === '/bin/false');
};

/** The kube-apiserver's built-in Service and kubeadm's kube-dns. */
function builtinServices(): Service[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default' },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.96.0.1',
        clusterIPs: ['10.96.0.1'],
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
      spec: {
        type: 'ClusterIP',
        clusterIP: DNS_SERVICE_IP,
        clusterIPs: [DNS_SERVICE_IP],
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      },
    },
  ];
}

/** EndpointSlices of one Service: one slice per distinct resolved port set, as the controller groups them. */
export function slicesFor(svc: Service, pods: readonly Pod[], readyOf: (p: Pod) => boolean): EndpointSlice[] {
  const ns = svc.metadata?.namespace ?? 'default';
  const name = svc.metadata?.name ?? '';
  if (!svc.spec?.selector || svc.spec.type === 'ExternalName') return [];
  const groups = new Map<string, EndpointSlice & { endpoints: Endpoint[] }>();
  for (const pod of pods) {
    if ((pod.metadata?.namespace ?? 'default') !== ns || !pod.status?.podIP) continue;
    if (!matchesMap(svc.spec.selector, pod.metadata?.labels)) continue;
    const ports = (svc.spec.ports ?? []).flatMap((p) => {
      const protocol = p.protocol ?? 'TCP';
      const tp = p.targetPort ?? p.port;
      let port: number | undefined = typeof tp === 'number' ? tp : undefined;
      if (typeof tp === 'string') {
        const all = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
        port = all.find((cp) => cp.name === tp && (cp.protocol ?? 'TCP') === protocol)?.containerPort;
      }
      return port === undefined ? [] : [{ name: p.name ?? '', port, protocol }];
    });
    const key = JSON.stringify(ports);
    const slice = groups.get(key) ?? {
      apiVersion: 'discovery.k8s.io/v1' as const,
      kind: 'EndpointSlice',
      addressType: 'IPv4',
      metadata: {
        name: `${name}-${groups.size}`,
        namespace: ns,
        labels: { 'kubernetes.io/service-name': name },
      },
      ports,
      endpoints: [] as Endpoint[],
    };
    groups.set(key, slice);
    const ready = svc.spec.publishNotReadyAddresses === true || readyOf(pod);
    slice.endpoints.push({
      addresses: [pod.status.podIP],
      conditions: { ready, serving: readyOf(pod), terminating: false },
      targetRef: { kind: 'Pod', name: pod.metadata?.name ?? '', namespace: ns },
      ...(pod.spec?.hostname && pod.spec.subdomain === name ? { hostname: pod.spec.hostname } : {}),
    });
  }
  return [...groups.values()];
}

/** Builds the view a fresh cluster would have after applying `manifests`. */
export function buildView(manifests: string, opts: BuildOptions = {}): DnsView {
  const docs = parseAllDocuments(manifests)
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => !!d);
  const namespaces = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  for (const d of docs) if (d.kind === 'Namespace') namespaces.add((d as Namespace).metadata?.name ?? '');
  let podN = 0;
  const pods: Pod[] = docs
    .filter((d): d is Pod & Doc => d.kind === 'Pod')
    .map((p) => {
      podN += 1;
      const podIP = p.spec?.hostNetwork ? '172.18.0.2' : `10.244.${1 + (podN >> 8)}.${podN & 255}`;
      return {
        ...p,
        metadata: { ...p.metadata, namespace: p.metadata?.namespace ?? 'default' },
        spec: { dnsPolicy: 'ClusterFirst', ...p.spec, containers: p.spec?.containers ?? [] },
        status: { phase: 'Running', podIP, podIPs: [{ ip: podIP }] },
      };
    });
  const notReady = new Set(
    Object.entries(opts.podStates ?? {})
      .filter(([, s]) => s.ready === false)
      .map(([k]) => k),
  );
  const readyOf = (p: Pod): boolean =>
    !notReady.has(refOf(p)) && !(p.spec?.containers ?? []).some(failsReadiness);
  let svcN = 19;
  const services: Service[] = [
    ...builtinServices(),
    ...docs
      .filter((d): d is Service & Doc => d.kind === 'Service')
      .map((s): Service => {
        const spec = s.spec ?? {};
        const type = spec.type ?? 'ClusterIP';
        svcN += 1;
        const clusterIP =
          type === 'ExternalName' ? undefined : (spec.clusterIP ?? `10.96.${svcN >> 8}.${svcN & 255}`);
        return {
          ...s,
          metadata: { ...s.metadata, namespace: s.metadata?.namespace ?? 'default' },
          spec: {
            ...spec,
            type,
            ...(clusterIP !== undefined ? { clusterIP, clusterIPs: [clusterIP] } : {}),
            ports: (spec.ports ?? []).map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' })),
          },
        };
      }),
  ];
  return {
    clusterDomain: 'cluster.local',
    dnsServiceIP: DNS_SERVICE_IP,
    services,
    endpointSlices: services.flatMap((s) => slicesFor(s, pods, readyOf)),
    pods,
    namespaces: [...namespaces],
    nodeResolvConf: opts.nodeResolvConf ?? { nameservers: ['172.18.0.1'], search: [] },
    upstream: opts.upstream ?? UPSTREAM,
  };
}

/** `ns/name` lookups the tests use to resolve the notation's symbols. */
export function podOf(view: DnsView, ref: string): Pod {
  const p = view.pods.find((x) => refOf(x) === ref);
  if (!p) throw new Error(`no Pod ${ref}`);
  return p;
}
export function serviceOf(view: DnsView, ref: string): Service {
  const s = view.services.find((x) => refOf(x) === ref);
  if (!s) throw new Error(`no Service ${ref}`);
  return s;
}
