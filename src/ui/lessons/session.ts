import { useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import { createStore } from 'zustand/vanilla';
import { browserLabStorage, createLabLibrary, lessonSlot, SANDBOX_SLOT } from '../../store/labLibrary';
import type { LabRecord, LabStore } from '../../store/labStore';
import { browserLessonStorage, createLessonStore, type LessonRoute } from '../../store/lessonStore';
import { starterLab } from '../../store/starterLab';
import { LabStoreContext } from '../labStoreContext';
import { formatRoute, parseHash, type HashRoute } from './route';

// The lesson session: which lesson the URL hash opens, and which lab the lab store shows for it.
// A lesson's cluster lives in its own slot of the lab library (`lesson:<id>`), the learner's free
// lab in `sandbox`; entering a lesson switches the active slot first and then loads that slot's lab,
// so the autosave that follows the active slot never writes one lab over another. This module is in
// the first bundle and small: the lesson files, their parser and the panel load lazily.

/** Progress in every lesson, saved in this browser. */
export const lessonStore = createLessonStore(browserLessonStorage());
/** The labs kept per slot (the same storage the boot code reads). */
export const labLibrary = createLabLibrary(browserLabStorage());

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

let keepClusterFor: string | null = null;

/**
 * Opens a lesson at a 1-based step. With `keepCluster`, the lab now in the lab store (a shared lab
 * just loaded) becomes the lesson's cluster and is saved in its slot, instead of the lesson's saved
 * or starting lab. `replace` replaces the current history entry (a `#share=` fragment) instead of
 * adding one.
 */
export function openLesson(
  id: string,
  step: number,
  options: { keepCluster?: boolean; replace?: boolean } = {},
): void {
  keepClusterFor = options.keepCluster ? id : null;
  if (options.keepCluster) sessionStore.setState({ clusterLesson: null });
  navigate(
    { view: 'lesson', id, step: Math.max(1, Math.trunc(step)) },
    { replace: options.replace === true },
  );
}

// --- switching the lab ----------------------------------------------------------------------------------

const sameRecord = (a: LabRecord, b: LabRecord) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** The lab a learner starts with in free play (the lab store's own default). */
const starterRecord = (): LabRecord => ({
  name: starterLab.name,
  settings: {},
  yaml: starterLab.yaml,
  ops: [],
});

/**
 * Keeps the lab being left in its slot before another replaces it, in case nothing else saved it
 * yet — only when it is known which slot the lab in the store belongs to.
 */
function keepCurrent(store: LabStore): string | null {
  const { clusterLesson } = sessionStore.getState();
  const active = labLibrary.activeSlot();
  const slot =
    clusterLesson !== null ? lessonSlot(clusterLesson) : active.startsWith('lesson:') ? null : active;
  return slot === null ? null : labLibrary.save(slot, store.getState().record);
}

function show(store: LabStore, record: LabRecord) {
  if (!sameRecord(record, store.getState().record)) store.getState().loadLab(record);
}

let generation = 0;

async function enterLesson(store: LabStore, id: string): Promise<void> {
  const mine = ++generation;
  sessionStore.setState({ loading: id, error: null });
  const { loadLessonBundle } = await import('./loadLessons');
  const { lessonRecord } = await import('../../lessons/record');
  const loaded = await loadLessonBundle(id);
  if (mine !== generation) return;
  if ('error' in loaded) {
    sessionStore.setState({ loading: null, error: loaded.error });
    return;
  }
  const slot = lessonSlot(id);
  const problems: string[] = [];
  if (keepClusterFor === id) {
    keepClusterFor = null;
    const saveError = labLibrary.setActiveSlot(slot) ?? labLibrary.save(slot, store.getState().record);
    if (saveError) problems.push(saveError);
  } else {
    const kept = keepCurrent(store);
    const switched = labLibrary.setActiveSlot(slot);
    const saved = labLibrary.load(slot);
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

function leaveLessons(store: LabStore): void {
  generation += 1;
  const kept = keepCurrent(store);
  const switched = labLibrary.setActiveSlot(SANDBOX_SLOT);
  const saved = labLibrary.load(SANDBOX_SLOT);
  show(store, saved.ok && saved.record ? saved.record : starterRecord());
  const error = saved.ok ? (kept ?? switched) : saved.error;
  sessionStore.setState({ clusterLesson: null, loading: null, error });
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

/**
 * Follows the URL hash: a lesson route loads that lesson's lab (and calls `onOpen`, so the shell can
 * show the lesson panel); leaving for the list or free play brings back the learner's own lab.
 * Mount once, inside the lab store's provider.
 */
export function useLessonSession(onOpen: () => void): void {
  const store = useContext(LabStoreContext);
  if (!store) throw new Error('useLessonSession must be used inside <LabStoreProvider>.');
  const events = useRouteEvents();
  const onOpenRef = useRef(onOpen);
  useEffect(() => {
    onOpenRef.current = onOpen;
  }, [onOpen]);

  // A reload without a hash comes back to the lesson the learner was in, if the lab in use is its.
  useEffect(() => {
    // The page may have opened on a lesson's lab (the slot last in use): it is that lesson's cluster
    // only if it is exactly the lab saved there, so leaving for free play brings back the sandbox.
    const active = labLibrary.activeSlot();
    if (active.startsWith('lesson:') && sessionStore.getState().clusterLesson === null) {
      const saved = labLibrary.load(active);
      if (saved.ok && saved.record && sameRecord(saved.record, store.getState().record))
        sessionStore.setState({ clusterLesson: active.slice('lesson:'.length) });
    }
    const last = lessonStore.getState().lastRoute;
    if (
      parseHash(readHash()).view === 'none' &&
      last?.view === 'lesson' &&
      labLibrary.activeSlot() === lessonSlot(last.id)
    )
      navigate(last, { replace: true });
  }, [store]);

  useEffect(() => {
    const route = parseHash(readHash());
    if (route.view === 'share') return;
    if (route.view === 'lesson') {
      lessonStore.getState().setRoute(route);
      onOpenRef.current();
      const { clusterLesson, loading } = sessionStore.getState();
      if (clusterLesson !== route.id && loading !== route.id) void enterLesson(store, route.id);
      return;
    }
    if (route.view === 'list') {
      lessonStore.getState().setRoute(route);
      onOpenRef.current();
    }
    const { clusterLesson, loading } = sessionStore.getState();
    if (clusterLesson !== null || loading !== null) leaveLessons(store);
  }, [events, store]);
}

/** The side panel opens on the lessons for a first visit and whenever the URL names a lesson route. */
export function initialTabIsLessons(): boolean {
  const route = parseHash(readHash());
  return lessonStore.getState().firstVisit || route.view === 'list' || route.view === 'lesson';
}
