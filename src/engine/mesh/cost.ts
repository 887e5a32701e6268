// What a sidecar costs, in the numbers the meshes publish, so "when does a mesh pay off" can be
// argued with figures rather than impressions.
// Istio, https://istio.io/latest/docs/ops/deployment/performance-and-scalability/ (Istio 1.24):
// "a single sidecar proxy with 2 worker threads consumes about 0.20 vCPU and 60 MB of memory" at
// 1000 HTTP requests per second with 1 KB payloads; istiod uses 1 vCPU and 1.5 GB.
// Latency, https://istio.io/v1.12/docs/ops/deployment/performance-and-scalability/ (Istio 1.12.3,
// telemetry v2): "the two proxies add about 1.7 ms and 2.7 ms to the 90th and 99th percentile
// latency" of a request inside the mesh (client sidecar plus server sidecar).

export interface SidecarCost {
  readonly mesh: 'istio';
  readonly memoryMBPerSidecar: number;
  readonly vcpuPerSidecarAt1000Rps: number;
  /** Added latency for one request through a client and a server sidecar. */
  readonly addedLatencyMsP90: number;
  readonly addedLatencyMsP99: number;
  readonly controlPlane: { readonly vcpu: number; readonly memoryMB: number };
  readonly sources: readonly string[];
}

export const ISTIO_COST: SidecarCost = {
  mesh: 'istio',
  memoryMBPerSidecar: 60,
  vcpuPerSidecarAt1000Rps: 0.2,
  addedLatencyMsP90: 1.7,
  addedLatencyMsP99: 2.7,
  controlPlane: { vcpu: 1, memoryMB: 1536 },
  sources: [
    'https://istio.io/latest/docs/ops/deployment/performance-and-scalability/',
    'https://istio.io/v1.12/docs/ops/deployment/performance-and-scalability/',
  ],
};

/**
 * [MS9] The latency two sidecars add to one request at quantile q in [0, 1): a piecewise-linear
 * curve through Istio's published p90 (1.7 ms) and p99 (2.7 ms); the median (1.0 ms) and the ends
 * are the lab's interpolation, not published figures.
 */
export function sidecarPairLatencyMs(q: number): number {
  const pts: readonly (readonly [number, number])[] = [
    [0, 0.4],
    [0.5, 1.0],
    [0.9, ISTIO_COST.addedLatencyMsP90],
    [0.99, ISTIO_COST.addedLatencyMsP99],
    [1, 3.5],
  ];
  for (let i = 1; i < pts.length; i++) {
    const [q1, v1] = pts[i] as readonly [number, number];
    const [q0, v0] = pts[i - 1] as readonly [number, number];
    if (q <= q1) return v0 + ((v1 - v0) * (q - q0)) / (q1 - q0);
  }
  return 3.5;
}

export interface MeshCostReport {
  readonly sidecars: number;
  readonly pods: number;
  readonly memoryMB: number;
  readonly vcpuAtRps: number;
  readonly rps: number;
  readonly addedLatencyMsP90PerRequest: number;
  readonly addedLatencyMsP99PerRequest: number;
  readonly cost: SidecarCost;
}

/** [MS9] The mesh's cost for this cluster: memory for every sidecar, CPU at a request rate per sidecar. */
export function meshCost(sidecars: number, pods: number, rps = 1000): MeshCostReport {
  return {
    sidecars,
    pods,
    memoryMB: sidecars * ISTIO_COST.memoryMBPerSidecar,
    vcpuAtRps: Math.round(sidecars * ISTIO_COST.vcpuPerSidecarAt1000Rps * (rps / 1000) * 1000) / 1000,
    rps,
    addedLatencyMsP90PerRequest: ISTIO_COST.addedLatencyMsP90,
    addedLatencyMsP99PerRequest: ISTIO_COST.addedLatencyMsP99,
    cost: ISTIO_COST,
  };
}
