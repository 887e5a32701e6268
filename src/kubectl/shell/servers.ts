// What answers an HTTP request once a connection is delivered: the process the backend pod's
// image runs (nginx's default welcome page, agnhost netexec's handlers, httpd's "It works!"), the
// Ingress controller (routing through the engine), a node's kubelet, or the small internet.
import type { Pod } from 'kubernetes-types/core/v1';
import type { ConnectResult, Engine, KubeObject } from '../../engine';
import { rfc3339 } from '../../engine';

export interface HttpResponse {
  readonly status: number;
  readonly reason: string;
  readonly server: string;
  readonly body: string;
  /** Another connection the request caused (an Ingress controller's upstream). */
  readonly upstream?: ConnectResult | null;
  /** The server closed the connection without a reply (not an HTTP server). */
  readonly empty?: boolean;
}

/** nginx 1.27's /usr/share/nginx/html/index.html (615 bytes). */
export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

export const NGINX_VERSION = 'nginx/1.27.3';

const nginxError = (status: number, reason: string): string =>
  `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

const imageName = (image: string | undefined): string =>
  ((image ?? '').split('/').pop() ?? '').split(/[:@]/)[0] ?? '';

export function podByRef(engine: Engine, ref: string): (Pod & KubeObject) | undefined {
  const [ns, name] = ref.split('/');
  return name ? (engine.get('Pod', ns, name) as (Pod & KubeObject) | undefined) : undefined;
}

export interface RequestInfo {
  readonly from: string;
  readonly host: string;
  readonly path: string;
  readonly hostHeader?: string;
}

export function respond(engine: Engine, c: ConnectResult, req: RequestInfo): HttpResponse {
  const backend = c.backend ?? '';
  if (backend.startsWith('node:'))
    return {
      status: 400,
      reason: 'Bad Request',
      server: '',
      body: 'Client sent an HTTP request to an HTTPS server.\n',
    };
  const pod = podByRef(engine, backend);
  if (!pod) {
    if (c.backendPort === 443) return { status: 0, reason: '', server: '', body: '', empty: true };
    return {
      status: 200,
      reason: 'OK',
      server: 'ECAcc (nyd/D179)',
      body: '<!doctype html>\n<html>\n<head>\n    <title>Example Domain</title>\n</head>\n<body>\n<div>\n    <h1>Example Domain</h1>\n    <p>This domain is for use in illustrative examples in documents.</p>\n</div>\n</body>\n</html>\n',
    };
  }
  const port = c.backendPort ?? 0;
  const containers = pod.spec?.containers ?? [];
  const serving =
    containers.find((k) => (k.ports ?? []).some((p) => p.containerPort === port)) ??
    containers.find((k) => serverPort(k.image, [...(k.command ?? []), ...(k.args ?? [])]) === port) ??
    containers[0];
  const img = imageName(serving?.image);
  const args = [...(serving?.command ?? []), ...(serving?.args ?? [])];
  const path = req.path || '/';
  if (img === 'controller') {
    const r = engine.http({ from: req.from, to: 'ingress', host: req.hostHeader ?? req.host, path });
    if (r.status === 200 && r.connect?.backend) {
      const inner = respond(engine, r.connect, { ...req, from: backend });
      return { ...inner, server: NGINX_VERSION, upstream: r.connect };
    }
    const reason =
      r.status === 404
        ? 'Not Found'
        : r.status === 504
          ? 'Gateway Time-out'
          : 'Service Temporarily Unavailable';
    return {
      status: r.status || 502,
      reason,
      server: 'nginx',
      body: nginxError(r.status || 502, reason),
      upstream: r.connect,
    };
  }
  if (img === 'nginx' || img === 'nginx-unprivileged') {
    if (path === '/' || path === '/index.html')
      return { status: 200, reason: 'OK', server: NGINX_VERSION, body: NGINX_WELCOME };
    return { status: 404, reason: 'Not Found', server: NGINX_VERSION, body: nginxError(404, 'Not Found') };
  }
  if (img === 'httpd')
    return {
      status: 200,
      reason: 'OK',
      server: 'Apache/2.4.62 (Unix)',
      body: '<html><body><h1>It works!</h1></body></html>\n',
    };
  if (img === 'agnhost') {
    const name = pod.metadata.name ?? '';
    if (args.includes('serve-hostname')) return { status: 200, reason: 'OK', server: '', body: name };
    // test/images/agnhost/netexec/netexec.go: /hostname, /clientip, /echo?msg=, and / answers NOW.
    const [p, q = ''] = path.split('?');
    if (p === '/hostname') return { status: 200, reason: 'OK', server: '', body: name };
    if (p === '/clientip')
      return {
        status: 200,
        reason: 'OK',
        server: '',
        body: `${c.sourceIP ?? c.clientIP}:${c.hops[0]?.packet.sport ?? 0}`,
      };
    if (p === '/echo')
      return {
        status: 200,
        reason: 'OK',
        server: '',
        body: decodeURIComponent(/(?:^|&)msg=([^&]*)/.exec(q)?.[1] ?? ''),
      };
    if (p === '/')
      return {
        status: 200,
        reason: 'OK',
        server: '',
        body: `NOW: ${rfc3339(engine.now()).replace('T', ' ').replace('Z', '.000000000 +0000 UTC')}`,
      };
    return { status: 404, reason: 'Not Found', server: '', body: '404 page not found\n' };
  }
  return { status: 0, reason: '', server: '', body: '', empty: true };
}

function serverPort(image: string | undefined, args: readonly string[]): number | null {
  const img = imageName(image);
  if (img === 'nginx' || img === 'httpd') return 80;
  if (img === 'agnhost') {
    const f = args.find((a) => a.startsWith('--http-port=') || a.startsWith('--port='));
    return f ? Number(f.split('=')[1]) : args.includes('serve-hostname') ? 9376 : 8080;
  }
  return null;
}
