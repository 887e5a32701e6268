// URLs as curl and wget read them: an optional scheme (http when left out), a host, an optional
// port (80, or 443 for https) and a path. A leaf module, so the traffic panel reads URLs the same way
// without loading the rest of kubectl.

export interface Url {
  readonly scheme: string;
  readonly host: string;
  readonly port: number;
  readonly path: string;
  /** host[:port] as typed. */
  readonly authority: string;
}

export function parseUrl(raw: string): Url | null {
  const m = /^(?:([a-z]+):\/\/)?([^/:?#]+)(?::(\d+))?([/?][^#]*)?/i.exec(raw);
  if (!m) return null;
  const scheme = (m[1] ?? 'http').toLowerCase();
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  return {
    scheme,
    host: (m[2] as string).toLowerCase(),
    port,
    path: m[4] ?? '/',
    authority: m[3] ? `${m[2]}:${m[3]}` : (m[2] as string),
  };
}
