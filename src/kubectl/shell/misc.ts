// nc, cat, ip, hostname, env inside a pod.
// OpenBSD netcat (agnhost, netshoot): "Connection to %s (%s) %s port [%s/%s] succeeded!",
// "nc: connect to %s (%s) port %s (%s) failed: %s", "... (%s) timed out: Operation now in progress".
// BusyBox nc: "%s (%s:%u) open" with -v, errors "nc: %s (%s:%u): %s".
import { parseCidr } from './cidr';
import { connectTo, dialedIP, KERNEL_SYN_TIMEOUT_MS, proc, resolve, type PodShell, type Proc } from './net';
import { tokenize } from '../tokenize';

const SERVICES: Record<string, string> = { '53': 'domain', '80': 'http', '443': 'https', '8080': 'http-alt' };

export function nc(sh: PodShell, argv: readonly string[]): Proc {
  let udp = false;
  let verbose = false;
  let wait: number | null = null;
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-w') wait = Number(argv[++i]);
    else if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        if (c === 'u') udp = true;
        if (c === 'v') verbose = true;
      }
    } else pos.push(a);
  }
  const [host, portText] = pos;
  if (!host || !portText)
    return proc(
      '',
      'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n',
      1,
    );
  const port = Number(portText);
  const proto = udp ? 'udp' : 'tcp';
  const busybox = sh.tools.nc === 'busybox';
  const res = resolve(sh, host);
  if (res.kind !== 'ip')
    return busybox
      ? proc('', `nc: bad address '${host}'\n`, 1)
      : proc(
          '',
          `nc: getaddrinfo for host "${host}" port ${port}: ${res.kind === 'timeout' ? 'Try again' : 'Name does not resolve'}\n`,
          1,
        );
  const c = connectTo(sh, host, port, udp ? 'UDP' : 'TCP');
  const ip = dialedIP(c, res.ip);
  if (c.delivered || (udp && c.failure === 'timeout')) {
    // UDP has no handshake: with nothing coming back, netcat reports the probe as sent.
    if (!verbose) return proc('', '', 0);
    return busybox
      ? proc('', `${host} (${ip}:${port}) open\n`, 0)
      : proc(
          '',
          `Connection to ${host} (${ip}) ${port} port [${proto}/${SERVICES[String(port)] ?? '*'}] succeeded!\n`,
          0,
        );
  }
  const timedOut = c.failure === 'timeout';
  if (busybox) {
    const why = timedOut
      ? wait !== null && wait * 1000 < KERNEL_SYN_TIMEOUT_MS
        ? 'timed out'
        : 'Connection timed out'
      : 'Connection refused';
    return proc('', `nc: ${host} (${ip}:${port}): ${why}\n`, 1);
  }
  if (!verbose) return proc('', '', 1);
  if (timedOut && wait !== null)
    return proc(
      '',
      `nc: connect to ${host} (${ip}) port ${port} (${proto}) timed out: Operation now in progress\n`,
      1,
    );
  return proc(
    '',
    `nc: connect to ${host} (${ip}) port ${port} (${proto}) failed: ${timedOut ? 'Connection timed out' : 'Connection refused'}\n`,
    1,
  );
}

/** /etc/hosts as the kubelet writes it for a pod (pkg/kubelet/kubelet_pods.go managedHostsFileContent). */
function hostsFile(sh: PodShell): string {
  const ip = sh.pod.status?.podIP ?? '';
  return `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${ip}\t${sh.pod.metadata.name ?? ''}\n`;
}

export function cat(sh: PodShell, argv: readonly string[]): Proc {
  let stdout = '';
  let stderr = '';
  let code = 0;
  for (const f of argv) {
    if (f === '/etc/resolv.conf') {
      const r = sh.engine.resolvConf(sh.ref);
      stdout += 'error' in r ? '' : r.text;
    } else if (f === '/etc/hosts') stdout += hostsFile(sh);
    else if (f === '/etc/hostname') stdout += `${sh.pod.metadata.name ?? ''}\n`;
    else {
      stderr += `cat: ${f}: No such file or directory\n`;
      code = 1;
    }
  }
  return proc(stdout, stderr, code);
}

/** The pod side of the veth pair: its prefix and MTU depend on the CNI (see SPEC [K40]). */
export function ipAddr(sh: PodShell, argv: readonly string[]): Proc {
  const sub = argv[0] ?? '';
  const ip = sh.pod.status?.podIP ?? '';
  const node = sh.engine.get('Node', undefined, sh.pod.spec?.nodeName ?? '') as
    { spec?: { podCIDR?: string } } | undefined;
  const cni = sh.engine.settings.cni;
  const nodeCidr = parseCidr(node?.spec?.podCIDR ?? '');
  const clusterCidr = parseCidr(sh.engine.settings.clusterCIDR);
  const ifIndex = 4 + ((sh.pod.metadata.uid ?? '').charCodeAt(0) % 20);
  const mac = `${['0a', '1e', '5a', '6e'][ifIndex % 4]}:${ip
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .join(':')}:01`.slice(0, 17);
  let prefix = 32;
  let brd = '';
  let mtu = 1500;
  if (cni === 'flannel' && nodeCidr) {
    prefix = nodeCidr.prefix;
    brd = ` brd ${nodeCidr.broadcast}`;
    mtu = 1450;
  } else if (cni === 'weave' && clusterCidr) {
    prefix = clusterCidr.prefix;
    brd = ` brd ${clusterCidr.broadcast}`;
    mtu = 1376;
  } else if (cni === 'cilium') mtu = 1450;
  if (sub === 'route' || sub === 'r') {
    const gw =
      cni === 'calico'
        ? '169.254.1.1'
        : cni === 'flannel' && nodeCidr
          ? nodeCidr.first
          : cni === 'weave' && clusterCidr
            ? clusterCidr.first
            : (nodeCidr?.first ?? '');
    return proc(
      cni === 'calico' || cni === 'cilium'
        ? `default via ${gw} dev eth0 \n${gw} dev eth0 scope link \n`
        : `default via ${gw} dev eth0 \n${cni === 'flannel' ? `${node?.spec?.podCIDR} dev eth0 scope link  src ${ip} \n` : ''}`,
    );
  }
  if (
    !['addr', 'a', 'address', 'ad', 'add', 'addre', 'addres'].includes(sub) ||
    (argv.length > 1 && argv[1] !== 'show')
  )
    return sub
      ? proc('', `Object "${sub}" is unknown, try "ip help".\n`, 1)
      : proc('', 'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n', 255);
  return proc(
    `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n` +
      `2: eth0@if${ifIndex}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu ${mtu} qdisc noqueue state UP\n    link/ether ${mac} brd ff:ff:ff:ff:ff:ff\n    inet ${ip}/${prefix}${brd} scope global eth0\n       valid_lft forever preferred_lft forever\n`,
  );
}

export function env(sh: PodShell): Proc {
  const kube = sh.engine.get('Service', 'default', 'kubernetes') as
    { spec?: { clusterIP?: string } } | undefined;
  const host = kube?.spec?.clusterIP ?? '10.96.0.1';
  const name = sh.pod.metadata.name ?? '';
  return proc(
    [
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      `HOSTNAME=${name}`,
      `KUBERNETES_SERVICE_HOST=${host}`,
      'KUBERNETES_SERVICE_PORT=443',
      'KUBERNETES_SERVICE_PORT_HTTPS=443',
      `KUBERNETES_PORT=tcp://${host}:443`,
      `KUBERNETES_PORT_443_TCP=tcp://${host}:443`,
      'KUBERNETES_PORT_443_TCP_PROTO=tcp',
      'KUBERNETES_PORT_443_TCP_PORT=443',
      `KUBERNETES_PORT_443_TCP_ADDR=${host}`,
      'HOME=/root',
      '',
    ].join('\n'),
  );
}

export const splitCommand = (line: string): string[] => tokenize(line).words;
