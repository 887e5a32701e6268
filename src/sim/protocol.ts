// The headless protocol (engine-protocol.md): one JSON request in, one JSON answer out, over the
// same engine the browser uses.
import { createEngine, type Engine, kindInfo, CNI_NAMES, type CniName } from '../engine';

type Json = Record<string, unknown>;

export class ProtocolSession {
  private engine: Engine = createEngine();

  handle(line: string): Json {
    let req: unknown;
    try {
      req = JSON.parse(line);
    } catch (e) {
      return { error: `malformed request: ${(e as Error).message}` };
    }
    if (typeof req !== 'object' || req === null || Array.isArray(req))
      return { error: 'a request is a JSON object' };
    const r = req as Json;
    try {
      return this.dispatch(r);
    } catch (e) {
      return { error: `internal error in ${String(r.op)}: ${(e as Error).message}` };
    }
  }

  private dispatch(r: Json): Json {
    const str = (k: string): string | undefined => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
    switch (r.op) {
      case 'reset': {
        const cni = str('cni') ?? 'calico';
        if (!CNI_NAMES.includes(cni as CniName))
          return { error: `unknown cni "${cni}": one of ${CNI_NAMES.join(', ')}` };
        const proxyMode = str('proxyMode') ?? 'iptables';
        if (proxyMode !== 'iptables' && proxyMode !== 'ipvs')
          return { error: `unknown proxyMode "${proxyMode}"` };
        const nodes =
          Array.isArray(r.nodes) && r.nodes.every((n) => typeof n === 'string')
            ? (r.nodes as string[])
            : undefined;
        this.engine = createEngine({
          cni: cni as CniName,
          proxyMode,
          seed: typeof r.seed === 'number' ? r.seed : 1,
          ...(nodes ? { nodes } : {}),
          ...(typeof r.nodeCidrMaskSize === 'number' ? { nodeCidrMaskSize: r.nodeCidrMaskSize } : {}),
          ...(typeof r.conntrackMax === 'number' ? { conntrackMax: r.conntrackMax } : {}),
        });
        return { ok: true };
      }
      case 'apply': {
        const yaml = str('yaml');
        if (yaml === undefined) return { error: 'apply needs "yaml"' };
        const res = this.engine.apply(yaml);
        return { results: res.results, errors: res.errors };
      }
      case 'delete': {
        const kind = str('kind');
        const name = str('name');
        if (!kind || !name) return { error: 'delete needs "kind" and "name"' };
        return this.engine.delete(kind, str('namespace'), name);
      }
      case 'get': {
        const kind = str('kind');
        if (!kind || !kindInfo(kind)) return { error: `unknown kind "${kind ?? ''}"` };
        const name = str('name');
        if (name) {
          const o = this.engine.get(kind, str('namespace'), name);
          return o ? { object: o } : { error: 'NotFound' };
        }
        return { items: this.engine.list(kind, str('namespace')) };
      }
      case 'connect': {
        const from = str('from');
        const to = str('to');
        const port = r.port;
        if (!from || !to || typeof port !== 'number')
          return { error: 'connect needs "from", "to" and a numeric "port"' };
        const protocol = str('protocol') ?? 'TCP';
        if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP')
          return { error: `unknown protocol "${protocol}"` };
        return { ...this.engine.connect({ from, to, port, protocol }) };
      }
      case 'dns': {
        const from = str('from');
        const name = str('name');
        const type = str('type') ?? 'A';
        if (!from || !name) return { error: 'dns needs "from" and "name"' };
        if (!['A', 'SRV', 'CNAME', 'PTR'].includes(type)) return { error: `unknown type "${type}"` };
        return { ...this.engine.dns(from, name, type as 'A') };
      }
      case 'http': {
        const from = str('from') ?? 'external';
        const to = str('to') ?? 'ingress';
        const res = this.engine.http({
          from,
          to,
          ...(typeof r.port === 'number' ? { port: r.port } : {}),
          ...(str('host') !== undefined ? { host: str('host') } : {}),
          path: str('path') ?? '/',
        });
        return { status: res.status, service: res.service, backend: res.backend };
      }
      case 'requests': {
        // {"op":"requests","from":"ns/pod","to":"web","port":80,"path":"/","count":1000}
        const from = str('from');
        const to = str('to');
        if (!from || !to || typeof r.count !== 'number')
          return { error: 'requests needs "from", "to" and a numeric "count"' };
        const res = this.engine.requests({
          from,
          to,
          count: r.count,
          ...(typeof r.port === 'number' ? { port: r.port } : {}),
          path: str('path') ?? '/',
        });
        if ('error' in res) return { error: res.error };
        const { requests, ...summary } = res;
        void requests;
        return { ...summary, metrics: this.engine.meshMetrics() };
      }
      case 'resolvConf': {
        const pod = str('pod');
        if (!pod) return { error: 'resolvConf needs "pod"' };
        return { ...this.engine.resolvConf(pod) };
      }
      case 'advance': {
        if (typeof r.seconds !== 'number') return { error: 'advance needs numeric "seconds"' };
        this.engine.advance(r.seconds);
        return { ok: true, now: this.engine.now() };
      }
      default:
        return { error: `unknown op ${JSON.stringify(r.op)}` };
    }
  }
}
