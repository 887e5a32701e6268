// Applying a task's solution ([RP1]): the one path both the lab's "Apply the solution" button (over
// the lab store's actions, so the solution is recorded like anything typed) and the replay tests
// (over the headless engine) take. The target is whatever carries the actions out, so this module
// depends on neither the store nor the terminal.
import type { CniName, ProxyMode } from '../engine';
import type { LessonBundle, Solution } from './types';

/** What a solution is carried out on. */
export interface SolutionTarget {
  setCni(cni: CniName): void;
  setProxyMode(mode: ProxyMode): void;
  apply(yaml: string): { readonly errors: readonly { readonly message: string }[] };
  /** A kubectl line whose `-f NAME` reads `files` (the lesson's YAML files). */
  kubectl(line: string, files: Readonly<Record<string, string>>): { exitCode: number; stderr: string };
}

/** The lesson's YAML files, by name, as `kubectl apply -f NAME` reads them (lesson.yaml left out). */
export const lessonYamlFiles = (bundle: LessonBundle): Readonly<Record<string, string>> =>
  Object.fromEntries(
    Object.entries(bundle.files).filter(([name]) => name.endsWith('.yaml') && name !== 'lesson.yaml'),
  );

/**
 * Applies a solution: settings first, then its kubectl lines, or its YAML (`prefer` picks when it
 * has both). Answers the problems (API errors, failing commands) it met.
 */
export function applySolution(
  target: SolutionTarget,
  bundle: LessonBundle,
  solution: Solution,
  prefer: 'yaml' | 'kubectl' = 'kubectl',
): string[] {
  const problems: string[] = [];
  if (solution.settings?.cni) target.setCni(solution.settings.cni);
  if (solution.settings?.proxyMode) target.setProxyMode(solution.settings.proxyMode);
  const lines = solution.kubectl ?? [];
  if (lines.length > 0 && (prefer === 'kubectl' || !solution.yaml)) {
    const files = lessonYamlFiles(bundle);
    for (const line of lines) {
      const r = target.kubectl(line, files);
      if (r.exitCode !== 0) problems.push(`${line}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
    }
    return problems;
  }
  if (solution.yaml) {
    const text = bundle.files[solution.yaml];
    if (text === undefined) return [`${solution.yaml} is missing from the lesson`];
    problems.push(...target.apply(text).errors.map((e) => `${solution.yaml}: ${e.message}`));
  }
  return problems;
}
