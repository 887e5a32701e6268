// What a pod's processes listen on. Declared containerPorts are informational in Kubernetes (a
// process listens whether or not its port is declared), so the lab also knows the images it uses:
// nginx and httpd serve 80, agnhost netexec serves --http-port (8080) and --udp-port (8081), and
// so on. A connection to a port nothing listens on is refused (TCP RST, ICMP port unreachable).
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { Protocol } from '../types';

export interface Listener {
  readonly port: number;
  readonly protocol: Protocol;
  readonly container: string;
  /** What answers: `nginx`, `agnhost netexec`, … */
  readonly server: string;
}

const imageName = (image: string | undefined): string => {
  const last = (image ?? '').split('/').pop() ?? '';
  return last.split(/[:@]/)[0] ?? '';
};

const flag = (args: readonly string[], name: string): string | undefined => {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
    if (a === `--${name}`) return args[i + 1];
  }
  return undefined;
};

function imageListeners(c: Container): Listener[] {
  const img = imageName(c.image);
  const args = [...(c.command ?? []), ...(c.args ?? [])];
  const l = (port: number, protocol: Protocol, server: string): Listener => ({
    port,
    protocol,
    container: c.name,
    server,
  });
  switch (img) {
    case 'nginx':
    case 'nginx-unprivileged':
      return [l(img === 'nginx' ? 80 : 8080, 'TCP', 'nginx')];
    case 'httpd':
      return [l(80, 'TCP', 'httpd')];
    case 'redis':
      return [l(6379, 'TCP', 'redis')];
    case 'postgres':
      return [l(5432, 'TCP', 'postgres')];
    case 'mysql':
      return [l(3306, 'TCP', 'mysql')];
    case 'coredns':
      return [l(53, 'UDP', 'coredns'), l(53, 'TCP', 'coredns'), l(9153, 'TCP', 'coredns metrics')];
    case 'controller':
      return [l(80, 'TCP', 'ingress-nginx'), l(443, 'TCP', 'ingress-nginx')];
    case 'agnhost': {
      if (args.includes('netexec')) {
        const http = Number(flag(args, 'http-port') ?? 8080);
        const udp = Number(flag(args, 'udp-port') ?? 8081);
        const sctp = Number(flag(args, 'sctp-port') ?? -1);
        return [
          l(http, 'TCP', 'agnhost netexec'),
          ...(udp > 0 ? [l(udp, 'UDP', 'agnhost netexec')] : []),
          ...(sctp > 0 ? [l(sctp, 'SCTP', 'agnhost netexec')] : []),
        ];
      }
      if (args.includes('serve-hostname')) {
        const port = Number(flag(args, 'port') ?? 9376);
        return [
          l(port, 'TCP', 'agnhost serve-hostname'),
          ...(args.includes('--udp') ? [l(port, 'UDP', 'agnhost serve-hostname')] : []),
        ];
      }
      return [];
    }
    default:
      return [];
  }
}

/** Every listener of a pod: declared container ports plus what its images are known to serve. */
export function podListeners(pod: Pod): Listener[] {
  const out: Listener[] = [];
  const seen = new Set<string>();
  for (const c of pod.spec?.containers ?? []) {
    const declared = (c.ports ?? []).map((p): Listener => ({
      port: p.containerPort,
      protocol: (p.protocol ?? 'TCP') as Protocol,
      container: c.name,
      server: imageName(c.image) || c.name,
    }));
    for (const l of [...declared, ...imageListeners(c)]) {
      const k = `${l.port}/${l.protocol}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(l);
    }
  }
  return out;
}
