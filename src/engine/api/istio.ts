// Validation of the Istio kinds the lab serves: PeerAuthentication (security.istio.io) and
// VirtualService / DestinationRule (networking.istio.io), apiVersions v1 and v1beta1.
// Two layers answer, as in a real cluster: the API server checks the CRD's OpenAPI schema (enums,
// types: field errors such as `spec.mtls.mode: Unsupported value`), then istiod's validating
// webhook `validation.istio.io` checks the semantics with its own wording, from
// https://github.com/istio/istio/blob/master/pkg/config/validation/validation.go
// (e.g. "total destination weight = 0", "weight -1 < 0", "attempts cannot be negative").
import type { FieldError } from './field';
import { invalid, notSupported, root, type FieldPath } from './field';
import { isDns1123Label } from './names';
import type { KubeObject } from '../cluster/objects';
import { isRecord } from '../cluster/objects';

export const MTLS_MODES = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'] as const;

/** The retryOn policies Envoy's router understands (validation.go supportedRetryOnPolicies). */
const RETRY_ON = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);

/** The webhook's rejection, worded as kubectl shows it (a hashicorp multierror for several). */
function webhook(errs: readonly string[]): FieldError[] {
  if (!errs.length) return [];
  const body =
    errs.length === 1
      ? errs[0]
      : `${errs.length} errors occurred:\n${errs.map((e) => `\t* ${e}`).join('\n')}\n`;
  return [
    {
      field: '',
      type: 'Invalid value',
      message: `admission webhook "validation.istio.io" denied the request: configuration is invalid: ${body}`,
    },
  ];
}

const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** Istio durations (protobuf Duration in YAML): `1s`, `250ms`, `1.5s`, at least 1ms. */
export function parseDuration(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d+(?:\.\d+)?)(h|m|s|ms|us|µs|ns)$/.exec(v.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit: Record<string, number> = { h: 3600e3, m: 60e3, s: 1e3, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };
  return n * (unit[m[2] ?? 's'] ?? 1);
}

function durationErrors(v: unknown, what: string): string[] {
  if (v === undefined) return [];
  const ms = parseDuration(v);
  if (ms === null) return [`${what}: invalid duration ${JSON.stringify(v)}`];
  // agent.ValidateDuration: "duration must be greater than 1ms"
  if (ms < 1) return ['duration must be greater than 1ms'];
  return [];
}

function schemaInt(v: unknown, path: FieldPath): FieldError[] {
  if (v === undefined || (typeof v === 'number' && Number.isInteger(v))) return [];
  return [invalid(path, v, 'spec in body must be of type integer')];
}

function selectorErrors(sel: unknown): string[] {
  const labels = rec(rec(sel).matchLabels);
  const out: string[] = [];
  for (const [k, v] of Object.entries(labels))
    if (typeof v !== 'string') out.push(`invalid label value: ${k}`);
  return out;
}

export function validatePeerAuthentication(o: KubeObject): FieldError[] {
  const spec = rec(o.spec);
  const schema: FieldError[] = [];
  const mode = rec(spec.mtls).mode;
  if (mode !== undefined && !MTLS_MODES.includes(mode as (typeof MTLS_MODES)[number]))
    schema.push(notSupported(root('spec').child('mtls', 'mode'), mode, MTLS_MODES));
  for (const [port, pm] of Object.entries(rec(spec.portLevelMtls))) {
    const m = rec(pm).mode;
    if (m !== undefined && !MTLS_MODES.includes(m as (typeof MTLS_MODES)[number]))
      schema.push(notSupported(root('spec').child('portLevelMtls').key(port).child('mode'), m, MTLS_MODES));
  }
  if (schema.length) return schema;
  const errs: string[] = [];
  const emptySelector = Object.keys(rec(rec(spec.selector).matchLabels)).length === 0;
  const ports = spec.portLevelMtls === undefined ? null : Object.keys(rec(spec.portLevelMtls));
  if (emptySelector && ports && ports.length)
    errs.push('mesh/namespace peer authentication cannot have port level mTLS');
  if (ports && ports.length === 0) errs.push('port level mTLS, if defined, must have at least one element');
  for (const p of ports ?? []) if (Number(p) === 0) errs.push('port cannot be 0');
  errs.push(...selectorErrors(spec.selector));
  return webhook(errs);
}

function destinationErrors(d: unknown): string[] {
  if (d === undefined) return [];
  const dest = rec(d);
  const out: string[] = [];
  const host = dest.host;
  if (host === '*') out.push(`invalid destination host ${host}`);
  else if (typeof host !== 'string' || host === '') out.push('domain name "" invalid (empty name)');
  if (dest.subset !== undefined) {
    if (dest.subset === '') out.push('subset name cannot be empty');
    else if (typeof dest.subset !== 'string' || isDns1123Label(dest.subset).length)
      out.push(`subset name is invalid: ${String(dest.subset)}`);
  }
  const port = rec(dest.port).number;
  if (port !== undefined && (typeof port !== 'number' || port < 1 || port > 65535))
    out.push(`port number ${String(port)} must be in the range 1..65535`);
  return out;
}

function percentageErrors(p: unknown): string[] {
  if (p === undefined) return [];
  const v = rec(p).value;
  if (typeof v !== 'number') return [];
  if (v < 0 || v > 100 || (v > 0 && v < 0.0001))
    return [`percentage ${v} is neither 0.0, nor in range [0.0001, 100.0]`];
  return [];
}

function httpRouteErrors(h: Record<string, unknown>, path: FieldPath, schema: FieldError[]): string[] {
  const out: string[] = [];
  const route = arr(h.route);
  if (h.redirect === undefined && h.directResponse === undefined && route.length === 0)
    out.push('HTTP route, redirect or direct_response is required');
  const fault = h.fault === undefined ? undefined : rec(h.fault);
  if (fault) {
    if (fault.abort === undefined && fault.delay === undefined)
      out.push('HTTP fault injection must have an abort and/or a delay');
    if (fault.abort !== undefined) {
      const a = rec(fault.abort);
      out.push(...percentageErrors(a.percentage));
      schema.push(...schemaInt(a.httpStatus, path.child('fault', 'abort', 'httpStatus')));
      if (typeof a.httpStatus === 'number' && (a.httpStatus < 200 || a.httpStatus > 600))
        out.push(`HTTP status ${a.httpStatus} is not in range 200-599`);
    }
    if (fault.delay !== undefined) {
      const d = rec(fault.delay);
      out.push(...percentageErrors(d.percentage));
      out.push(...durationErrors(d.fixedDelay, 'fixedDelay'));
    }
  }
  const retries = h.retries === undefined ? undefined : rec(h.retries);
  if (retries) {
    schema.push(...schemaInt(retries.attempts, path.child('retries', 'attempts')));
    const attempts = typeof retries.attempts === 'number' ? retries.attempts : 0;
    if (attempts < 0) out.push('attempts cannot be negative');
    if (attempts === 0 && (retries.perTryTimeout !== undefined || retries.retryOn !== undefined))
      out.push('http retry policy configured when attempts are set to 0 (disabled)');
    out.push(...durationErrors(retries.perTryTimeout, 'perTryTimeout'));
    if (typeof retries.retryOn === 'string')
      for (const p of retries.retryOn.split(',')) {
        const code = Number(p);
        const isStatus = /^\d+$/.test(p) && code >= 100 && code <= 599;
        if (!isStatus && !RETRY_ON.has(p)) out.push(`"${p}" is not a valid retryOn policy`);
      }
  }
  out.push(...durationErrors(h.timeout, 'timeout'));
  let total = 0;
  route.forEach((r, i) => {
    const rd = rec(r);
    if (rd.destination === undefined) out.push('destination is required');
    out.push(...destinationErrors(rd.destination));
    schema.push(...schemaInt(rd.weight, path.child('route').index(i).child('weight')));
    const w = typeof rd.weight === 'number' ? rd.weight : 0;
    if (w < 0) out.push(`weight ${w} < 0`);
    total += w;
  });
  if (route.length > 1 && total === 0) out.push('total destination weight = 0');
  return out;
}

export function validateVirtualService(o: KubeObject): FieldError[] {
  const spec = rec(o.spec);
  const schema: FieldError[] = [];
  const errs: string[] = [];
  const hosts = arr(spec.hosts);
  const gateways = arr(spec.gateways);
  if (hosts.length === 0) errs.push('virtual service must have at least one host');
  const appliesToMesh = gateways.length === 0 || gateways.includes('mesh');
  for (const h of hosts) {
    if (typeof h !== 'string' || h === '') errs.push('domain name "" invalid (empty name)');
    else if (h === '*' && appliesToMesh)
      errs.push('wildcard host * is not allowed for virtual services bound to the mesh gateway');
  }
  const http = arr(spec.http);
  if (http.length === 0 && arr(spec.tcp).length === 0 && arr(spec.tls).length === 0)
    errs.push('http, tcp or tls must be provided in virtual service');
  http.forEach((h, i) => errs.push(...httpRouteErrors(rec(h), root('spec').child('http').index(i), schema)));
  if (schema.length) return schema;
  return webhook(errs);
}

export function validateDestinationRule(o: KubeObject): FieldError[] {
  const spec = rec(o.spec);
  const errs: string[] = [];
  if (typeof spec.host !== 'string' || spec.host === '') errs.push('domain name "" invalid (empty name)');
  const seen = new Set<string>();
  for (const s of arr(spec.subsets)) {
    const sub = rec(s);
    const name = sub.name;
    if (typeof name !== 'string' || name === '') errs.push('subset name cannot be empty');
    else if (isDns1123Label(name).length) errs.push(`subset name is invalid: ${name}`);
    else if (seen.has(name)) errs.push(`duplicate subset names: ${name}`);
    if (typeof name === 'string') seen.add(name);
    for (const [k, v] of Object.entries(rec(sub.labels)))
      if (typeof v !== 'string') errs.push(`invalid label value: ${k}`);
  }
  errs.push(...selectorErrors(spec.workloadSelector));
  return webhook(errs);
}
