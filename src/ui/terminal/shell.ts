// What the terminal's shell does with a submitted line: kubectl (or its verbs typed bare) goes to
// the kubectl layer; `clear` and `history` are the shell's own; anything else is not installed in
// this lab's shell, which bash reports as "command not found" with exit status 127.
import type { ConnectResult } from '../../engine';
import { findVerb, tokenize, type KubectlOutput } from '../../kubectl';

export interface ShellResult {
  /** Text to print, with `\n` line ends (the terminal turns them into `\r\n`). */
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  readonly connects: readonly ConnectResult[];
  readonly clear: boolean;
}

export interface ShellContext {
  readonly history: readonly string[];
  /** Runs a kubectl line against the lab (the store's `kubectl` action, which records it). */
  readonly kubectl: (line: string) => KubectlOutput;
}

const done = (stdout = '', stderr = '', exitCode = 0): ShellResult => ({
  stdout,
  stderr,
  exitCode,
  connects: [],
  clear: false,
});

export function runLine(line: string, ctx: ShellContext): ShellResult {
  const first = tokenize(line).words[0];
  if (first === undefined) return done();
  if (first === 'clear') return { ...done(), clear: true };
  if (first === 'history')
    return done(ctx.history.map((h, i) => `${String(i + 1).padStart(5)}  ${h}\n`).join(''));
  if (first !== 'kubectl' && first !== 'k' && !findVerb(first))
    return done('', `bash: ${first}: command not found\n`, 127);
  return { ...ctx.kubectl(line), clear: false };
}

/** Terminal line ends: xterm.js moves down without returning to column 0 on a bare `\n`. */
export const toTerminal = (text: string): string => text.replace(/\r?\n/g, '\r\n');
