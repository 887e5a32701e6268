import { readFileSync } from 'node:fs';
import type { Service } from 'kubernetes-types/core/v1';
import type { HTTPIngressPath, Ingress, IngressRule, IngressSpec } from 'kubernetes-types/networking/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  matchesHost,
  matchesPath,
  normalizeHost,
  normalizeRequestPath,
  resolveServicePort,
  routeHttp,
  servesIngress,
} from './index';

interface Case {
  id: string;
  ingress: string;
  requests: { host: string; path: string; expect: string }[];
}
const suite = JSON.parse(
  readFileSync(new URL('../../../../shared/conformance/cases/ingress.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

// '404' = no rule and no defaultBackend (null route); '503' = routed, but no ready endpoints (the
// caller's concern: here it only has to route); 'ns/svc:port' = that Service port number.
describe('ingress conformance cases', () => {
  for (const c of suite.cases) {
    const docs = parseAllDocuments(c.ingress).map((d) => d.toJS() as { kind: string });
    const ingresses = docs.filter((d) => d.kind === 'Ingress') as Ingress[];
    const services = docs.filter((d) => d.kind === 'Service') as Service[];
    for (const r of c.requests) {
      it(`[IN2][IN4][IN5] ${c.id}: ${r.host || '(no Host)'}${r.path} -> ${r.expect}`, () => {
        const route = routeHttp(ingresses, r.host || undefined, r.path);
        if (r.expect === '404') {
          expect(route).toBeNull();
          return;
        }
        expect(route).not.toBeNull();
        if (r.expect === '503' || !route) return;
        const port = resolveServicePort(services, route.backend);
        expect(`${route.backend.namespace}/${route.backend.service}:${port}`).toBe(r.expect);
      });
    }
  }
});

// ------------------------------------------------------------------------------ unit rules
const be = (service: string, port: number | string = 80): HTTPIngressPath['backend'] => ({
  service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } },
});
const p = (path: string, pathType: string, service: string): HTTPIngressPath => ({
  path,
  pathType,
  backend: be(service),
});
const rule = (host: string | undefined, ...paths: HTTPIngressPath[]): IngressRule => ({
  ...(host !== undefined && { host }),
  http: { paths },
});
function ing(name: string, spec: IngressSpec, extra: Partial<Ingress['metadata']> = {}): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', ...extra },
    spec: { ingressClassName: 'nginx', ...spec },
  };
}
const svcOf = (r: ReturnType<typeof routeHttp>): string | null => r?.backend.service ?? null;

describe('servesIngress', () => {
  it('[IN1] ingressClassName nginx, or the legacy annotation; other classes and class-less are ignored', () => {
    const base: Ingress = { metadata: { name: 'x' }, spec: { defaultBackend: be('web') } };
    expect(servesIngress({ ...base, spec: { ...base.spec, ingressClassName: 'nginx' } })).toBe(true);
    expect(servesIngress({ ...base, spec: { ...base.spec, ingressClassName: 'traefik' } })).toBe(false);
    expect(
      servesIngress({
        ...base,
        metadata: { name: 'x', annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
      }),
    ).toBe(true);
    expect(servesIngress(base)).toBe(false);
    expect(servesIngress(base, { watchIngressWithoutClass: true })).toBe(true);
    expect(routeHttp([base], 'a.com', '/')).toBeNull();
    expect(svcOf(routeHttp([base], 'a.com', '/', { watchIngressWithoutClass: true }))).toBe('web');
  });
});

describe('host matching', () => {
  it('[IN2] a wildcard matches exactly one extra leading label', () => {
    expect(matchesHost('*.foo.com', 'bar.foo.com')).toBe(true);
    expect(matchesHost('*.foo.com', 'baz.bar.foo.com')).toBe(false);
    expect(matchesHost('*.foo.com', 'foo.com')).toBe(false);
    expect(matchesHost('foo.com', 'foo.com')).toBe(true);
  });

  it('[IN2] the Host header is compared lower-cased, without port or trailing dot', () => {
    expect(normalizeHost('Foo.Bar.com:8080')).toBe('foo.bar.com');
    expect(normalizeHost('foo.bar.com.')).toBe('foo.bar.com');
    expect(normalizeHost(undefined)).toBeUndefined();
    const i = ing('v', { rules: [rule('foo.bar.com', p('/', 'Prefix', 'one'))] });
    expect(svcOf(routeHttp([i], 'FOO.bar.com:80', '/'))).toBe('one');
  });

  it('[IN3] exact hosts beat wildcards; host-less rules take unknown hosts and requests without Host', () => {
    const i = ing('h', {
      rules: [
        rule('*.foo.com', p('/', 'Prefix', 'wild')),
        rule('bar.foo.com', p('/', 'Prefix', 'exact')),
        rule(undefined, p('/', 'Prefix', 'any')),
      ],
    });
    expect(svcOf(routeHttp([i], 'bar.foo.com', '/'))).toBe('exact');
    expect(svcOf(routeHttp([i], 'baz.foo.com', '/'))).toBe('wild');
    expect(svcOf(routeHttp([i], 'a.b.foo.com', '/'))).toBe('any');
    expect(svcOf(routeHttp([i], undefined, '/'))).toBe('any');
    expect(routeHttp([i], 'baz.foo.com', '/')?.server).toBe('*.foo.com');
  });

  it('[IN3] a request whose host has a server does not fall through to host-less rules (ingress-nginx)', () => {
    const i = ing('h', {
      rules: [rule('foo.com', p('/api', 'Prefix', 'api')), rule(undefined, p('/web', 'Prefix', 'web'))],
    });
    expect(routeHttp([i], 'foo.com', '/web')).toBeNull();
    expect(svcOf(routeHttp([i], 'other.com', '/web'))).toBe('web');
    expect(routeHttp([i], undefined, '/api')).toBeNull();
  });
});

describe('path matching', () => {
  it('[IN4] the docs examples table', () => {
    const rows: [string, string, string, boolean][] = [
      ['Prefix', '/', '/anything/at/all', true],
      ['Exact', '/foo', '/foo', true],
      ['Exact', '/foo', '/bar', false],
      ['Exact', '/foo', '/foo/', false],
      ['Exact', '/foo/', '/foo', false],
      ['Prefix', '/foo', '/foo', true],
      ['Prefix', '/foo', '/foo/', true],
      ['Prefix', '/foo/', '/foo', true],
      ['Prefix', '/foo/', '/foo/', true],
      ['Prefix', '/aaa/bb', '/aaa/bbb', false],
      ['Prefix', '/aaa/bbb', '/aaa/bbb', true],
      ['Prefix', '/aaa/bbb/', '/aaa/bbb', true],
      ['Prefix', '/aaa/bbb', '/aaa/bbb/', true],
      ['Prefix', '/aaa/bbb', '/aaa/bbb/ccc', true],
      ['Prefix', '/aaa/bbb', '/aaa/bbbxyz', false],
      ['Exact', '/FOO', '/foo', false],
    ];
    for (const [type, path, req, want] of rows)
      expect(matchesPath(type as 'Exact', path, req), `${type} ${path} ${req}`).toBe(want);
  });

  it('[IN4] longest path wins; Exact beats Prefix for the same path; mixed rows of the table', () => {
    const i = ing('m', {
      rules: [
        rule(undefined, p('/', 'Prefix', 'root'), p('/aaa', 'Prefix', 'aaa'), p('/aaa/bbb', 'Prefix', 'bbb')),
      ],
    });
    expect(svcOf(routeHttp([i], 'x', '/aaa/ccc'))).toBe('aaa');
    expect(svcOf(routeHttp([i], 'x', '/aaa/bbb/c'))).toBe('bbb');
    expect(svcOf(routeHttp([i], 'x', '/ccc'))).toBe('root');
    const e = ing('e', {
      rules: [rule(undefined, p('/foo', 'Prefix', 'prefix'), p('/foo', 'Exact', 'exact'))],
    });
    expect(svcOf(routeHttp([e], 'x', '/foo'))).toBe('exact');
    expect(svcOf(routeHttp([e], 'x', '/foo/'))).toBe('prefix');
    expect(routeHttp([e], 'x', '/foo')).toMatchObject({
      ingress: 'default/e',
      ruleIndex: 0,
      pathIndex: 1,
      pathType: 'Exact',
    });
  });

  it('[IN6] the query string is not part of the path; the URI is normalised as nginx does', () => {
    expect(normalizeRequestPath('/foo?x=/bar')).toBe('/foo');
    expect(normalizeRequestPath('/a//b/./c/../d/')).toBe('/a/b/d/');
    expect(normalizeRequestPath('/%66oo')).toBe('/foo');
    expect(normalizeRequestPath('')).toBe('/');
    const i = ing('q', { rules: [rule(undefined, p('/foo', 'Exact', 'foo'))] });
    expect(svcOf(routeHttp([i], 'x', '/foo?bar=1'))).toBe('foo');
  });

  it('[IN4] ImplementationSpecific is an nginx prefix location (plain string prefix)', () => {
    expect(matchesPath('ImplementationSpecific', '/foo', '/foobar')).toBe(true);
    expect(matchesPath('ImplementationSpecific', '', '/anything')).toBe(true);
  });
});

describe('default backends', () => {
  it('[IN5] an Ingress with only a defaultBackend catches every host and path', () => {
    const i = ing('d', { defaultBackend: be('fallback') });
    const r = routeHttp([i], 'whatever', '/x');
    expect(r).toMatchObject({
      ingress: 'default/d',
      defaultBackend: true,
      ruleIndex: null,
      path: null,
      server: '_',
    });
    expect(svcOf(routeHttp([i], undefined, '/'))).toBe('fallback');
  });

  it('[IN5] defaultBackend with rules answers that Ingress hosts` unmatched paths', () => {
    const i = ing('d', {
      defaultBackend: be('fallback'),
      rules: [rule('a.com', p('/api', 'Prefix', 'api'))],
    });
    expect(svcOf(routeHttp([i], 'a.com', '/api/v1'))).toBe('api');
    expect(routeHttp([i], 'a.com', '/other')).toMatchObject({
      defaultBackend: true,
      backend: { service: 'fallback' },
    });
    expect(routeHttp([i], 'b.com', '/api')).toBeNull(); // other hosts: the controller's 404
  });

  it('[IN5] no match and no defaultBackend gives null (the controller default backend, 404)', () => {
    const i = ing('n', { rules: [rule('a.com', p('/api', 'Exact', 'api'))] });
    expect(routeHttp([i], 'a.com', '/api/')).toBeNull();
    expect(routeHttp([], 'a.com', '/')).toBeNull();
  });
});

describe('several Ingresses', () => {
  it('[IN7] rules for one host merge across Ingresses; the older Ingress keeps a conflicting path', () => {
    const old = ing(
      'old',
      { rules: [rule('a.com', p('/x', 'Prefix', 'old-x'))] },
      { creationTimestamp: '2024-01-01T00:00:00Z' },
    );
    const young = ing(
      'young',
      { rules: [rule('a.com', p('/x', 'Prefix', 'young-x'), p('/y', 'Prefix', 'young-y'))] },
      { creationTimestamp: '2024-02-01T00:00:00Z' },
    );
    for (const list of [
      [old, young],
      [young, old],
    ]) {
      expect(svcOf(routeHttp(list, 'a.com', '/x'))).toBe('old-x');
      expect(routeHttp(list, 'a.com', '/y')?.ingress).toBe('default/young');
    }
  });
});

describe('resolveServicePort', () => {
  const svc: Service = {
    metadata: { name: 'web', namespace: 'default' },
    spec: { ports: [{ name: 'http', port: 8080, targetPort: 80 }] },
  };
  it('[IN8] names resolve to the Service port number; unknown ports or Services are null', () => {
    expect(resolveServicePort([svc], { namespace: 'default', service: 'web', port: 'http' })).toBe(8080);
    expect(resolveServicePort([svc], { namespace: 'default', service: 'web', port: 8080 })).toBe(8080);
    expect(resolveServicePort([svc], { namespace: 'default', service: 'web', port: 80 })).toBeNull();
    expect(resolveServicePort([svc], { namespace: 'default', service: 'web', port: 'grpc' })).toBeNull();
    expect(resolveServicePort([svc], { namespace: 'other', service: 'web', port: 'http' })).toBeNull();
  });

  it('[IN8] a backend naming its port routes with the port name in the route', () => {
    const i = ing('n', {
      rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('web', 'http') }] } }],
    });
    const r = routeHttp([i], 'x', '/');
    expect(r?.backend).toEqual({ namespace: 'default', service: 'web', port: 'http' });
    expect(r && resolveServicePort([svc], r.backend)).toBe(8080);
  });
});
