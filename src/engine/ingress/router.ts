// HTTP routing of an NGINX-style Ingress controller (ingress-nginx) for IngressClass `nginx`.
// The model follows how ingress-nginx turns Ingresses into nginx servers and locations
// (internal/ingress/controller/controller.go: createServers, getBackendServers,
// updateServerLocations; template buildServerName) and the path semantics of
// https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types and #examples.
// Rules are numbered in ./SPEC.md ([IN…]).
import type { Service } from 'kubernetes-types/core/v1';
import type { Ingress, IngressBackend } from 'kubernetes-types/networking/v1';

export const NGINX_CLASS = 'nginx';
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** ingress-nginx's name for the catch-all server that host-less rules and unknown hosts use. */
const DEFAULT_SERVER = '_';

export type IngressPathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

/** A Service port an Ingress sends to: `port` is the number or the name the Ingress gave. */
export interface IngressBackendRef {
  readonly namespace: string;
  readonly service: string;
  readonly port: number | string;
}

export interface IngressRoute {
  /** `namespace/name` of the Ingress that decided. */
  readonly ingress: string;
  /** The server that took the request: the rule's host, or '_' (host-less rules / catch-all). */
  readonly server: string;
  /** Index into spec.rules and rules[].http.paths; null when spec.defaultBackend answered. */
  readonly ruleIndex: number | null;
  readonly pathIndex: number | null;
  readonly path: string | null;
  readonly pathType: IngressPathType | null;
  /** True when the Ingress's spec.defaultBackend answered (no rule path matched). */
  readonly defaultBackend: boolean;
  readonly backend: IngressBackendRef;
}

export interface IngressControllerOptions {
  /** The IngressClass this controller serves (ingress-nginx --ingress-class); default `nginx`. */
  readonly className?: string;
  /** ingress-nginx --watch-ingress-without-class (default false): also serve class-less Ingresses. */
  readonly watchIngressWithoutClass?: boolean;
}

/**
 * [IN1] Whether the controller serves this Ingress: spec.ingressClassName names its class, or (no
 * field) the legacy annotation kubernetes.io/ingress.class does. An Ingress with neither is
 * ignored unless watchIngressWithoutClass is set. (When an IngressClass is marked default, the
 * DefaultIngressClass admission plugin fills spec.ingressClassName at create time; that is the
 * API layer's job, not the controller's.)
 */
export function servesIngress(ing: Ingress, opts: IngressControllerOptions = {}): boolean {
  const className = opts.className ?? NGINX_CLASS;
  const field = ing.spec?.ingressClassName;
  if (field != null && field !== '') return field === className;
  const annotation = ing.metadata?.annotations?.[CLASS_ANNOTATION];
  if (annotation !== undefined) return annotation === className;
  return opts.watchIngressWithoutClass ?? false;
}

// ---------------------------------------------------------------------------------- matching

/**
 * [IN6] The URI path nginx matches locations against: no query or fragment, %XX decoded, '.' and
 * '..' segments resolved, repeated slashes merged (nginx merge_slashes on).
 */
export function normalizeRequestPath(target: string): string {
  let p = target.split(/[?#]/, 1)[0] ?? '';
  try {
    p = decodeURIComponent(p);
  } catch {
    // nginx answers 400 to malformed escapes; keep the raw text so nothing matches by accident.
  }
  const out: string[] = [];
  const segments = p.split('/');
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    if (seg === '..') out.pop();
    if (seg === '' || seg === '.' || seg === '..') {
      if (last) out.push(''); // a trailing slash (or /. /..) keeps the path a "directory"
      return;
    }
    out.push(seg);
  });
  const joined = '/' + out.join('/');
  return joined.replace(/\/{2,}/g, '/');
}

const elements = (p: string): string[] => p.split('/').filter((e) => e !== '');

/**
 * [IN4] Path matching (Ingress docs, path types and the examples table): Exact is exact and
 * case-sensitive; Prefix matches element by element on '/'-split paths, ignoring a trailing
 * slash (/foo matches /foo, /foo/, /foo/bar but not /foobar); ImplementationSpecific is what
 * ingress-nginx makes of it, an nginx prefix location (a plain string prefix; '' means '/').
 */
export function matchesPath(pathType: IngressPathType, rulePath: string, requestPath: string): boolean {
  if (pathType === 'Exact') return rulePath === requestPath;
  if (pathType === 'ImplementationSpecific') return requestPath.startsWith(rulePath || '/');
  const want = elements(rulePath);
  const got = elements(requestPath);
  return want.length <= got.length && want.every((e, i) => e === got[i]);
}

/** [IN2] The Host header as nginx compares it: lower case, without port and trailing dot. */
export function normalizeHost(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) h = h.slice(0, h.indexOf(']') + 1);
  else if (/:\d*$/.test(h) && h.indexOf(':') === h.lastIndexOf(':')) h = h.slice(0, h.indexOf(':'));
  return h.replace(/\.$/, '') || undefined;
}

/**
 * [IN2] A rule host `*.foo.com` matches exactly one extra leading label (ingress-nginx renders it as
 * the server_name regex `~^(?<subdomain>[\w-]+)\.foo\.com$`); other hosts match exactly.
 */
export function matchesHost(ruleHost: string, requestHost: string): boolean {
  if (!ruleHost.startsWith('*.')) return ruleHost === requestHost;
  const suffix = ruleHost.slice(1); // ".foo.com"
  return requestHost.endsWith(suffix) && /^[\w-]+$/.test(requestHost.slice(0, -suffix.length));
}

// ---------------------------------------------------------------------------------- the model

interface Location {
  /** nginx location path: the rule path, '' read as '/'. */
  readonly path: string;
  readonly pathType: IngressPathType;
  /** The root location ingress-nginx adds to every server, until a Prefix '/' rule replaces it. */
  isDefBackend: boolean;
  backend: IngressBackendRef | null;
  ingress: string | null;
  ruleIndex: number | null;
  pathIndex: number | null;
  fromDefaultBackend: boolean;
}

interface Server {
  readonly hostname: string;
  readonly locations: Location[];
}

const key = (ing: Ingress): string => `${ing.metadata?.namespace ?? 'default'}/${ing.metadata?.name ?? ''}`;

function backendRef(ing: Ingress, b: IngressBackend | undefined): IngressBackendRef | null {
  const svc = b?.service;
  if (!svc) return null; // resource backends are not served by ingress-nginx
  const port = svc.port?.number ? svc.port.number : (svc.port?.name ?? 0);
  return { namespace: ing.metadata?.namespace ?? 'default', service: svc.name, port };
}

function rootLocation(backend: IngressBackendRef | null, ing: Ingress | null): Location {
  return {
    path: '/',
    pathType: 'Prefix',
    isDefBackend: true,
    backend,
    ingress: backend && ing ? key(ing) : null,
    ruleIndex: null,
    pathIndex: null,
    fromDefaultBackend: backend !== null,
  };
}

/** [IN7] Older Ingresses first (ingress-nginx sorts by creationTimestamp); ties keep input order. */
function byAge(ingresses: readonly Ingress[]): Ingress[] {
  return ingresses
    .map((ing, i) => ({ ing, i }))
    .sort((a, b) => {
      const ta = a.ing.metadata?.creationTimestamp ?? '';
      const tb = b.ing.metadata?.creationTimestamp ?? '';
      return ta && tb && ta !== tb ? (ta < tb ? -1 : 1) : a.i - b.i;
    })
    .map((x) => x.ing);
}

/**
 * The nginx servers ingress-nginx would render for these Ingresses (already filtered by class).
 * [IN3] Each distinct rule host is one server; host-less rules go to the catch-all server '_'.
 * [IN5] spec.defaultBackend: an Ingress without rules makes it the catch-all server's root (the
 * first such Ingress wins); an Ingress with rules makes it the root of the servers it creates,
 * i.e. the answer for that host's requests that match no path.
 */
function buildServers(ingresses: readonly Ingress[]): Map<string, Server> {
  const servers = new Map<string, Server>();
  servers.set(DEFAULT_SERVER, { hostname: DEFAULT_SERVER, locations: [rootLocation(null, null)] });
  for (const ing of ingresses) {
    const def = backendRef(ing, ing.spec?.defaultBackend);
    const rules = ing.spec?.rules ?? [];
    const catchAll = servers.get(DEFAULT_SERVER)?.locations[0];
    if (def && rules.length === 0 && catchAll?.isDefBackend && catchAll.backend === null) {
      Object.assign(catchAll, rootLocation(def, ing), { isDefBackend: false });
    }
    for (const rule of rules) {
      const host = rule.host ?? '';
      if (host === '' || servers.has(host)) continue;
      servers.set(host, { hostname: host, locations: [rootLocation(def, ing)] });
    }
  }
  for (const ing of ingresses) {
    (ing.spec?.rules ?? []).forEach((rule, ruleIndex) => {
      const server = servers.get(rule.host || DEFAULT_SERVER);
      if (!server || !rule.http) return;
      (rule.http.paths ?? []).forEach((p, pathIndex) => {
        const backend = backendRef(ing, p.backend);
        const pathType = p.pathType as IngressPathType | undefined;
        if (!backend || !pathType) return;
        const path = p.path || '/';
        const fields = {
          backend,
          ingress: key(ing),
          ruleIndex,
          pathIndex,
          fromDefaultBackend: false,
          isDefBackend: false,
        };
        // [IN7] the same path and type twice: the first Ingress keeps it; only the generated root
        // location is replaced (by a Prefix '/').
        const same = server.locations.find((l) => l.path === path && l.pathType === pathType);
        if (same) {
          if (same.isDefBackend) Object.assign(same, fields);
          return;
        }
        server.locations.push({ path, pathType, ...fields });
      });
    });
  }
  return servers;
}

/** [IN3] Server selection: exact server name, then wildcard names (in order), then '_'. */
function selectServer(servers: ReadonlyMap<string, Server>, host: string | undefined): Server | undefined {
  const h = normalizeHost(host);
  if (h !== undefined) {
    const exact = servers.get(h);
    if (exact && !h.startsWith('*.') && h !== DEFAULT_SERVER) return exact;
    for (const s of servers.values()) if (s.hostname.startsWith('*.') && matchesHost(s.hostname, h)) return s;
  }
  return servers.get(DEFAULT_SERVER);
}

// nginx prefers an exact (=) location, then the longest prefix. ingress-nginx renders a Prefix
// path /foo as the prefix location "/foo/" (plus "= /foo"), so its length counts with the slash.
function specificity(l: Location): number {
  if (l.pathType === 'Prefix') return l.path === '/' ? 1 : l.path.replace(/\/+$/, '').length + 1;
  return l.path.length;
}

/**
 * Route one HTTP request through the controller: which Ingress, rule, path and backend take it.
 * `host` undefined means no Host header; `path` is the request target (a query string is
 * ignored). null means the controller's own default backend answers (404).
 * [IN4] the longest matching path wins; for equal paths Exact beats Prefix.
 */
export function routeHttp(
  ingresses: readonly Ingress[],
  host: string | undefined,
  path: string,
  opts: IngressControllerOptions = {},
): IngressRoute | null {
  const served = byAge(ingresses.filter((i) => servesIngress(i, opts)));
  const server = selectServer(buildServers(served), host);
  if (!server) return null;
  const reqPath = normalizeRequestPath(path);
  let best: Location | undefined;
  for (const l of server.locations) {
    if (!matchesPath(l.pathType, l.path, reqPath)) continue;
    if (!best) best = l;
    else if (l.pathType === 'Exact' && best.pathType !== 'Exact') best = l;
    else if (best.pathType !== 'Exact' && specificity(l) > specificity(best)) best = l;
  }
  if (!best || !best.backend || !best.ingress) return null;
  return {
    ingress: best.ingress,
    server: server.hostname,
    ruleIndex: best.ruleIndex,
    pathIndex: best.pathIndex,
    path: best.fromDefaultBackend ? null : best.path,
    pathType: best.fromDefaultBackend ? null : best.pathType,
    defaultBackend: best.fromDefaultBackend,
    backend: best.backend,
  };
}

/**
 * [IN8] The Service port number a backend reaches: a named port resolves through the Service's
 * spec.ports; a number must be one of them. null when the Service or the port does not exist
 * (ingress-nginx then has no endpoints for it and answers 503). An ExternalName Service has no
 * ports to check, so a number is taken as is.
 */
export function resolveServicePort(services: readonly Service[], backend: IngressBackendRef): number | null {
  const svc = services.find(
    (s) => (s.metadata?.namespace ?? 'default') === backend.namespace && s.metadata?.name === backend.service,
  );
  if (!svc) return null;
  const ports = svc.spec?.ports ?? [];
  if (typeof backend.port === 'number') {
    if (svc.spec?.type === 'ExternalName') return backend.port;
    return ports.some((p) => p.port === backend.port) ? backend.port : null;
  }
  return ports.find((p) => p.name === backend.port)?.port ?? null;
}
