// Which programs an image ships, so `kubectl exec` fails the way containerd does when one is
// missing. Sources: busybox and alpine (BusyBox applets: wget, nslookup, nc, ip, hostname; no curl,
// no dig); nginx (Debian bookworm: curl 7.88.1, no ip/nslookup/dig/nc/wget); curlimages/curl
// (Alpine + curl 8); agnhost (kubernetes test/images/agnhost/Dockerfile: Alpine + bind-tools curl
// netcat-openbsd iproute2 bash); nicolaka/netshoot (curl, bind-tools, netcat-openbsd, iproute2);
// dnsutils images (bind-tools only); distroless images (coredns) have no shell and no tools.

export interface Toolset {
  readonly family: string;
  readonly curl: string | null;
  readonly wget: boolean;
  readonly nslookup: 'busybox' | 'bind' | null;
  readonly dig: boolean;
  readonly nc: 'busybox' | 'openbsd' | null;
  readonly ip: boolean;
  /** cat, hostname, env, sh, echo. */
  readonly basics: boolean;
}

const busybox: Toolset = {
  family: 'busybox',
  curl: null,
  wget: true,
  nslookup: 'busybox',
  dig: false,
  nc: 'busybox',
  ip: true,
  basics: true,
};
const debian: Toolset = {
  family: 'debian',
  curl: null,
  wget: false,
  nslookup: null,
  dig: false,
  nc: null,
  ip: false,
  basics: true,
};

export function toolsOf(image: string | undefined): Toolset {
  const img = (image ?? '').toLowerCase();
  const last = img.split('/').pop() ?? '';
  const [name = '', tag = ''] = last.split(/[:@]/);
  if (name === 'busybox' || name === 'alpine') return busybox;
  if (name === 'nginx' || name === 'nginx-unprivileged')
    return tag.includes('alpine')
      ? { ...busybox, family: 'nginx-alpine', curl: '8.12.1' }
      : { ...debian, family: 'nginx', curl: '7.88.1' };
  if (name === 'curl') return { ...busybox, family: 'curl', curl: '8.12.1' };
  if (name === 'agnhost')
    return { ...busybox, family: 'agnhost', curl: '8.12.1', nslookup: 'bind', dig: true, nc: 'openbsd' };
  if (name === 'netshoot')
    return {
      ...busybox,
      family: 'netshoot',
      curl: '8.12.1',
      wget: false,
      nslookup: 'bind',
      dig: true,
      nc: 'openbsd',
    };
  if (name.includes('dnsutils')) return { ...debian, family: 'dnsutils', nslookup: 'bind', dig: true };
  if (name === 'coredns')
    return {
      family: 'distroless',
      curl: null,
      wget: false,
      nslookup: null,
      dig: false,
      nc: null,
      ip: false,
      basics: false,
    };
  if (name === 'controller') return { ...busybox, family: 'ingress-nginx', curl: '8.12.1' };
  return debian;
}

export function hasTool(t: Toolset, cmd: string): boolean {
  switch (cmd) {
    case 'curl':
      return t.curl !== null;
    case 'wget':
      return t.wget;
    case 'nslookup':
      return t.nslookup !== null;
    case 'dig':
      return t.dig;
    case 'nc':
      return t.nc !== null;
    case 'ip':
      return t.ip;
    case 'cat':
    case 'hostname':
    case 'env':
    case 'sh':
    case 'echo':
    case 'printenv':
    case 'true':
    case 'false':
      return t.basics;
    case 'bash':
      return (
        t.basics &&
        t.family !== 'busybox' &&
        t.family !== 'curl' &&
        t.family !== 'nginx-alpine' &&
        t.family !== 'ingress-nginx'
      );
    default:
      return false;
  }
}
