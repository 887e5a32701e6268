import { parseAllDocuments, stringify } from 'yaml';
import { createEngine, type Engine, type KubeObject } from '../engine';
import type { LabRecord } from './labRecord';

// The lab's manifests as one multi-document YAML a real cluster accepts with `kubectl apply -f`:
// the objects a person writes, without what the API server and the controllers filled in. Objects
// owned by another (a Deployment's ReplicaSets, a ReplicaSet's pods) are left out: their owner
// recreates them, as it would in any cluster. The cluster's own objects (its namespaces, CoreDNS,
// the `kubernetes` Service, the ingress controller) are there already and are left out too.

/** The kinds people write, in the order `kubectl apply` should create them (namespaces first). */
export const EXPORTED_KINDS = [
  'Namespace',
  'IngressClass',
  'Service',
  'Deployment',
  'ReplicaSet',
  'Pod',
  'NetworkPolicy',
  'Ingress',
  'PeerAuthentication',
  'DestinationRule',
  'VirtualService',
] as const;

/** Server-set metadata (https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions, ObjectMeta). */
const SERVER_METADATA = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields'];
/** Annotations the server or kubectl writes, not the author. */
const SERVER_ANNOTATIONS = [
  'deployment.kubernetes.io/revision',
  'kubectl.kubernetes.io/last-applied-configuration',
];
/** Containers a mesh's injector adds on pod creation; the real cluster's injector adds its own. */
const INJECTED = new Set(['istio-proxy', 'linkerd-proxy', 'istio-init', 'linkerd-init']);

const key = (kind: string, ns: string | undefined, name: string | undefined) =>
  `${kind}/${ns ?? ''}/${name ?? ''}`;

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The Service fields and pod node names the author wrote in the lab's YAML (the starting manifests,
 * every apply and every `kubectl apply -f`): those are kept, the allocated ones dropped.
 */
function authoredFields(record: LabRecord): Set<string> {
  const texts = [record.yaml];
  for (const op of record.ops) {
    if (op.op === 'apply') texts.push(op.yaml);
    else if (op.op === 'kubectl' && op.editorYaml !== undefined) texts.push(op.editorYaml);
  }
  const out = new Set<string>();
  for (const text of texts) {
    for (const doc of parseAllDocuments(text)) {
      const v: unknown = doc.errors.length === 0 ? doc.toJS({ maxAliasCount: 100 }) : null;
      if (!isObject(v) || !isObject(v.metadata) || !isObject(v.spec)) continue;
      const k = key(
        String(v.kind),
        typeof v.metadata.namespace === 'string' ? v.metadata.namespace : 'default',
        String(v.metadata.name),
      );
      if (v.spec.clusterIP !== undefined) out.add(`${k}#clusterIP`);
      if (Array.isArray(v.spec.ports) && v.spec.ports.some((p) => isObject(p) && p.nodePort !== undefined))
        out.add(`${k}#nodePort`);
      if (v.spec.nodeName !== undefined) out.add(`${k}#nodeName`);
    }
  }
  return out;
}

function clean(obj: KubeObject, authored: Set<string>): Fields {
  const k = key(obj.kind, obj.metadata.namespace, obj.metadata.name);
  const metadata: Fields = { ...obj.metadata };
  for (const f of SERVER_METADATA) delete metadata[f];
  if (isObject(metadata.annotations)) {
    const annotations = { ...metadata.annotations };
    for (const a of SERVER_ANNOTATIONS) delete annotations[a];
    if (Object.keys(annotations).length === 0) delete metadata.annotations;
    else metadata.annotations = annotations;
  }
  const out: Fields = { apiVersion: obj.apiVersion, kind: obj.kind, metadata };
  for (const [field, value] of Object.entries(obj))
    if (!['apiVersion', 'kind', 'metadata', 'status'].includes(field)) out[field] = value;
  if (!isObject(out.spec)) return out;
  const spec: Fields = { ...out.spec };
  if (obj.kind === 'Service') {
    // A ClusterIP or NodePort the author did not choose is allocated again by the real cluster:
    // keeping the simulation's would collide with its own allocations.
    if (!authored.has(`${k}#clusterIP`) && spec.clusterIP !== 'None') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (!authored.has(`${k}#nodePort`) && Array.isArray(spec.ports))
      spec.ports = spec.ports.map((p: unknown) => {
        if (!isObject(p)) return p;
        const { nodePort: _allocated, ...rest } = p;
        return rest;
      });
  }
  if (obj.kind === 'Pod') {
    // The scheduler's choice names a simulated node; the real scheduler picks a real one.
    if (!authored.has(`${k}#nodeName`)) delete spec.nodeName;
    if (Array.isArray(spec.containers))
      spec.containers = spec.containers.filter(
        (c: unknown) => !(isObject(c) && INJECTED.has(String(c.name))),
      );
    if (Array.isArray(spec.initContainers)) {
      spec.initContainers = spec.initContainers.filter(
        (c: unknown) => !(isObject(c) && INJECTED.has(String(c.name))),
      );
      if ((spec.initContainers as unknown[]).length === 0) delete spec.initContainers;
    }
  }
  out.spec = spec;
  return out;
}

/** The objects of `engine`'s cluster that the learner made, cleaned for a real cluster. */
export function userObjects(engine: Engine, record: LabRecord): Fields[] {
  const fresh = createEngine(record.settings);
  const authored = authoredFields(record);
  const out: Fields[] = [];
  for (const kind of EXPORTED_KINDS) {
    for (const obj of engine.list(kind)) {
      if ((obj.metadata.ownerReferences?.length ?? 0) > 0) continue;
      if (fresh.get(kind, obj.metadata.namespace, obj.metadata.name ?? '')) continue;
      out.push(clean(obj, authored));
    }
  }
  return out;
}

/** The lab's manifests as one YAML stream, with a header naming the lab. */
export function exportManifests(engine: Engine, record: LabRecord): string {
  const docs = userObjects(engine, record).map((o) => stringify(o, { indentSeq: false, lineWidth: 0 }));
  const name = record.name.replace(/[\r\n]+/g, ' ');
  return `# ${name}: manifests exported from the Kubernetes Networking Lab.\n# Apply with: kubectl apply -f <this file>\n${docs.map((d) => `---\n${d}`).join('')}`;
}
