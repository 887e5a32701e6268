import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Document, parseAllDocuments } from 'yaml';
import { parseYamlDocuments } from './yamlDocs';

// parseYamlDocuments reads plain manifests with js-yaml and everything else with `yaml`
// (yamlDocs.ts): whichever reads a text, the values must be the ones `yaml` alone gives.
const byYaml = (text: string): unknown[] =>
  parseAllDocuments(text)
    .filter((d) => d.contents !== null)
    .map((d) => d.toJS() as unknown)
    .filter((v) => v !== null && v !== undefined);
const byReader = (text: string): unknown[] => parseYamlDocuments(text).docs.map((d) => d.value);
/** Values as comparable text: NaN, ±Infinity and -0 kept apart, as JSON would not. */
const shape = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'number' && (!Number.isFinite(x) || Object.is(x, -0))
      ? `number:${String(x)}:${Object.is(x, -0)}`
      : x,
  );

describe('reading YAML', () => {
  it('[YD1] plain scalars resolve as the YAML 1.2 core schema resolves them, whichever reader reads them', () => {
    // Numbers in every notation either schema knows (sign, radix prefix, digits, fraction, exponent),
    // and the words null, bool and float specials are spelled with.
    const numberLike = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        fc.constantFrom('', '0x', '0o', '0b', '.', '0', '00'),
        fc.stringMatching(/^[0-9a-fA-F_]{0,4}$/),
        fc.constantFrom('', '.', '.5', '.0', 'e3', 'E-2', 'e', 'e+1'),
      )
      .map((parts) => parts.join(''));
    const word = fc.constantFrom(
      ...[
        '~',
        'null',
        'Null',
        'NULL',
        'nULL',
        'true',
        'True',
        'TRUE',
        'tRUE',
        'false',
        'yes',
        'no',
        'on',
        'off',
      ],
      ...['.inf', '-.inf', '+.Inf', '.INF', '.nan', '.NaN', '.NAN', '-.nan', '12:30', '1:2:3', '2024-01-01'],
    );
    const scalar = fc.oneof(
      numberLike,
      word,
      fc.stringMatching(/^[-+.0-9eEoxXbBa-fA-FinfINFaNtTrRuUlLsS~_:]{0,8}$/),
    );
    fc.assert(
      fc.property(fc.array(scalar, { minLength: 1, maxLength: 6 }), (values) => {
        const text = values.map((v, i) => `k${i}: ${v}`).join('\n');
        let expected: unknown[];
        try {
          expected = byYaml(text);
        } catch {
          return;
        }
        const got = parseYamlDocuments(text);
        if (got.errors.length) return;
        expect(shape(got.docs.map((d) => d.value))).toBe(shape(expected));
      }),
      { numRuns: 2000 },
    );
  });

  it('[YD1] manifests of every shape read the same by both readers', () => {
    const key = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,6}$/);
    const leaf = fc.oneof(
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('0o17', '0x1F', '0b101', '-.5', '1_000', 'yes', 'Null', '.inf', '12:30', '2024-01-01'),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5 }), { minLength: 1, maxLength: 3 }),
        (docs) => {
          // Written as JSON-compatible YAML flow and as block YAML by `yaml` itself.
          const texts = [
            docs.map((d) => JSON.stringify(d)).join('\n---\n'),
            docs.map((d) => new Document(d).toString()).join('---\n'),
          ];
          for (const text of texts) expect(shape(byReader(text))).toBe(shape(byYaml(text)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('[YD2] a document read quickly still says where its fields are', () => {
    const text =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      name: http\n';
    const [doc] = parseYamlDocuments(text).docs;
    expect(doc?.line).toBe(1);
    expect(doc?.lineOf('spec.ports[0].name')).toBe(8);
    expect(doc?.lineOf('spec.ports[0].missing')).toBe(7);
  });

  it('[YD3] anchors and aliases go to the reader that bounds their expansion', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      );
    const r = parseYamlDocuments(bomb.join('\n'));
    expect(r.docs).toEqual([]);
    expect(r.errors[0]?.message).toMatch(/alias/i);
  });
});
