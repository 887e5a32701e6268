// The service mesh: sidecar injection, mTLS between sidecars, routing (VirtualService,
// DestinationRule), request batches with retries and faults, per-Service metrics and the sidecars' cost.
export { injectSidecar, injectionFor, sidecarOf, type MeshName } from './inject';
export {
  endpointsFor,
  fqdn,
  mtlsMode,
  pickWeighted,
  routeFor,
  serviceByHost,
  DEFAULT_RETRY,
  ROOT_NAMESPACE,
  type MeshData,
  type MeshRoute,
  type MtlsDecision,
  type MtlsMode,
} from './config';
export {
  sendRequests,
  quantile,
  type RequestBatch,
  type MeshRequestResult,
  type RequestAttempt,
} from './requests';
export { meshCost, sidecarPairLatencyMs, ISTIO_COST, type MeshCostReport, type SidecarCost } from './cost';
export { annotatePayload, plaintextPayload, encryptedPayload, type OutboundPick } from './trace';

export interface ServiceMetrics {
  /** `ns/name` of the destination Service. */
  readonly service: string;
  readonly requests: number;
  readonly successes: number;
  readonly successRate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}
