// The packet tracer. One new connection from a pod, a node or an outside client, followed hop by
// hop through the source's veth, kube-proxy's rules, NetworkPolicy enforcement, the CNI's routes
// or tunnels, SNAT, and into the process that accepts it — or to the place it is dropped.
// Service semantics: https://kubernetes.io/docs/reference/networking/virtual-ips/
// Policy semantics: https://kubernetes.io/docs/concepts/services-networking/network-policies/
import { evaluate, type Verdict } from '../policy';
import type { NetEndpoint, NodeInfo, Protocol } from '../types';
import { isIPv4, intToIp, ipToInt, parseCidr, type IPv4 } from '../net/ip';
import type { ProxyOutcome } from '../proxy/types';
import { EXTERNAL_CLIENT_IP } from '../cluster/settings';
import type { DatapathView, PodInfo } from './view';
import { INTERNET_HOSTS } from './view';
import { podListeners } from './listening';
import type {
  ConnectRequest,
  ConnectResult,
  DecisionRef,
  DnsQuery,
  Hop,
  PacketHeaders,
  PolicyHop,
} from './types';
import type { DnsStep } from '../dns/types';
import type { MtlsDecision } from '../mesh/config';
import { sidecarOf, type MeshName } from '../mesh/inject';
import {
  annotatePayload,
  captureOutboundHop,
  inboundHop,
  strictResetHop,
  upstreamHop,
  type OutboundPick,
} from '../mesh/trace';

/** The kernel state a connection reads and writes, held by the engine between connections. */
export interface DatapathKernel {
  /** kube-proxy's decision for a packet arriving at `node` (iptables walk or IPVS). */
  proxy(node: string, srcIP: IPv4, dstIP: IPv4, dstPort: number, protocol: Protocol): ProxyOutcome;
  /** Records a new conntrack entry on a node; false when the table is full. */
  track(node: string, entry: { orig: PacketHeaders; reply: PacketHeaders }): { ok: boolean; line: string };
  /**
   * Resolves a name as the source would (a pod through its resolv.conf, else the node's resolver);
   * `steps`, when given, are the walk's queries with their answers, listed on the dns hop.
   */
  resolve(
    from: PodInfo | null,
    name: string,
  ): { ip: IPv4 | null; queried: readonly string[]; rcode: string; steps?: readonly DnsStep[] };
  /** An ephemeral source port. */
  ephemeralPort(): number;
  /** Picks one of several equally good nodes (where a cloud load balancer sends a packet). */
  pick<T>(items: readonly T[]): T;
  /** The client sidecar's endpoint choice for a connection to a Service address (null: passthrough). */
  meshOutbound?(src: PodInfo, mesh: MeshName, dstIP: IPv4, port: number, path: string): OutboundPick | null;
  /** The mTLS mode the server sidecar enforces on a port. */
  meshInbound?(dst: PodInfo, port: number): MtlsDecision;
}

const bridgeAddress = (podCIDR: string): IPv4 => {
  const c = parseCidr(podCIDR);
  return intToIp(c ? c.base + 1 : 0);
};

const hp = (h: PacketHeaders): string => `${h.src}:${h.sport} → ${h.dst}:${h.dport}`;

export function traceConnect(view: DatapathView, kernel: DatapathKernel, req: ConnectRequest): ConnectResult {
  const protocol: Protocol = req.protocol ?? 'TCP';
  const hops: Hop[] = [];
  let service: string | null = null;
  let decidedBy: DecisionRef | null = null;
  // The leg between the client's sidecar and the server's (hop indexes), for payload marking.
  let meshLeg: { from: number; to: number; mtls: boolean } | null = null;
  const finalHops = (): Hop[] =>
    meshLeg || req.http
      ? annotatePayload(
          hops,
          req.http,
          meshLeg ? { ...meshLeg, to: Math.min(meshLeg.to, hops.length) } : null,
        )
      : hops;
  const fail = (failure: ConnectResult['failure'], reason: string, clientIP: string): ConnectResult => ({
    delivered: false,
    backend: null,
    backendPort: null,
    clientIP,
    sourceIP: null,
    failure,
    reason,
    service,
    decidedBy,
    hops: finalHops(),
  });

  // --- the source
  let srcPod: PodInfo | null = null;
  let srcNode: NodeInfo | undefined;
  let srcEndpoint: NetEndpoint;
  if (req.from === 'external') {
    srcEndpoint = { kind: 'external', ip: EXTERNAL_CLIENT_IP as IPv4 };
  } else if (req.from.startsWith('node:')) {
    srcNode = view.nodeByName.get(req.from.slice(5));
    if (!srcNode) return fail('refused', `node "${req.from.slice(5)}" not found`, '');
    srcEndpoint = { kind: 'node', ip: srcNode.internalIP, node: srcNode.name };
  } else {
    srcPod = view.podByRef.get(req.from) ?? null;
    if (!srcPod) return fail('refused', `pod "${req.from}" is not running with an IP`, '');
    srcNode = view.nodeByName.get(srcPod.endpoint.nodeName);
    srcEndpoint = srcPod.pod.spec?.hostNetwork
      ? { kind: 'node', ip: srcPod.endpoint.ip, node: srcPod.endpoint.nodeName }
      : { kind: 'pod', ip: srcPod.endpoint.ip, pod: srcPod.endpoint };
  }
  const clientIP = srcEndpoint.ip;

  // --- a pod's own loopback: containers of a pod share one network namespace
  if (srcPod && isIPv4(req.to) && req.to.startsWith('127.')) {
    const pkt0: PacketHeaders = {
      src: req.to,
      sport: kernel.ephemeralPort(),
      dst: req.to,
      dport: req.port,
      protocol,
    };
    const listening = podListeners(srcPod.pod).find((l) => l.port === req.port && l.protocol === protocol);
    hops.push({
      kind: listening ? 'deliver' : 'drop',
      where: `${srcPod.ref} lo`,
      what: listening
        ? `Containers of a pod share its network namespace: ${listening.container} answers on ${req.to}:${req.port}; the packet never leaves the pod`
        : `Nothing in ${srcPod.ref} listens on ${protocol} ${req.port} on localhost: connection refused`,
      pod: srcPod.ref,
      node: srcPod.endpoint.nodeName,
      packet: pkt0,
      ...(listening ? {} : { dropped: true }),
    });
    if (!listening) return fail('refused', `connection refused on ${req.to}:${req.port}`, req.to);
    return {
      delivered: true,
      backend: srcPod.ref,
      backendPort: req.port,
      clientIP: req.to,
      sourceIP: req.to,
      failure: null,
      reason: null,
      service,
      decidedBy,
      hops,
    };
  }

  // --- name resolution, as the application's resolver does it; the query itself is a UDP packet
  // to kube-dns, which the pod's egress policy must allow.
  let dstIP: IPv4;
  if (isIPv4(req.to)) dstIP = req.to;
  else {
    const dnsPolicy = srcPod?.pod.spec?.dnsPolicy ?? 'ClusterFirst';
    const dnsPod = view.pods.find(
      (p) => p.endpoint.namespace === 'kube-system' && p.endpoint.labels['k8s-app'] === 'kube-dns',
    );
    if (srcPod && srcEndpoint.kind === 'pod' && dnsPod && dnsPolicy.startsWith('ClusterFirst')) {
      const dnsEndpoint: NetEndpoint = { kind: 'pod', ip: dnsPod.endpoint.ip, pod: dnsPod.endpoint };
      const v = evaluate(view.policies, srcEndpoint, dnsEndpoint, 53, 'UDP');
      if (v.egress.isolated && !v.egress.allowed && view.cni.enforcesPolicy) {
        const dnsPkt: PacketHeaders = {
          src: clientIP,
          sport: kernel.ephemeralPort(),
          dst: view.dns.dnsServiceIP,
          dport: 53,
          protocol: 'UDP',
        };
        const hop = policyHop(view, 'egress', srcPod.ref, v, srcPod.endpoint.nodeName, dnsPkt);
        if (hop) {
          hops.push({ ...hop, what: `The DNS query for ${req.to} is dropped: ${v.reason}` });
          if (hop.policy) decidedBy = decisionRef(hop.policy);
        }
        return fail(
          'timeout',
          `DNS query for ${req.to} timed out: egress UDP/53 to kube-dns is blocked`,
          clientIP,
        );
      }
    }
    const r = kernel.resolve(srcPod, req.to);
    // Each name the stub resolver sent, with its answer: a name with fewer dots than ndots (5 in
    // a pod's resolv.conf) walks every search domain first, one NXDOMAIN each, before the name is
    // tried as is (resolv.conf(5); https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/).
    const queries = r.steps?.map(dnsQuery);
    const misses = r.steps?.filter((q) => q.rcode !== 'NOERROR' || q.answers.length === 0).length ?? 0;
    hops.push({
      kind: 'dns',
      where: srcPod ? `${srcPod.ref} resolver` : 'resolver',
      what: r.ip
        ? `Resolved ${req.to} to ${r.ip} after asking ${r.queried.join(', ')}` +
          (misses > 0 ? ` (${misses} ${misses === 1 ? 'query' : 'queries'} without an answer first)` : '')
        : `Could not resolve ${req.to}: ${r.rcode} for ${r.queried.join(', ') || req.to}`,
      ...(srcPod ? { pod: srcPod.ref, node: srcPod.endpoint.nodeName } : {}),
      packet: { src: clientIP, sport: 0, dst: req.to, dport: req.port, protocol },
      ...(queries && queries.length > 0 ? { queries } : {}),
    });
    if (!r.ip)
      return fail(
        r.rcode === 'TIMEOUT' ? 'timeout' : 'dns-nxdomain',
        r.rcode === 'TIMEOUT' ? `DNS query for ${req.to} timed out` : `Could not resolve host: ${req.to}`,
        clientIP,
      );
    dstIP = r.ip;
  }

  let pkt: PacketHeaders = {
    src: clientIP,
    sport: kernel.ephemeralPort(),
    dst: dstIP,
    dport: req.port,
    protocol,
  };
  let origPkt = pkt;
  let dstPort = req.port;
  const srcMesh = srcPod && srcEndpoint.kind === 'pod' && protocol === 'TCP' ? sidecarOf(srcPod.pod) : null;

  // --- leaving the source
  if (srcPod && srcEndpoint.kind === 'pod') {
    hops.push({
      kind: 'pod',
      where: `${srcPod.ref} eth0`,
      what: `${srcPod.ref} opens a ${protocol} connection ${hp(pkt)}`,
      pod: srcPod.ref,
      node: srcPod.endpoint.nodeName,
      packet: pkt,
    });
    // --- the client's sidecar takes the connection and opens its own to the endpoint it picks
    const pick = srcMesh
      ? kernel.meshOutbound?.(srcPod, srcMesh, dstIP, req.port, req.http?.path ?? '/')
      : undefined;
    if (srcMesh) {
      hops.push(captureOutboundHop(srcPod, srcMesh, pkt));
      meshLeg = { from: hops.length, to: Number.MAX_SAFE_INTEGER, mtls: false };
      if (pick) {
        pkt = { src: clientIP, sport: kernel.ephemeralPort(), dst: pick.ip, dport: pick.port, protocol };
        origPkt = pkt;
        dstIP = pick.ip as IPv4;
        dstPort = pick.port;
        service = pick.service;
        meshLeg = { ...meshLeg, mtls: pick.mtls };
        hops.push(upstreamHop(srcPod, srcMesh, pick, pkt));
      }
    }
    hops.push({
      kind: 'veth',
      where: `${srcPod.endpoint.nodeName} ${view.cni.hostInterface(srcPod.endpoint)}`,
      what: `The packet crosses the veth pair into ${srcPod.endpoint.nodeName}'s network namespace`,
      node: srcPod.endpoint.nodeName,
      pod: srcPod.ref,
      packet: pkt,
    });
  } else if (srcNode) {
    hops.push({
      kind: 'node',
      where: `${srcNode.name} host network`,
      what: `A process on ${srcNode.name} opens a ${protocol} connection ${hp(pkt)}`,
      node: srcNode.name,
      packet: pkt,
    });
  }

  // --- where does kube-proxy see it first: the source's node, or for an outside client the node
  // that owns the address (a node IP, or a node the cloud load balancer picks for its address).
  let natNode: NodeInfo | undefined = srcNode;
  if (!natNode) {
    natNode = view.nodeByIP.get(dstIP);
    const lb = view.services.find((s) => (s.status?.loadBalancer?.ingress ?? []).some((i) => i.ip === dstIP));
    if (!natNode && lb) {
      const local = lb.spec?.externalTrafficPolicy === 'Local';
      const ref = `${lb.metadata.namespace}/${lb.metadata.name}`;
      const withLocal = view.nodes.filter((n) =>
        view.endpointSlices.some(
          (s) =>
            s.metadata.namespace === lb.metadata.namespace &&
            s.metadata.labels?.['kubernetes.io/service-name'] === lb.metadata.name &&
            (s.endpoints ?? []).some((e) => e.nodeName === n.name && e.conditions?.ready !== false),
        ),
      );
      // With externalTrafficPolicy Local the load balancer's health checks (healthCheckNodePort)
      // only pass on nodes with a local endpoint, so it sends traffic only there.
      const candidates = local ? withLocal : view.nodes;
      if (!candidates.length) {
        hops.push({
          kind: 'drop',
          where: `load balancer ${dstIP}`,
          what: `The cloud load balancer for ${ref} has no healthy node: no node has a ready local endpoint`,
          packet: pkt,
          service: ref,
          dropped: true,
        });
        return fail('timeout', `load balancer ${dstIP} has no healthy backends`, clientIP);
      }
      natNode = kernel.pick(candidates);
      hops.push({
        kind: 'route',
        where: `load balancer ${dstIP}`,
        what: `The cloud load balancer for ${ref} forwards the packet to ${natNode.name} (${natNode.internalIP})${local ? ', a node its health check marks as having a local endpoint' : ''}`,
        node: natNode.name,
        service: ref,
        packet: pkt,
      });
    }
  }

  // --- kube-proxy
  let backendIP: IPv4 = dstIP;
  let backendPort = dstPort;
  let masquerade: 'node' | 'hairpin' | false = false;
  if (natNode) {
    const out = kernel.proxy(natNode.name, pkt.src as IPv4, dstIP, dstPort, protocol);
    const chain = srcPod ? 'PREROUTING' : srcNode ? 'OUTPUT' : 'PREROUTING';
    const where = `${natNode.name} ${view.proxy.mode === 'ipvs' ? 'IPVS' : 'iptables'} nat ${chain}`;
    if (out.action === 'dnat') {
      service = out.service;
      const before = `${pkt.dst}:${pkt.dport}`;
      pkt = { ...pkt, dst: out.endpoint.ip, dport: out.endpoint.port };
      backendIP = out.endpoint.ip;
      backendPort = out.endpoint.port;
      masquerade = out.masquerade;
      hops.push({
        kind: 'netfilter',
        where,
        what: `kube-proxy's rules send ${before} (Service ${out.service}) to endpoint ${out.endpoint.ip}:${out.endpoint.port}${out.endpoint.pod ? ` (${out.endpoint.pod})` : ''}`,
        node: natNode.name,
        service: out.service,
        packet: pkt,
        rewrite: { type: 'DNAT', before, after: `${pkt.dst}:${pkt.dport}` },
        rules: out.walked,
      });
    } else if (out.action === 'reject' || out.action === 'drop') {
      hops.push({
        kind: 'drop',
        where,
        what: out.reason,
        node: natNode.name,
        packet: pkt,
        rules: out.walked,
        dropped: true,
      });
      return fail(out.action === 'reject' ? 'refused' : 'timeout', out.reason, clientIP);
    }
  }

  // --- conntrack on the node that made the decision
  const ctNode = natNode ?? srcNode;

  // --- where is the destination now
  const dstPod = view.podByIP.get(backendIP);
  const dstNodeHost = view.nodeByIP.get(backendIP);
  const hostNetPod = dstNodeHost
    ? view.pods.find(
        (p) =>
          p.pod.spec?.hostNetwork &&
          p.endpoint.ip === backendIP &&
          podListeners(p.pod).some((l) => l.port === backendPort && l.protocol === protocol),
      )
    : undefined;
  const dstInfo: PodInfo | undefined = dstPod ?? hostNetPod;
  const dstNode = dstInfo ? view.nodeByName.get(dstInfo.endpoint.nodeName) : dstNodeHost;
  const dstEndpoint: NetEndpoint = dstPod
    ? { kind: 'pod', ip: backendIP, pod: dstPod.endpoint }
    : dstNodeHost
      ? { kind: 'node', ip: backendIP, node: dstNodeHost.name }
      : { kind: 'external', ip: backendIP };

  // --- egress policy of the source pod
  const set = view.policies;
  if (srcEndpoint.kind === 'pod' && srcPod) {
    const v = evaluate(set, srcEndpoint, dstEndpoint, backendPort, protocol);
    const hop = policyHop(view, 'egress', srcPod.ref, v, srcPod.endpoint.nodeName, pkt);
    if (hop) {
      hops.push(hop);
      if (hop.policy?.enforced) decidedBy = decisionRef(hop.policy);
      if (hop.dropped) return fail('timeout', hop.policy?.reason ?? 'dropped by NetworkPolicy', clientIP);
    }
  }

  // --- SNAT
  let sourceIP = pkt.src;
  const snatNode = natNode ?? srcNode;
  if (masquerade && snatNode) {
    const to = masquerade === 'hairpin' ? bridgeAddress(snatNode.podCIDR) : snatNode.internalIP;
    const before = `${pkt.src}:${pkt.sport}`;
    pkt = { ...pkt, src: to };
    sourceIP = to;
    hops.push({
      kind: 'netfilter',
      where: `${snatNode.name} iptables nat POSTROUTING`,
      what:
        masquerade === 'hairpin'
          ? `Hairpin: the pod reached itself through a Service, so KUBE-POSTROUTING masquerades the source to the node's bridge address ${to}`
          : `KUBE-POSTROUTING masquerades the marked packet: the source becomes ${snatNode.name}'s address ${to}`,
      node: snatNode.name,
      packet: pkt,
      rewrite: { type: 'SNAT', before, after: `${to}:${pkt.sport}` },
    });
  } else if (
    !dstInfo &&
    !dstNodeHost &&
    srcPod &&
    srcEndpoint.kind === 'pod' &&
    snatNode &&
    !isPodAddress(view, backendIP)
  ) {
    // Egress to the internet: the CNI masquerades pod traffic leaving the cluster network
    // (Calico natOutgoing, Flannel's ip-masq, Cilium's BPF masquerade, Weave's expose).
    const before = `${pkt.src}:${pkt.sport}`;
    pkt = { ...pkt, src: snatNode.internalIP };
    sourceIP = snatNode.internalIP;
    hops.push({
      kind: 'netfilter',
      where: `${snatNode.name} nat POSTROUTING`,
      what: `Traffic leaving the cluster network is masqueraded to ${snatNode.name}'s address ${snatNode.internalIP}`,
      node: snatNode.name,
      packet: pkt,
      rewrite: { type: 'SNAT', before, after: `${pkt.src}:${pkt.sport}` },
    });
  }

  if (ctNode) {
    const reply: PacketHeaders = { src: pkt.dst, sport: pkt.dport, dst: pkt.src, dport: pkt.sport, protocol };
    const t = kernel.track(ctNode.name, { orig: origPkt, reply });
    hops.push({
      kind: 'conntrack',
      where: `${ctNode.name} conntrack`,
      what: t.ok
        ? `conntrack records the connection so replies are translated back`
        : 'nf_conntrack: table full, dropping packet',
      node: ctNode.name,
      packet: pkt,
      conntrack: t.line,
      dropped: !t.ok,
    });
    if (!t.ok) return fail('timeout', 'nf_conntrack: table full, dropping packet', clientIP);
  }

  // --- between nodes
  const fromNode = snatNode ?? srcNode;
  if (fromNode && dstNode && fromNode.name !== dstNode.name) {
    const route = view.cni.routes(fromNode, view.nodes).find((r) => r.viaNode === dstNode.name);
    hops.push({
      kind: 'route',
      where: `${fromNode.name} routing table`,
      what: `${pkt.dst} is in ${dstNode.name}'s pod range: ${route?.text ?? `via ${dstNode.internalIP}`}`,
      node: fromNode.name,
      packet: pkt,
      route: route?.text,
    });
    const enc = view.cni.encapsulation;
    if (enc) {
      const outer = {
        src: fromNode.internalIP,
        dst: dstNode.internalIP,
        protocol: 'UDP' as const,
        dport: enc.port,
        encapsulation: 'VXLAN' as const,
        vni: enc.vni,
        device: enc.device,
      };
      hops.push({
        kind: 'tunnel',
        where: `${fromNode.name} ${enc.device} → ${dstNode.name} ${enc.device}`,
        what: `${enc.device} wraps the packet in VXLAN (VNI ${enc.vni}): outer UDP ${outer.src} → ${outer.dst}:${enc.port}; the pod addresses inside are unchanged`,
        node: fromNode.name,
        packet: pkt,
        outer,
      });
      hops.push({
        kind: 'node',
        where: `${dstNode.name} ${enc.device}`,
        what: `${dstNode.name} receives the VXLAN packet on UDP ${enc.port} and unwraps it`,
        node: dstNode.name,
        packet: pkt,
      });
    } else {
      hops.push({
        kind: 'node',
        where: `${dstNode.name} eth0`,
        what: `Routed as is over the node network (no encapsulation, no NAT) to ${dstNode.name} (${dstNode.internalIP})`,
        node: dstNode.name,
        packet: pkt,
      });
    }
  }

  // --- outside the cluster
  if (!dstInfo && !dstNodeHost) {
    if (INTERNET_HOSTS.has(backendIP) && (backendPort === 80 || backendPort === 443) && protocol === 'TCP') {
      hops.push({
        kind: 'internet',
        where: `internet ${backendIP}`,
        what: `The packet leaves the cluster and reaches ${backendIP}:${backendPort}`,
        packet: pkt,
      });
      return ok(backendIP, backendPort);
    }
    hops.push({
      kind: 'drop',
      where: backendIP,
      what: `Nothing answers at ${backendIP}:${backendPort}: the packet is lost`,
      packet: pkt,
      dropped: true,
    });
    return fail('timeout', `no route to ${backendIP}:${backendPort}`, clientIP);
  }

  // --- into the destination pod
  if (dstPod && dstNode) {
    const seenSrc: NetEndpoint =
      sourceIP === clientIP
        ? srcEndpoint
        : view.nodeByIP.get(sourceIP)
          ? { kind: 'node', ip: sourceIP as IPv4, node: view.nodeByIP.get(sourceIP)?.name ?? '' }
          : { kind: 'node', ip: sourceIP as IPv4, node: snatNode?.name ?? '' };
    const v = evaluate(set, seenSrc, dstEndpoint, backendPort, protocol);
    const hop = policyHop(view, 'ingress', dstPod.ref, v, dstNode.name, pkt);
    hops.push({
      kind: view.cni.localDelivery === 'bridge' ? 'bridge' : 'veth',
      where: `${dstNode.name} ${view.cni.localDelivery === 'bridge' ? view.cni.bridge : view.cni.hostInterface(dstPod.endpoint)}`,
      what:
        view.cni.localDelivery === 'bridge'
          ? `The ${view.cni.bridge} bridge forwards the packet to ${dstPod.ref}'s veth`
          : view.cni.localDelivery === 'ebpf'
            ? `Cilium's eBPF program redirects the packet to ${dstPod.ref}'s lxc interface`
            : `The /32 route for ${dstPod.endpoint.ip} points at ${dstPod.ref}'s veth ${view.cni.hostInterface(dstPod.endpoint)}`,
      node: dstNode.name,
      pod: dstPod.ref,
      packet: pkt,
    });
    if (hop) {
      hops.push(hop);
      if (hop.policy?.enforced && (hop.dropped || !decidedBy)) decidedBy = decisionRef(hop.policy);
      if (hop.dropped) return fail('timeout', hop.policy?.reason ?? 'dropped by NetworkPolicy', clientIP);
    }
  }

  // --- the server's sidecar: mTLS termination, or STRICT refusing plaintext
  const dstMesh = dstPod && protocol === 'TCP' ? sidecarOf(dstPod.pod) : null;
  if (dstPod && dstMesh) {
    const decision = dstMesh === 'istio' ? (kernel.meshInbound?.(dstPod, backendPort) ?? null) : null;
    const mtls = srcMesh === dstMesh && decision?.mode !== 'DISABLE';
    const leftPod = hops.findIndex((h) => h.kind === 'veth' || h.kind === 'node');
    meshLeg = { from: meshLeg?.from ?? Math.max(0, leftPod), to: hops.length, mtls };
    if (decision?.mode === 'STRICT' && !mtls) {
      hops.push(strictResetHop(dstPod, decision, pkt));
      return fail(
        'reset',
        `Connection reset by peer: ${dstPod.ref}'s sidecar requires mutual TLS (PeerAuthentication ${decision.policy ?? ''} STRICT) and the client sent plaintext`,
        clientIP,
      );
    }
    hops.push(inboundHop(dstPod, dstMesh, mtls, decision, pkt));
  }

  const target = dstInfo;
  if (target) {
    const listening = podListeners(target.pod).some((l) => l.port === backendPort && l.protocol === protocol);
    const self = srcPod?.ref === target.ref && !masquerade && backendIP === clientIP;
    if (!listening) {
      hops.push({
        kind: 'drop',
        where: `${target.ref} eth0`,
        what:
          protocol === 'TCP'
            ? `Nothing in ${target.ref} listens on TCP ${backendPort}: the kernel answers with a reset (connection refused)`
            : protocol === 'UDP'
              ? `Nothing in ${target.ref} listens on UDP ${backendPort}: the kernel answers ICMP port unreachable`
              : `Nothing in ${target.ref} listens on SCTP ${backendPort}: the kernel answers with an ABORT`,
        pod: target.ref,
        node: target.endpoint.nodeName,
        packet: pkt,
        dropped: true,
      });
      return fail(
        'refused',
        `connection refused: nothing listens on ${protocol} ${backendPort} in ${target.ref}`,
        clientIP,
      );
    }
    hops.push({
      kind: 'deliver',
      where: `${target.ref} eth0`,
      what: `${target.ref} accepts the connection on ${protocol} ${backendPort}${self ? ' (over its own address)' : ''}; it sees the client as ${sourceIP}`,
      pod: target.ref,
      node: target.endpoint.nodeName,
      packet: pkt,
    });
    return ok(target.ref, backendPort);
  }

  // A node's own address: the API server (6443) and the kubelet (10250) listen on every node here.
  if (dstNodeHost) {
    const open = backendPort === 10250 || (backendPort === 6443 && dstNodeHost.name === view.nodes[0]?.name);
    if (open && protocol === 'TCP') {
      hops.push({
        kind: 'deliver',
        where: `${dstNodeHost.name} host network`,
        what: `${backendPort === 6443 ? 'kube-apiserver' : 'The kubelet'} on ${dstNodeHost.name} accepts the connection`,
        node: dstNodeHost.name,
        packet: pkt,
      });
      return ok(`node:${dstNodeHost.name}`, backendPort);
    }
    hops.push({
      kind: 'drop',
      where: `${dstNodeHost.name} host network`,
      what: `Nothing on ${dstNodeHost.name} listens on ${protocol} ${backendPort}: connection refused`,
      node: dstNodeHost.name,
      packet: pkt,
      dropped: true,
    });
    return fail('refused', `connection refused by ${dstNodeHost.name}`, clientIP);
  }
  return fail('timeout', 'no route', clientIP);

  function ok(backend: string, port: number): ConnectResult {
    return {
      delivered: true,
      backend,
      backendPort: port,
      clientIP,
      sourceIP,
      failure: null,
      reason: null,
      service,
      decidedBy,
      hops: finalHops(),
    };
  }
}

/** One query of the resolver's walk as the dns hop lists it. */
function dnsQuery(step: DnsStep): DnsQuery {
  const a = step.answers.find((x) => x.type === 'A');
  return {
    name: step.name,
    rcode: step.rcode,
    nodata: step.nodata,
    fromCache: step.fromCache,
    ...(a ? { address: a.data } : {}),
    ttl: step.ttl,
  };
}

/** The address lies in some node's pod range (in the cluster network). */
function isPodAddress(view: DatapathView, ip: IPv4): boolean {
  const n = ipToInt(ip);
  return view.nodes.some((node) => {
    const c = parseCidr(node.podCIDR);
    return c !== null && (n & c.mask) >>> 0 === c.base;
  });
}

function decisionRef(p: PolicyHop): DecisionRef | null {
  const d = p.decidedBy;
  if (d.kind === 'rule') return { policy: d.policy, rule: d.rule, direction: p.direction, allowed: true };
  if (d.kind === 'no-rule-matched')
    return { policy: d.policies[0] ?? '', rule: '', direction: p.direction, allowed: false };
  return null;
}

/** A policy hop when the pod is isolated in that direction (or when Flannel ignores a policy). */
function policyHop(
  view: DatapathView,
  direction: 'ingress' | 'egress',
  pod: string,
  v: Verdict,
  node: string,
  pkt: PacketHeaders,
): Hop | null {
  const d = direction === 'ingress' ? v.ingress : v.egress;
  if (!d.isolated) return null;
  const enforced = view.cni.enforcesPolicy;
  const policy: PolicyHop = {
    direction,
    pod,
    allowed: d.allowed,
    enforced,
    policies: d.policies,
    decidedBy: d.decidedBy,
    reason: d.allowed ? `allowed: ${describeDecision(d.decidedBy)}` : v.reason,
  };
  const where = `${node} ${view.cni.name} ${direction} policy for ${pod}`;
  if (!enforced)
    return {
      kind: 'policy',
      where,
      what: `${d.policies.join(', ')} select${d.policies.length === 1 ? 's' : ''} ${pod} for ${direction}, but Flannel does not enforce NetworkPolicy: the packet passes${d.allowed ? '' : ' although the policy would block it'}`,
      node,
      pod,
      packet: pkt,
      policy,
    };
  return {
    kind: d.allowed ? 'policy' : 'drop',
    where,
    what: d.allowed
      ? `${view.cni.policyEngine}: ${policy.reason}`
      : `${view.cni.policyEngine} drops the packet: ${v.reason}`,
    node,
    pod,
    packet: pkt,
    policy,
    dropped: !d.allowed,
  };
}

function describeDecision(d: PolicyHop['decidedBy']): string {
  switch (d.kind) {
    case 'rule':
      return `${d.policy} ${d.rule}`;
    case 'local-node':
      return "traffic from the pod's own node is always allowed";
    case 'self':
      return 'a pod cannot block traffic to itself';
    case 'not-a-pod':
      return 'not a pod';
    case 'not-isolated':
      return 'not isolated';
    case 'no-rule-matched':
      return `no rule of ${d.policies.join(', ')} matches`;
  }
}
