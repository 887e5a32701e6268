// The Service registry's allocations (pkg/registry/core/service): ClusterIPs from the Service CIDR
// and node ports from the node-port range, requested ones checked, the rest chosen at random from
// the upper band of the range first (KEP-3070 for ClusterIPs, KEP-3668 for node ports).
import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import { invalid, root, type FieldError } from '../api/field';
import { intToIp, ipToInt, isIPv4, parseCidr } from '../net/ip';
import type { Rng } from '../rng';
import type { KubeObject } from './objects';
import type { ReadonlyStore } from './store';
import { NODE_PORT_RANGE, type ClusterSettings } from './settings';

type S = Service & KubeObject;

export function admitService(
  svc: S,
  store: ReadonlyStore,
  rng: Rng,
  settings: ClusterSettings,
  existing: S | undefined,
): { object: S } | { errors: FieldError[] } {
  const spec = { ...svc.spec };
  const errors: FieldError[] = [];
  // Allocation needs no order: iterate the store directly rather than its sorted list, which every
  // write invalidates (a thousand Services applied in one file would re-sort it a thousand times).
  const others = [...store.values<S>('Service')].filter((s) => s.metadata.uid !== existing?.metadata.uid);
  const type = spec.type ?? 'ClusterIP';

  // ClusterIP
  if (type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  } else if (existing?.spec?.clusterIP && spec.clusterIP === undefined) {
    spec.clusterIP = existing.spec.clusterIP;
    spec.clusterIPs = existing.spec.clusterIPs;
  } else if (existing?.spec?.clusterIP && spec.clusterIP !== existing.spec.clusterIP) {
    errors.push(
      invalid(root('spec').child('clusterIPs').index(0), spec.clusterIP, 'may not change once set'),
    );
  } else if (spec.clusterIP === 'None') {
    spec.clusterIPs = ['None'];
  } else if (!existing) {
    const cidr = parseCidr(settings.serviceCIDR);
    const used = new Set(others.map((s) => s.spec?.clusterIP).filter(Boolean));
    if (spec.clusterIP) {
      const ip = spec.clusterIP;
      const detail = !isIPv4(ip)
        ? `failed to allocate IP ${ip}: not a valid IP`
        : !cidr || (ipToInt(ip) & cidr.mask) >>> 0 !== cidr.base
          ? `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${settings.serviceCIDR}`
          : used.has(ip)
            ? `failed to allocate IP ${ip}: provided IP is already allocated`
            : null;
      if (detail) errors.push(invalid(root('spec').child('clusterIPs'), [ip], detail));
      else spec.clusterIPs = [ip];
    } else if (cidr) {
      const size = 2 ** (32 - cidr.prefix);
      const offset = Math.min(Math.max(16, Math.floor(size / 16)), 256);
      let ip: string | undefined;
      for (let tries = 0; tries < 1000 && !ip; tries++) {
        const candidate = intToIp(cidr.base + rng.int(offset, size - 2));
        if (!used.has(candidate)) ip = candidate;
      }
      if (!ip)
        errors.push(
          invalid(root('spec').child('clusterIPs'), [], 'failed to allocate a serviceIP: range is full'),
        );
      else {
        spec.clusterIP = ip;
        spec.clusterIPs = [ip];
      }
    }
  }

  // Node ports
  const wantsNodePorts =
    type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  const usedPorts = new Set<string>();
  for (const s of others)
    for (const p of s.spec?.ports ?? [])
      if (p.nodePort) usedPorts.add(`${p.nodePort}/${p.protocol ?? 'TCP'}`);
  const keepFrom = new Map(
    (existing?.spec?.ports ?? []).map((p) => [`${p.port}/${p.protocol ?? 'TCP'}`, p.nodePort]),
  );
  const ports: ServicePort[] = (spec.ports ?? []).map((p, i) => {
    const path = root('spec').child('ports').index(i).child('nodePort');
    const proto = p.protocol ?? 'TCP';
    if (!wantsNodePorts) {
      if (p.nodePort && type === 'ClusterIP')
        errors.push(invalid(path, p.nodePort, "may not be used when `type` is 'ClusterIP'"));
      const { nodePort: _drop, ...rest } = p;
      void _drop;
      return rest;
    }
    let np = p.nodePort ?? keepFrom.get(`${p.port}/${proto}`);
    if (np !== undefined && np === p.nodePort && keepFrom.get(`${p.port}/${proto}`) !== np) {
      if (np < NODE_PORT_RANGE.min || np > NODE_PORT_RANGE.max)
        errors.push(
          invalid(
            path,
            np,
            `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`,
          ),
        );
      else if (usedPorts.has(`${np}/${proto}`))
        errors.push(invalid(path, np, 'provided port is already allocated'));
    }
    if (np === undefined) {
      const offset =
        NODE_PORT_RANGE.min +
        Math.min(Math.max(16, Math.floor((NODE_PORT_RANGE.max - NODE_PORT_RANGE.min + 1) / 32)), 128);
      for (let tries = 0; tries < 5000 && np === undefined; tries++) {
        const candidate = rng.int(offset, NODE_PORT_RANGE.max);
        if (!usedPorts.has(`${candidate}/${proto}`)) np = candidate;
      }
    }
    if (np !== undefined) usedPorts.add(`${np}/${proto}`);
    return np !== undefined ? { ...p, nodePort: np } : p;
  });
  if (spec.ports) spec.ports = ports;

  // healthCheckNodePort for LoadBalancer with externalTrafficPolicy Local.
  if (type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' && !spec.healthCheckNodePort) {
    spec.healthCheckNodePort = existing?.spec?.healthCheckNodePort ?? rng.int(30086, NODE_PORT_RANGE.max);
  }
  if (errors.length) return { errors };
  return { object: { ...svc, spec } };
}
