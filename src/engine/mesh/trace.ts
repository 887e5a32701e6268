// The sidecar hops of a traced connection. Istio's istio-init (istio-iptables) installs nat rules
// in the pod's network namespace: ISTIO_OUTPUT redirects the application's outbound TCP to Envoy
// on 15001 and ISTIO_INBOUND redirects inbound TCP to Envoy on 15006
// (https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio).
// The client's Envoy picks the endpoint itself (from the Service's endpoints, after VirtualService
// and DestinationRule) and opens a new connection to the pod address, so kube-proxy's ClusterIP
// rules do not match. Between two sidecars the connection is mutual TLS when the server has a
// sidecar (auto mTLS), unless its PeerAuthentication mode is DISABLE.
// Linkerd's proxy-init does the same with 4140 (outbound) and 4143 (inbound) and always uses mTLS
// between meshed pods (https://linkerd.io/2/features/automatic-mtls/).
import type { Hop, PacketHeaders } from '../trace/types';
import type { PodInfo } from '../trace/view';
import {
  ISTIO_INBOUND_PORT,
  ISTIO_OUTBOUND_PORT,
  LINKERD_INBOUND_PORT,
  LINKERD_OUTBOUND_PORT,
  type MeshName,
} from './inject';
import type { MtlsDecision } from './config';

export interface OutboundPick {
  readonly ip: string;
  readonly port: number;
  readonly pod: string;
  /** `ns/name:port` of the Service. */
  readonly service: string;
  /** How the sidecar chose: the VirtualService rule, subset and weight, or the default route. */
  readonly route: string;
  readonly mtls: boolean;
}

const proxyName = (m: MeshName): string => (m === 'istio' ? 'istio-proxy (Envoy)' : 'linkerd-proxy');

export function captureOutboundHop(src: PodInfo, mesh: MeshName, pkt: PacketHeaders): Hop {
  const port = mesh === 'istio' ? ISTIO_OUTBOUND_PORT : LINKERD_OUTBOUND_PORT;
  const chain = mesh === 'istio' ? 'ISTIO_OUTPUT' : 'PROXY_INIT_OUTPUT';
  return {
    kind: 'sidecar',
    where: `${src.ref} iptables nat OUTPUT (${chain})`,
    what: `${mesh === 'istio' ? 'istio-init' : 'linkerd-init'}'s rules in the pod's network namespace redirect the connection to ${proxyName(mesh)} on 127.0.0.1:${port}; the application does not notice`,
    pod: src.ref,
    node: src.endpoint.nodeName,
    packet: { ...pkt, dst: '127.0.0.1', dport: port },
    rewrite: { type: 'DNAT', before: `${pkt.dst}:${pkt.dport}`, after: `127.0.0.1:${port}` },
  };
}

export function upstreamHop(src: PodInfo, mesh: MeshName, pick: OutboundPick, pkt: PacketHeaders): Hop {
  return {
    kind: 'sidecar',
    where: `${src.ref} ${proxyName(mesh)} outbound`,
    what: `${proxyName(mesh)} routes ${pick.service} (${pick.route}) to endpoint ${pick.ip}:${pick.port} (${pick.pod}) and opens its own connection to it, ${pick.mtls ? 'wrapped in mutual TLS' : 'in plaintext: the destination has no sidecar to terminate TLS'}`,
    pod: src.ref,
    node: src.endpoint.nodeName,
    service: pick.service.split(':')[0],
    packet: pkt,
  };
}

export function inboundHop(
  dst: PodInfo,
  mesh: MeshName,
  mtls: boolean,
  decision: MtlsDecision | null,
  pkt: PacketHeaders,
): Hop {
  const port = mesh === 'istio' ? ISTIO_INBOUND_PORT : LINKERD_INBOUND_PORT;
  const mode = decision ? ` (PeerAuthentication ${decision.policy ?? 'default'}: ${decision.mode})` : '';
  return {
    kind: 'sidecar',
    where: `${dst.ref} ${proxyName(mesh)} inbound :${port}`,
    what: `${mesh === 'istio' ? 'ISTIO_INBOUND' : 'PROXY_INIT_REDIRECT'} sends the connection to ${proxyName(mesh)} on ${port}; ${mtls ? 'it terminates mutual TLS, checks the client certificate' : 'it accepts the plaintext connection'}${mode} and forwards the request to the application on 127.0.0.1:${pkt.dport}`,
    pod: dst.ref,
    node: dst.endpoint.nodeName,
    packet: pkt,
  };
}

/** [MS3] STRICT refuses plaintext: Envoy's inbound listener finds no TLS handshake and resets. */
export function strictResetHop(dst: PodInfo, decision: MtlsDecision, pkt: PacketHeaders): Hop {
  return {
    kind: 'drop',
    where: `${dst.ref} istio-proxy (Envoy) inbound :${ISTIO_INBOUND_PORT}`,
    what: `PeerAuthentication ${decision.policy ?? ''} sets mTLS STRICT for ${dst.ref}: the connection from ${pkt.src} carries plaintext (no client sidecar), so Envoy resets it`,
    pod: dst.ref,
    node: dst.endpoint.nodeName,
    packet: pkt,
    dropped: true,
  };
}

/** The request line and headers as the application writes them (its User-Agent when it sends one). */
export function plaintextPayload(http: {
  host: string;
  path: string;
  method?: string;
  userAgent?: string;
}): string {
  const agent = http.userAgent ? `User-Agent: ${http.userAgent}\r\n` : '';
  return `${http.method ?? 'GET'} ${http.path} HTTP/1.1\r\nHost: ${http.host}\r\n${agent}Accept: */*\r\n\r\n`;
}

/** TLS 1.3 application data records: the content type 0x17, version 0x0303, then ciphertext. */
export function encryptedPayload(plain: string): string {
  let h = 0x811c9dc5;
  const bytes: string[] = [];
  for (let i = 0; i < Math.min(48, plain.length + 22); i++) {
    h ^= plain.charCodeAt(i % Math.max(1, plain.length)) + i;
    h = Math.imul(h, 0x01000193) >>> 0;
    bytes.push((h >>> 24).toString(16).padStart(2, '0'));
  }
  const len = (plain.length + 22).toString(16).padStart(4, '0');
  return `TLS 1.3 application data (encrypted): 17 03 03 ${len.slice(0, 2)} ${len.slice(2)} ${bytes.join(' ')} …`;
}

/**
 * [MS4] Marks every hop with the payload the inspector shows: plaintext outside the mTLS leg, and
 * on the leg between the client's sidecar and the server's sidecar (hop indexes [from, to)),
 * ciphertext when that leg is mutual TLS.
 */
export function annotatePayload(
  hops: readonly Hop[],
  http: { host: string; path: string; method?: string; userAgent?: string } | undefined,
  leg: { from: number; to: number; mtls: boolean } | null,
): Hop[] {
  const plain = http ? plaintextPayload(http) : undefined;
  return hops.map((h, i) => {
    if (h.kind === 'dns') return h;
    const inLeg = leg !== null && i >= leg.from && i < leg.to;
    const tls = leg
      ? inLeg && leg.mtls
        ? {
            mtls: true,
            detail:
              'mutual TLS between the sidecars: each presents its workload certificate (a SPIFFE identity, spiffe://cluster.local/ns/<namespace>/sa/<service account>)',
          }
        : { mtls: false, detail: inLeg ? 'plaintext between the pods' : 'plaintext inside the pod' }
      : undefined;
    const payload = plain === undefined ? undefined : inLeg && leg?.mtls ? encryptedPayload(plain) : plain;
    return {
      ...h,
      ...(tls ? { tls } : {}),
      ...(payload !== undefined ? { payload } : {}),
    };
  });
}
