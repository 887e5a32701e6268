// The kinds the lab's API server serves: group/version, scope, names kubectl knows them by, and
// the defaulting and validation the API server runs on create and update.
import type { FieldError } from './field';
import type { KubeObject } from '../cluster/objects';
import { defaultNetworkPolicy } from './networkPolicy';
import { defaultService, validateService } from './service';
import { defaultPod, validatePod } from './pod';
import { defaultDeployment, validateDeployment, defaultReplicaSet, validateReplicaSet } from './deployment';
import { defaultNamespace, validateNamespace } from './namespace';
import { defaultNode, validateNode } from './node';
import { parts } from '../lazy';

export interface KindInfo {
  readonly kind: string;
  readonly apiVersion: string;
  /** Other versions the API server also serves for the kind (Istio's CRDs serve v1 and v1beta1). */
  readonly servedVersions?: readonly string[];
  readonly namespaced: boolean;
  /** Resource name as kubectl and the API use it (`pods`). */
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly defaults: (o: KubeObject) => KubeObject;
  /** Kind-specific validation (metadata is validated for every kind by the apply pipeline). */
  readonly validate: (o: KubeObject) => FieldError[];
}

// Each validator takes its own kubernetes-types shape; the store hands them the object it parsed.
// The casts are the one place where an untyped YAML document becomes a typed object.
/* eslint-disable @typescript-eslint/no-explicit-any */
const typed =
  <T>(f: (o: T) => T) =>
  (o: KubeObject): KubeObject =>
    f(o as any) as any;
const checked =
  <T>(f: (o: T) => FieldError[]) =>
  (o: KubeObject): FieldError[] =>
    f(o as any);
/* eslint-enable @typescript-eslint/no-explicit-any */
const same = (o: KubeObject): KubeObject => o;
/** The API server returns a CRD object in its storage version (v1), whichever served version it came in. */
const toVersion =
  (apiVersion: string) =>
  (o: KubeObject): KubeObject => ({ ...o, apiVersion });
const none = (): FieldError[] => [];
/**
 * Validation kept in the engine's on-demand half (../parts.ts): kinds that only ever arrive as YAML
 * text or through kubectl, both of which load it first. The first screen's cluster (the starter
 * manifest, read at build time, and what the controllers make) has none of them.
 */
const onDemand =
  (
    name:
      | 'validateNetworkPolicy'
      | 'validateIngress'
      | 'validatePeerAuthentication'
      | 'validateVirtualService'
      | 'validateDestinationRule',
  ) =>
  (o: KubeObject): FieldError[] =>
    (parts()[name] as (o: KubeObject) => FieldError[])(o);

export const KINDS: readonly KindInfo[] = [
  {
    kind: 'Namespace',
    apiVersion: 'v1',
    namespaced: false,
    plural: 'namespaces',
    singular: 'namespace',
    shortNames: ['ns'],
    defaults: typed(defaultNamespace),
    validate: checked(validateNamespace),
  },
  {
    kind: 'Node',
    apiVersion: 'v1',
    namespaced: false,
    plural: 'nodes',
    singular: 'node',
    shortNames: ['no'],
    defaults: typed(defaultNode),
    validate: checked(validateNode),
  },
  {
    kind: 'Pod',
    apiVersion: 'v1',
    namespaced: true,
    plural: 'pods',
    singular: 'pod',
    shortNames: ['po'],
    defaults: typed(defaultPod),
    validate: checked(validatePod),
  },
  {
    kind: 'Service',
    apiVersion: 'v1',
    namespaced: true,
    plural: 'services',
    singular: 'service',
    shortNames: ['svc'],
    defaults: typed(defaultService),
    validate: checked(validateService),
  },
  {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    namespaced: true,
    plural: 'deployments',
    singular: 'deployment',
    shortNames: ['deploy'],
    defaults: typed(defaultDeployment),
    validate: checked(validateDeployment),
  },
  {
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    namespaced: true,
    plural: 'replicasets',
    singular: 'replicaset',
    shortNames: ['rs'],
    defaults: typed(defaultReplicaSet),
    validate: checked(validateReplicaSet),
  },
  {
    kind: 'EndpointSlice',
    apiVersion: 'discovery.k8s.io/v1',
    namespaced: true,
    plural: 'endpointslices',
    singular: 'endpointslice',
    shortNames: [],
    defaults: same,
    validate: none,
  },
  {
    kind: 'NetworkPolicy',
    apiVersion: 'networking.k8s.io/v1',
    namespaced: true,
    plural: 'networkpolicies',
    singular: 'networkpolicy',
    shortNames: ['netpol'],
    defaults: typed(defaultNetworkPolicy),
    validate: onDemand('validateNetworkPolicy'),
  },
  {
    kind: 'Ingress',
    apiVersion: 'networking.k8s.io/v1',
    namespaced: true,
    plural: 'ingresses',
    singular: 'ingress',
    shortNames: ['ing'],
    defaults: same,
    validate: onDemand('validateIngress'),
  },
  {
    kind: 'IngressClass',
    apiVersion: 'networking.k8s.io/v1',
    namespaced: false,
    plural: 'ingressclasses',
    singular: 'ingressclass',
    shortNames: [],
    defaults: same,
    validate: none,
  },
  // Istio's CRDs (https://istio.io/latest/docs/reference/config/): shortNames as the CRDs declare.
  {
    kind: 'PeerAuthentication',
    apiVersion: 'security.istio.io/v1',
    servedVersions: ['security.istio.io/v1beta1'],
    namespaced: true,
    plural: 'peerauthentications',
    singular: 'peerauthentication',
    shortNames: ['pa'],
    defaults: toVersion('security.istio.io/v1'),
    validate: onDemand('validatePeerAuthentication'),
  },
  {
    kind: 'VirtualService',
    apiVersion: 'networking.istio.io/v1',
    servedVersions: ['networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'],
    namespaced: true,
    plural: 'virtualservices',
    singular: 'virtualservice',
    shortNames: ['vs'],
    defaults: toVersion('networking.istio.io/v1'),
    validate: onDemand('validateVirtualService'),
  },
  {
    kind: 'DestinationRule',
    apiVersion: 'networking.istio.io/v1',
    servedVersions: ['networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'],
    namespaced: true,
    plural: 'destinationrules',
    singular: 'destinationrule',
    shortNames: ['dr'],
    defaults: toVersion('networking.istio.io/v1'),
    validate: onDemand('validateDestinationRule'),
  },
];

const byKind = new Map(KINDS.map((k) => [k.kind, k]));

export const kindInfo = (kind: string): KindInfo | undefined => byKind.get(kind);

/** Resolves what kubectl accepts as a resource type: `pods`, `pod`, `po`, `Pod`, `deployments.apps`. */
export function resolveResource(name: string): KindInfo | undefined {
  const n = name.toLowerCase().split('.')[0] ?? '';
  return KINDS.find(
    (k) => k.plural === n || k.singular === n || k.shortNames.includes(n) || k.kind.toLowerCase() === n,
  );
}
