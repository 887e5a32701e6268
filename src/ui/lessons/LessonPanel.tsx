import { lazy, Suspense } from 'react';
import { selectLessonStorageError } from '../../store/lessonStore';
import { LessonList } from './LessonList';
import { useHashRoute } from './session';
import { useLessonStore } from './useLessons';
import './lessons.css';

// A lesson (its Markdown renderer, tasks and checks) loads when one is opened; the list does not need it.
const LessonView = lazy(() => import('./LessonView').then((m) => ({ default: m.LessonView })));

/** The guided lessons: the list, or a lesson at the step the URL names (its own lazy chunk). */
export default function LessonPanel() {
  const route = useHashRoute();
  const storageError = useLessonStore(selectLessonStorageError);
  return (
    <section className="panel lesson-panel" data-testid="lesson-panel" aria-label="Lessons">
      {storageError && (
        <p className="inline-warning" role="status">
          {storageError}
        </p>
      )}
      {route.view === 'lesson' ? (
        <Suspense fallback={<p className="muted">Loading the lesson…</p>}>
          <LessonView key={route.id} id={route.id} step={route.step} />
        </Suspense>
      ) : (
        <LessonList />
      )}
    </section>
  );
}
