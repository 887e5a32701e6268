// From Services + EndpointSlices to kube-proxy's ServicePort / Endpoint view, and the per-node
// endpoint categorisation. Follows pkg/proxy/serviceport.go, pkg/proxy/endpointslicecache.go and
// pkg/proxy/topology.go (CategorizeEndpoints).
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { isIPv4, type IPv4 } from '../net/ip';
import type { Protocol } from '../types';
import { base32Std, sha256 } from './sha256';

/** The label tying an EndpointSlice to its Service (discovery.k8s.io/v1 LabelServiceName). */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';

/** sessionAffinityConfig.clientIP.timeoutSeconds default (pkg/apis/core/v1/defaults.go). */
export const DEFAULT_AFFINITY_TIMEOUT = 10800;

export interface EndpointInfo {
  readonly ip: IPv4;
  readonly port: number;
  /** Endpoint.String(): `ip:port` (net.JoinHostPort). */
  readonly str: string;
  readonly pod: string;
  readonly nodeName: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly sepChain: string;
}

export interface ServicePortInfo {
  readonly namespace: string;
  readonly name: string;
  readonly portName: string;
  /** ServicePortName.String(): `ns/name:port`, or `ns/name` for an unnamed port. */
  readonly nameString: string;
  readonly protocol: Protocol;
  /** Lower-case protocol as kube-proxy writes it into rules and hashes. */
  readonly proto: 'tcp' | 'udp' | 'sctp';
  readonly clusterIP: IPv4;
  readonly port: number;
  readonly nodePort: number;
  readonly healthCheckNodePort: number;
  readonly loadBalancerVIPs: readonly IPv4[];
  readonly externalIPs: readonly IPv4[];
  readonly loadBalancerSourceRanges: readonly string[];
  readonly internalPolicyLocal: boolean;
  readonly externalPolicyLocal: boolean;
  /** null when sessionAffinity is None. */
  readonly stickyMaxAgeSeconds: number | null;
  /** Sorted by Endpoint.String(), as endpointsMapFromEndpointInfo sorts them. */
  readonly endpoints: readonly EndpointInfo[];
  readonly svcChain: string;
  readonly svlChain: string;
  readonly extChain: string;
  readonly fwChain: string;
}

// portProtoHash: base32(sha256(servicePortName + protocol))[:16]
// (pkg/proxy/iptables/proxier.go).
export function portProtoHash(servicePortName: string, protocol: string): string {
  return base32Std(sha256(servicePortName + protocol)).slice(0, 16);
}

export const servicePortPolicyClusterChain = (spn: string, proto: string): string =>
  'KUBE-SVC-' + portProtoHash(spn, proto);
export const servicePortPolicyLocalChainName = (spn: string, proto: string): string =>
  'KUBE-SVL-' + portProtoHash(spn, proto);
export const serviceFirewallChainName = (spn: string, proto: string): string =>
  'KUBE-FW-' + portProtoHash(spn, proto);
export const serviceExternalChainName = (spn: string, proto: string): string =>
  'KUBE-EXT-' + portProtoHash(spn, proto);
/** The endpoint string takes part in the hash: one KUBE-SEP chain per (service port, endpoint). */
export const servicePortEndpointChainName = (spn: string, proto: string, endpoint: string): string =>
  'KUBE-SEP-' + base32Std(sha256(spn + proto + endpoint)).slice(0, 16);

/** ExternallyAccessible as the proxier sees it: a node port, load-balancer VIPs or external IPs. */
export const externallyAccessible = (sp: ServicePortInfo): boolean =>
  sp.nodePort !== 0 || sp.loadBalancerVIPs.length > 0 || sp.externalIPs.length > 0;

/** pkg/proxy/serviceport.go UsesClusterEndpoints / UsesLocalEndpoints. */
export const usesClusterEndpoints = (sp: ServicePortInfo): boolean =>
  !sp.internalPolicyLocal || (externallyAccessible(sp) && !sp.externalPolicyLocal);
export const usesLocalEndpoints = (sp: ServicePortInfo): boolean =>
  sp.internalPolicyLocal || (externallyAccessible(sp) && sp.externalPolicyLocal);

function toProtocol(p: string | undefined): Protocol {
  return p === 'UDP' || p === 'SCTP' ? p : 'TCP';
}

function collectEndpoints(
  svc: Service,
  portName: string,
  protocol: Protocol,
  slices: readonly EndpointSlice[],
  spn: string,
  proto: string,
): EndpointInfo[] {
  const ns = svc.metadata?.namespace ?? 'default';
  const byStr = new Map<string, EndpointInfo>();
  for (const slice of slices) {
    if ((slice.metadata?.namespace ?? 'default') !== ns) continue;
    if (slice.metadata?.labels?.[LABEL_SERVICE_NAME] !== svc.metadata?.name) continue;
    // kube-proxy is single-family per proxier; the lab is IPv4-only, FQDN slices are ignored.
    if (slice.addressType !== 'IPv4') continue;
    for (const p of slice.ports ?? []) {
      // Upstream skips a nil port name; the EndpointSlice controller always writes one ('' when the
      // Service port is unnamed), so a missing name is read as ''.
      if ((p.name ?? '') !== portName || toProtocol(p.protocol) !== protocol) continue;
      if (p.port === undefined || p.port === 0) continue;
      for (const ep of slice.endpoints) {
        const addr = ep.addresses[0];
        if (addr === undefined || !isIPv4(addr)) continue;
        // endpointslicecache.go: ready/serving default to true when unset, terminating to false.
        const ready = ep.conditions?.ready ?? true;
        const serving = ep.conditions?.serving ?? true;
        const terminating = ep.conditions?.terminating ?? false;
        const str = `${addr}:${p.port}`;
        const ref = ep.targetRef;
        const info: EndpointInfo = {
          ip: addr,
          port: p.port,
          str,
          pod: ref && (ref.kind ?? 'Pod') === 'Pod' && ref.name ? `${ref.namespace ?? ns}/${ref.name}` : '',
          nodeName: ep.nodeName ?? '',
          ready,
          serving,
          terminating,
          sepChain: servicePortEndpointChainName(spn, proto, str),
        };
        // Prefer a non-terminating endpoint when two share an address (pod IP reuse).
        if (!byStr.has(str) || !terminating) byStr.set(str, info);
      }
    }
  }
  return [...byStr.values()].sort((a, b) => (a.str < b.str ? -1 : a.str > b.str ? 1 : 0));
}

/** Every proxied Service port, sorted by name for a deterministic rule order. */
export function buildServicePorts(
  services: readonly Service[],
  slices: readonly EndpointSlice[],
): ServicePortInfo[] {
  // Index slices by namespace/service to keep this linear in the number of slices.
  const sliceIndex = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const key = `${s.metadata?.namespace ?? 'default'}/${s.metadata?.labels?.[LABEL_SERVICE_NAME] ?? ''}`;
    const list = sliceIndex.get(key);
    if (list) list.push(s);
    else sliceIndex.set(key, [s]);
  }
  const out: ServicePortInfo[] = [];
  for (const svc of services) {
    const spec = svc.spec;
    if (!spec) continue;
    // ExternalName and headless Services have no virtual IP: kube-proxy skips them
    // (ShouldSkipService in pkg/proxy/util).
    if (spec.type === 'ExternalName') continue;
    const clusterIP = spec.clusterIP;
    if (!clusterIP || clusterIP === 'None' || !isIPv4(clusterIP)) continue;
    const ns = svc.metadata?.namespace ?? 'default';
    const name = svc.metadata?.name ?? '';
    const svcSlices = sliceIndex.get(`${ns}/${name}`) ?? [];
    const accessible = (np: number): boolean =>
      np !== 0 ||
      (svc.status?.loadBalancer?.ingress ?? []).some((i) => i.ip) ||
      (spec.externalIPs ?? []).length > 0;
    for (const port of spec.ports ?? []) {
      const portName = port.name ?? '';
      const protocol = toProtocol(port.protocol);
      const proto = protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp';
      const nameString = portName ? `${ns}/${name}:${portName}` : `${ns}/${name}`;
      const nodePort = port.nodePort ?? 0;
      out.push({
        namespace: ns,
        name,
        portName,
        nameString,
        protocol,
        proto,
        clusterIP,
        port: port.port,
        nodePort,
        healthCheckNodePort: spec.healthCheckNodePort ?? 0,
        loadBalancerVIPs: (svc.status?.loadBalancer?.ingress ?? [])
          .map((i) => i.ip)
          .filter((ip): ip is IPv4 => isIPv4(ip)),
        externalIPs: (spec.externalIPs ?? []).filter((ip): ip is IPv4 => isIPv4(ip)),
        loadBalancerSourceRanges: spec.loadBalancerSourceRanges ?? [],
        internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
        externalPolicyLocal: accessible(nodePort) && spec.externalTrafficPolicy === 'Local',
        stickyMaxAgeSeconds:
          spec.sessionAffinity === 'ClientIP'
            ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT)
            : null,
        endpoints: collectEndpoints(svc, portName, protocol, svcSlices, nameString, proto),
        svcChain: servicePortPolicyClusterChain(nameString, proto),
        svlChain: servicePortPolicyLocalChainName(nameString, proto),
        extChain: serviceExternalChainName(nameString, proto),
        fwChain: serviceFirewallChainName(nameString, proto),
      });
    }
  }
  return out.sort((a, b) =>
    a.nameString === b.nameString ? (a.proto < b.proto ? -1 : 1) : a.nameString < b.nameString ? -1 : 1,
  );
}

export interface Categorized {
  readonly clusterEndpoints: readonly EndpointInfo[];
  readonly localEndpoints: readonly EndpointInfo[];
  readonly allReachableEndpoints: readonly EndpointInfo[];
  readonly hasAnyEndpoints: boolean;
}

/**
 * CategorizeEndpoints (pkg/proxy/topology.go) without topology hints: Ready endpoints, falling back
 * to serving+terminating ones independently for Cluster and Local when none is Ready (KEP-1669).
 */
export function categorizeEndpoints(sp: ServicePortInfo, nodeName: string): Categorized {
  const eps = sp.endpoints;
  let clusterEndpoints: EndpointInfo[] = [];
  let hasAnyEndpoints = false;
  const usesCluster = usesClusterEndpoints(sp);
  if (usesCluster) {
    clusterEndpoints = eps.filter((e) => e.ready);
    if (clusterEndpoints.length === 0) clusterEndpoints = eps.filter((e) => e.serving && e.terminating);
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true;
  }
  if (!usesLocalEndpoints(sp)) {
    return { clusterEndpoints, localEndpoints: [], allReachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }
  let hasLocalReady = false;
  let hasLocalServingTerminating = false;
  for (const e of eps) {
    const local = e.nodeName === nodeName;
    if (e.ready) {
      hasAnyEndpoints = true;
      if (local) hasLocalReady = true;
    } else if (e.serving && e.terminating) {
      hasAnyEndpoints = true;
      if (local) hasLocalServingTerminating = true;
    }
  }
  let localEndpoints: EndpointInfo[] = [];
  let useServingTerminating = false;
  if (hasLocalReady) localEndpoints = eps.filter((e) => e.nodeName === nodeName && e.ready);
  else if (hasLocalServingTerminating) {
    useServingTerminating = true;
    localEndpoints = eps.filter((e) => e.nodeName === nodeName && e.serving && e.terminating);
  }
  if (!usesCluster) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: localEndpoints, hasAnyEndpoints };
  }
  if (!useServingTerminating) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }
  const merged = new Map<string, EndpointInfo>();
  for (const e of clusterEndpoints) merged.set(e.str, e);
  for (const e of localEndpoints) merged.set(e.str, e);
  const allReachableEndpoints = [...merged.values()].sort((a, b) => (a.str < b.str ? -1 : 1));
  return { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints };
}
