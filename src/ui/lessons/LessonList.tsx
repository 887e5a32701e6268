import type { LessonProgress } from '../../store/lessonStore';
import { selectProgressMap } from '../../store/lessonStore';
import { useLessonIndex, useLessonStore } from './useLessons';

function status(p: LessonProgress | undefined, steps: number): { text: string; className: string } {
  if (p?.completed) return { text: '✓ Completed', className: 'done' };
  if (p && (p.lastStep > 1 || Object.keys(p.predictions).length || Object.keys(p.tasksDone).length))
    return {
      text: `In progress — step ${Math.min(p.lastStep, steps + 1)} of ${steps + 1}`,
      className: 'started',
    };
  return { text: 'Not started', className: 'new' };
}

/** Every lesson in order, with where the learner is in each. */
export function LessonList() {
  const index = useLessonIndex();
  const progress = useLessonStore(selectProgressMap);
  return (
    <div className="lesson-list-view">
      <h2 id="lessons-title">Lessons</h2>
      <p className="muted">
        Each lesson has its own cluster, kept as you leave it. Predict, read, then change the cluster with the
        terminal or the editor and watch the checks turn green.
      </p>
      {!index ? (
        <p className="muted">Loading the lessons…</p>
      ) : (
        <>
          <ol className="lesson-list" aria-labelledby="lessons-title">
            {index.lessons.map((l) => {
              const p = progress[l.id];
              const st = status(p, l.stepCount);
              return (
                <li key={l.id} data-testid="lesson-item" data-lesson={l.id}>
                  <a href={`#/lessons/${l.id}/${Math.min(p?.lastStep ?? 1, l.stepCount + 1)}`}>
                    <span className="lesson-order">{l.order}.</span> {l.title}
                  </a>
                  <p className="lesson-summary">{l.summary}</p>
                  <p className={`lesson-status ${st.className}`} data-testid="lesson-status">
                    {st.text}
                  </p>
                </li>
              );
            })}
          </ol>
          {index.problems.length > 0 && (
            <div className="inline-warning" role="status">
              <p>Some lessons could not be read:</p>
              <ul>
                {index.problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </div>
  );
}
