// The engine's on-demand half, loaded through loadEngineParts() (./lazy.ts): reading YAML text,
// and the data plane that traces packets (kube-proxy, conntrack walks, CoreDNS, the ingress
// controller, the mesh's sidecars). Drawing a cluster built from already-read manifests needs none
// of it, so the first screen does not wait for it. The engine's own modules call it through
// parts() (./lazy.ts); code outside the engine that is itself loaded on demand (kubectl, lesson
// checks, the Scale view) may import it directly.
export { parseYamlDocuments } from './cluster/yamlDocs';
export { DataPlane } from './dataPlane';
export { buildProxyRules, ruleStats, scaleSeries } from './proxy';
export { serviceRules, type ServiceRules } from './proxy/serviceRules';
export { evaluate, reachabilityMatrix } from './policy/evaluate';
export { validateNetworkPolicy } from './api/networkPolicyValidation';
export { validateIngress } from './api/ingress';
export { validateDestinationRule, validatePeerAuthentication, validateVirtualService } from './api/istio';
