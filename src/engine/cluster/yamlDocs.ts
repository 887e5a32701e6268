// Multi-document YAML as kubectl reads it, keeping where each field stands in the text so that
// an error can point at its line (editor markers, `apply` answers).
//
// Two readers, one result. `yaml` (eemeli/yaml) keeps every node's position and words syntax
// errors; it reads about 2 MB/s. Plain manifests (no anchors, aliases or tags) are read first by
// js-yaml with the same YAML 1.2 core schema, about ten times faster; the positions, needed only
// when an error names a line, come from `yaml` then. Anything js-yaml refuses, and every text with
// anchors, aliases or tags (whose expansion `yaml` bounds with maxAliasCount), goes to `yaml`
// alone, so errors read as before.
import { FAILSAFE_SCHEMA, loadAll, Type } from 'js-yaml';
import { isMap, isNode, isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { Manifest, ParsedDocument, YamlSyntaxError } from './manifest';
import { unknownFields } from '../api/knownFieldsStrict';
import { KNOWN_FIELDS } from '../api/knownFields';

/** Splits `spec.ports[0].port` into `['spec', 'ports', 0, 'port']`. */
export function fieldSegments(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of field.split('.')) {
    const m = /^([^[]*)((?:\[[^\]]*\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of (m[2] ?? '').matchAll(/\[([^\]]*)\]/g)) {
      const v = idx[1] ?? '';
      out.push(/^\d+$/.test(v) ? Number(v) : v);
    }
  }
  return out;
}

/** Reads `text` into documents; the same result whichever reader does it (see above). */
export function parseYamlDocuments(text: string): Manifest {
  const values = quickValues(text);
  if (!values) return readWithPositions(text);
  let full: Manifest | null = null;
  const positioned = (i: number): ParsedDocument | undefined => (full ??= readWithPositions(text)).docs[i];
  const docs: ParsedDocument[] = [];
  for (const value of values) {
    if (value === null || value === undefined) continue;
    const index = docs.length;
    docs.push({
      index,
      value,
      get line() {
        return positioned(index)?.line ?? 1;
      },
      lineOf: (field) => positioned(index)?.lineOf(field) ?? 1,
      unknownFields: unknownFields(value, KNOWN_FIELDS),
    });
  }
  return { docs, errors: [] };
}

// `yaml`'s YAML 1.2 core schema (yaml/dist/schema/core) in js-yaml's terms: js-yaml's own core
// schema differs on a few plain scalars (it reads 0b101 as 5, and -.5 as a string).
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = [/^0o[0-7]+$/, /^[-+]?[0-9]+$/, /^0x[0-9a-fA-F]+$/];
const FLOAT_NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT = [
  FLOAT_NAN_INF,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
const YAML_CORE = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type('tag:yaml.org,2002:null', {
      kind: 'scalar',
      resolve: (s: string | null) => s === null || NULL.test(s),
      construct: () => null,
    }),
    new Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      resolve: (s: string) => BOOL.test(s),
      construct: (s: string) => s[0] === 't' || s[0] === 'T',
    }),
    new Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (s: string) => INT.some((r) => r.test(s)),
      construct: (s: string) =>
        s.startsWith('0o')
          ? parseInt(s.slice(2), 8)
          : s.startsWith('0x')
            ? parseInt(s.slice(2), 16)
            : parseInt(s, 10),
    }),
    new Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (s: string) => FLOAT.some((r) => r.test(s)),
      construct: (s: string) =>
        FLOAT_NAN_INF.test(s)
          ? s.slice(-3).toLowerCase() === 'nan'
            ? NaN
            : s.startsWith('-')
              ? Number.NEGATIVE_INFINITY
              : Number.POSITIVE_INFINITY
          : parseFloat(s),
    }),
  ],
});

/** The documents' values by js-yaml, or null when the text must go to `yaml` (see above). */
function quickValues(text: string): unknown[] | null {
  if (/[&*!]/.test(text)) return null;
  try {
    return loadAll(text, undefined, { schema: YAML_CORE });
  } catch {
    return null;
  }
}

/** Every document with its node positions, and syntax errors worded as kubectl prints them. */
function readWithPositions(text: string): Manifest {
  const lc = new LineCounter();
  const docs: ParsedDocument[] = [];
  const errors: YamlSyntaxError[] = [];
  let all: Document.Parsed[];
  try {
    all = parseAllDocuments(text, {
      lineCounter: lc,
      prettyErrors: false,
      uniqueKeys: true,
    }) as Document.Parsed[];
  } catch (e) {
    return { docs, errors: [{ index: 0, line: 1, column: 1, message: `yaml: ${(e as Error).message}` }] };
  }
  if (!Array.isArray(all)) return { docs, errors };
  let index = 0;
  for (const doc of all) {
    const startOffset = doc.contents?.range?.[0] ?? doc.range[0];
    const start = lc.linePos(startOffset);
    const err = doc.errors[0];
    if (err) {
      // With prettyErrors off the parser leaves linePos unset; its offset still says where it is.
      const pos = err.linePos?.[0] ?? lc.linePos(err.pos[0]);
      const first = err.message.split('\n')[0] ?? err.message;
      errors.push({
        index,
        line: pos.line,
        column: pos.col,
        message: `error converting YAML to JSON: yaml: line ${pos.line}: ${first}`,
      });
      index++;
      continue;
    }
    if (doc.contents === null) continue; // an empty document (`---` alone, comments only)
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      errors.push({ index, line: start.line, column: start.col, message: `yaml: ${(e as Error).message}` });
      index++;
      continue;
    }
    if (value === null || value === undefined) continue;
    const lineOf = (field: string): number => {
      const segs = fieldSegments(field);
      for (let n = segs.length; n > 0; n--) {
        const last = segs[n - 1];
        // A field named by key points at its key's line (`spec:`), not at where its value starts,
        // which for a nested mapping is the next line.
        if (typeof last === 'string') {
          const parent = n === 1 ? doc.contents : doc.getIn(segs.slice(0, n - 1), true);
          if (isMap(parent)) {
            // A dual-stack list field (spec.clusterIPs) falls back to the singular one the manifest
            // usually states (spec.clusterIP).
            const keyIs = (k: string) =>
              parent.items.find((it) => isScalar(it.key) && String(it.key.value) === k);
            const pair = keyIs(last) ?? (last.endsWith('s') ? keyIs(last.slice(0, -1)) : undefined);
            const range = isNode(pair?.key) ? pair.key.range : undefined;
            if (range) return lc.linePos(range[0]).line;
          }
        }
        const node = doc.getIn(segs.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node && typeof node === 'object' && node.range) return lc.linePos(node.range[0]).line;
      }
      return start.line;
    };
    docs.push({ index, value, line: start.line, lineOf, unknownFields: unknownFields(value, KNOWN_FIELDS) });
    index++;
  }
  return { docs, errors };
}
