// curl and BusyBox wget inside a pod. Wording from curl's lib/connect.c ("Failed to connect to
// %s port %u after %d ms: %s" with curl_easy_strerror: "Couldn't connect to server"), lib/multi.c
// ("Connection timed out after %d milliseconds", "Resolving timed out after …") and
// lib/hostip.c ("Could not resolve host: %s"); exit codes 6, 7, 28, 52 (curl(1) EXIT CODES).
// BusyBox networking/wget.c: "bad address '%s'", "can't connect to remote host (%s): %s",
// "download timed out", "server returned error: %s".
import { respond, type HttpResponse } from './servers';
import { parseUrl } from '../url';
import {
  connectTo,
  dialedIP,
  KERNEL_SYN_TIMEOUT_MS,
  proc,
  resolve,
  RESOLVER_TIMEOUT_MS,
  type PodShell,
  type Proc,
} from './net';

const seconds = (v: string | undefined): number | null =>
  v !== undefined && /^\d+(\.\d+)?$/.test(v) ? Number(v) : null;

export function curl(sh: PodShell, argv: readonly string[]): Proc {
  let silent = false;
  let showErr = false;
  let verbose = false;
  let head = false;
  let include = false;
  let maxTime: number | null = null;
  let connectTimeout: number | null = null;
  let hostHeader: string | undefined;
  let method: string | undefined;
  let data = false;
  let url: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string | undefined => argv[++i];
    if (a === '--max-time' || a === '-m') maxTime = seconds(next());
    else if (a.startsWith('--max-time=')) maxTime = seconds(a.slice(11));
    else if (a === '--connect-timeout') connectTimeout = seconds(next());
    else if (a === '-H' || a === '--header') {
      const h = next() ?? '';
      if (/^host:/i.test(h)) hostHeader = h.slice(5).trim();
    } else if (a === '-X' || a === '--request') method = next();
    else if (a === '-d' || a === '--data') {
      data = true;
      next();
    } else if (a === '-o' || a === '--output' || a === '-w' || a === '--write-out') next();
    else if (a === '--silent') silent = true;
    else if (a === '--show-error') showErr = true;
    else if (a === '--verbose') verbose = true;
    else if (a === '--head') head = true;
    else if (a === '--include') include = true;
    else if (a.startsWith('--')) continue;
    else if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        if (c === 's') silent = true;
        else if (c === 'S') showErr = true;
        else if (c === 'v') verbose = true;
        else if (c === 'I') head = true;
        else if (c === 'i') include = true;
        else if (c === 'm') maxTime = seconds(next());
      }
    } else url = a;
  }
  const errOut = (code: number, msg: string, stderr = ''): Proc =>
    proc('', `${stderr}${!silent || showErr ? `curl: (${code}) ${msg}\n` : ''}`, code);
  if (!url) return proc('', "curl: try 'curl --help' or 'curl --manual' for more information\n", 2);
  const u = parseUrl(url);
  if (!u) return errOut(3, `URL rejected: Malformed input to a URL function`);
  const limit = [maxTime, connectTimeout].filter((x): x is number => x !== null).sort((a, b) => a - b)[0];
  const limitMs = limit !== undefined ? Math.round(limit * 1000) + 1 : null;
  const res = resolve(sh, u.host);
  if (res.kind === 'timeout') {
    if (limitMs !== null && limitMs < RESOLVER_TIMEOUT_MS)
      return errOut(28, `Resolving timed out after ${limitMs} milliseconds`);
    return errOut(6, `Could not resolve host: ${u.host}`);
  }
  if (res.kind === 'nxdomain') return errOut(6, `Could not resolve host: ${u.host}`);
  // curl's request line: -X wins, else HEAD for -I, POST for -d, GET (curl(1) -X, -I, -d).
  const requestMethod = method ?? (head ? 'HEAD' : data ? 'POST' : 'GET');
  const c = connectTo(sh, u.host, u.port, 'TCP', {
    host: hostHeader ?? u.authority,
    path: u.path,
    method: requestMethod,
    userAgent: `curl/${sh.tools.curl}`,
  });
  const ip = dialedIP(c, res.ip);
  let verb = verbose ? `*   Trying ${ip}:${u.port}...\n` : '';
  if (!c.delivered) {
    if (c.failure === 'timeout') {
      if (limitMs !== null && limitMs < KERNEL_SYN_TIMEOUT_MS)
        return errOut(28, `Connection timed out after ${limitMs} milliseconds`, verb);
      // The kernel gave up (ETIMEDOUT): curl words it as COULDNT_CONNECT but exits 28.
      return errOut(
        28,
        `Failed to connect to ${u.host} port ${u.port} after ${KERNEL_SYN_TIMEOUT_MS} ms: Couldn't connect to server`,
        verb,
      );
    }
    if (c.failure === 'dns-nxdomain') return errOut(6, `Could not resolve host: ${u.host}`);
    // Accepted, then reset (a STRICT mTLS sidecar refusing plaintext): the read fails.
    if (c.failure === 'reset') return errOut(56, 'Recv failure: Connection reset by peer', verb);
    return errOut(
      7,
      `Failed to connect to ${u.host} port ${u.port} after 0 ms: Couldn't connect to server`,
      verb,
    );
  }
  const r: HttpResponse = respond(sh.engine, c, {
    from: sh.ref,
    host: u.authority,
    path: u.path,
    hostHeader,
  });
  if (r.upstream) sh.connects.push(r.upstream);
  if (verbose)
    verb += `* Connected to ${u.host} (${ip}) port ${u.port}\n> ${requestMethod} ${u.path} HTTP/1.1\n> Host: ${hostHeader ?? u.authority}\n> User-Agent: curl/${sh.tools.curl}\n> Accept: */*\n> \n`;
  if (r.empty) return errOut(52, 'Empty reply from server', verb);
  const headers = [
    `HTTP/1.1 ${r.status} ${r.reason}`,
    ...(r.server ? [`Server: ${r.server}`] : []),
    `Content-Type: ${r.body.startsWith('<') ? 'text/html' : 'text/plain; charset=utf-8'}`,
    `Content-Length: ${new TextEncoder().encode(r.body).length}`,
  ];
  if (verbose) verb += `${headers.map((h) => `< ${h}\n`).join('')}< \n`;
  const body = head ? '' : r.body;
  const stdout = `${head || include ? `${headers.join('\r\n')}\r\n\r\n` : ''}${body}`;
  if (verbose) verb += `* Connection #0 to host ${u.host} left intact\n`;
  return proc(stdout, verb, 0);
}

export function wget(sh: PodShell, argv: readonly string[]): Proc {
  let quiet = false;
  let output: string | null = null;
  let timeout: number | null = null;
  let spider = false;
  let url: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-O') output = argv[++i] ?? '';
    else if (a === '-T' || a === '--timeout') timeout = seconds(argv[++i]);
    else if (a.startsWith('--timeout=')) timeout = seconds(a.slice(10));
    else if (a === '--spider') spider = true;
    else if (a === '--quiet') quiet = true;
    else if (a.startsWith('-') && a.length > 1 && !a.startsWith('--')) {
      const s = a.slice(1);
      for (let j = 0; j < s.length; j++) {
        const ch = s[j];
        if (ch === 'q') quiet = true;
        else if (ch === 's') spider = true;
        else if (ch === 'O') {
          output = s.slice(j + 1) || (argv[++i] ?? '');
          break;
        } else if (ch === 'T') {
          timeout = seconds(s.slice(j + 1) || argv[++i]);
          break;
        }
      }
    } else if (!a.startsWith('--')) url = a;
  }
  if (!url)
    return proc(
      '',
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n',
      1,
    );
  const u = parseUrl(url);
  if (!u) return proc('', `wget: not an http or ftp url: ${url}\n`, 1);
  const res = resolve(sh, u.host);
  if (res.kind !== 'ip') return proc('', `wget: bad address '${u.host}'\n`, 1);
  let stderr = quiet ? '' : `Connecting to ${u.authority} (${res.ip}:${u.port})\n`;
  // BusyBox wget sends GET with the URL's host[:port] as Host (--spider only skips the body).
  const c = connectTo(sh, u.host, u.port, 'TCP', {
    host: u.authority,
    path: u.path,
    method: 'GET',
    // BusyBox wget's default (networking/wget.c, G.user_agent).
    userAgent: 'Wget',
  });
  const ip = dialedIP(c, res.ip);
  if (!c.delivered) {
    if (c.failure === 'reset')
      return proc('', `${stderr}wget: error getting response: Connection reset by peer\n`, 1);
    if (c.failure === 'timeout' && timeout !== null && timeout * 1000 < KERNEL_SYN_TIMEOUT_MS)
      return proc('', `${stderr}wget: download timed out\n`, 1);
    const why = c.failure === 'timeout' ? 'Connection timed out' : 'Connection refused';
    return proc('', `${stderr}wget: can't connect to remote host (${ip}): ${why}\n`, 1);
  }
  const r = respond(sh.engine, c, { from: sh.ref, host: u.authority, path: u.path });
  if (r.upstream) sh.connects.push(r.upstream);
  if (r.empty) return proc('', `${stderr}wget: error getting response: Connection reset by peer\n`, 1);
  if (r.status >= 400)
    return proc('', `${stderr}wget: server returned error: HTTP/1.1 ${r.status} ${r.reason}\n`, 1);
  if (spider) return proc('', `${stderr}${quiet ? '' : 'remote file exists\n'}`, 0);
  const size = new TextEncoder().encode(r.body).length;
  const bar = `${String(size).padStart(7)}  0:00:00 ETA`;
  if (output === '-') {
    if (quiet) return proc(r.body, '', 0);
    stderr += 'writing to stdout\n';
    return proc(
      r.body,
      `${stderr}-                    100% |********************************|${bar}\nwritten to stdout\n`,
      0,
    );
  }
  const file = output ?? (u.path.split('/').pop() || 'index.html');
  if (quiet) return proc('', '', 0);
  return proc(
    '',
    `${stderr}saving to '${file}'\n${file.padEnd(20).slice(0, 20)} 100% |********************************|${bar}\n'${file}' saved\n`,
    0,
  );
}
