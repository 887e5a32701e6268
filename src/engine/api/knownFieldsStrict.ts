// Strict field validation: the API server's decoder refuses fields the kind's Go types do not
// declare when the client asks for `fieldValidation=Strict`, as kubectl does by default since 1.27
// (`--validate=strict`; KEP-2885, https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation).
// The refusal is a BadRequest worded by apiserver's transformDecodeError and apimachinery's
// strictDecodingError (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go,
// staging/src/k8s.io/apimachinery/pkg/runtime/error.go):
//   NetworkPolicy in version "v1" cannot be handled as a NetworkPolicy: strict decoding error: unknown field "spec.policyTypse"
// with every unknown field listed, comma-separated. Rules [SD1]–[SD4] in ./SPEC.md.
// Decoding finds the unknown fields (unknownFields, run where YAML text is read:
// ../cluster/yamlDocs.ts, with the generated table in ./knownFields.ts); admission refuses the
// object (strictDecodingFailure, in ../cluster/cluster.ts).

/** Field name → the object type of its value (or of its list's items), or 0 when it is not checked. */
export type FieldTable = Readonly<Record<string, string | 0>>;

export interface KnownFields {
  /** Kind → its apiVersion and its object type in `types`. */
  readonly kinds: Readonly<Record<string, { readonly apiVersion: string; readonly type: string }>>;
  readonly types: Readonly<Record<string, FieldTable>>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Paths of the fields of `obj` that its kind does not declare (`spec.ports[0].nodeport`), in the
 * order the API server meets them: kubectl sends JSON marshalled from a Go map, whose keys
 * encoding/json sorts. `null` when the lab has no field schema for the kind and version (a custom
 * resource such as Istio's): those are not checked here.
 */
export function unknownFields(obj: unknown, known: KnownFields): string[] | null {
  if (!isRecord(obj) || typeof obj.kind !== 'string') return null;
  const entry = Object.hasOwn(known.kinds, obj.kind) ? known.kinds[obj.kind] : undefined;
  if (!entry || entry.apiVersion !== obj.apiVersion) return null;
  const out: string[] = [];
  const walk = (value: unknown, type: string, path: string): void => {
    const table = known.types[type];
    if (!table || !isRecord(value)) return;
    for (const key of Object.keys(value).sort()) {
      const at = path ? `${path}.${key}` : key;
      if (!Object.hasOwn(table, key)) {
        out.push(at);
        continue;
      }
      const sub = table[key];
      if (!sub) continue;
      const v = value[key];
      if (Array.isArray(v)) v.forEach((item, i) => walk(item, sub, `${at}[${i}]`));
      else walk(v, sub, at);
    }
  };
  walk(obj, entry.type, '');
  return out;
}

/** The API server's words for a strict decoding failure of `kind` in `apiVersion`. */
export function strictDecodingMessage(kind: string, apiVersion: string, fields: readonly string[]): string {
  const version = apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
  const list = fields.map((f) => `unknown field "${f}"`).join(', ');
  return `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${list}`;
}

export interface StrictDecodingFailure {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly message: string;
  /** The unknown fields' paths, in the order the message lists them. */
  readonly fields: readonly string[];
}

/**
 * Why the API server's strict decoder refuses `obj`, whose decoding found `fields` undeclared, or
 * null when it decodes (or is not checked).
 */
export function strictDecodingFailure(
  obj: unknown,
  fields: readonly string[] | null,
): StrictDecodingFailure | null {
  if (!fields || fields.length === 0 || !isRecord(obj)) return null;
  const kind = String(obj.kind);
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  return {
    kind,
    name: typeof meta.name === 'string' ? meta.name : '',
    ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
    message: strictDecodingMessage(kind, String(obj.apiVersion), fields),
    fields,
  };
}
