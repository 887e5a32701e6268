// Small IPv4 CIDR arithmetic for `ip addr` / `ip route` output.
export interface Cidr {
  readonly prefix: number;
  readonly broadcast: string;
  /** The first usable address (the bridge / gateway on host-local ranges). */
  readonly first: string;
}

const toInt = (ip: string): number => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

export function parseCidr(text: string): Cidr | null {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(text);
  if (!m) return null;
  const prefix = Number(m[2]);
  const size = 2 ** (32 - prefix);
  const base = toInt(m[1] as string) - (toInt(m[1] as string) % size);
  return { prefix, broadcast: toIp(base + size - 1), first: toIp(base + 1) };
}
