/** The metaphor in Kubernetes terms. */
export function Legend({ enforcesPolicy, cniTitle }: { enforcesPolicy: boolean; cniTitle: string }) {
  return (
    <details className="legend">
      <summary>Legend</summary>
      <dl>
        <dt>District</dt>
        <dd>A node, with its InternalIP and the pod CIDR its pods take addresses from.</dd>
        <dt>House</dt>
        <dd>
          A pod. The address plate is the pod IP; the rooms are its containers, which share that one address
          (one network namespace).
        </dd>
        <dt>Post office</dt>
        <dd>
          A Service: a stable ClusterIP; lines lead to the pods behind its ready endpoints, which kube-proxy
          picks from.
        </dd>
        <dt>City directory</dt>
        <dd>CoreDNS (the kube-dns Service), which turns Service names into ClusterIPs.</dd>
        <dt>City gate</dt>
        <dd>The ingress controller and the outside world beyond it.</dd>
        <dt>Gates at houses</dt>
        <dd>
          NetworkPolicy isolation of that pod: “in” for ingress, “out” for egress.
          {enforcesPolicy ? '' : ` Drawn disabled: ${cniTitle} does not enforce NetworkPolicy.`}
        </dd>
        <dt>Roads</dt>
        <dd>
          The CNI datapath between nodes: tunnels for overlays (Flannel, Weave VXLAN), routed roads with route
          signs for Calico (BGP), eBPF roads for Cilium.
        </dd>
        <dt>Car</dt>
        <dd>A packet: blue for TCP, orange for UDP, green for SCTP; a red cross where it was dropped.</dd>
      </dl>
    </details>
  );
}
