// What the terminal's shell does with a submitted line: kubectl (or its verbs typed bare) goes to
// the kubectl layer; `clear` and `history` are the shell's own, and `sleep` lets the lab's virtual
// clock move on (it does not run by itself); anything else is not installed in this lab's shell,
// which bash reports as "command not found" with exit status 127.
import { findVerb, tokenize, type KubectlOutput } from '../../kubectl';

export interface ShellResult {
  /** Text to print, with `\n` line ends (the terminal turns them into `\r\n`). */
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  readonly clear: boolean;
}

export interface ShellContext {
  readonly history: readonly string[];
  /** Runs a kubectl line against the lab (the store's `kubectl` action, which records it). */
  readonly kubectl: (line: string) => KubectlOutput;
  /** Moves the lab's clock on (the store's `advance` action), or says why it cannot. */
  readonly sleep: (seconds: number) => { ok: true } | { error: string };
}

const done = (stdout = '', stderr = '', exitCode = 0): ShellResult => ({
  stdout,
  stderr,
  exitCode,
  clear: false,
});

export function runLine(line: string, ctx: ShellContext): ShellResult {
  const first = tokenize(line).words[0];
  if (first === undefined) return done();
  if (first === 'clear') return { ...done(), clear: true };
  if (first === 'history')
    return done(ctx.history.map((h, i) => `${String(i + 1).padStart(5)}  ${h}\n`).join(''));
  if (first === 'sleep') return sleep(tokenize(line).words.slice(1), ctx);
  if (first !== 'kubectl' && first !== 'k' && !findVerb(first))
    return done('', `bash: ${first}: command not found\n`, 127);
  return { ...ctx.kubectl(line), clear: false };
}

const SLEEP_UNITS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * GNU coreutils `sleep NUMBER[SUFFIX]...`: the operands' sum, each a number (fractions allowed) with
 * an optional s, m, h or d; its error words in the C locale.
 */
function sleep(operands: readonly string[], ctx: ShellContext): ShellResult {
  const usage = "Try 'sleep --help' for more information.\n";
  if (!operands.length) return done('', `sleep: missing operand\n${usage}`, 1);
  let seconds = 0;
  for (const o of operands) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(o);
    if (!m) return done('', `sleep: invalid time interval '${o}'\n${usage}`, 1);
    seconds += Number(m[1]) * (SLEEP_UNITS[m[2] ?? ''] ?? 1);
  }
  if (seconds === 0) return done();
  const r = ctx.sleep(seconds);
  return 'error' in r ? done('', `sleep: ${r.error}\n`, 1) : done();
}

/** Terminal line ends: xterm.js moves down without returning to column 0 on a bare `\n`. */
export const toTerminal = (text: string): string => text.replace(/\r?\n/g, '\r\n');
