// Generates the JSON schema the YAML editor validates against, from the Kubernetes 1.30 API types in
// `kubernetes-types`, for the kinds the lab's API server serves (src/engine/api/kinds.ts). No npm
// package ships these schemas for offline use (yaml-language-server downloads them), so they are
// built here and committed: `npx tsx scripts/gen-k8s-schema.ts`.
//
// Changes to the raw types, following what the API server accepts:
// - apiVersion, kind and metadata.name are required (kubectl apply refuses objects without them);
// - `status` is dropped: the API server ignores it on create and update;
// - every object is closed (`additionalProperties: false`), so a misspelt field such as
//   `contianerPort` is flagged, as `kubectl apply --validate=strict` does
//   (https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { createGenerator } from 'ts-json-schema-generator';
import type { Namespace, Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-types/networking/v1';

/** The kinds the lab serves. */
export type LabObject =
  | Namespace
  | Node
  | Pod
  | Service
  | Deployment
  | ReplicaSet
  | EndpointSlice
  | NetworkPolicy
  | Ingress
  | IngressClass;

type Schema = { [key: string]: unknown };
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

export const SCHEMA_ID = 'file:///kubernetes-1.30-lab.schema.json';

export function generateSchema(): Schema {
  const self = fileURLToPath(import.meta.url);
  const schema = createGenerator({
    path: self,
    tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
    type: 'LabObject',
    expose: 'all',
    additionalProperties: false,
    skipTypeCheck: true,
    topRef: false,
  }).createSchema('LabObject') as Schema;

  const definitions = (schema.definitions ?? {}) as Record<string, Schema>;
  // Only the top-level kinds: other definitions (OwnerReference, ObjectReference…) also have
  // apiVersion and kind but no metadata.
  const kinds = ((schema.anyOf ?? []) as { $ref?: string }[]).map((r) => r.$ref?.split('/').pop() ?? '');
  for (const kind of kinds) {
    const def = definitions[kind];
    const props = def?.properties;
    if (!def || !isSchema(props) || !isSchema(props.metadata))
      throw new Error(`no object schema for ${kind}`);
    delete props.status;
    def.required = [
      ...new Set([...((def.required as string[] | undefined) ?? []), 'apiVersion', 'kind', 'metadata']),
    ];
    props.metadata = { allOf: [props.metadata, { required: ['name'] }] };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'Kubernetes objects the lab accepts',
    ...schema,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = fileURLToPath(new URL('../src/ui/editor/k8s-schema.json', import.meta.url));
  const options = (await resolveConfig(out)) ?? {};
  writeFileSync(out, await format(JSON.stringify(generateSchema()), { ...options, filepath: out }));
  console.log(`wrote ${out}`);
}
