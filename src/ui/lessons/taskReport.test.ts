import { describe, expect, it } from 'vitest';
import { captureTaskStart } from '../../lessons/checks';
import { lintLesson } from '../../lessons/lint';
import { readLessonFolders } from '../../lessons/node';
import { lessonRecord } from '../../lessons/record';
import { createLabStoreFrom } from '../../store/labStore';
import { taskReportSelector } from './taskReport';

const bundle = (() => {
  const files = readLessonFolders('lessons')['13-scale-failures'];
  if (!files) throw new Error('lesson 13-scale-failures is missing');
  const { bundle: b, problems } = lintLesson('13-scale-failures', files);
  if (!b) throw new Error(problems.map((p) => p.message).join('; '));
  return b;
})();

describe('the task report the lesson panel shows', () => {
  it('[CK9] follows conntrack entries that curls add while the snapshot stays the same object', () => {
    const store = createLabStoreFrom(lessonRecord(bundle));
    const task = bundle.lesson.steps.find((s) => s.task?.checks.some((c) => 'conntrack' in c))?.task;
    if (!task) throw new Error('lesson 13 has no conntrack task');
    const select = taskReportSelector(task.checks, captureTaskStart(store.getState().engine));
    const before = select(store.getState());
    expect(before.results.map((r) => r.detail)).toEqual([
      '0 of 24 entries',
      expect.stringMatching(/got delivered to default\/web-/),
    ]);

    const snapshot = store.getState().snapshot;
    for (let i = 0; i < 12; i++) {
      const out = store.getState().kubectl('kubectl exec loadgen -- curl -s web:80', '');
      expect(out.exitCode).toBe(0);
    }
    // A connection changes kernel state only: no object changed, so neither did the snapshot.
    expect(store.getState().snapshot).toBe(snapshot);

    const after = select(store.getState());
    expect(after.results.map((r) => [r.ok, r.detail])).toEqual([
      [true, '24 of 24 entries: full, new connections are dropped'],
      [true, expect.stringContaining('nf_conntrack: table full')],
    ]);
    expect(after.percent).toBe(100);
  });

  it('is the same object while nothing changed, so the panel does not re-render', () => {
    const store = createLabStoreFrom(lessonRecord(bundle));
    const checks = bundle.lesson.steps.flatMap((s) => s.task?.checks ?? []);
    const select = taskReportSelector(checks, captureTaskStart(store.getState().engine));
    const first = select(store.getState());
    store.getState().setSpeed(2);
    store.getState().kubectl('kubectl get pods', '');
    expect(select(store.getState())).toBe(first);
  });
});
