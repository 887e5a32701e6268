// Applying a task's solution to the engine ([RP1]): the same path the lab's "apply the solution"
// button and the replay tests take. kubectl lines run through an injected runner, so this module
// does not depend on the terminal.
import type { Engine } from '../engine';
import type { LessonBundle, Solution } from './types';

export type KubectlRunner = (
  engine: Engine,
  line: string,
) => { exitCode: number; stdout: string; stderr: string };

export interface ReplayOptions {
  /** Run `solution.kubectl` with this runner; without one (or without lines) the YAML is applied. */
  readonly kubectl?: KubectlRunner;
  /** Which to prefer when a solution has both (default `kubectl` when a runner is given). */
  readonly prefer?: 'yaml' | 'kubectl';
}

/** Applies a solution; answers the problems (API errors, failing commands) it met. */
export function applySolution(
  engine: Engine,
  bundle: LessonBundle,
  solution: Solution,
  options: ReplayOptions = {},
): string[] {
  const errors: string[] = [];
  if (solution.settings?.cni) engine.setCni(solution.settings.cni);
  if (solution.settings?.proxyMode) engine.setProxyMode(solution.settings.proxyMode);
  const lines = solution.kubectl ?? [];
  const useKubectl =
    options.kubectl !== undefined && lines.length > 0 && (options.prefer !== 'yaml' || !solution.yaml);
  if (useKubectl && options.kubectl) {
    for (const line of lines) {
      const r = options.kubectl(engine, line);
      if (r.exitCode !== 0) errors.push(`${line}: exit ${r.exitCode}: ${r.stderr.trim()}`);
    }
    return errors;
  }
  if (solution.yaml) {
    const text = bundle.files[solution.yaml];
    if (text === undefined) return [`${solution.yaml}: missing`];
    errors.push(...engine.apply(text).errors.map((e) => `${solution.yaml}: ${e.message}`));
  }
  return errors;
}
