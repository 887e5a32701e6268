// networking.k8s.io/v1 NetworkPolicy: the API server's defaulting and create validation of `spec`.
// Rules [NPD*] / [NPV*] are listed in src/engine/policy/SPEC.md.
//   defaulting:  kubernetes pkg/apis/networking/v1/defaults.go (SetDefaults_NetworkPolicy,
//                SetDefaults_NetworkPolicyPort)
//   validation:  kubernetes pkg/apis/networking/validation/validation.go (ValidateNetworkPolicySpec,
//                ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer, ValidateIPBlock),
//                pkg/apis/core/validation/ips.go (IsValidCIDRForLegacyField) and
//                apimachinery pkg/apis/meta/v1/validation (ValidateLabelSelector).
// metadata (name, namespace) is validated by the object store, not here.
import ipaddr from 'ipaddr.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type {
  IPBlock,
  NetworkPolicy,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicySpec,
} from 'kubernetes-types/networking/v1';
import { type FieldError, type FieldPath, forbidden, invalid, notSupported, required, root } from './field';
import {
  invalidEach,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  validateLabels,
} from './names';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const POLICY_TYPES = ['Ingress', 'Egress'] as const;

// ------------------------------------------------------------------------------------ defaulting

/** [NPD1] SetDefaults_NetworkPolicyPort: a port without protocol means TCP (not "all protocols"). */
function defaultPort(p: NetworkPolicyPort): NetworkPolicyPort {
  return p.protocol == null ? { ...p, protocol: 'TCP' } : p;
}

const defaultPorts = (ports: NetworkPolicyPort[] | undefined | null): NetworkPolicyPort[] | undefined =>
  ports == null ? undefined : ports.map(defaultPort);

/**
 * The API server's defaulting of a NetworkPolicy. Returns a new object; the input is untouched.
 * [NPD2] policyTypes, when empty, becomes ["Ingress"] plus "Egress" only if spec.egress is
 * non-empty (defaults.go SetDefaults_NetworkPolicy: `if len(obj.Spec.Egress) != 0`), so an
 * explicit `egress: []` does not add Egress. [NPD3] spec.podSelector is a non-pointer struct in
 * the Go type, so an absent selector is the empty selector {} (all pods of the namespace).
 */
export function defaultNetworkPolicy(np: NetworkPolicy): NetworkPolicy {
  const spec: Partial<NetworkPolicySpec> = np.spec ?? {};
  const ingress =
    spec.ingress == null
      ? undefined
      : spec.ingress.map((r): NetworkPolicyIngressRule => {
          const ports = defaultPorts(r.ports);
          return ports === undefined ? { ...r } : { ...r, ports };
        });
  const egress =
    spec.egress == null
      ? undefined
      : spec.egress.map((r): NetworkPolicyEgressRule => {
          const ports = defaultPorts(r.ports);
          return ports === undefined ? { ...r } : { ...r, ports };
        });
  let policyTypes = spec.policyTypes == null ? undefined : [...spec.policyTypes];
  if (!policyTypes || policyTypes.length === 0) {
    policyTypes = ['Ingress'];
    if (egress && egress.length !== 0) policyTypes.push('Egress');
  }
  const out: NetworkPolicySpec = { ...spec, podSelector: spec.podSelector ?? {}, policyTypes };
  if (ingress !== undefined) out.ingress = ingress;
  else delete out.ingress;
  if (egress !== undefined) out.egress = egress;
  else delete out.egress;
  return { ...np, spec: out };
}

// -------------------------------------------------------------------------------- CIDR parsing

/** A CIDR as Go's netutils.ParseCIDRSloppy reads it: masked network address and prefix length. */
export interface SloppyCidr {
  readonly family: 4 | 6;
  /** Network address (host bits cleared) as an unsigned integer of 32 or 128 bits. */
  readonly base: bigint;
  readonly prefix: number;
}

/**
 * k8s.io/utils/net ParseCIDRSloppy: Go's pre-1.17 ParseCIDR, which reads IPv4 octets with leading
 * zeros as decimal ("010.000.000.000/8" is 10.0.0.0/8) and allows leading zeros in the prefix
 * length, and accepts an "interface address" (bits set beyond the prefix). Strict checks of
 * StrictIPCIDRValidation are off (see [NPV7]). Null when it does not parse.
 */
export function parseCidrSloppy(s: string): SloppyCidr | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const addr = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d+$/.test(bits) || bits.length > 8) return null;
  const prefix = Number(bits);
  let value: bigint;
  let width: number;
  let family: 4 | 6;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(addr);
  if (v4) {
    const octets = v4.slice(1).map((o) => (o.length > 8 ? 256 : Number(o)));
    if (octets.some((o) => o > 255)) return null;
    value = octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
    width = 32;
    family = 4;
  } else if (addr.includes(':') && !addr.includes('%') && ipaddr.IPv6.isValid(addr)) {
    value = ipaddr.IPv6.parse(addr)
      .toByteArray()
      .reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
    width = 128;
    family = 6;
  } else return null;
  if (prefix > width) return null;
  const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - prefix)) - 1n);
  return { family, base: value & mask, prefix };
}

const cidrContainsAddr = (outer: SloppyCidr, inner: SloppyCidr): boolean => {
  if (outer.family !== inner.family) return false;
  const width = outer.family === 4 ? 32 : 128;
  const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - outer.prefix)) - 1n);
  return (inner.base & mask) === outer.base;
};

// ------------------------------------------------------------------------------------ validation

/** IsValidCIDRForLegacyField with strict validation off (StrictIPCIDRValidation disabled). */
function validateLegacyCidr(path: FieldPath, value: string): FieldError[] {
  return parseCidrSloppy(value) === null
    ? [invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')]
    : [];
}

/** [NPV6] ValidateIPBlock: cidr required and a CIDR; each except a CIDR strictly inside cidr. */
export function validateIPBlock(ipb: IPBlock, path: FieldPath): FieldError[] {
  const cidr = typeof ipb.cidr === 'string' ? ipb.cidr : '';
  if (cidr === '') return [required(path.child('cidr'))];
  const errs = validateLegacyCidr(path.child('cidr'), cidr);
  const outer = parseCidrSloppy(cidr);
  // "Implies validation would have failed so we already added errors for it."
  if (!outer) return errs;
  (ipb.except ?? []).forEach((ex, i) => {
    const p = path.child('except').index(i);
    const s = typeof ex === 'string' ? ex : '';
    errs.push(...validateLegacyCidr(p, s));
    const inner = parseCidrSloppy(s);
    if (!inner) return;
    // validation.go: `!cidrIPNet.Contains(exceptCIDR.IP) || cidrMaskLen >= exceptMaskLen`
    if (!cidrContainsAddr(outer, inner) || outer.prefix >= inner.prefix)
      errs.push(invalid(p, s, 'must be a strict subset of `cidr`'));
  });
  return errs;
}

/**
 * metav1 ValidateLabelSelector / ValidateLabelSelectorRequirement (apimachinery
 * pkg/apis/meta/v1/validation/validation.go) with AllowInvalidLabelValueInSelector=false, as
 * ValidationOptionsForNetworking sets it on create: matchLabels, then each requirement's operator
 * and values, key, and every value as a label value.
 */
export function validateSelector(sel: LabelSelector | null | undefined, path: FieldPath): FieldError[] {
  if (!sel) return [];
  const errs = validateLabels(sel.matchLabels ?? undefined, path.child('matchLabels'));
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const p = path.child('matchExpressions').index(i);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0)
          errs.push(required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0)
          errs.push(
            forbidden(
              p.child('values'),
              "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            ),
          );
        break;
      default:
        errs.push(invalid(p.child('operator'), e.operator, 'not a valid selector operator'));
    }
    errs.push(...invalidEach(p.child('key'), e.key, isQualifiedName(e.key ?? '')));
    values.forEach((v, vi) =>
      errs.push(...invalidEach(p.child('values').index(vi), v, isValidLabelValue(v))),
    );
  });
  return errs;
}

/** [NPV2]-[NPV4] ValidateNetworkPolicyPort. */
export function validateNetworkPolicyPort(port: NetworkPolicyPort, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol != null && !(PROTOCOLS as readonly string[]).includes(port.protocol))
    errs.push(notSupported(path.child('protocol'), port.protocol, PROTOCOLS));
  const endPort = port.endPort ?? undefined;
  if (port.port != null) {
    if (typeof port.port === 'number') {
      errs.push(...invalidEach(path.child('port'), port.port, isValidPortNum(port.port)));
      if (endPort !== undefined) {
        if (endPort < port.port)
          errs.push(invalid(path.child('endPort'), endPort, 'must be greater than or equal to `port`'));
        errs.push(...invalidEach(path.child('endPort'), endPort, isValidPortNum(endPort)));
      }
    } else {
      if (endPort !== undefined)
        errs.push(invalid(path.child('endPort'), endPort, 'may not be specified when `port` is non-numeric'));
      errs.push(...invalidEach(path.child('port'), port.port, isValidPortName(port.port)));
    }
  } else if (endPort !== undefined) {
    errs.push(invalid(path.child('endPort'), endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

/** [NPV5] ValidateNetworkPolicyPeer: at least one of the three, and ipBlock only alone. */
export function validateNetworkPolicyPeer(peer: NetworkPolicyPeer, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let numPeers = 0;
  if (peer.podSelector != null) {
    numPeers++;
    errs.push(...validateSelector(peer.podSelector, path.child('podSelector')));
  }
  if (peer.namespaceSelector != null) {
    numPeers++;
    errs.push(...validateSelector(peer.namespaceSelector, path.child('namespaceSelector')));
  }
  if (peer.ipBlock != null) {
    numPeers++;
    errs.push(...validateIPBlock(peer.ipBlock, path.child('ipBlock')));
  }
  if (numPeers === 0) errs.push(required(path, 'must specify a peer'));
  else if (numPeers > 1 && peer.ipBlock != null)
    errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

/** ValidateNetworkPolicySpec, in upstream order: podSelector, ingress, egress, policyTypes. */
export function validateNetworkPolicySpec(spec: NetworkPolicySpec, path: FieldPath): FieldError[] {
  const errs = validateSelector(spec.podSelector, path.child('podSelector'));
  (spec.ingress ?? []).forEach((rule, i) => {
    const p = path.child('ingress').index(i);
    (rule.ports ?? []).forEach((port, j) =>
      errs.push(...validateNetworkPolicyPort(port, p.child('ports').index(j))),
    );
    (rule.from ?? []).forEach((peer, j) =>
      errs.push(...validateNetworkPolicyPeer(peer, p.child('from').index(j))),
    );
  });
  (spec.egress ?? []).forEach((rule, i) => {
    const p = path.child('egress').index(i);
    (rule.ports ?? []).forEach((port, j) =>
      errs.push(...validateNetworkPolicyPort(port, p.child('ports').index(j))),
    );
    (rule.to ?? []).forEach((peer, j) =>
      errs.push(...validateNetworkPolicyPeer(peer, p.child('to').index(j))),
    );
  });
  // [NPV1] policyTypes: at most two, each Ingress or Egress (duplicates are not rejected upstream).
  const types = spec.policyTypes ?? [];
  if (types.length > POLICY_TYPES.length) {
    errs.push(invalid(path.child('policyTypes'), types, 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => {
    if (!(POLICY_TYPES as readonly string[]).includes(t))
      errs.push(notSupported(path.child('policyTypes').index(i), t, POLICY_TYPES));
  });
  return errs;
}

/**
 * Create validation of a NetworkPolicy's spec (the `spec.*` part of ValidateNetworkPolicy). Pass
 * the DEFAULTED object (defaultNetworkPolicy), as the API server validates after defaulting.
 */
export function validateNetworkPolicy(np: NetworkPolicy): FieldError[] {
  return validateNetworkPolicySpec(np.spec ?? { podSelector: {} }, root('spec'));
}
