// Multi-document YAML as kubectl reads it, keeping where each field stands in the text so that
// an error can point at its line (editor markers, `apply` answers).
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

export function parseYamlDocuments(text: string): Manifest {
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
