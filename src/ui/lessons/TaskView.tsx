import { useContext, useEffect, useMemo, useState } from 'react';
import { captureTaskStart } from '../../lessons/checks';
import { applySolution, type SolutionTarget } from '../../lessons/replay';
import type { LessonBundle, Task } from '../../lessons/types';
import { loadLabTools, type LabState } from '../../store/labStore';
import { selectProgress } from '../../store/lessonStore';
import { selectEngine } from '../../store/selectors';
import { LabStoreContext } from '../labStoreContext';
import { useLab } from '../useLab';
import { InlineMarkdown } from './Markdown';
import { lessonStore, selectClusterLesson } from './session';
import { taskReportSelector } from './taskReport';
import { useLessonStore, useSession } from './useLessons';

/**
 * The lab store's actions as a solution's target, so the solution is recorded in the lab (and
 * saved, and shared) like anything the learner types.
 */
const labTarget = (lab: LabState): SolutionTarget => ({
  setCni: lab.setCni,
  setProxyMode: lab.setProxyMode,
  apply: lab.apply,
  kubectl: (line, files) => lab.kubectl(line, '', files),
});

interface Props {
  readonly bundle: LessonBundle;
  /** 0-based step index. */
  readonly index: number;
  readonly task: Task;
}

export function TaskView({ bundle, index, task }: Props) {
  const id = bundle.lesson.id;
  const key = String(index);
  const engine = useLab(selectEngine);
  const labStore = useContext(LabStoreContext);
  const progress = useLessonStore(selectProgress(id));
  const ready = useSession(selectClusterLesson) === id;
  const start = progress.taskStarts[key];
  const done = progress.tasksDone[key] === true;
  const hintsShown = progress.hintsShown[key] ?? 0;
  const solutionShown = progress.solutionsShown[key] === true;
  const [applyProblems, setApplyProblems] = useState<readonly string[] | null>(null);

  // The task starts when the learner first reaches it, in the lesson's own cluster.
  useEffect(() => {
    if (ready && !start) lessonStore.getState().startTask(id, index, captureTaskStart(engine));
  }, [ready, start, engine, id, index]);

  // Re-run whenever the cluster or its nodes' kernel state changes (see taskReportSelector):
  // checks are probes and leave no trace.
  const selectReport = useMemo(
    () => (ready && start ? taskReportSelector(task.checks, start) : () => null),
    [ready, start, task.checks],
  );
  const report = useLab(selectReport);

  useEffect(() => {
    if (report?.percent === 100) {
      lessonStore.getState().completeTask(id, index);
      lessonStore.getState().updateCompletion(bundle.lesson);
    }
  }, [report, id, index, bundle.lesson]);

  const passed = report ? report.results.filter((r) => r.ok).length : 0;
  const headingId = `task-${id}-${index}`;
  const solution = task.solution;

  return (
    <section className="lesson-task" aria-labelledby={headingId} data-testid="lesson-task">
      <h4 id={headingId}>Your task{done ? ' — done' : ''}</h4>
      <p className="task-goal">
        <InlineMarkdown text={task.goal} />
      </p>
      {!ready || !report ? (
        <p className="muted">Preparing the lesson’s cluster…</p>
      ) : (
        <>
          <div className="task-progress">
            <progress max={100} value={report.percent} aria-labelledby={`${headingId}-status`} />
            <p id={`${headingId}-status`} role="status" aria-live="polite" data-testid="task-status">
              {passed} of {report.results.length} checks pass ({report.percent}%)
              {report.percent === 100 ? ' — well done!' : ''}
            </p>
          </div>
          <ul className="task-checks" aria-label="Checks">
            {report.results.map((r, i) => (
              <li
                key={i}
                className={r.ok ? 'ok' : 'not-yet'}
                data-testid="task-check"
                data-ok={r.ok ? 'true' : 'false'}
              >
                <span className="check-mark" aria-hidden="true">
                  {r.ok ? '✓' : '✗'}
                </span>
                <span>
                  <span className="sr-only">{r.ok ? 'Passes: ' : 'Not yet: '}</span>
                  {r.label}
                  <span className="check-detail">{r.detail}</span>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}

      {task.hints.length > 0 && (
        <div className="task-hints">
          {hintsShown > 0 && (
            <ol aria-label="Hints">
              {task.hints.slice(0, hintsShown).map((h, i) => (
                <li key={i}>
                  <InlineMarkdown text={h} />
                </li>
              ))}
            </ol>
          )}
          {hintsShown < task.hints.length && (
            <button
              type="button"
              onClick={() => lessonStore.getState().showHint(id, index, task.hints.length)}
            >
              {hintsShown === 0 ? 'Show a hint' : 'Show another hint'} ({hintsShown + 1} of{' '}
              {task.hints.length})
            </button>
          )}
        </div>
      )}

      <div className="task-solution">
        {!solutionShown ? (
          <button type="button" onClick={() => lessonStore.getState().showSolution(id, index)}>
            Show the solution
          </button>
        ) : (
          <section aria-labelledby={`${headingId}-solution`} data-testid="task-solution">
            <h5 id={`${headingId}-solution`}>Solution</h5>
            {solution.settings && (
              <p>
                In the lab’s settings:
                {solution.settings.cni && (
                  <>
                    {' '}
                    CNI plugin <code>{solution.settings.cni}</code>
                  </>
                )}
                {solution.settings.proxyMode && (
                  <>
                    {' '}
                    kube-proxy mode <code>{solution.settings.proxyMode}</code>
                  </>
                )}
                .
              </p>
            )}
            {solution.kubectl && solution.kubectl.length > 0 && (
              <>
                <p>In the terminal:</p>
                <pre className="solution-code" tabIndex={0} aria-label="kubectl commands">
                  {solution.kubectl.join('\n')}
                </pre>
              </>
            )}
            {solution.yaml && (
              <>
                <p>
                  {solution.kubectl?.length ? 'Or apply ' : 'Apply '}
                  <code>{solution.yaml}</code>:
                </p>
                <pre className="solution-code" tabIndex={0} aria-label={solution.yaml}>
                  {bundle.files[solution.yaml] ?? ''}
                </pre>
              </>
            )}
            <button
              type="button"
              disabled={!ready || !labStore}
              onClick={() => {
                if (!labStore) return;
                // YAML and kubectl lines run with the lab's tools (loaded with the lesson already).
                loadLabTools().then(
                  () => setApplyProblems(applySolution(labTarget(labStore.getState()), bundle, solution)),
                  () =>
                    setApplyProblems(['the lab’s tools could not load; check the connection and try again']),
                );
              }}
            >
              Apply the solution
            </button>
            {applyProblems !== null && (
              <p className={applyProblems.length ? 'inline-error' : 'muted'} role="status">
                {applyProblems.length
                  ? `The solution met problems: ${applyProblems.join('; ')}`
                  : 'The solution was applied to the cluster.'}
              </p>
            )}
          </section>
        )}
      </div>
    </section>
  );
}
