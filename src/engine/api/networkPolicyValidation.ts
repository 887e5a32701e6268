// networking.k8s.io/v1 NetworkPolicy: the API server's create validation of `spec` (defaulting and
// CIDR parsing are in ./networkPolicy.ts). Rules [NPV*] are listed in src/engine/policy/SPEC.md.
//   validation:  kubernetes pkg/apis/networking/validation/validation.go (ValidateNetworkPolicySpec,
//                ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer, ValidateIPBlock),
//                pkg/apis/core/validation/ips.go (IsValidCIDRForLegacyField) and
//                apimachinery pkg/apis/meta/v1/validation (ValidateLabelSelector).
// metadata (name, namespace) is validated by the object store, not here.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type {
  IPBlock,
  NetworkPolicy,
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
import { parseCidrSloppy, type SloppyCidr } from './networkPolicy';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const POLICY_TYPES = ['Ingress', 'Egress'] as const;

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
