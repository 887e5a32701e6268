// nslookup and dig inside a pod, over the engine's CoreDNS.
// BusyBox nslookup (networking/nslookup.c): without a dot in the name it sends one query per
// search domain (add_query_with_search) and never the bare name; with a dot it asks the name as is.
// BIND nslookup uses the search list like the libc resolver (ndots). dig never uses the search
// list unless +search is given (dig(1): "+[no]search ... by default, the search list is not used").
import type { DnsRecord, DnsResult } from '../../engine';
import { rfc3339 } from '../../engine';
import { dnsTrip, nameserverOf, proc, searchOf, type PodShell, type Proc } from './net';

const strip = (n: string): string => n.replace(/\.$/, '');

function query(sh: PodShell, absolute: string, type: 'A' | 'SRV' | 'PTR' | 'CNAME'): DnsResult | null {
  const r = sh.engine.dns(sh.ref, absolute.endsWith('.') ? absolute : `${absolute}.`, type);
  return 'error' in r ? null : r;
}

const ptrName = (ip: string): string => `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
const isIP = (s: string): boolean => /^\d+\.\d+\.\d+\.\d+$/.test(s);

export function nslookup(sh: PodShell, argv: readonly string[]): Proc {
  const name = argv.find((a) => !a.startsWith('-'));
  const server = nameserverOf(sh) ?? '10.96.0.10';
  if (!name) return proc('', 'Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n', 1);
  const trip = dnsTrip(sh);
  if (trip && !trip.delivered) {
    return sh.tools.nslookup === 'busybox'
      ? proc('', `;; connection timed out; no servers could be reached\n\n`, 1)
      : proc(';; connection timed out; no servers could be reached\n\n', '', 1);
  }
  if (sh.tools.nslookup === 'busybox') {
    let out = `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
    const names = isIP(name)
      ? [ptrName(name)]
      : name.includes('.')
        ? [name]
        : searchOf(sh).map((d) => `${name}.${d}`);
    let found = false;
    for (const n of names) {
      const r = query(sh, n, isIP(name) ? 'PTR' : 'A');
      if (!r || r.rcode !== 'NOERROR') {
        out += `** server can't find ${n}: ${r?.rcode ?? 'SERVFAIL'}\n\n`;
        continue;
      }
      if (!r.answers.length) continue;
      found = true;
      for (const a of r.answers)
        out +=
          a.type === 'PTR'
            ? `${n}\tname = ${strip(a.data)}\n\n`
            : a.type === 'A'
              ? `Name:\t${strip(a.name)}\nAddress: ${a.data}\n\n`
              : '';
    }
    return proc(out, '', found ? 0 : 1);
  }
  const head = `Server:\t\t${server}\nAddress:\t${server}#53\n\n`;
  const r = isIP(name)
    ? query(sh, ptrName(name), 'PTR')
    : (() => {
        const x = sh.engine.dns(sh.ref, name, 'A');
        return 'error' in x ? null : x;
      })();
  if (!r || r.rcode !== 'NOERROR' || !r.answers.length)
    return proc(`${head}** server can't find ${name}: ${r?.rcode ?? 'SERVFAIL'}\n\n`, '', 1);
  const authoritative = r.steps.at(-1)?.via === 'coredns' && /\.cluster\.local\.$/.test(r.resolvedName ?? '');
  const body = r.answers
    .map((a) =>
      a.type === 'PTR'
        ? `${ptrName(name)}\tname = ${a.data}\n`
        : a.type === 'A'
          ? `Name:\t${strip(a.name)}\nAddress: ${a.data}\n`
          : `${strip(a.name)}\tcanonical name = ${a.data}\n`,
    )
    .join('');
  return proc(`${head}${authoritative ? '' : 'Non-authoritative answer:\n'}${body}\n`, '', 0);
}

const rr = (a: DnsRecord): string => {
  const data =
    a.type === 'SRV' ? `${a.priority ?? 0} ${a.weight ?? 0} ${a.port ?? 0} ${a.target ?? ''}` : a.data;
  return `${a.name}\t\t${a.ttl}\tIN\t${a.type}\t${data}`;
};

export function dig(sh: PodShell, argv: readonly string[]): Proc {
  let short = false;
  let search = false;
  let type: 'A' | 'SRV' | 'PTR' | 'CNAME' = 'A';
  let name: string | undefined;
  let reverse: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '+short') short = true;
    else if (a === '+search') search = true;
    else if (a === '+nosearch') search = false;
    else if (a.startsWith('+') || a.startsWith('@')) continue;
    else if (a === '-x') reverse = argv[++i];
    else if (a === '-t') type = (argv[++i]?.toUpperCase() ?? 'A') as typeof type;
    else if (['A', 'SRV', 'PTR', 'CNAME', 'a', 'srv', 'ptr', 'cname'].includes(a))
      type = a.toUpperCase() as typeof type;
    else if (!a.startsWith('-')) name = a;
  }
  if (reverse) {
    name = ptrName(reverse);
    type = 'PTR';
  }
  const server = nameserverOf(sh) ?? '10.96.0.10';
  const q = name ?? '.';
  const trip = dnsTrip(sh);
  const banner = `\n; <<>> DiG 9.18.27 <<>>${argv.length ? ` ${argv.join(' ')}` : ''}\n;; global options: +cmd\n`;
  if (trip && !trip.delivered)
    return proc(
      `${banner};; communications error to ${server}#53: timed out\n;; communications error to ${server}#53: timed out\n;; communications error to ${server}#53: timed out\n;; no servers could be reached\n`,
      '',
      9,
    );
  let r: DnsResult | null;
  if (search && !q.endsWith('.')) {
    const x = sh.engine.dns(sh.ref, q, type);
    r = 'error' in x ? null : x;
  } else r = query(sh, q, type);
  const asked = r?.resolvedName ?? (search ? (r?.queried.at(-1) ?? `${q}.`) : q.endsWith('.') ? q : `${q}.`);
  if (short)
    return proc(
      r
        ? r.answers
            .map(
              (a) =>
                `${a.type === 'SRV' ? `${a.priority ?? 0} ${a.weight ?? 0} ${a.port ?? 0} ${a.target ?? ''}` : a.data}\n`,
            )
            .join('')
        : '',
      '',
      0,
    );
  const rcode = r?.rcode ?? 'SERVFAIL';
  const answers = r?.answers ?? [];
  const aa = r?.steps.at(-1)?.via === 'coredns' && /cluster\.local\.$/.test(asked) ? ' aa' : '';
  const id = (r?.queried.length ?? 1) * 7919 + asked.length * 131;
  let text = banner;
  text += `;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: ${rcode}, id: ${id % 65536}\n`;
  text += `;; flags: qr${aa} rd; QUERY: 1, ANSWER: ${answers.length}, AUTHORITY: ${answers.length ? 0 : 1}, ADDITIONAL: 1\n`;
  text += `;; WARNING: recursion requested but not available\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n`;
  text += `;; QUESTION SECTION:\n;${asked}\t\t\tIN\t${type}\n\n`;
  if (answers.length) text += `;; ANSWER SECTION:\n${answers.map((a) => `${rr(a)}\n`).join('')}\n`;
  text += `;; Query time: 0 msec\n;; SERVER: ${server}#53(${server}) (UDP)\n;; WHEN: ${whenOf(sh)}\n;; MSG SIZE  rcvd: ${60 + answers.length * 16 + asked.length}\n\n`;
  return proc(text, '', 0);
}

function whenOf(sh: PodShell): string {
  const t = rfc3339(sh.engine.now());
  const d = new Date(t);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
