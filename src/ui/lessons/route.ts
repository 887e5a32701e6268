import type { LessonRoute } from '../../store/lessonStore';

// The lesson panel's place in the URL hash, so back and forward move between lessons and steps:
// `#/lessons` is the list, `#/lessons/<id>/<step>` a lesson at a 1-based step (the last one past
// the steps is the quiz). Fragments starting with `#share=` carry a shared lab and are not routes.

export type HashRoute =
  | LessonRoute
  /** No lesson route: free play. */
  | { readonly view: 'none' }
  /** A share link's fragment: the lesson panel leaves it alone. */
  | { readonly view: 'share' };

const LESSON = /^#\/lessons\/(\d{2}-[a-z0-9-]+)(?:\/(\d{1,4}))?\/?$/;

export function parseHash(hash: string): HashRoute {
  if (hash.startsWith('#share=')) return { view: 'share' };
  if (hash === '#/lessons' || hash === '#/lessons/') return { view: 'list' };
  const m = LESSON.exec(hash);
  if (!m?.[1]) return { view: 'none' };
  const step = m[2] === undefined ? 1 : Math.max(1, Number(m[2]));
  return { view: 'lesson', id: m[1], step };
}

export function formatRoute(route: LessonRoute): string {
  return route.view === 'list' ? '#/lessons' : `#/lessons/${route.id}/${route.step}`;
}
