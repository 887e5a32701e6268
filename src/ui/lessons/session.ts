import { browserStorage } from '../../store/browserStorage';
import { useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import { createStore } from 'zustand/vanilla';
import type { Check } from '../../lessons/types';
import { starterRecord, type SessionStore } from '../../store/boot';
import { createLabLibrary, lessonSlot, SANDBOX_SLOT, SHARED_SLOT } from '../../store/labLibrary';
import type { LabRecord, LabStore } from '../../store/labStore';
import { createLessonStore, ownLessonRoute, type LessonRoute } from '../../store/lessonStore';
import { LabStoreContext } from '../labStoreContext';
import { useSessionStore } from '../share/sessionContext';
import { formatRoute, parseHash, type HashRoute } from './route';

// The lesson session: which lesson the URL hash opens, and which lab the lab store shows for it.
// A lesson's cluster lives in its own slot of the lab library (`lesson:<id>`), the learner's free
// lab in `sandbox`, a lab opened from a link in `shared`. The page session's `slot` (store/boot.ts)
// is the one record of which slot the tab shows: entering a lesson switches it first and then loads
// that slot's lab, so the autosave that follows it never writes one lab over another.
//
// A link made on a lesson shows that lesson over the shared lab, with progress kept apart from the
// learner's own (lessonStore's `shared` scope). The shared lab stays in use until the learner goes
// back to their own lab or opens a lesson from the list, which brings up that lesson's own lab.
// This module is in the first bundle and small: the lesson files, their parser and the panel load
// lazily.

/** Progress in every lesson, saved in this browser. */
export const lessonStore = createLessonStore(browserStorage());
/** The labs kept per slot (the same storage the boot code reads). */
export const labLibrary = createLabLibrary(browserStorage());

export interface LessonSessionState {
  /** The lesson whose cluster the lab store holds now, or null (free play). */
  readonly clusterLesson: string | null;
  /** The lesson whose cluster is being prepared. */
  readonly loading: string | null;
  /** Why the lesson or its saved lab could not be loaded, or null. */
  readonly error: string | null;
}

export const sessionStore = createStore<LessonSessionState>()(() => ({
  clusterLesson: null,
  loading: null,
  error: null,
}));

export const selectClusterLesson = (s: LessonSessionState) => s.clusterLesson;
export const selectSessionLoading = (s: LessonSessionState) => s.loading;
export const selectSessionError = (s: LessonSessionState) => s.error;

// --- the hash ----------------------------------------------------------------------------------------

// Each hashchange, and each navigation that keeps the hash (replaceState, or opening the lesson
// already shown with another lab), counts as a new route event.
const listeners = new Set<() => void>();
let routeEvents = 0;
const notify = () => {
  routeEvents += 1;
  listeners.forEach((l) => l());
};

function subscribeRoute(listener: () => void): () => void {
  if (listeners.size === 0) window.addEventListener('hashchange', notify);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('hashchange', notify);
  };
}

const readHash = () => (typeof location === 'undefined' ? '' : location.hash);

/** A number that changes with every route event: effects that follow the route depend on it. */
function useRouteEvents(): number {
  return useSyncExternalStore(
    subscribeRoute,
    () => routeEvents,
    () => 0,
  );
}

/** The current route, re-read on every route event. */
export function useHashRoute(): HashRoute {
  useRouteEvents();
  return parseHash(readHash());
}

/** Goes to a lesson route: a new history entry, or (replace) in place of the current one. */
export function navigate(route: LessonRoute, options: { replace?: boolean } = {}): void {
  const target = formatRoute(route);
  if (options.replace) {
    history.replaceState(history.state, '', target);
    notify();
  } else if (location.hash === target) notify();
  else location.hash = target;
}

// --- the API other features use ------------------------------------------------------------------------

/** The lesson the URL shows and its 1-based step (past the last step: the quiz), or null. */
export function currentLesson(): { id: string; step: number } | null {
  const r = parseHash(readHash());
  return r.view === 'lesson' ? { id: r.id, step: r.step } : null;
}

/**
 * Opens a lesson at a 1-based step. With `keepCluster`, the lesson shows over the shared lab when
 * that is the lab in use (a link made on this lesson), instead of the lesson's own lab. `replace`
 * replaces the current history entry (a `#share=` fragment) instead of adding one.
 */
export function openLesson(
  id: string,
  step: number,
  options: { keepCluster?: boolean; replace?: boolean } = {},
): void {
  if (options.keepCluster && lessonStore.getState().sharedLesson !== id)
    lessonStore.getState().openShared(id);
  navigate(
    { view: 'lesson', id, step: Math.max(1, Math.trunc(step)) },
    { replace: options.replace === true },
  );
}

/**
 * The connectivity checks of the task on the step the lesson panel shows, when the lab in the tab
 * is that lesson's cluster; null otherwise (free play, the list, a step without a task).
 */
export async function activeTaskChecks(): Promise<{
  readonly lesson: string;
  readonly step: number;
  readonly checks: readonly Check[];
} | null> {
  const at = currentLesson();
  if (!at || sessionStore.getState().clusterLesson !== at.id) return null;
  const { loadLessonBundle } = await import('./loadLessons');
  const loaded = await loadLessonBundle(at.id);
  if ('error' in loaded) return null;
  const task = loaded.bundle.lesson.steps[at.step - 1]?.task;
  return task ? { lesson: loaded.bundle.lesson.title, step: at.step, checks: task.checks } : null;
}

// --- switching the lab ----------------------------------------------------------------------------------

const sameRecord = (a: LabRecord, b: LabRecord) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * Keeps the lab being left in its slot before another replaces it, in case nothing else saved it
 * yet — only when it is known that the lab in the store is that slot's: a lesson's slot is known
 * once the lesson was entered (the page may have started afresh after a damaged save).
 */
function keepCurrent(store: LabStore, session: SessionStore): string | null {
  const { slot } = session.getState();
  const { clusterLesson } = sessionStore.getState();
  if (slot.startsWith('lesson:') && slot !== lessonSlot(clusterLesson ?? '')) return null;
  return labLibrary.save(slot, store.getState().record);
}

function show(store: LabStore, record: LabRecord) {
  if (!sameRecord(record, store.getState().record)) store.getState().loadLab(record);
}

let generation = 0;
/** The slot the lesson being prepared will show. */
let loadingSlot: string | null = null;

async function enterLesson(store: LabStore, session: SessionStore, id: string, target: string) {
  const mine = ++generation;
  loadingSlot = target;
  sessionStore.setState({ loading: id, error: null });
  const { loadLessonBundle } = await import('./loadLessons');
  const { lessonRecord } = await import('../../lessons/record');
  const loaded = await loadLessonBundle(id);
  if (mine !== generation) return;
  loadingSlot = null;
  if ('error' in loaded) {
    sessionStore.setState({ loading: null, error: loaded.error });
    return;
  }
  const problems: string[] = [];
  // Over the shared lab the lab stays as it is: it is the lab the link was made on.
  if (target !== SHARED_SLOT) {
    const kept = keepCurrent(store, session);
    const switched = session.getState().switchSlot(target);
    const saved = labLibrary.load(target);
    if (!saved.ok) problems.push(saved.error);
    // Losing work matters more than a slot that could not be remembered: report the save first.
    if (kept ?? switched) problems.push((kept ?? switched) as string);
    show(store, saved.ok && saved.record ? saved.record : lessonRecord(loaded.bundle));
  }
  sessionStore.setState({
    clusterLesson: id,
    loading: null,
    error: problems.length ? problems.join(' ') : null,
  });
}

function leaveLessons(store: LabStore, session: SessionStore): void {
  generation += 1;
  loadingSlot = null;
  const kept = keepCurrent(store, session);
  const switched = session.getState().switchSlot(SANDBOX_SLOT);
  const saved = labLibrary.load(SANDBOX_SLOT);
  show(store, saved.ok && saved.record ? saved.record : starterRecord());
  const error = saved.ok ? (kept ?? switched) : saved.error;
  sessionStore.setState({ clusterLesson: null, loading: null, error });
}

/** No lesson's cluster is shown any more (the lab itself stays). */
function detachLesson(): void {
  generation += 1;
  loadingSlot = null;
  const s = sessionStore.getState();
  if (s.clusterLesson !== null || s.loading !== null || s.error !== null)
    sessionStore.setState({ clusterLesson: null, loading: null, error: null });
}

/**
 * "Back to my lab" from the shared lab: the slot the learner was in before the link opened — a
 * lesson's lab comes back with that lesson at the step they were on, the sandbox with the lesson
 * list if a lesson was shown.
 */
export function returnToMyLab(session: SessionStore): void {
  const target = session.getState().returnSlot;
  const lessons = lessonStore.getState();
  lessons.unbindShared();
  lessons.setScope('own');
  detachLesson();
  if (target.startsWith('lesson:')) {
    // The lesson route brings the lesson's lab (useLessonSession), switching the slot first.
    navigate(ownLessonRoute(lessonStore.getState(), target.slice('lesson:'.length)));
    return;
  }
  session.getState().backToMyLab();
  if (parseHash(readHash()).view === 'lesson') navigate({ view: 'list' });
}

/** The lesson's starting lab, replacing what the learner did in it (after they confirmed). */
export async function resetLessonCluster(store: LabStore, id: string): Promise<string | null> {
  const { loadLessonBundle } = await import('./loadLessons');
  const { lessonRecord } = await import('../../lessons/record');
  const loaded = await loadLessonBundle(id);
  if ('error' in loaded) return loaded.error;
  if (sessionStore.getState().clusterLesson !== id) return 'The lesson is not open.';
  store.getState().loadLab(lessonRecord(loaded.bundle));
  lessonStore.getState().restartTasks(id);
  return null;
}

/** Brings the lab and the lesson panel in line with `route`. */
function follow(store: LabStore, session: SessionStore, route: HashRoute, onOpen: () => void): void {
  if (route.view === 'share') return;
  const { slot } = session.getState();
  const lessons = lessonStore.getState();
  if (route.view === 'lesson') {
    const overShared = slot === SHARED_SLOT && lessons.sharedLesson === route.id;
    // The scope first: the route's step is recorded in the progress it belongs to.
    lessons.setScope(overShared ? 'shared' : 'own');
    lessonStore.getState().setRoute(route);
    onOpen();
    const target = overShared ? SHARED_SLOT : lessonSlot(route.id);
    const { clusterLesson, loading } = sessionStore.getState();
    if (clusterLesson === route.id && slot === target && loading === null) return;
    if (loading === route.id && loadingSlot === target) return;
    void enterLesson(store, session, route.id, target);
    return;
  }
  lessons.setScope('own');
  if (route.view === 'list') {
    lessonStore.getState().setRoute(route);
    onOpen();
  }
  if (slot === SHARED_SLOT) {
    // Leaving the lesson keeps the shared lab in use, no longer tied to the lesson.
    lessonStore.getState().unbindShared();
    detachLesson();
    return;
  }
  const { clusterLesson, loading } = sessionStore.getState();
  if (clusterLesson !== null || loading !== null || slot.startsWith('lesson:')) leaveLessons(store, session);
}

/**
 * Follows the URL hash: a lesson route loads that lesson's lab (and calls `onOpen`, so the shell can
 * show the lesson panel); leaving for the list or free play brings back the learner's own lab (or
 * keeps the shared lab). Mount once, inside the lab store's and the page session's providers.
 */
export function useLessonSession(onOpen: () => void): void {
  const store = useContext(LabStoreContext);
  if (!store) throw new Error('useLessonSession must be used inside <LabStoreProvider>.');
  const session = useSessionStore();
  const events = useRouteEvents();
  const onOpenRef = useRef(onOpen);
  useEffect(() => {
    onOpenRef.current = onOpen;
  }, [onOpen]);

  // A reload without a hash comes back to the lesson the learner was in, if the lab in use is its.
  useEffect(() => {
    const { slot } = session.getState();
    // The page may have opened on a lesson's lab (the slot last in use): it is that lesson's cluster
    // only if it is exactly the lab saved there, so leaving for free play brings back the sandbox.
    if (slot.startsWith('lesson:') && sessionStore.getState().clusterLesson === null) {
      const saved = labLibrary.load(slot);
      if (saved.ok && saved.record && sameRecord(saved.record, store.getState().record))
        sessionStore.setState({ clusterLesson: slot.slice('lesson:'.length) });
    }
    if (parseHash(readHash()).view !== 'none') return;
    const lessons = lessonStore.getState();
    const last = lessons.lastRoute;
    if (slot === SHARED_SLOT && lessons.sharedLesson !== null) {
      const id = lessons.sharedLesson;
      navigate({ view: 'lesson', id, step: lessons.sharedProgress[id]?.lastStep ?? 1 }, { replace: true });
    } else if (last?.view === 'lesson' && slot === lessonSlot(last.id)) navigate(last, { replace: true });
  }, [store, session]);

  useEffect(() => {
    follow(store, session, parseHash(readHash()), () => onOpenRef.current());
  }, [events, store, session]);
}

/** The side panel opens on the lessons for a first visit and whenever the URL names a lesson route. */
export function initialTabIsLessons(): boolean {
  const route = parseHash(readHash());
  return lessonStore.getState().firstVisit || route.view === 'list' || route.view === 'lesson';
}
