import { readFileSync } from 'node:fs';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FieldError } from './field';
import { defaultNetworkPolicy, parseCidrSloppy } from './networkPolicy';
import { validateNetworkPolicy } from './networkPolicyValidation';

interface Entry {
  id: string;
  manifest: string;
  rejected: boolean | 'version-dependent';
  fieldPath: string;
  errorType: string | null;
  messageGist: string | string[];
}
const suite = JSON.parse(
  readFileSync(
    new URL('../../../../shared/conformance/cases/netpol-validation.json', import.meta.url),
    'utf8',
  ),
) as { entries: Entry[] };

const TYPE_PHRASE: Record<string, string> = {
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Required: 'Required value',
  Forbidden: 'Forbidden',
};

// The conformance runner's lenient gist comparison (shared/conformance/run.mjs gistMatches).
function gistMatches(message: string, gist: string): boolean {
  const norm = (s: string): string =>
    s
      .toLowerCase()
      .replace(/["'`\u2018\u2019\u201c\u201d]/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  const cut = gist.search(/\s\[/);
  const main = cut < 0 ? gist : gist.slice(0, cut);
  const remark = cut < 0 ? '' : gist.slice(cut);
  const variants = [
    main,
    main.replace(/\s*\([^()]*\)\s*$/, '').replace(/[\s,;:]+$/, ''),
    ...[...remark.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? ''),
  ];
  return variants.some((v) => norm(v) !== '' && norm(message).includes(norm(v)));
}

const check = (np: NetworkPolicy): FieldError[] => validateNetworkPolicy(defaultNetworkPolicy(np));
const spec = (s: object): NetworkPolicy => ({
  metadata: { name: 'np', namespace: 'x' },
  spec: { podSelector: {}, ...s },
});

describe('netpol-validation.json conformance entries', () => {
  for (const e of suite.entries) {
    if (e.rejected === 'version-dependent') continue;
    // metadata.* is validated by the object store (ValidateObjectMeta), not by the spec validator.
    const specOnly = e.fieldPath.startsWith('spec');
    it(`[NPV] ${e.id}: ${e.rejected ? 'rejected' : 'accepted'}`, () => {
      const errs = check(parse(e.manifest) as NetworkPolicy);
      if (!e.rejected) return expect(errs).toEqual([]);
      if (!specOnly) return expect(errs).toEqual([]);
      for (const g of ([] as string[]).concat(e.messageGist)) {
        const hit = errs.some(
          (x) =>
            x.field === e.fieldPath && x.type === TYPE_PHRASE[e.errorType ?? ''] && gistMatches(x.message, g),
        );
        expect(hit, `${e.fieldPath}: ${g}\n got: ${errs.map((x) => x.message).join(' | ')}`).toBe(true);
      }
    });
  }

  it('[NPV7] cidr with leading zeros is accepted while StrictIPCIDRValidation is off', () => {
    const e = suite.entries.find((x) => x.id === 'cidr-leading-zeros');
    expect(e).toBeDefined();
    expect(check(parse(e?.manifest ?? '') as NetworkPolicy)).toEqual([]);
    expect(parseCidrSloppy('010.000.000.000/08')).toEqual({ family: 4, base: 10n << 24n, prefix: 8 });
  });
});

describe('defaultNetworkPolicy', () => {
  it('[NPD1] a port without protocol becomes TCP, in ingress and egress', () => {
    const d = defaultNetworkPolicy(spec({ ingress: [{ ports: [{ port: 80 }] }], egress: [{ ports: [{}] }] }));
    expect(d.spec?.ingress?.[0]?.ports?.[0]).toEqual({ port: 80, protocol: 'TCP' });
    expect(d.spec?.egress?.[0]?.ports?.[0]).toEqual({ protocol: 'TCP' });
  });
  it('[NPD2] policyTypes default: Ingress, plus Egress only for non-empty egress', () => {
    expect(defaultNetworkPolicy(spec({})).spec?.policyTypes).toEqual(['Ingress']);
    expect(defaultNetworkPolicy(spec({ egress: [] })).spec?.policyTypes).toEqual(['Ingress']);
    expect(defaultNetworkPolicy(spec({ egress: [{}] })).spec?.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(defaultNetworkPolicy(spec({ egress: [{}], policyTypes: ['Egress'] })).spec?.policyTypes).toEqual([
      'Egress',
    ]);
  });
  it('[NPD3] absent podSelector becomes {} and the input is not mutated', () => {
    const np: NetworkPolicy = { metadata: { name: 'np' }, spec: {} as NetworkPolicy['spec'] & object };
    const before = JSON.stringify(np);
    expect(defaultNetworkPolicy(np).spec?.podSelector).toEqual({});
    expect(defaultNetworkPolicy({ metadata: { name: 'np' } }).spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
    });
    expect(JSON.stringify(np)).toBe(before);
  });
});

describe('validateNetworkPolicy', () => {
  const messages = (s: object): string[] => check(spec(s)).map((e) => e.message);
  it('[NPV1] policyTypes values and count', () => {
    expect(messages({ policyTypes: ['Both'] })).toEqual([
      'spec.policyTypes[0]: Unsupported value: "Both": supported values: "Ingress", "Egress"',
    ]);
    expect(messages({ policyTypes: ['Ingress', 'Egress', 'Ingress'] })[0]).toMatch(
      /^spec\.policyTypes: Invalid value: .*may not specify more than two policyTypes$/,
    );
    expect(messages({ policyTypes: ['Ingress', 'Ingress'] })).toEqual([]);
  });
  it('[NPV2] endPort must be >= port and a valid port number', () => {
    expect(messages({ ingress: [{ ports: [{ port: 100, endPort: 99 }] }] })).toEqual([
      'spec.ingress[0].ports[0].endPort: Invalid value: 99: must be greater than or equal to `port`',
    ]);
    expect(messages({ ingress: [{ ports: [{ port: 100, endPort: 70000 }] }] })).toEqual([
      'spec.ingress[0].ports[0].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
    expect(messages({ ingress: [{ ports: [{ port: 100, endPort: 100 }] }] })).toEqual([]);
  });
  it('[NPV3] endPort without port is invalid', () => {
    expect(messages({ egress: [{ ports: [{ endPort: 90 }] }] })).toEqual([
      'spec.egress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified',
    ]);
  });
  it('[NPV4] a numeric string is a port name, and port 0 is out of range', () => {
    expect(messages({ ingress: [{ ports: [{ port: '80' }] }] })).toEqual([
      'spec.ingress[0].ports[0].port: Invalid value: "80": must contain at least one letter (a-z)',
    ]);
    expect(messages({ ingress: [{ ports: [{ port: 0 }] }] })).toEqual([
      'spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
  });
  it('[NPV5] a peer needs one of podSelector/namespaceSelector/ipBlock; ipBlock only alone', () => {
    expect(messages({ ingress: [{ from: [{}] }] })).toEqual([
      'spec.ingress[0].from[0]: Required value: must specify a peer',
    ]);
    expect(
      messages({ ingress: [{ from: [{ namespaceSelector: {}, ipBlock: { cidr: '10.0.0.0/8' } }] }] }),
    ).toEqual(['spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer']);
    expect(messages({ ingress: [{ from: [{ namespaceSelector: {}, podSelector: {} }] }] })).toEqual([]);
  });
  it('[NPV6] except must be a strict subset of cidr; empty cidr is required', () => {
    expect(
      messages({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }] }] }),
    ).toEqual([
      'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
    ]);
    expect(
      messages({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] }),
    ).toEqual([]);
    expect(messages({ ingress: [{ from: [{ ipBlock: { cidr: '' } }] }] })).toEqual([
      'spec.ingress[0].from[0].ipBlock.cidr: Required value',
    ]);
    expect(
      messages({
        ingress: [{ from: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }] }],
      }),
    ).toEqual([]);
  });
  it('[NPV8] selector requirements: Exists with values is Forbidden, values are label values', () => {
    expect(
      messages({
        podSelector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
        ingress: [
          {
            from: [
              { podSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['bad value'] }] } },
            ],
          },
        ],
      }),
    ).toEqual([
      "spec.podSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      expect.stringMatching(
        /^spec\.ingress\[0\]\.from\[0\]\.podSelector\.matchExpressions\[0\]\.values\[0\]: Invalid value: "bad value": a valid label/,
      ),
    ]);
  });
});
