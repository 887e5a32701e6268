// exec, run and logs (pkg/cmd/exec/exec.go, pkg/cmd/run/run.go, pkg/cmd/logs/logs.go).
import type { Pod } from 'kubernetes-types/core/v1';
import type { Deployment } from 'kubernetes-types/apps/v1';
import { matchesSelector, rfc3339, type ConnectResult, type Engine, type KubeObject } from '../../engine';
import { execInPod } from '../shell';
import { toolsOf } from '../shell/images';
import { NGINX_VERSION, podByRef } from '../shell/servers';
import { notFound, resolveType, type ResourceType } from '../resources';
import { bool, fail, out, str, type KubectlOutput, type Verb, type VerbArgs } from '../types';

type P = Pod & KubeObject;

// Container logs live beside the engine (the engine does not model container stdout).
const LOGS = new WeakMap<Engine, Map<string, string[]>>();

function appendLog(engine: Engine, ref: string, lines: readonly string[]): void {
  let m = LOGS.get(engine);
  if (!m) {
    m = new Map();
    LOGS.set(engine, m);
  }
  m.set(ref, [...(m.get(ref) ?? []), ...lines]);
}

const nginxTime = (engine: Engine): string => {
  const t = rfc3339(engine.now());
  return `${t.slice(0, 4)}/${t.slice(5, 7)}/${t.slice(8, 10)} ${t.slice(11, 19)}`;
};

/** nginx's access log line for each request a pod served (the default `combined`-like format). */
function logRequests(engine: Engine, connects: readonly ConnectResult[], agent: string): void {
  const t = rfc3339(engine.now());
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const stamp = `${t.slice(8, 10)}/${months[Number(t.slice(5, 7)) - 1]}/${t.slice(0, 4)}:${t.slice(11, 19)} +0000`;
  for (const c of connects) {
    if (!c.delivered || !c.backend || c.hops.at(-1)?.packet.protocol === 'UDP') continue;
    const pod = podByRef(engine, c.backend);
    if (!pod || !(pod.spec?.containers ?? []).some((k) => /(^|\/)nginx(:|$)/.test(k.image ?? ''))) continue;
    appendLog(engine, c.backend, [
      `${c.sourceIP ?? c.clientIP} - - [${stamp}] "GET / HTTP/1.1" 200 615 "-" "${agent}" "-"`,
    ]);
  }
}

function startupLog(engine: Engine, pod: P, container: string): string[] {
  const c = (pod.spec?.containers ?? []).find((x) => x.name === container);
  const img = c?.image ?? '';
  const t = nginxTime(engine).replace(/ .*/, ` ${rfc3339(0).slice(11, 19)}`);
  if (/(^|\/)nginx(:|$)/.test(img))
    return [
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
      '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
      `${t} [notice] 1#1: using the "epoll" event method`,
      `${t} [notice] 1#1: ${NGINX_VERSION}`,
      `${t} [notice] 1#1: OS: Linux 6.1.0-25-amd64`,
      `${t} [notice] 1#1: start worker processes`,
    ];
  if (/agnhost/.test(img) && [...(c?.args ?? []), ...(c?.command ?? [])].includes('netexec'))
    return [
      'I0101 00:00:00.000000       1 log.go:245] Started HTTP server on port 8080',
      'I0101 00:00:00.000000       1 log.go:245] Started UDP server on port  8081',
    ];
  return [];
}

/** A pod named directly, or the first pod of `deploy/NAME` / `svc/NAME` (kubectl's attachable pod). */
function findPod(engine: Engine, arg: string, namespace: string): { pod: P } | { error: string } {
  if (!arg.includes('/')) {
    const p = engine.get('Pod', namespace, arg) as P | undefined;
    return p ? { pod: p } : { error: notFound(resolveType('pods') as ResourceType, arg) };
  }
  const [tn = '', name = ''] = arg.split('/', 2);
  const t = resolveType(tn);
  if (!t) return { error: `error: the server doesn't have a resource type "${tn}"` };
  if (t.kind === 'Pod') return findPod(engine, name, namespace);
  const o = engine.get(t.kind, namespace, name);
  if (!o) return { error: notFound(t, name) };
  const sel =
    t.kind === 'Service'
      ? { matchLabels: (o.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {} }
      : ((o.spec as Deployment['spec'])?.selector ?? null);
  const pods = (engine.list('Pod', namespace) as P[])
    .filter((p) => matchesSelector(sel, p.metadata.labels ?? {}))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const running = pods.find((p) => p.status?.phase === 'Running') ?? pods[0];
  return running ? { pod: running } : { error: `error: cannot attach to ${t.kind}/${name}: no pods found` };
}

function pickContainer(
  pod: P,
  requested: string | undefined,
): { name: string; note: string } | { error: string } {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  if (requested !== undefined) {
    if (!names.includes(requested))
      return {
        error: `Error from server (BadRequest): container ${requested} is not valid for pod ${pod.metadata.name}`,
      };
    return { name: requested, note: '' };
  }
  const first = names[0] ?? '';
  return {
    name: first,
    note: names.length > 1 ? `Defaulted container "${first}" out of: ${names.join(', ')}\n` : '',
  };
}

function runIn(
  engine: Engine,
  pod: P,
  container: string,
  argv: readonly string[],
  prefix: string,
): KubectlOutput {
  if (pod.status?.phase !== 'Running' || !pod.status.podIP)
    return fail(`${prefix}error: unable to upgrade connection: container not found ("${container}")`);
  const r = execInPod(engine, pod, container, argv);
  const tool = argv[0]?.split('/').pop();
  logRequests(
    engine,
    r.connects,
    tool === 'curl'
      ? `curl/${toolsOf(pod.spec?.containers?.find((c) => c.name === container)?.image).curl}`
      : 'Wget',
  );
  if (r.startError) return fail(`${prefix}${r.startError}`, 1, '', r.connects);
  const tail = r.exitCode !== 0 ? `command terminated with exit code ${r.exitCode}\n` : '';
  return {
    stdout: r.stdout,
    stderr: `${prefix}${r.stderr}${tail}`,
    exitCode: r.exitCode,
    connects: r.connects,
  };
}

function runExec(a: VerbArgs, engine: Engine): KubectlOutput {
  if (!a.args.length)
    return fail(
      "error: pod, type/name or --filename must be specified\nSee 'kubectl exec -h' for help and examples",
    );
  if (a.dash === null) {
    if (a.args.length > 1)
      return fail(
        'error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead',
      );
    return fail(
      "error: you must specify at least one command for the container\nSee 'kubectl exec -h' for help and examples",
    );
  }
  if (!a.dash.length)
    return fail(
      "error: you must specify at least one command for the container\nSee 'kubectl exec -h' for help and examples",
    );
  const found = findPod(engine, a.args[0] as string, a.namespace);
  if ('error' in found) return fail(found.error);
  const pod = found.pod;
  const c = pickContainer(pod, str(a.flags, 'container'));
  if ('error' in c) return fail(c.error);
  return runIn(engine, pod, c.name, a.dash, c.note);
}

export const execVerb: Verb = {
  name: 'exec',
  aliases: [],
  short: 'Execute a command in a container',
  usage: 'kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]',
  flags: [
    { name: 'container', short: 'c', type: 'string' },
    { name: 'stdin', short: 'i', type: 'bool' },
    { name: 'tty', short: 't', type: 'bool' },
    { name: 'quiet', short: 'q', type: 'bool' },
  ],
  run: runExec,
};

function runRun(a: VerbArgs, engine: Engine): KubectlOutput {
  const name = a.args[0];
  if (!name) return fail("error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
  const image = str(a.flags, 'image');
  if (!image) return fail('error: required flag(s) "image" not set');
  const attach = bool(a.flags, 'stdin') || bool(a.flags, 'attach');
  if (bool(a.flags, 'rm') && !attach) return fail('error: --rm should only be used for attached containers');
  const restart = str(a.flags, 'restart') ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart))
    return fail(`error: invalid restart policy: ${restart}`);
  const labels: Record<string, string> = { run: name };
  for (const kv of (str(a.flags, 'labels') ?? '').split(',').filter(Boolean)) {
    const [k = '', v = ''] = kv.split('=', 2);
    labels[k] = v;
  }
  const port = str(a.flags, 'port');
  const cmd = a.dash ?? [...a.args.slice(1)];
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: a.namespace, labels },
    spec: {
      containers: [
        {
          name,
          image,
          ...(cmd.length ? (bool(a.flags, 'command') ? { command: [...cmd] } : { args: [...cmd] }) : {}),
          ...(port && /^\d+$/.test(port) ? { ports: [{ containerPort: Number(port) }] } : {}),
        },
      ],
      restartPolicy: restart as 'Always',
      dnsPolicy: 'ClusterFirst',
    },
  };
  const pt = resolveType('pods') as ResourceType;
  if (engine.get('Pod', a.namespace, name))
    return fail(`Error from server (AlreadyExists): pods "${name}" already exists`);
  const created = engine.cluster.applyObject(pod);
  if ('errors' in created)
    return fail(
      created.errors
        .map((e) => (e.field ? `The Pod "${name}" is invalid: ${e.message}` : `error: ${e.message}`))
        .join('\n'),
    );
  const live = engine.get('Pod', a.namespace, name) as P | undefined;
  if (!attach) {
    let connects: readonly ConnectResult[] = [];
    if (cmd.length && live) {
      const r = execInPod(engine, live, name, cmd);
      connects = r.connects;
      appendLog(engine, `${a.namespace}/${name}`, `${r.stdout}${r.stderr}`.split('\n').filter(Boolean));
    }
    return out(`${pt.singular}/${name} created\n`, connects);
  }
  if (!cmd.length || !live) {
    const note =
      "If you don't see a command prompt, try pressing enter.\nerror: an interactive shell is not available in this terminal; give the command after --, e.g. kubectl run tmp --rm -it --image=busybox -- wget -qO- web\n";
    return { stdout: '', stderr: note, exitCode: 1, connects: [] };
  }
  const r = runIn(engine, live, name, cmd, '');
  let stdout = r.stdout;
  let stderr = r.stderr.replace(/command terminated with exit code \d+\n$/, '');
  if (bool(a.flags, 'rm')) {
    engine.delete('Pod', a.namespace, name);
    stdout += `pod "${name}" deleted\n`;
  }
  if (r.exitCode !== 0) stderr += `pod ${a.namespace}/${name} terminated (Error)\n`;
  return { stdout, stderr, exitCode: r.exitCode === 0 ? 0 : 1, connects: r.connects };
}

export const runVerb: Verb = {
  name: 'run',
  aliases: [],
  short: 'Run a particular image on the cluster',
  usage:
    'kubectl run NAME --image=image [--port=port] [--labels=k=v] [--restart=Always|OnFailure|Never] [--rm] [-i] [-t] [--command] -- [COMMAND] [args...]',
  flags: [
    { name: 'image', type: 'string', required: true },
    { name: 'rm', type: 'bool' },
    { name: 'stdin', short: 'i', type: 'bool' },
    { name: 'tty', short: 't', type: 'bool' },
    { name: 'attach', type: 'bool' },
    { name: 'restart', type: 'string' },
    { name: 'port', type: 'string' },
    { name: 'labels', short: 'l', type: 'string' },
    { name: 'command', type: 'bool' },
    { name: 'env', type: 'strings' },
  ],
  run: runRun,
};

function runLogs(a: VerbArgs, engine: Engine): KubectlOutput {
  const arg = a.args[0];
  if (!arg)
    return fail(
      "error: expected POD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples",
    );
  const found = findPod(engine, arg, a.namespace);
  if ('error' in found) return fail(found.error);
  const pod = found.pod;
  const c = pickContainer(pod, str(a.flags, 'container'));
  if ('error' in c) return fail(c.error);
  const ref = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`;
  const lines = [...startupLog(engine, pod, c.name), ...(LOGS.get(engine)?.get(ref) ?? [])];
  const tail = a.flags.get('tail');
  const shown = typeof tail === 'number' && tail >= 0 ? lines.slice(Math.max(0, lines.length - tail)) : lines;
  return { stdout: shown.map((l) => `${l}\n`).join(''), stderr: c.note, exitCode: 0, connects: [] };
}

export const logsVerb: Verb = {
  name: 'logs',
  aliases: [],
  short: 'Print the logs for a container in a pod',
  usage: 'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]',
  flags: [
    { name: 'container', short: 'c', type: 'string' },
    { name: 'follow', short: 'f', type: 'bool' },
    { name: 'previous', short: 'p', type: 'bool' },
    { name: 'tail', type: 'int' },
    { name: 'timestamps', type: 'bool' },
  ],
  run: runLogs,
};
