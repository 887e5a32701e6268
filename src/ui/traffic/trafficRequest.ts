import { parseUrl } from '../../kubectl/url';
import type { ConnectRequest, Protocol } from '../../store/labStore';

/** Ports where the panel sends an HTTP request once connected (the well-known and alternate HTTP ports). */
const HTTP_PORTS: ReadonlySet<number> = new Set([80, 8080]);

/**
 * The traced request for the form. A URL is accepted as its host and port
 * (`http://web.demo:8080/path`); an `http://` URL, or TCP to port 80 or 8080, carries an HTTP GET
 * (request line and Host header as curl writes them), so the packet inspector shows the payload:
 * readable text without a mesh, ciphertext between mTLS sidecars. An `https://` URL or any other
 * port sends no request text: the lab does not model the application's own TLS.
 */
export function trafficRequest(from: string, to: string, port: number, protocol: Protocol): ConnectRequest {
  const typed = to.trim();
  // A URL (with its scheme) as curl reads it; a bare name or IP takes the form's port.
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? parseUrl(typed) : null;
  const target = url?.host ?? typed;
  const targetPort = url?.port ?? port;
  const http =
    protocol === 'TCP' && (url ? url.scheme === 'http' : HTTP_PORTS.has(targetPort))
      ? {
          host: url ? url.authority : `${target}${targetPort === 80 ? '' : `:${targetPort}`}`,
          path: url?.path ?? '/',
          method: 'GET',
        }
      : undefined;
  return { from, to: target, port: targetPort, protocol, ...(http ? { http } : {}) };
}
