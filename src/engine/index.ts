// The engine's public entry: everything outside src/engine imports from here, or from ./parts.ts
// (the on-demand half: reading YAML text, tracing packets, kube-proxy's rule dumps) where the
// importer is itself loaded on demand. What this module exports is in the browser's first load, so
// it exports nothing of the on-demand half; the first screen's code reaches that through
// loadEngineParts().
export {
  createEngine,
  Engine,
  type ClusterSnapshot,
  type EngineOptions,
  type HttpRequest,
  type HttpResult,
  type RequestsInput,
} from './engine';
export {
  ISTIO_COST,
  injectionFor,
  sidecarOf,
  type MeshCostReport,
  type MeshName,
  type MeshRequestResult,
  type MtlsMode,
  type RequestAttempt,
  type RequestBatch,
  type ServiceMetrics,
  type SidecarCost,
} from './mesh';
export type { ApplyResult, ApplyError, ApplyResultItem, ApplyOutcome } from './cluster/cluster';
export { notFoundMessage } from './cluster/cluster';
export type { ClusterEvent } from './cluster/events';
export type { KubeObject } from './cluster/objects';
export { refOf } from './cluster/objects';
export { podTemplateHash } from './controllers/deployment';
export {
  CNI_NAMES,
  PROXY_MODES,
  DEFAULT_SETTINGS,
  EXTERNAL_CLIENT_IP,
  type ClusterSettings,
  type CniName,
  type ProxyMode,
} from './cluster/settings';
export { KINDS, kindInfo, resolveResource, type KindInfo } from './api/kinds';
export type {
  ConnectRequest,
  ConnectResult,
  Hop,
  HopKind,
  PacketHeaders,
  OuterHeader,
  PolicyHop,
} from './trace/types';
export { CNI_PLUGINS, cniPlugin } from './cni/plugins';
export type { CniPlugin, Route } from './cni/types';
export { describePolicy } from './policy/describe';
export { policiesSelecting } from './policy/compile';
export { humanDuration, rfc3339, fromRfc3339 } from './clock';
export { formatSelector, matchesSelector, matchesMap } from './api/labels';
export type { DnsResult, DnsRecord, DnsType } from './dns/types';
export type { Protocol } from './types';
export { loadEngineParts, enginePartsLoaded } from './lazy';
export type { Manifest, ParsedDocument } from './cluster/manifest';
