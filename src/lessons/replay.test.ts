// Every lesson's solutions, replayed against the headless engine: all checks of each task pass
// after its solution, and at least one fails before it ([RP1], [RP2]).
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { runKubectl } from '../kubectl';
import { captureTaskStart, evaluateChecks } from './checks';
import { lintLessons, startingEngine } from './lint';
import { readLessonFolders } from './node';
import { applySolution, type SolutionTarget } from './replay';
import type { LessonBundle } from './types';

const { lessons, problems } = lintLessons(readLessonFolders(resolve(__dirname, '../../lessons')));

function replay(bundle: LessonBundle, prefer: 'yaml' | 'kubectl') {
  const { engine, result } = startingEngine(bundle);
  expect(result.errors).toEqual([]);
  const target: SolutionTarget = {
    setCni: (cni) => engine.setCni(cni),
    setProxyMode: (mode) => engine.setProxyMode(mode),
    apply: (yaml) => engine.apply(yaml),
    kubectl: (line, files) => runKubectl(engine, line, { files }),
  };
  const tasks = bundle.lesson.steps.flatMap((s, i) => (s.task ? [{ step: i, task: s.task }] : []));
  for (const { step, task } of tasks) {
    const start = captureTaskStart(engine);
    const before = evaluateChecks(engine, task.checks, start);
    expect(
      before.results.some((r) => !r.ok),
      `step ${step}: every check passes before the solution — the task is trivially done:\n${before.results.map((r) => `  ${r.label}: ${r.detail}`).join('\n')}`,
    ).toBe(true);
    expect(before.percent).toBeLessThan(100);
    const errors = applySolution(target, bundle, task.solution, prefer);
    expect(errors, `step ${step}: the solution does not apply`).toEqual([]);
    const after = evaluateChecks(engine, task.checks, start);
    const failing = after.results.filter((r) => !r.ok).map((r) => `  ${r.label}: ${r.detail}`);
    expect(failing, `step ${step}: checks fail after the solution`).toEqual([]);
    expect(after.percent).toBe(100);
  }
  return tasks.length;
}

describe('lesson replay', () => {
  it('[RP0] every lesson lints clean (so every lesson is replayed)', () => {
    expect(problems).toEqual([]);
    expect(lessons.length).toBeGreaterThanOrEqual(5);
  });

  for (const bundle of lessons) {
    it(`[RP1][RP2] ${bundle.lesson.id}: YAML solutions pass every check, which fail before`, () => {
      expect(replay(bundle, 'yaml')).toBeGreaterThan(0);
    });
    if (bundle.lesson.steps.some((s) => s.task?.solution.kubectl?.length))
      it(`[RP1][RP2] ${bundle.lesson.id}: kubectl solutions, typed as a learner would, pass every check`, () => {
        expect(replay(bundle, 'kubectl')).toBeGreaterThan(0);
      });
  }
});
