// The engine's only public entry: everything outside src/engine imports from here.
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
export { describePolicy, policiesSelecting, reachabilityMatrix, evaluate } from './policy';
export { iptablesSave, ipvsadmList, ruleStats, scaleSeries } from './proxy';
export { humanDuration, rfc3339, fromRfc3339 } from './clock';
export { formatSelector, matchesSelector, matchesMap } from './api/labels';
export type { DnsResult, DnsRecord, DnsType } from './dns/types';
export type { Protocol } from './types';
