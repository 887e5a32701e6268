import type { Lesson } from '../../lessons/types';
import { quizScore, selectProgress } from '../../store/lessonStore';
import { ChoiceQuestion } from './ChoiceQuestion';
import { lessonStore } from './session';
import { useLessonStore } from './useLessons';

/** The lesson's closing quiz: each answer explained, then the score. */
export function Quiz({ lesson }: { lesson: Lesson }) {
  const progress = useLessonStore(selectProgress(lesson.id));
  const { right, answered } = quizScore(lesson, progress);
  const all = answered === lesson.quiz.length;
  const tasks = lesson.steps.filter((s) => s.task).length;
  const tasksDone = lesson.steps.filter((s, i) => s.task && progress.tasksDone[String(i)]).length;

  return (
    <div className="lesson-quiz" data-testid="lesson-quiz">
      <ol className="quiz-questions">
        {lesson.quiz.map((q, i) => (
          <li key={i}>
            <p className="quiz-number" aria-hidden="true">
              Question {i + 1} of {lesson.quiz.length}
            </p>
            <ChoiceQuestion
              idBase={`quiz-${lesson.id}-${i}`}
              question={q.question}
              choices={q.choices}
              correct={q.answer}
              explanation={q.explanation}
              given={progress.quiz[String(i)]}
              onAnswer={(choice) => {
                lessonStore.getState().answerQuiz(lesson.id, i, choice);
                lessonStore.getState().updateCompletion(lesson);
              }}
              submitLabel="Check my answer"
              testId="quiz-question"
            />
          </li>
        ))}
      </ol>
      <div role="status" aria-live="polite" className="quiz-score" data-testid="quiz-score">
        {all ? (
          <p>
            <strong>
              You got {right} of {lesson.quiz.length} right.
            </strong>{' '}
            {right === lesson.quiz.length
              ? 'Every answer right!'
              : 'Read the explanations above, then try again if you like.'}
          </p>
        ) : (
          <p className="muted">
            {answered} of {lesson.quiz.length} answered.
          </p>
        )}
        {tasks > 0 && (
          <p className={tasksDone === tasks ? '' : 'muted'}>
            Tasks done: {tasksDone} of {tasks}.
          </p>
        )}
        {progress.completed && (
          <p className="lesson-complete">
            <span aria-hidden="true">✓ </span>Lesson complete.
          </p>
        )}
      </div>
      {all && (
        <button type="button" onClick={() => lessonStore.getState().clearQuiz(lesson.id)}>
          Take the quiz again
        </button>
      )}
    </div>
  );
}
