// Runs one command inside a pod's container, as `kubectl exec` and `kubectl run -- …` do. A
// program the image does not ship fails the way containerd reports it to kubectl.
import type { Pod } from 'kubernetes-types/core/v1';
import type { ConnectResult, Engine, KubeObject } from '../../engine';
import { hasTool, toolsOf } from './images';
import { proc, type PodShell, type Proc } from './net';
import { curl, wget } from './http';
import { dig, nslookup } from './dns';
import { cat, env, ipAddr, nc, splitCommand } from './misc';

export interface ExecResult extends Proc {
  readonly connects: readonly ConnectResult[];
  /** containerd could not start the process (kubectl prints it as an error, exit 1). */
  readonly startError?: string;
}

/** containerd's exec id: 64 hex characters, derived from the pod and the command. */
function execId(seed: string): string {
  let h = 2166136261;
  let s = '';
  for (let round = 0; round < 8; round++) {
    for (const ch of `${seed}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    s += h.toString(16).padStart(8, '0');
  }
  return s;
}

export const notFoundInPath = (cmd: string, seed: string): string =>
  `error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${execId(seed)}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd}": executable file not found in $PATH: unknown`;

export function execInPod(
  engine: Engine,
  pod: Pod & KubeObject,
  container: string,
  argv: readonly string[],
): ExecResult {
  const c = (pod.spec?.containers ?? []).find((x) => x.name === container);
  const tools = toolsOf(c?.image);
  const sh: PodShell = {
    engine,
    pod,
    ref: `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`,
    tools,
    connects: [],
  };
  const [cmd0 = '', ...rest] = argv;
  const cmd = cmd0.split('/').pop() ?? cmd0;
  if (!hasTool(tools, cmd))
    return {
      ...proc('', '', 1),
      connects: [],
      startError: notFoundInPath(cmd0, `${sh.ref}/${argv.join(' ')}`),
    };
  const r = program(sh, cmd, rest);
  return { ...r, connects: sh.connects };
}

function program(sh: PodShell, cmd: string, args: readonly string[]): Proc {
  switch (cmd) {
    case 'sh':
    case 'bash': {
      if (args[0] !== '-c' || args[1] === undefined)
        return proc(
          '',
          `${cmd}: this lab's terminal runs one command at a time; use: kubectl exec POD -- ${cmd} -c 'COMMAND'\n`,
          1,
        );
      const inner = splitCommand(args[1]);
      const [c0 = '', ...r] = inner;
      const name = c0.split('/').pop() ?? c0;
      if (!name) return proc('');
      if (!hasTool(sh.tools, name)) return proc('', `${cmd}: ${name}: not found\n`, 127);
      return program(sh, name, r);
    }
    case 'curl':
      return curl(sh, args);
    case 'wget':
      return wget(sh, args);
    case 'nslookup':
      return nslookup(sh, args);
    case 'dig':
      return dig(sh, args);
    case 'nc':
      return nc(sh, args);
    case 'cat':
      return cat(sh, args);
    case 'ip':
      return ipAddr(sh, args);
    case 'hostname':
      return proc(`${sh.pod.metadata.name ?? ''}\n`);
    case 'env':
    case 'printenv':
      return env(sh);
    case 'echo':
      return proc(`${args.join(' ')}\n`);
    case 'true':
      return proc('');
    case 'false':
      return proc('', '', 1);
    default:
      return proc('', `${cmd}: not found\n`, 127);
  }
}
