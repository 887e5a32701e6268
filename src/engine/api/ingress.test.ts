import { readFileSync } from 'node:fs';
import type { HTTPIngressPath, Ingress, IngressSpec } from 'kubernetes-types/networking/v1';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isWildcardDns1123Subdomain, validateIngress } from './ingress';

interface Case {
  id: string;
  manifest: string;
  expect: {
    rejected: boolean;
    errors?: { field: string; type?: string; message: string; mustContain?: string[] }[];
  };
}
const suite = JSON.parse(
  readFileSync(
    new URL('../../../../shared/conformance/cases/service-validation.json', import.meta.url),
    'utf8',
  ),
) as { cases: Case[]; controls: Case[] };
const isIngress = (c: Case): boolean => /^kind:\s*Ingress\s*$/m.test(c.manifest);

// As shared/conformance/run.mjs judges service-validation (field, type, mustContain), plus the
// full upstream message.
describe('service-validation conformance cases (Ingresses)', () => {
  for (const c of [...suite.cases, ...suite.controls].filter(isIngress)) {
    it(c.id, () => {
      const errs = validateIngress(parse(c.manifest) as Ingress);
      if (!c.expect.rejected) {
        expect(errs).toEqual([]);
        return;
      }
      for (const w of c.expect.errors ?? []) {
        const hit = errs.find(
          (e) =>
            e.field === w.field &&
            (!w.type || e.type === w.type) &&
            (w.mustContain ?? []).every((s) => e.message.includes(s)),
        );
        expect(hit, `${w.message}\n got: ${errs.map((e) => e.message).join(' | ')}`).toBeDefined();
        expect(hit?.message).toBe(w.message);
      }
    });
  }
});

const backend = { service: { name: 'web', port: { number: 80 } } };
const ing = (spec: IngressSpec, annotations?: Record<string, string>): Ingress => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'i', namespace: 'default', ...(annotations && { annotations }) },
  spec,
});
const withPath = (path: string | undefined, pathType: string | undefined, host?: string): Ingress =>
  ing({
    rules: [
      {
        ...(host !== undefined && { host }),
        http: {
          paths: [
            {
              ...(path !== undefined && { path }),
              ...(pathType && { pathType }),
              backend,
            } as HTTPIngressPath,
          ],
        },
      },
    ],
  });
const messages = (i: Ingress): string[] => validateIngress(i).map((e) => e.message);
const P = 'spec.rules[0].http.paths[0]';

describe('validateIngress', () => {
  it('[IV1] an http rule needs paths', () => {
    expect(messages(ing({ rules: [{ http: { paths: [] } }] }))).toEqual([
      'spec.rules[0].http.paths: Required value',
    ]);
  });

  it('[IV2] host: not an IP, DNS-1123 subdomain, wildcard only as the first label', () => {
    expect(messages(withPath('/', 'Prefix', '10.0.0.1'))).toContain(
      'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    );
    expect(messages(withPath('/', 'Prefix', 'Foo.com'))[0]).toMatch(
      /^spec\.rules\[0\]\.host: Invalid value: "Foo\.com": a lowercase RFC 1123 subdomain/,
    );
    expect(messages(withPath('/', 'Prefix', '*.foo.com'))).toEqual([]);
    expect(isWildcardDns1123Subdomain('*')).toHaveLength(1);
    expect(isWildcardDns1123Subdomain('*.a.b')).toEqual([]);
  });

  it('[IV3] pathType is required (no defaulting in v1)', () => {
    expect(messages(withPath('/x', undefined))).toEqual([
      `${P}.pathType: Required value: pathType must be specified`,
    ]);
    expect(messages(withPath('/x', 'Regex'))).toEqual([
      `${P}.pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"`,
    ]);
  });

  it('[IV4] Exact/Prefix paths: absolute, no //, /./, /../, %2f, no trailing /. or /..', () => {
    expect(messages(withPath('foo', 'Exact'))).toEqual([
      `${P}.path: Invalid value: "foo": must be an absolute path`,
    ]);
    expect(messages(withPath(undefined, 'Prefix'))).toEqual([
      `${P}.path: Invalid value: "": must be an absolute path`,
    ]);
    expect(messages(withPath('/a//b', 'Prefix'))).toEqual([
      `${P}.path: Invalid value: "/a//b": must not contain '//'`,
    ]);
    expect(messages(withPath('/a/./b', 'Prefix'))).toEqual([
      `${P}.path: Invalid value: "/a/./b": must not contain '/./'`,
    ]);
    expect(messages(withPath('/a/../b', 'Exact'))).toEqual([
      `${P}.path: Invalid value: "/a/../b": must not contain '/../'`,
    ]);
    expect(messages(withPath('/a%2fb', 'Exact'))).toEqual([
      `${P}.path: Invalid value: "/a%2fb": must not contain '%2f'`,
    ]);
    expect(messages(withPath('/a/.', 'Prefix'))).toEqual([
      `${P}.path: Invalid value: "/a/.": cannot end with '/.'`,
    ]);
    expect(messages(withPath('/a/b/', 'Prefix'))).toEqual([]);
  });

  it('[IV5] ImplementationSpecific: empty allowed, otherwise absolute', () => {
    expect(messages(withPath(undefined, 'ImplementationSpecific'))).toEqual([]);
    expect(messages(withPath('x', 'ImplementationSpecific'))).toEqual([
      `${P}.path: Invalid value: "x": must be an absolute path`,
    ]);
    expect(messages(withPath('/a//b', 'ImplementationSpecific'))).toEqual([]);
  });

  it('[IV6] backend: resource xor service', () => {
    const both = ing({
      defaultBackend: {
        ...backend,
        resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'b' },
      },
    });
    expect(messages(both)).toEqual([
      'spec.defaultBackend: Invalid value: "": cannot set both resource and service backends',
    ]);
    expect(messages(ing({ defaultBackend: {} }))).toEqual([
      'spec.defaultBackend: Invalid value: "": resource or service backend is required',
    ]);
    expect(
      messages(ing({ defaultBackend: { resource: { kind: 'StorageBucket', name: 'static' } } })),
    ).toEqual([]);
  });

  it('[IV7] the service name is a DNS-1035 label', () => {
    const m = messages(ing({ defaultBackend: { service: { name: '1web', port: { number: 80 } } } }));
    expect(m[0]).toMatch(/^spec\.defaultBackend\.service\.name: Invalid value: "1web": a DNS-1035 label/);
  });

  it('[IV8] port: name xor number, one required, each valid', () => {
    expect(messages(ing({ defaultBackend: { service: { name: 'web' } } }))).toEqual([
      'spec.defaultBackend: Required value: port name or number is required',
    ]);
    expect(messages(ing({ defaultBackend: { service: { name: 'web', port: { number: 70000 } } } }))).toEqual([
      'spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
    expect(messages(ing({ defaultBackend: { service: { name: 'web', port: { name: 'Http' } } } }))).toEqual([
      'spec.defaultBackend.service.port.name: Invalid value: "Http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]);
  });

  it('[IV9] rules or defaultBackend is required', () => {
    expect(messages(ing({}))).toEqual([
      'spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified',
    ]);
    expect(messages(ing({ defaultBackend: backend }))).toEqual([]);
  });

  it('[IV10] tls hosts and secretName', () => {
    expect(
      messages(ing({ defaultBackend: backend, tls: [{ hosts: ['*.ok.com', 'a..b'], secretName: 'Bad' }] })),
    ).toEqual([
      expect.stringMatching(/^spec\.tls\[0\]\.hosts\[1\]: Invalid value: "a\.\.b"/),
      expect.stringMatching(/^spec\.tls\[0\]\.secretName: Invalid value: "Bad"/),
    ]);
  });

  it('[IV11] ingressClassName is a DNS-1123 subdomain', () => {
    expect(messages(ing({ defaultBackend: backend, ingressClassName: 'Nginx' }))[0]).toMatch(
      /^spec\.ingressClassName: Invalid value: "Nginx": a lowercase RFC 1123 subdomain/,
    );
  });

  it('[IV12] the legacy class annotation must match ingressClassName', () => {
    const i = ing(
      { defaultBackend: backend, ingressClassName: 'nginx' },
      { 'kubernetes.io/ingress.class': 'traefik' },
    );
    expect(messages(i)).toEqual([
      'annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified',
    ]);
  });
});
