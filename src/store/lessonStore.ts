import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Lesson, TaskStart } from '../lessons/types';

// What a learner has done in each lesson — predictions, tasks, hints, quiz answers — and where they
// are, kept apart from the lab store (the cluster itself lives in the lab library, one slot per
// lesson). Saved to localStorage on every change and restored on reload; storage that is missing,
// full or disabled is reported as a message and the lessons go on working in the tab.
//
// A lesson shown over a lab opened from a share link keeps its progress apart (the `shared` scope):
// its tasks started on someone else's cluster, so nothing done there changes the learner's own
// progress in that lesson, and a new link starts it afresh.

export const LESSON_STORAGE_KEY = 'k8s-net-lab:lessons';
/** Progress in the lesson a shared lab was made on, while that lab is open. */
export const SHARED_LESSON_STORAGE_KEY = 'k8s-net-lab:lessons-shared';

/** Whose progress the lesson panel shows and records: the learner's own, or the shared lab's. */
export type ProgressScope = 'own' | 'shared';

/** Where the lesson panel is: the list, or a lesson at a 1-based step (steps, then the quiz). */
export type LessonRoute =
  { readonly view: 'list' } | { readonly view: 'lesson'; readonly id: string; readonly step: number };

/** One lesson's progress. Keys are 0-based step (or quiz question) indices, as text. */
export interface LessonProgress {
  /** The choice the learner committed to, per step with a prediction. */
  readonly predictions: Readonly<Record<string, string>>;
  /** The cluster when the learner first reached each task (what podIPChanged compares with). */
  readonly taskStarts: Readonly<Record<string, TaskStart>>;
  /** Tasks whose checks all passed at some point. */
  readonly tasksDone: Readonly<Record<string, boolean>>;
  /** How many hints of each task are shown. */
  readonly hintsShown: Readonly<Record<string, number>>;
  /** Tasks whose solution the learner opened. */
  readonly solutionsShown: Readonly<Record<string, boolean>>;
  /** The choice given per quiz question. */
  readonly quiz: Readonly<Record<string, string>>;
  /** The 1-based step last shown. */
  readonly lastStep: number;
  readonly completed: boolean;
}

export const EMPTY_PROGRESS: LessonProgress = {
  predictions: {},
  taskStarts: {},
  tasksDone: {},
  hintsShown: {},
  solutionsShown: {},
  quiz: {},
  lastStep: 1,
  completed: false,
};

export type LessonStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface LessonState {
  /** Progress in the scope in use: what the lesson panel shows and every action below changes. */
  readonly progress: Readonly<Record<string, LessonProgress>>;
  readonly scope: ProgressScope;
  /** The learner's own progress, whichever scope is in use. */
  readonly ownProgress: Readonly<Record<string, LessonProgress>>;
  /** Progress on the shared lab, in the lesson it was shared from. */
  readonly sharedProgress: Readonly<Record<string, LessonProgress>>;
  /** The lesson the shared lab is shown with, or null (none, or the learner left it for the list). */
  readonly sharedLesson: string | null;
  /** The last route shown in the learner's own scope, so a reload without a hash can come back to it. */
  readonly lastRoute: LessonRoute | null;
  /** Nothing was saved in this browser before: the app opens on the lesson list. */
  readonly firstVisit: boolean;
  /** Why progress could not be saved or restored, or null. */
  readonly storageError: string | null;

  setRoute(route: LessonRoute): void;
  setScope(scope: ProgressScope): void;
  /** A lab opened from a link: its progress starts empty, tied to `lessonId` (or to no lesson). */
  openShared(lessonId: string | null): void;
  /** The shared lab stays open, no longer shown with its lesson. */
  unbindShared(): void;
  answerPrediction(lessonId: string, step: number, choice: string): void;
  /** Records the task's starting cluster, once: a later call for the same task changes nothing. */
  startTask(lessonId: string, step: number, start: TaskStart): void;
  completeTask(lessonId: string, step: number): void;
  showHint(lessonId: string, step: number, total: number): void;
  showSolution(lessonId: string, step: number): void;
  answerQuiz(lessonId: string, question: number, choice: string): void;
  clearQuiz(lessonId: string): void;
  /** The cluster went back to the lesson's start: tasks start over, answers stay. */
  restartTasks(lessonId: string): void;
  /** Marks the lesson completed when every task is done and every quiz question answered. */
  updateCompletion(lesson: Lesson): void;
}

export type LessonStore = StoreApi<LessonState>;

// --- reading back what was saved (untrusted: another version, a hand edit, a damaged write) ------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const INDEX = /^\d{1,4}$/;

function readMap<T>(v: unknown, read: (x: unknown) => T | undefined): Record<string, T> {
  const out: Record<string, T> = {};
  if (!isObj(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    if (!INDEX.test(k)) continue;
    const value = read(x);
    if (value !== undefined) out[k] = value;
  }
  return out;
}

const readString = (x: unknown) => (typeof x === 'string' ? x : undefined);
const readTrue = (x: unknown) => (x === true ? true : undefined);
const readCount = (x: unknown) => (Number.isInteger(x) && (x as number) >= 0 ? (x as number) : undefined);

function readTaskStart(v: unknown): TaskStart | undefined {
  if (!isObj(v) || !Array.isArray(v.pods) || !Array.isArray(v.services)) return undefined;
  const pods: TaskStart['pods'][number][] = [];
  for (const p of v.pods) {
    if (!isObj(p) || typeof p.namespace !== 'string' || typeof p.name !== 'string') return undefined;
    if (p.ip !== null && typeof p.ip !== 'string') return undefined;
    if (!isObj(p.labels) || !Object.values(p.labels).every((l) => typeof l === 'string')) return undefined;
    pods.push({
      namespace: p.namespace,
      name: p.name,
      ip: p.ip,
      labels: { ...(p.labels as Record<string, string>) },
    });
  }
  const services: TaskStart['services'][number][] = [];
  for (const s of v.services) {
    if (
      !isObj(s) ||
      typeof s.namespace !== 'string' ||
      typeof s.name !== 'string' ||
      typeof s.clusterIP !== 'string'
    )
      return undefined;
    services.push({ namespace: s.namespace, name: s.name, clusterIP: s.clusterIP });
  }
  return { pods, services };
}

const LESSON_ID = /^\d{2}-[a-z0-9-]+$/;

function readProgress(v: unknown): LessonProgress | undefined {
  if (!isObj(v)) return undefined;
  const lastStep = Number.isInteger(v.lastStep) && (v.lastStep as number) >= 1 ? (v.lastStep as number) : 1;
  return {
    predictions: readMap(v.predictions, readString),
    taskStarts: readMap(v.taskStarts, readTaskStart),
    tasksDone: readMap(v.tasksDone, readTrue),
    hintsShown: readMap(v.hintsShown, readCount),
    solutionsShown: readMap(v.solutionsShown, readTrue),
    quiz: readMap(v.quiz, readString),
    lastStep,
    completed: v.completed === true,
  };
}

/** Parses a route as saved; null when it is not one. */
export function readRoute(v: unknown): LessonRoute | null {
  if (!isObj(v)) return null;
  if (v.view === 'list') return { view: 'list' };
  if (
    v.view === 'lesson' &&
    typeof v.id === 'string' &&
    LESSON_ID.test(v.id) &&
    Number.isInteger(v.step) &&
    (v.step as number) >= 1
  )
    return { view: 'lesson', id: v.id, step: v.step as number };
  return null;
}

interface Saved {
  readonly progress: Record<string, LessonProgress>;
  readonly lastRoute: LessonRoute | null;
}

function readProgressMap(v: unknown): Record<string, LessonProgress> {
  const progress: Record<string, LessonProgress> = {};
  if (!isObj(v)) return progress;
  for (const [id, p] of Object.entries(v)) {
    const read = LESSON_ID.test(id) ? readProgress(p) : undefined;
    if (read) progress[id] = read;
  }
  return progress;
}

function readSaved(text: string): Saved | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'Your saved lesson progress is damaged (not valid JSON), so the lessons start afresh.';
  }
  if (!isObj(value) || !isObj(value.progress))
    return 'Your saved lesson progress is damaged, so the lessons start afresh.';
  return { progress: readProgressMap(value.progress), lastRoute: readRoute(value.lastRoute) };
}

interface SavedShared {
  readonly lesson: string | null;
  readonly progress: Record<string, LessonProgress>;
}

/** The shared lab's progress as saved; anything unreadable is simply an empty start. */
function readShared(text: string | null): SavedShared {
  const empty: SavedShared = { lesson: null, progress: {} };
  if (text === null) return empty;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return empty;
  }
  if (!isObj(value)) return empty;
  const lesson = typeof value.lesson === 'string' && LESSON_ID.test(value.lesson) ? value.lesson : null;
  return { lesson, progress: readProgressMap(value.progress) };
}

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

function saveMessage(e: unknown): string {
  return e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22)
    ? "This browser's storage is full, so your lesson progress is not saved. It stays in this tab until you close it."
    : `Your lesson progress could not be saved in this browser (${describe(e)}). It stays in this tab until you close it.`;
}

// --- the store -------------------------------------------------------------------------------------

/** The one way to make a lesson store; `storage` null where the browser offers none. */
export function createLessonStore(storage: LessonStorage | null): LessonStore {
  let saved: Saved = { progress: {}, lastRoute: null };
  let shared: SavedShared = { lesson: null, progress: {} };
  let firstVisit = true;
  let storageError: string | null = storage
    ? null
    : 'This browser does not let the lab store anything, so your lesson progress lasts only while the tab is open.';
  if (storage) {
    try {
      const text = storage.getItem(LESSON_STORAGE_KEY);
      if (text !== null) {
        firstVisit = false;
        const read = readSaved(text);
        if (typeof read === 'string') storageError = read;
        else saved = read;
      }
    } catch (e) {
      storageError = `Your lesson progress could not be read (${describe(e)}).`;
    }
    try {
      shared = readShared(storage.getItem(SHARED_LESSON_STORAGE_KEY));
    } catch {
      // Unreadable: the shared lab's lesson starts afresh, and the learner's own progress is unaffected.
    }
  }

  return createStore<LessonState>()((set, get) => {
    const persistShared = () => {
      if (!storage) return;
      const { sharedLesson, sharedProgress } = get();
      try {
        storage.setItem(
          SHARED_LESSON_STORAGE_KEY,
          JSON.stringify({ version: 1, lesson: sharedLesson, progress: sharedProgress }),
        );
      } catch (e) {
        set({ storageError: saveMessage(e) });
      }
    };
    const persist = () => {
      if (!storage) return;
      if (get().scope === 'shared') {
        persistShared();
        return;
      }
      const { ownProgress, lastRoute } = get();
      try {
        storage.setItem(LESSON_STORAGE_KEY, JSON.stringify({ version: 1, progress: ownProgress, lastRoute }));
        if (get().storageError !== null) set({ storageError: null });
      } catch (e) {
        set({ storageError: saveMessage(e) });
      }
    };
    /** Replaces one lesson's progress in the scope in use (nothing when `change` returns the same object). */
    const update = (id: string, change: (p: LessonProgress) => LessonProgress) => {
      const before = get().progress[id] ?? EMPTY_PROGRESS;
      const after = change(before);
      if (after === before) return;
      const progress = { ...get().progress, [id]: after };
      set(
        get().scope === 'own' ? { progress, ownProgress: progress } : { progress, sharedProgress: progress },
      );
      persist();
    };
    const key = String;

    return {
      progress: saved.progress,
      scope: 'own',
      ownProgress: saved.progress,
      sharedProgress: shared.progress,
      sharedLesson: shared.lesson,
      lastRoute: saved.lastRoute,
      firstVisit,
      storageError,

      setRoute(route) {
        if (get().scope === 'shared') {
          // The learner's own place in the lessons stays where it was; only the step is kept.
          if (route.view === 'lesson')
            update(route.id, (p) => (p.lastStep === route.step ? p : { ...p, lastStep: route.step }));
          return;
        }
        const last = get().lastRoute;
        const same =
          last?.view === route.view &&
          (route.view === 'list' ||
            (last.view === 'lesson' && last.id === route.id && last.step === route.step));
        if (same) return;
        set({ lastRoute: route });
        if (route.view === 'lesson')
          update(route.id, (p) => (p.lastStep === route.step ? p : { ...p, lastStep: route.step }));
        persist();
      },

      setScope(scope) {
        if (scope === get().scope) return;
        set({ scope, progress: scope === 'own' ? get().ownProgress : get().sharedProgress });
      },

      openShared(lessonId) {
        set({
          sharedLesson: lessonId,
          sharedProgress: {},
          ...(get().scope === 'shared' ? { progress: {} } : {}),
        });
        persistShared();
      },

      unbindShared() {
        if (get().sharedLesson === null) return;
        set({ sharedLesson: null });
        persistShared();
      },

      answerPrediction(id, step, choice) {
        update(id, (p) =>
          p.predictions[key(step)] !== undefined
            ? p
            : { ...p, predictions: { ...p.predictions, [key(step)]: choice } },
        );
      },

      startTask(id, step, start) {
        update(id, (p) =>
          p.taskStarts[key(step)] !== undefined
            ? p
            : { ...p, taskStarts: { ...p.taskStarts, [key(step)]: start } },
        );
      },

      completeTask(id, step) {
        update(id, (p) =>
          p.tasksDone[key(step)] ? p : { ...p, tasksDone: { ...p.tasksDone, [key(step)]: true } },
        );
      },

      showHint(id, step, total) {
        update(id, (p) => {
          const shown = p.hintsShown[key(step)] ?? 0;
          return shown >= total ? p : { ...p, hintsShown: { ...p.hintsShown, [key(step)]: shown + 1 } };
        });
      },

      showSolution(id, step) {
        update(id, (p) =>
          p.solutionsShown[key(step)]
            ? p
            : { ...p, solutionsShown: { ...p.solutionsShown, [key(step)]: true } },
        );
      },

      answerQuiz(id, question, choice) {
        update(id, (p) =>
          p.quiz[key(question)] !== undefined ? p : { ...p, quiz: { ...p.quiz, [key(question)]: choice } },
        );
      },

      clearQuiz(id) {
        update(id, (p) => (Object.keys(p.quiz).length ? { ...p, quiz: {} } : p));
      },

      restartTasks(id) {
        update(id, (p) => ({ ...p, taskStarts: {}, tasksDone: {} }));
      },

      updateCompletion(lesson) {
        update(lesson.id, (p) => {
          const completed = isLessonComplete(lesson, p);
          return completed && !p.completed ? { ...p, completed } : p;
        });
      },
    };
  });
}

/** Every task was done and every quiz question answered (once completed, a lesson stays so). */
export function isLessonComplete(lesson: Lesson, p: LessonProgress): boolean {
  const tasksDone = lesson.steps.every((s, i) => !s.task || p.tasksDone[String(i)] === true);
  const quizDone = lesson.quiz.every((_, i) => p.quiz[String(i)] !== undefined);
  return tasksDone && quizDone;
}

/** Where the learner's own work in lesson `id` goes on: the route last shown there, else its last step. */
export function ownLessonRoute(s: LessonState, id: string): LessonRoute {
  const last = s.lastRoute;
  if (last?.view === 'lesson' && last.id === id) return last;
  return { view: 'lesson', id, step: s.ownProgress[id]?.lastStep ?? 1 };
}

/** How many quiz answers are right. */
export function quizScore(lesson: Lesson, p: LessonProgress): { right: number; answered: number } {
  let right = 0;
  let answered = 0;
  lesson.quiz.forEach((q, i) => {
    const a = p.quiz[String(i)];
    if (a === undefined) return;
    answered += 1;
    if (a === q.answer) right += 1;
  });
  return { right, answered };
}

// --- named selectors -------------------------------------------------------------------------------

export const selectProgressMap = (s: LessonState) => s.progress;
export const selectProgressScope = (s: LessonState) => s.scope;
export const selectLessonStorageError = (s: LessonState) => s.storageError;
/** One lesson's progress (the shared empty record when it was never opened). */
export const selectProgress = (id: string) => (s: LessonState) => s.progress[id] ?? EMPTY_PROGRESS;
