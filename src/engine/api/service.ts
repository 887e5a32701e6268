// Service defaulting and validation as kube-apiserver does it on create.
//   defaulting: pkg/apis/core/v1/defaults.go (SetDefaults_Service), the Service REST strategy
//     (pkg/registry/core/service/strategy.go NormalizeClusterIPs) and the IP family initialisation
//     of pkg/registry/core/service/storage/alloc.go (single-stack IPv4 cluster).
//   validation: pkg/apis/core/validation/validation.go (ValidateService, validateServicePort,
//     ValidateServiceClusterIPsRelatedFields, validateServiceExternalTrafficPolicy, ...).
// Metadata (the DNS-1035 name) and allocation (clusterIP, nodePort range and collisions, LB IPs,
// healthCheckNodePort) are done by other layers.
//
// Rules (tests cite them; src/engine/api has no SPEC.md of its own yet):
//  [SV1] sessionAffinity defaults to None (which drops sessionAffinityConfig); ClientIP gets
//        timeoutSeconds 10800 only when it is missing.            defaults.go SetDefaults_Service
//  [SV2] ports[].protocol defaults to TCP, targetPort (unset, 0 or "") to the port number.  same
//  [SV3] externalTrafficPolicy defaults to Cluster on externally accessible Services.        same
//  [SV4] internalTrafficPolicy defaults to Cluster on ClusterIP/NodePort/LoadBalancer.        same
//  [SV5] allocateLoadBalancerNodePorts defaults to true on LoadBalancer.                      same
//  [SV6] clusterIPs mirrors clusterIP when only clusterIP is given.   strategy NormalizeClusterIPs
//  [SV7] non-ExternalName: ipFamilies [IPv4], ipFamilyPolicy SingleStack (RequireDualStack for a
//        headless Service without selector).             storage/alloc.go initIPFamilyFields
//  [SV8] defaulting returns a new object.
//  [SV9]–[SV12] ports: 1-65535; names required when >1 port, DNS-1123 labels, unique; protocol
//        TCP/UDP/SCTP; targetPort a port number or IANA_SVC_NAME.   validation.go validateServicePort
//  [SV13] selector is a label map.  [SV14] sessionAffinity None|ClientIP, config only with ClientIP.
//  [SV15] 0 < timeoutSeconds <= 86400.                 validateClientIPAffinityConfig
//  [SV16] ports required unless headless or ExternalName.  [SV17] clusterIP None forbidden for
//        NodePort/LoadBalancer (on spec.clusterIPs[0]).  [SV18] ExternalName: externalName a
//        DNS-1123 subdomain, no clusterIPs/ipFamilies/ipFamilyPolicy.         ValidateService
//  [SV19] type is ClusterIP/NodePort/LoadBalancer/ExternalName.  [SV20] nodePort forbidden on
//        ClusterIP.  [SV21] no duplicate (protocol, port) or (protocol, nodePort).      same
//  [SV22] loadBalancerSourceRanges only on LoadBalancer, valid CIDRs.  [SV23]
//        allocateLoadBalancerNodePorts / loadBalancerClass only on LoadBalancer.        same
//  [SV24] externalTrafficPolicy only on externally accessible Services, Cluster|Local.
//                                                    validateServiceExternalTrafficPolicy
//  [SV25] internalTrafficPolicy Cluster|Local.   validateServiceInternalTrafficFieldsValue
//  [SV26] clusterIPs are IPs (or a lone None), match clusterIP, one per family.
//                                                    ValidateServiceClusterIPsRelatedFields
import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1';
import ipaddr from 'ipaddr.js';
import {
  type FieldError,
  type FieldPath,
  duplicate,
  forbidden,
  invalid,
  notSupported,
  required,
  root,
} from './field';
import {
  invalidEach,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
  validateLabels,
} from './names';

/** core.MaxClientIPServiceAffinitySeconds (1 day) and DefaultClientIPServiceAffinitySeconds (3 h). */
export const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const; // sets.List order
const AFFINITY_TYPES = ['ClientIP', 'None'] as const;
const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
const TRAFFIC_POLICIES = ['Cluster', 'Local'] as const;
const IP_FAMILIES = ['IPv4', 'IPv6'] as const;
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'] as const;

const has = (list: readonly string[], v: unknown): boolean => typeof v === 'string' && list.includes(v);

/** isHeadlessService: clusterIPs is exactly ["None"] (the type does not matter). */
export function isHeadless(svc: Service): boolean {
  const ips = svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []);
  return ips.length === 1 && ips[0] === 'None';
}

/** apiservice.ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with externalIPs. */
export function isExternallyAccessible(spec: ServiceSpec | undefined): boolean {
  const type = spec?.type;
  return (
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    (type === 'ClusterIP' && (spec?.externalIPs?.length ?? 0) > 0)
  );
}

/**
 * The object the API server would validate and store (before allocation): a new object, the
 * input is not touched. [SV1]–[SV8]
 */
export function defaultService(svc: Service): Service {
  const spec: ServiceSpec = { ...(svc.spec ?? {}) };
  // [SV1] SetDefaults_Service: sessionAffinity None drops sessionAffinityConfig; ClientIP gets a
  // 10800 s timeout only when the value is missing (an explicit 0 stays and is rejected later).
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  // [SV2] protocol TCP; targetPort 0 or "" becomes the port number.
  if (spec.ports)
    spec.ports = spec.ports.map((p): ServicePort => {
      const out: ServicePort = { ...p, protocol: p.protocol || 'TCP' };
      if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') out.targetPort = p.port;
      return out;
    });
  // [SV3] externalTrafficPolicy Cluster for externally accessible Services.
  if (isExternallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  // [SV4] internalTrafficPolicy Cluster for ClusterIP/NodePort/LoadBalancer (not ExternalName).
  if (
    spec.internalTrafficPolicy == null &&
    (spec.type === 'ClusterIP' || spec.type === 'NodePort' || spec.type === 'LoadBalancer')
  )
    spec.internalTrafficPolicy = 'Cluster';
  // [SV5] allocateLoadBalancerNodePorts true for LoadBalancer.
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts == null)
    spec.allocateLoadBalancerNodePorts = true;
  // [SV6] strategy NormalizeClusterIPs: clusterIPs mirrors clusterIP when only clusterIP is given.
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
  // [SV7] alloc.go initIPFamilyFields on a single-stack IPv4 cluster: SingleStack [IPv4]; a headless
  // Service without selector defaults to RequireDualStack with the cluster's families.
  if (spec.type !== 'ExternalName') {
    if (spec.ipFamilyPolicy == null) {
      const selectorless = Object.keys(spec.selector ?? {}).length === 0;
      spec.ipFamilyPolicy = spec.clusterIP === 'None' && selectorless ? 'RequireDualStack' : 'SingleStack';
    }
    if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
  }
  return { ...svc, spec };
}

// Go's %#v of the (protocol, port) key that validation reports for a duplicate port.
const servicePortKey = (protocol: string, port: number): string =>
  `core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol)}, AppProtocol:(*string)(nil), Port:${port}, ` +
  `TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;

function duplicateRaw(path: FieldPath, goText: string): FieldError {
  const field = path.toString();
  return { field, type: 'Duplicate value', message: `${field}: Duplicate value: ${goText}` };
}

const IP_EXAMPLE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR_EXAMPLE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** netutils.ParseIPSloppy: dotted quad (leading zeros allowed) or IPv6. */
export function isIP(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s) ? s.split('.').every((o) => Number(o) <= 255) : isIPv6(s);
}
const isIPv6 = (s: string): boolean => s.includes(':') && !s.includes('%') && ipaddr.IPv6.isValid(s);

function validateIP(path: FieldPath, value: string): FieldError[] {
  return isIP(value) ? [] : [invalid(path, value, IP_EXAMPLE)];
}

function validateCIDR(path: FieldPath, value: string): FieldError[] {
  const slash = value.indexOf('/');
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  const max = isIPv6(ip) ? 128 : 32;
  const ok = slash > 0 && isIP(ip) && /^\d{1,3}$/.test(bits) && Number(bits) <= max;
  return ok ? [] : [invalid(path, value, CIDR_EXAMPLE)];
}

// ValidateNonSpecialIP (IPv4 part): externalIPs may not be special-purpose addresses.
function validateNonSpecialIP(path: FieldPath, value: string): FieldError[] {
  if (!/^\d/.test(value) || value.includes(':')) return [];
  const o = value.split('.').map(Number);
  const [a = 0, b = 0, c = 0] = o;
  if (o.every((x) => x === 0)) return [invalid(path, value, 'may not be unspecified (0.0.0.0, ::)')];
  if (a === 127) return [invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  if (a === 169 && b === 254)
    return [invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  if (a === 224 && b === 0 && c === 0)
    return [invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
  return [];
}

/** ValidatePortNumOrName: a number 1-65535 or an IANA_SVC_NAME. */
export function validatePortNumOrName(port: number | string, path: FieldPath): FieldError[] {
  return typeof port === 'number'
    ? invalidEach(path, port, isValidPortNum(port))
    : invalidEach(path, port, isValidPortName(port));
}

function validateServicePort(
  sp: ServicePort,
  requireName: boolean,
  names: Set<string>,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const name = sp.name ?? '';
  // [SV10] names are required when there is more than one port, DNS-1123 labels, unique.
  if (requireName && name === '') errs.push(required(path.child('name')));
  else if (name !== '') {
    errs.push(...invalidEach(path.child('name'), name, isDns1123Label(name)));
    if (names.has(name)) errs.push(duplicate(path.child('name'), name));
    else names.add(name);
  }
  // [SV9] port 1-65535.
  errs.push(...invalidEach(path.child('port'), sp.port ?? 0, isValidPortNum(sp.port ?? 0)));
  // [SV11] protocol TCP, UDP or SCTP.
  if (!sp.protocol) errs.push(required(path.child('protocol')));
  else if (!has(PORT_PROTOCOLS, sp.protocol))
    errs.push(notSupported(path.child('protocol'), sp.protocol, PORT_PROTOCOLS));
  // [SV12] targetPort: a port number or an IANA_SVC_NAME.
  if (sp.targetPort !== undefined)
    errs.push(...validatePortNumOrName(sp.targetPort, path.child('targetPort')));
  if (sp.appProtocol !== undefined)
    errs.push(...invalidEach(path.child('appProtocol'), sp.appProtocol, isQualifiedName(sp.appProtocol)));
  return errs;
}

// validateClientIPAffinityConfig / validateAffinityTimeout.
function validateClientIPAffinityConfig(spec: ServiceSpec, path: FieldPath): FieldError[] {
  const detail = 'when session affinity type is ClientIP';
  const cfg = spec.sessionAffinityConfig;
  if (!cfg) return [required(path, detail)];
  if (!cfg.clientIP) return [required(path.child('clientIP'), detail)];
  const t = cfg.clientIP.timeoutSeconds;
  const tPath = path.child('clientIP', 'timeoutSeconds');
  if (t == null) return [required(tPath, detail)];
  // [SV15] 0 < timeoutSeconds <= 86400 (the upstream message says "less than").
  if (t <= 0 || t > MAX_CLIENT_IP_AFFINITY_SECONDS)
    return [invalid(tPath, t, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)];
  return [];
}

// ValidateServiceClusterIPsRelatedFields (skipped for ExternalName, checked separately).
function validateClusterIPsRelated(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const specPath = root('spec');
  const ipsPath = specPath.child('clusterIPs');
  const famPath = specPath.child('ipFamilies');
  const ips = spec.clusterIPs ?? [];
  if (spec.clusterIP) {
    if (ips.length === 0) errs.push(required(ipsPath));
    else if (ips[0] !== spec.clusterIP)
      errs.push(invalid(ipsPath, ips, 'first value must match `clusterIP`'));
  } else if (ips.length > 0) {
    errs.push(invalid(ipsPath, ips, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((f, i) => {
    if (!has(IP_FAMILIES, f)) errs.push(notSupported(famPath.index(i), f, IP_FAMILIES));
    if (seen.has(f)) errs.push(duplicate(famPath.index(i), f));
    seen.add(f);
  });
  if (spec.ipFamilyPolicy != null && !has(IP_FAMILY_POLICIES, spec.ipFamilyPolicy))
    errs.push(notSupported(specPath.child('ipFamilyPolicy'), spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  let badIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        badIPs = true;
        errs.push(invalid(ipsPath, ips, "'None' must be the first and only value"));
      }
      return;
    }
    const e = validateIP(ipsPath.index(i), ip);
    if (e.length) badIPs = true;
    errs.push(...e);
  });
  if (ips.length > 2) errs.push(invalid(ipsPath, ips, 'may only hold up to 2 values'));
  if (badIPs) return errs;
  if (ips.length > 1 && isIPv6(ips[0] ?? '') === isIPv6(ips[1] ?? ''))
    errs.push(invalid(ipsPath, ips, 'may specify no more than one IP for each IP family'));
  if (!isHeadless(svc)) {
    const fams = spec.ipFamilies ?? [];
    ips.forEach((ip, i) => {
      const fam = fams[i];
      if (fam === 'IPv4' && isIPv6(ip))
        errs.push(
          invalid(ipsPath.index(i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``),
        );
      if (fam === 'IPv6' && !isIPv6(ip))
        errs.push(
          invalid(ipsPath.index(i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``),
        );
    });
  }
  return errs;
}

/**
 * ValidateService on the defaulted object (call `defaultService` first), spec only.
 * Returns the field errors in kube-apiserver wording; [] means valid.
 */
export function validateService(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const errs: FieldError[] = [];
  const specPath = root('spec');
  const portsPath = specPath.child('ports');
  const ports = spec.ports ?? [];
  const headless = isHeadless(svc);

  // [SV16] a Service needs ports unless it is headless or ExternalName.
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(required(portsPath));

  switch (spec.type) {
    // [SV17] headless is only for ClusterIP Services.
    case 'LoadBalancer':
    case 'NodePort':
      if (headless)
        errs.push(
          invalid(
            specPath.child('clusterIPs').index(0),
            'None',
            `may not be set to 'None' for ${spec.type} services`,
          ),
        );
      break;
    // [SV18] ExternalName: a DNS-1123 subdomain (one trailing dot allowed), no cluster IPs or families.
    case 'ExternalName': {
      const forbid = (f: string): FieldError =>
        forbidden(specPath.child(f), 'may not be set for ExternalName services');
      if ((spec.clusterIPs?.length ?? 0) > 0) errs.push(forbid('clusterIPs'));
      if ((spec.ipFamilies?.length ?? 0) > 0) errs.push(forbid('ipFamilies'));
      if (spec.ipFamilyPolicy != null) errs.push(forbid('ipFamilyPolicy'));
      const cname = (spec.externalName ?? '').replace(/\.$/, '');
      if (cname.length > 0)
        errs.push(...invalidEach(specPath.child('externalName'), cname, isDns1123Subdomain(cname)));
      else errs.push(required(specPath.child('externalName')));
      break;
    }
  }

  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, portsPath.index(i))));

  // [SV13] selector keys and values are label keys and values.
  if (spec.selector) errs.push(...validateLabels(spec.selector, specPath.child('selector')));

  // [SV14] sessionAffinity None or ClientIP; the config only with ClientIP.
  if (!spec.sessionAffinity) errs.push(required(specPath.child('sessionAffinity')));
  else if (!has(AFFINITY_TYPES, spec.sessionAffinity))
    errs.push(notSupported(specPath.child('sessionAffinity'), spec.sessionAffinity, AFFINITY_TYPES));
  if (spec.sessionAffinity === 'ClientIP')
    errs.push(...validateClientIPAffinityConfig(spec, specPath.child('sessionAffinityConfig')));
  else if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig != null)
    errs.push(
      forbidden(specPath.child('sessionAffinityConfig'), 'must not be set when session affinity is None'),
    );

  errs.push(...validateClusterIPsRelated(svc));

  (spec.externalIPs ?? []).forEach((ip, i) => {
    const p = specPath.child('externalIPs').index(i);
    const e = validateIP(p, ip);
    errs.push(...(e.length ? e : validateNonSpecialIP(p, ip)));
  });

  // [SV19] type is one of the four Service types.
  if (!spec.type) errs.push(required(specPath.child('type')));
  else if (!has(SERVICE_TYPES, spec.type))
    errs.push(notSupported(specPath.child('type'), spec.type, SERVICE_TYPES));

  // [SV20] nodePort may not be set on a ClusterIP Service (the range is the allocator's check).
  if (spec.type === 'ClusterIP')
    ports.forEach((p, i) => {
      if (p.nodePort)
        errs.push(
          forbidden(portsPath.index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'"),
        );
    });

  // [SV21] no two ports share a (protocol, nodePort) or a (protocol, port) pair.
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(portsPath.index(i).child('nodePort'), p.nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (portKeys.has(key))
      errs.push(duplicateRaw(portsPath.index(i), servicePortKey(p.protocol ?? '', p.port)));
    portKeys.add(key);
  });

  // [SV22] loadBalancerSourceRanges only for LoadBalancer, each a CIDR (spaces tolerated).
  // The capitalised path is upstream's own.
  const ranges = spec.loadBalancerSourceRanges ?? [];
  if (ranges.length > 0) {
    const p = specPath.child('LoadBalancerSourceRanges');
    if (spec.type !== 'LoadBalancer')
      errs.push(forbidden(p, "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => errs.push(...validateCIDR(p.index(i), r.trim())));
  }

  // [SV23] allocateLoadBalancerNodePorts and loadBalancerClass only for LoadBalancer.
  if (spec.allocateLoadBalancerNodePorts != null && spec.type !== 'LoadBalancer')
    errs.push(
      forbidden(
        specPath.child('allocateLoadBalancerNodePorts'),
        "may only be used when `type` is 'LoadBalancer'",
      ),
    );
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts == null)
    errs.push(required(root('allocateLoadBalancerNodePorts'))); // sic: upstream's path has no "spec."
  if (spec.loadBalancerClass != null) {
    const p = specPath.child('loadBalancerClass');
    if (spec.type !== 'LoadBalancer')
      errs.push(forbidden(p, "may only be used when service type is 'LoadBalancer'"));
    errs.push(...invalidEach(p, spec.loadBalancerClass, isQualifiedName(spec.loadBalancerClass)));
  }

  // [SV24] externalTrafficPolicy only on externally accessible Services, Cluster or Local.
  const etp = spec.externalTrafficPolicy;
  if (!isExternallyAccessible(spec)) {
    if (etp)
      errs.push(
        invalid(
          specPath.child('externalTrafficPolicy'),
          etp,
          'may only be set for externally-accessible services',
        ),
      );
  } else if (!etp) errs.push(required(specPath.child('externalTrafficPolicy')));
  else if (!has(TRAFFIC_POLICIES, etp))
    errs.push(notSupported(specPath.child('externalTrafficPolicy'), etp, TRAFFIC_POLICIES));
  // healthCheckNodePort: allocated by the registry for LoadBalancer + Local; forbidden otherwise.
  const needsHealthCheck = spec.type === 'LoadBalancer' && etp === 'Local';
  if (!needsHealthCheck && spec.healthCheckNodePort)
    errs.push(
      invalid(
        specPath.child('healthCheckNodePort'),
        spec.healthCheckNodePort,
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ),
    );
  else if (needsHealthCheck && spec.healthCheckNodePort)
    errs.push(
      ...invalidEach(
        specPath.child('healthCheckNodePort'),
        spec.healthCheckNodePort,
        isValidPortNum(spec.healthCheckNodePort),
      ),
    );

  // [SV25] internalTrafficPolicy Cluster or Local (required except on ExternalName).
  const itp = spec.internalTrafficPolicy;
  if (itp == null) {
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP')
      errs.push(required(specPath.child('internalTrafficPolicy')));
  } else if (!has(TRAFFIC_POLICIES, itp))
    errs.push(notSupported(specPath.child('internalTrafficPolicy'), itp, TRAFFIC_POLICIES));

  if (spec.trafficDistribution != null && spec.trafficDistribution !== 'PreferClose')
    errs.push(notSupported(specPath.child('trafficDistribution'), spec.trafficDistribution, ['PreferClose']));

  return errs;
}

/** Default, then validate: what a create request of this Service would be rejected with. */
export const validateServiceCreate = (svc: Service): FieldError[] => validateService(defaultService(svc));
