// The shapes the kubectl layer hands to the terminal: what a command printed, how it exited, and
// every connection it made (so the map can drive a car for each).
import type { ConnectResult, Engine } from '../engine';

export interface KubectlOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  readonly connects: readonly ConnectResult[];
}

export interface KubectlContext {
  /** The YAML editor's content: what `kubectl apply -f -` (or `-f <editorName>`) reads. */
  readonly editorYaml?: string;
  /** The name the editor's content goes by in `-f` (default `editor.yaml`). */
  readonly editorName?: string;
  /** Files the lab knows by name, for `apply -f FILE` / `delete -f FILE`. */
  readonly files?: Readonly<Record<string, string>>;
}

export type FlagType = 'bool' | 'string' | 'int' | 'strings';

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  readonly type: FlagType;
  /** Cobra's MarkFlagRequired. */
  readonly required?: boolean;
}

export type FlagValue = string | boolean | number | readonly string[];

export interface VerbArgs {
  readonly verb: string;
  /** Positional arguments before `--`. */
  readonly args: readonly string[];
  /** Arguments after `--` (cobra's ArgsLenAtDash), or null when there was no `--`. */
  readonly dash: readonly string[] | null;
  readonly flags: ReadonlyMap<string, FlagValue>;
  /** `-n`, or `default`. */
  readonly namespace: string;
  readonly ctx: KubectlContext;
}

/** A kubectl verb as a registered descriptor (STYLE.md: like excalidraw's actions). */
export interface Verb {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly short: string;
  readonly usage: string;
  readonly flags: readonly FlagSpec[];
  run(args: VerbArgs, engine: Engine): KubectlOutput;
}

export const out = (stdout: string, connects: readonly ConnectResult[] = []): KubectlOutput => ({
  stdout,
  stderr: '',
  exitCode: 0,
  connects,
});

export const fail = (
  stderr: string,
  exitCode = 1,
  stdout = '',
  connects: readonly ConnectResult[] = [],
): KubectlOutput => ({
  stdout,
  stderr: stderr.endsWith('\n') ? stderr : `${stderr}\n`,
  exitCode,
  connects,
});

export const str = (f: ReadonlyMap<string, FlagValue>, name: string): string | undefined => {
  const v = f.get(name);
  return typeof v === 'string' ? v : undefined;
};
export const bool = (f: ReadonlyMap<string, FlagValue>, name: string): boolean => f.get(name) === true;
export const int = (f: ReadonlyMap<string, FlagValue>, name: string): number | undefined => {
  const v = f.get(name);
  return typeof v === 'number' ? v : undefined;
};
export const strs = (f: ReadonlyMap<string, FlagValue>, name: string): readonly string[] => {
  const v = f.get(name);
  return Array.isArray(v) ? (v as readonly string[]) : [];
};
