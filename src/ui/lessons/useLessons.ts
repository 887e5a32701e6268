import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { LessonState } from '../../store/lessonStore';
import { loadLessonBundle, loadLessonIndex, type BundleResult, type LessonIndex } from './loadLessons';
import { lessonStore, sessionStore, type LessonSessionState } from './session';

/** Subscribes to one slice of the lesson store (a named selector from store/lessonStore). */
export function useLessonStore<T>(selector: (s: LessonState) => T): T {
  return useStore(lessonStore, selector);
}

/** Subscribes to one slice of the lesson session (which lesson's cluster the lab shows). */
export function useSession<T>(selector: (s: LessonSessionState) => T): T {
  return useStore(sessionStore, selector);
}

/** Every lesson's lesson.yaml, or null while they load. */
export function useLessonIndex(): LessonIndex | null {
  const [index, setIndex] = useState<LessonIndex | null>(null);
  useEffect(() => {
    let live = true;
    loadLessonIndex().then(
      (i) => live && setIndex(i),
      (e: unknown) =>
        live && setIndex({ lessons: [], problems: [`The lessons could not be loaded (${String(e)}).`] }),
    );
    return () => {
      live = false;
    };
  }, []);
  return index;
}

/** One lesson with its files, or null while it loads. */
export function useLessonBundle(id: string): BundleResult | null {
  const [state, setState] = useState<{ id: string; result: BundleResult } | null>(null);
  useEffect(() => {
    let live = true;
    loadLessonBundle(id).then((result) => live && setState({ id, result }));
    return () => {
      live = false;
    };
  }, [id]);
  return state?.id === id ? state.result : null;
}
