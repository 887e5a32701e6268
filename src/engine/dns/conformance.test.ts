// Every query and expectResolvConf of shared/conformance/cases/dns.json, judged as run.mjs judges
// them, against a view built by hand from each case's manifests.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildView, podOf, serviceOf } from './fixture';
import { DnsCache } from './cache';
import { parseResolvConf, resolvConf } from './resolvConf';
import { lookup } from './stub';
import type { DnsRecord, DnsType, DnsView } from './types';

interface Query {
  id: string;
  from: string;
  name: string;
  type: DnsType;
  expect: {
    rcode: string;
    answers: string[];
    match?: 'exact' | 'includes';
    resolvedName?: string;
    queried?: string[];
    firstQueried?: string;
  };
}
interface Case {
  id: string;
  manifests: string;
  podStates?: Record<string, { ready?: boolean }>;
  expectResolvConf?: Record<string, Record<string, string[]>>;
  queries: Query[];
}
const suite = JSON.parse(
  readFileSync(new URL('../../../../shared/conformance/cases/dns.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

// run.mjs: names compare case-insensitively; trailing dots matter only in the name asked.
const dnsName = (s: string | null | undefined): string =>
  String(s ?? '')
    .toLowerCase()
    .replace(/\.$/, '');

function symbols(view: DnsView) {
  const expr = (s: string): string => {
    const m = /^(podIP|clusterIP)\(([^()]*)\)$/.exec(s.trim());
    if (!m) throw new Error(`unknown address '${s}'`);
    const v =
      m[1] === 'podIP' ? podOf(view, m[2] ?? '').status?.podIP : serviceOf(view, m[2] ?? '').spec?.clusterIP;
    if (!v) throw new Error(`${s} is not set`);
    return v;
  };
  const name = (s: string): string =>
    s
      .replace(/\{dashed\(([^{}]+)\)\}/g, (_, x: string) => expr(x).replaceAll('.', '-'))
      .replace(
        /reverse\((\w+\([^()]*\))\)/g,
        (_, x: string) => `${expr(x).split('.').reverse().join('.')}.in-addr.arpa.`,
      );
  return { expr, name };
}

function expectedRR(x: string, sym: ReturnType<typeof symbols>): string {
  let m: RegExpExecArray | null;
  if ((m = /^(cname|ptr):(.+)$/i.exec(x)))
    return `${(m[1] ?? '').toUpperCase()} ${dnsName(sym.name(m[2] ?? ''))}`;
  if ((m = /^srv:(\d+):(.+)$/i.exec(x))) return `SRV ${m[1]} ${dnsName(sym.name(m[2] ?? ''))}`;
  return `A ${sym.expr(x)}`;
}
function gotRR(r: DnsRecord): string {
  if (r.type === 'SRV') return `SRV ${r.port} ${dnsName(r.target ?? r.data)}`;
  return r.type === 'CNAME' || r.type === 'PTR' ? `${r.type} ${dnsName(r.data)}` : `${r.type} ${r.data}`;
}

describe('dns.json conformance', () => {
  for (const c of suite.cases) {
    describe(c.id, () => {
      const view = buildView(c.manifests, { podStates: c.podStates ?? {} });
      const sym = symbols(view);

      for (const [ref, exp] of Object.entries(c.expectResolvConf ?? {})) {
        it(`[RC2] resolvConf(${ref})`, () => {
          const conf = parseResolvConf(resolvConf(view, podOf(view, ref)));
          const got: Record<string, readonly string[]> = {
            nameserver: conf.nameservers,
            search: conf.searches,
            options: conf.options,
          };
          for (const [k, list] of Object.entries(exp)) {
            const want = list.map((x) => (/\(/.test(x) ? sym.expr(x) : x));
            const g = got[k] ?? [];
            if (k === 'options') expect([...g].sort()).toEqual([...want].sort());
            else expect(g.map(dnsName)).toEqual(want.map(dnsName));
          }
        });
      }

      for (const q of c.queries) {
        it(`${q.id} ${q.from} ${q.type} ${q.name}`, () => {
          const e = q.expect;
          // Fresh cache per query, as each case's queries are independent.
          const a = lookup(view, podOf(view, q.from), sym.name(q.name), q.type, new DnsCache(), 0);
          expect(a.rcode).toBe(e.rcode);
          const want = new Set(e.answers.map((x) => expectedRR(x, sym)));
          const have = new Set(a.answers.map(gotRR));
          for (const w of want) expect([...have]).toContain(w);
          if (e.match !== 'includes') expect(have.size).toBe(want.size);
          if (e.resolvedName !== undefined)
            expect(dnsName(a.resolvedName)).toBe(dnsName(sym.name(e.resolvedName)));
          if (e.queried) expect(a.queried.map(dnsName)).toEqual(e.queried.map((n) => dnsName(sym.name(n))));
          if (e.firstQueried !== undefined)
            expect(dnsName(a.queried[0])).toBe(dnsName(sym.name(e.firstQueried)));
        });
      }
    });
  }
});
