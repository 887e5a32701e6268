// Node defaulting and validation as kube-apiserver does it on create.
//   defaulting: pkg/apis/core/v1/defaults.go SetDefaults_NodeStatus (allocatable defaults to
//     capacity); pkg/apis/core/v1/conversion.go (spec.podCIDR and spec.podCIDRs mirror each other:
//     podCIDRs[0] is podCIDR); rest.BeforeCreate clears a cluster-scoped object's namespace.
//   validation: pkg/apis/core/validation/validation.go ValidateNode (spec.podCIDRs valid CIDRs,
//     at most one per IP family, no duplicates) and ValidateNodeUpdate (no duplicate
//     status.addresses).
// Rules are numbered [N…] in ./SPEC.md. [N5] is the simulator's own: kube-apiserver accepts any
// address type and text, but the lab's datapath needs a usable InternalIP.
import type { Node } from 'kubernetes-types/core/v1';
import ipaddr from 'ipaddr.js';
import { type FieldError, type FieldPath, duplicate, invalid, notSupported, required, root } from './field';
import { isAbsent, isRecord, rawError, readArray, readString, readStringList, typeError } from './meta';
import { isIPv4 } from '../net/ip';

type Mutable = Record<string, unknown>;

/** v1.NodeAddressType values. */
export const NODE_ADDRESS_TYPES = ['Hostname', 'InternalIP', 'ExternalIP', 'InternalDNS', 'ExternalDNS'];

/** Mirrors podCIDR/podCIDRs, copies capacity to allocatable, clears metadata.namespace. Idempotent. */
export function defaultNode(node: Node): Node {
  const o: unknown = node;
  if (!isRecord(o)) return node;
  const out: Mutable = { ...o };
  if (isRecord(o['metadata']) && 'namespace' in o['metadata']) {
    const m: Mutable = { ...o['metadata'] };
    delete m['namespace'];
    out['metadata'] = m;
  }
  const spec = o['spec'];
  if (isRecord(spec)) {
    const s: Mutable = { ...spec };
    const cidrs = s['podCIDRs'];
    const cidr = s['podCIDR'];
    if (
      (isAbsent(cidrs) || (Array.isArray(cidrs) && cidrs.length === 0)) &&
      typeof cidr === 'string' &&
      cidr !== ''
    )
      s['podCIDRs'] = [cidr];
    else if (Array.isArray(cidrs) && typeof cidrs[0] === 'string' && (isAbsent(cidr) || cidr === ''))
      s['podCIDR'] = cidrs[0];
    out['spec'] = s;
  }
  const status = o['status'];
  if (isRecord(status) && isAbsent(status['allocatable']) && isRecord(status['capacity']))
    out['status'] = { ...status, allocatable: status['capacity'] };
  const result: unknown = out;
  return result as Node;
}

type Family = 4 | 6;

/** netutils.ParseCIDRSloppy: an IPv4 (leading zeros allowed) or IPv6 prefix; null when invalid. */
function cidrFamily(s: string): Family | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const addr = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return null;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (v4) return v4.slice(1).every((p) => Number(p) <= 255) && Number(bits) <= 32 ? 4 : null;
  if (addr.includes(':') && !addr.includes('%') && ipaddr.IPv6.isValid(addr) && Number(bits) <= 128) return 6;
  return null;
}

const CIDR_ERROR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function validatePodCIDRs(cidrs: readonly string[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const families = cidrs.map(cidrFamily);
  cidrs.forEach((c, i) => {
    if (families[i] === null) errs.push(invalid(path.index(i), c, CIDR_ERROR));
  });
  if (cidrs.length > 1) {
    // netutils.IsDualStackCIDRStrings: exactly one IPv4 and one IPv6 (an error when one is invalid).
    const valid = families.every((f) => f !== null);
    const dualStack = valid && families.includes(4) && families.includes(6);
    if (!dualStack || cidrs.length > 2)
      errs.push(
        rawError(
          path,
          'Invalid value',
          `[]string{${cidrs.map((c) => JSON.stringify(c)).join(', ')}}`,
          'may specify no more than one CIDR for each IP family',
        ),
      );
    const seen = new Set<string>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push(duplicate(path.index(i), c));
      seen.add(c);
    });
  }
  return errs;
}

/** ValidateNode's spec/status part (metadata is validated by the apply pipeline). */
export function validateNode(node: Node): FieldError[] {
  const o: unknown = node;
  if (!isRecord(o)) return [typeError(root('spec'), o, 'object')];
  const errs: FieldError[] = [];
  const spec = o['spec'];
  if (!isAbsent(spec) && !isRecord(spec)) errs.push(typeError(root('spec'), spec, 'object'));
  if (isRecord(spec)) {
    const cidrsPath = root('spec').child('podCIDRs');
    let cidrs = readStringList(spec, 'podCIDRs', root('spec'), errs);
    const cidr = readString(spec, 'podCIDR', root('spec'), errs);
    // v1 → internal conversion: podCIDR alone becomes podCIDRs[0].
    if ((!cidrs || cidrs.length === 0) && cidr) cidrs = [cidr];
    if (cidrs && cidrs.length > 0) errs.push(...validatePodCIDRs(cidrs, cidrsPath));
  }
  const status = o['status'];
  if (!isAbsent(status) && !isRecord(status)) errs.push(typeError(root('status'), status, 'object'));
  if (isRecord(status)) {
    const ap = root('status').child('addresses');
    const seen = new Set<string>();
    (readArray(status, 'addresses', root('status'), errs) ?? []).forEach((raw, i) => {
      const p = ap.index(i);
      if (!isRecord(raw)) {
        errs.push(typeError(p, raw, 'object'));
        return;
      }
      const type = readString(raw, 'type', p, errs);
      const address = readString(raw, 'address', p, errs);
      // [N5] simulator rule: a known type, and an IPv4 address for the IP types.
      if (type === '' || isAbsent(raw['type'])) errs.push(required(p.child('type')));
      else if (type !== undefined && !NODE_ADDRESS_TYPES.includes(type))
        errs.push(notSupported(p.child('type'), type, NODE_ADDRESS_TYPES));
      if (address === '' || isAbsent(raw['address'])) errs.push(required(p.child('address')));
      else if (address !== undefined && (type === 'InternalIP' || type === 'ExternalIP') && !isIPv4(address))
        errs.push(invalid(p.child('address'), address, 'must be a valid IPv4 address'));
      // [N4] ValidateNodeUpdate: no duplicate addresses (the value prints as the Go struct).
      const key = `${type ?? ''}\u0000${address ?? ''}`;
      if (seen.has(key))
        errs.push(
          rawError(
            p,
            'Duplicate value',
            `core.NodeAddress{Type:${JSON.stringify(type ?? '')}, Address:${JSON.stringify(address ?? '')}}`,
          ),
        );
      seen.add(key);
    });
  }
  return errs;
}
