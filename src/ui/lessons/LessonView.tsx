import { useContext, useEffect, useRef, useState } from 'react';
import type { LessonBundle } from '../../lessons/types';
import { selectProgress, selectProgressScope } from '../../store/lessonStore';
import { LabStoreContext } from '../labStoreContext';
import { ChoiceQuestion } from './ChoiceQuestion';
import { Markdown } from './Markdown';
import { Quiz } from './Quiz';
import { ConfirmDialog } from '../ConfirmDialog';
import {
  lessonStore,
  navigate,
  resetLessonCluster,
  selectClusterLesson,
  selectSessionError,
  selectSessionLoading,
} from './session';
import { TaskView } from './TaskView';
import { useLessonBundle, useLessonIndex, useLessonStore, useSession } from './useLessons';

/** One step: its prediction first, then (once answered) its text and its task. */
function StepView({ bundle, index }: { bundle: LessonBundle; index: number }) {
  const { lesson, files } = bundle;
  const step = lesson.steps[index];
  const progress = useLessonStore(selectProgress(lesson.id));
  if (!step) return null;
  const given = progress.predictions[String(index)];
  const gated = step.prediction !== undefined && given === undefined;
  return (
    <>
      {step.prediction && (
        <div className="lesson-prediction">
          <p className="prediction-intro">
            <strong>Predict first.</strong> Before reading on, commit to your answer.
          </p>
          <ChoiceQuestion
            idBase={`prediction-${lesson.id}-${index}`}
            question={step.prediction.question}
            choices={step.prediction.choices}
            correct={step.prediction.answer}
            explanation={step.prediction.explanation}
            given={given}
            onAnswer={(choice) => lessonStore.getState().answerPrediction(lesson.id, index, choice)}
            submitLabel="Commit to this answer"
            testId="prediction"
          />
        </div>
      )}
      {gated ? (
        <p className="muted step-gate" data-testid="step-text-hidden">
          The step’s text appears once you have committed to an answer.
        </p>
      ) : (
        <>
          <div data-testid="step-text">
            <Markdown text={files[step.text] ?? ''} />
          </div>
          {step.task && <TaskView bundle={bundle} index={index} task={step.task} />}
        </>
      )}
    </>
  );
}

function Lesson({ bundle, step }: { bundle: LessonBundle; step: number }) {
  const { lesson } = bundle;
  const labStore = useContext(LabStoreContext);
  const total = lesson.steps.length + 1;
  const current = Math.min(step, total);
  const isQuiz = current === total;
  const stepTitle = isQuiz ? 'Quiz' : (lesson.steps[current - 1]?.title ?? '');
  const ready = useSession(selectClusterLesson) === lesson.id;
  const loading = useSession(selectSessionLoading) === lesson.id;
  const sessionError = useSession(selectSessionError);
  const [confirming, setConfirming] = useState(false);
  const [resetMessage, setResetMessage] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef(current);

  // A step past the quiz (an old link, a lesson that lost a step) shows the quiz instead.
  useEffect(() => {
    if (step > total) navigate({ view: 'lesson', id: lesson.id, step: total }, { replace: true });
  }, [step, total, lesson.id]);

  // Moving between steps puts the keyboard (and a screen reader) at the new step's heading.
  useEffect(() => {
    if (shownStep.current !== current) headingRef.current?.focus();
    shownStep.current = current;
  }, [current]);

  const go = (to: number) => navigate({ view: 'lesson', id: lesson.id, step: to });
  // The quiz ends the lesson: from there the way on is the next lesson in the list's order.
  const index = useLessonIndex();
  const position = index?.lessons.findIndex((l) => l.id === lesson.id) ?? -1;
  const next = position >= 0 ? index?.lessons[position + 1] : undefined;
  // Over a shared lab, the list keeps that lab open (store/lessonStore.ts, the shared scope).
  const scope = useLessonStore(selectProgressScope);

  return (
    <article className="lesson" aria-labelledby="lesson-title">
      <p className="lesson-back">
        <a href="#/lessons">All lessons</a>{' '}
        <span className="muted">
          {scope === 'shared' ? '(the shared lab stays open)' : '(back to your own lab)'}
        </span>
      </p>
      <h2 id="lesson-title">{lesson.title}</h2>
      <p className="step-position" data-testid="step-position">
        Step {current} of {total}
        {isQuiz ? ' — quiz' : ''}
      </p>
      {loading && <p className="muted">Preparing the lesson’s cluster…</p>}
      {sessionError && (
        <p className="inline-warning" role="alert">
          {sessionError}
        </p>
      )}
      <h3 ref={headingRef} tabIndex={-1} className="step-title" data-testid="step-title">
        {stepTitle}
      </h3>
      {isQuiz ? <Quiz lesson={lesson} /> : <StepView bundle={bundle} index={current - 1} />}
      <nav className="step-nav" aria-label="Steps">
        <button type="button" disabled={current <= 1} onClick={() => go(current - 1)}>
          <span aria-hidden="true">← </span>Previous
        </button>
        {isQuiz ? (
          next ? (
            <a
              className="step-nav-link step-nav-next"
              href={`#/lessons/${next.id}/1`}
              data-testid="next-lesson"
            >
              Next lesson: {next.title}
              <span aria-hidden="true"> →</span>
            </a>
          ) : (
            <a className="step-nav-link" href="#/lessons" data-testid="next-lesson">
              All lessons — you have reached the last one
            </a>
          )
        ) : (
          <button type="button" className="primary" onClick={() => go(current + 1)}>
            {current === total - 1 ? 'Next: quiz' : 'Next'}
            <span aria-hidden="true"> →</span>
          </button>
        )}
      </nav>
      <div className="lesson-reset">
        <button type="button" disabled={!ready} onClick={() => setConfirming(true)}>
          Reset to the lesson’s start
        </button>
        {resetMessage && (
          <p role="status" className="muted">
            {resetMessage}
          </p>
        )}
      </div>
      <ConfirmDialog
        open={confirming}
        title="Reset to the lesson’s start?"
        confirmLabel="Reset the cluster"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          if (!labStore) return;
          void resetLessonCluster(labStore, lesson.id).then((error) =>
            setResetMessage(error ?? 'The cluster is back at the lesson’s start.'),
          );
        }}
      >
        The cluster of “{lesson.title}” goes back to how the lesson starts: everything you created, changed or
        deleted in it is undone, and its tasks start over. Your answers stay.
      </ConfirmDialog>
    </article>
  );
}

/** A lesson at a 1-based step (past the steps: the quiz). */
export function LessonView({ id, step }: { id: string; step: number }) {
  const result = useLessonBundle(id);
  if (!result) return <p className="muted">Loading the lesson…</p>;
  if ('error' in result)
    return (
      <div>
        <p className="inline-error" role="alert">
          {result.error}
        </p>
        <p>
          <a href="#/lessons">See all lessons</a>
        </p>
      </div>
    );
  return <Lesson bundle={result.bundle} step={step} />;
}
