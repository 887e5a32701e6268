/** The metaphor in Kubernetes terms: one entry for everything the map draws (cityMap.ts). */
export default function Legend({ enforcesPolicy, cniTitle }: { enforcesPolicy: boolean; cniTitle: string }) {
  return (
    <dl>
      <dt>District</dt>
      <dd>
        A node. Its sign shows the node&apos;s InternalIP and the pod CIDR its pods take addresses from.
      </dd>
      <dt>House</dt>
      <dd>
        A pod. The address plate is the pod IP; the rooms are its containers, which share that one address
        (one network namespace). A dashed outline: running but not Ready, so no Service sends it traffic.
      </dd>
      <dt>House with a “waiting for an IP” plate</dt>
      <dd>
        A pod bound to the node whose sandbox could not be created: the CNI plugin found no free address in
        the node&apos;s pod range, so its containers stay ContainerCreating and the kubelet keeps retrying
        (event FailedCreatePodSandBox). Freeing an address or a replacement on another node fixes it.
      </dd>
      <dt>Courier at a house&apos;s door</dt>
      <dd>
        A service-mesh sidecar proxy injected into the pod (istio-proxy, or linkerd-proxy). Every connection
        in or out of the pod is redirected through it; between two meshed pods the couriers carry the traffic
        in mutual TLS, so the packet inspector shows ciphertext on that leg.
      </dd>
      <dt>Gates at houses</dt>
      <dd>
        NetworkPolicy isolation of that pod: “in” for ingress, “out” for egress; only what its policies allow
        passes.
        {enforcesPolicy ? '' : ` Drawn disabled (⚠): ${cniTitle} does not enforce NetworkPolicy.`}
      </dd>
      <dt>Post office</dt>
      <dd>
        A Service (✉): a stable ClusterIP; the lines from it lead to the pods behind its ready endpoints,
        which kube-proxy picks from.
      </dd>
      <dt>City directory</dt>
      <dd>CoreDNS behind the kube-dns Service (☰), which turns Service names into ClusterIPs.</dd>
      <dt>City gate</dt>
      <dd>The ingress controller (⇆) and its Service, through which outside clients reach the city.</dd>
      <dt>Outside world</dt>
      <dd>Clients outside the cluster; their traffic enters through a NodePort or LoadBalancer Service.</dd>
      <dt>Policy signs</dt>
      <dd>
        The NetworkPolicy objects (⛨), below the post offices; select one to see which pods it isolates.
      </dd>
      <dt>Roads</dt>
      <dd>
        The CNI datapath between nodes: tunnels for overlays (Flannel, Weave VXLAN: the packet wrapped in an
        outer UDP header, not encrypted), routed roads for Calico (BGP), eBPF roads for Cilium.
      </dd>
      <dt>Route sign</dt>
      <dd>
        In a Calico district: the routes to other nodes&apos; pod ranges that BGP taught the node, as{' '}
        <code>ip route</code> lists them.
      </dd>
      <dt>Car and trail</dt>
      <dd>
        A packet: blue for TCP, orange for UDP, green for SCTP. The line behind it is the way it came, hop by
        hop, as the trace in the traffic panel lists it.
      </dd>
      <dt>Red cross</dt>
      <dd>
        Where the packet was dropped, with the reason: a NetworkPolicy, a full conntrack table, no endpoints,
        a STRICT mTLS sidecar refusing plaintext.
      </dd>
    </dl>
  );
}
