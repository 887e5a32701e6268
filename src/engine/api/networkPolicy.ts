// networking.k8s.io/v1 NetworkPolicy: the API server's defaulting of `spec`, and the CIDR parsing
// it shares with validation (./networkPolicyValidation.ts). Rules [NPD*] are listed in
// src/engine/policy/SPEC.md.
//   defaulting:  kubernetes pkg/apis/networking/v1/defaults.go (SetDefaults_NetworkPolicy,
//                SetDefaults_NetworkPolicyPort)
import ipaddr from 'ipaddr.js';
import type {
  NetworkPolicy,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPort,
  NetworkPolicySpec,
} from 'kubernetes-types/networking/v1';

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
