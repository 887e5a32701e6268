// What the terminal's shell does with a submitted line: kubectl (or its verbs typed bare) goes to
// the kubectl layer; `clear` and `history` are the shell's own; anything else is not installed in
// this lab's shell, which bash reports as "command not found" with exit status 127.
import type { ConnectResult, Engine } from '../../engine';
import { findVerb, runKubectl, tokenize } from '../../kubectl';

export interface ShellResult {
  /** Text to print, with `\n` line ends (the terminal turns them into `\r\n`). */
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  readonly connects: readonly ConnectResult[];
  /** The command changed the cluster or may have: take a new snapshot. */
  readonly refresh: boolean;
  readonly clear: boolean;
}

export interface ShellContext {
  readonly editorYaml: string;
  readonly history: readonly string[];
}

const done = (stdout = '', stderr = '', exitCode = 0): ShellResult => ({
  stdout,
  stderr,
  exitCode,
  connects: [],
  refresh: false,
  clear: false,
});

export function runLine(engine: Engine, line: string, ctx: ShellContext): ShellResult {
  const first = tokenize(line).words[0];
  if (first === undefined) return done();
  if (first === 'clear') return { ...done(), clear: true };
  if (first === 'history')
    return done(ctx.history.map((h, i) => `${String(i + 1).padStart(5)}  ${h}\n`).join(''));
  if (first !== 'kubectl' && first !== 'k' && !findVerb(first))
    return done('', `bash: ${first}: command not found\n`, 127);
  const out = runKubectl(engine, line, { editorYaml: ctx.editorYaml, editorName: 'editor.yaml' });
  return { ...out, refresh: true, clear: false };
}

/** Terminal line ends: xterm.js moves down without returning to column 0 on a bare `\n`. */
export const toTerminal = (text: string): string => text.replace(/\r?\n/g, '\r\n');
