import { selectLessonStorageError } from '../../store/lessonStore';
import { LessonList } from './LessonList';
import { LessonView } from './LessonView';
import { useHashRoute } from './session';
import { useLessonStore } from './useLessons';
import './lessons.css';

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
        <LessonView key={route.id} id={route.id} step={route.step} />
      ) : (
        <LessonList />
      )}
    </section>
  );
}
