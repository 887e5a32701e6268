import { describe, expect, it } from 'vitest';
import { captureTaskStart } from '../lessons/checks';
import { lintLesson } from '../lessons/lint';
import { readLessonFolders } from '../lessons/node';
import { lessonRecord } from '../lessons/record';
import { replayLab } from './labRecord';
import {
  createLessonStore,
  isLessonComplete,
  LESSON_STORAGE_KEY,
  ownLessonRoute,
  quizScore,
  SHARED_LESSON_STORAGE_KEY,
  selectProgress,
  type LessonStorage,
} from './lessonStore';

/** An in-memory Web Storage; `full` makes every write throw as a full quota does. */
function memoryStorage(initial: Record<string, string> = {}, full = false) {
  const data = new Map(Object.entries(initial));
  const storage: LessonStorage = {
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => {
      if (full) throw new DOMException('quota', 'QuotaExceededError');
      data.set(k, v);
    },
  };
  return { storage, data };
}

const folders = readLessonFolders('lessons');
const bundleOf = (id: string) => {
  const files = folders[id];
  if (!files) throw new Error(`no lesson ${id}`);
  const { bundle, problems } = lintLesson(id, files);
  if (!bundle) throw new Error(problems.map((p) => p.message).join('; '));
  return bundle;
};

describe('lesson progress', () => {
  it('keeps the first committed answer, and restores everything after a reload', () => {
    const { storage, data } = memoryStorage();
    const store = createLessonStore(storage);
    expect(store.getState().firstVisit).toBe(true);
    store.getState().answerPrediction('01-components', 0, 'Exactly one container');
    store.getState().answerPrediction('01-components', 0, 'Something else');
    store.getState().showHint('01-components', 1, 2);
    store.getState().showHint('01-components', 1, 2);
    store.getState().showHint('01-components', 1, 2);
    store.getState().setRoute({ view: 'lesson', id: '01-components', step: 2 });
    expect(data.has(LESSON_STORAGE_KEY)).toBe(true);

    const again = createLessonStore(storage).getState();
    expect(again.firstVisit).toBe(false);
    const p = selectProgress('01-components')(again);
    expect(p.predictions).toEqual({ '0': 'Exactly one container' });
    expect(p.hintsShown).toEqual({ '1': 2 });
    expect(p.lastStep).toBe(2);
    expect(again.lastRoute).toEqual({ view: 'lesson', id: '01-components', step: 2 });
  });

  it("records a task's start once, as JSON that survives a reload and still compares", () => {
    const bundle = bundleOf('11-myth-busters');
    const { engine } = replayLab(lessonRecord(bundle));
    const start = captureTaskStart(engine);
    const { storage } = memoryStorage();
    const store = createLessonStore(storage);
    store.getState().startTask('11-myth-busters', 0, start);
    store.getState().startTask('11-myth-busters', 0, { pods: [], services: [] });
    const restored = selectProgress('11-myth-busters')(createLessonStore(storage).getState()).taskStarts['0'];
    expect(restored).toEqual(start);
    expect(restored?.pods.length).toBeGreaterThan(0);
  });

  it('a lesson is complete once every task is done and every quiz question answered', () => {
    const { lesson } = bundleOf('01-components');
    const store = createLessonStore(memoryStorage().storage);
    const taskSteps = lesson.steps.flatMap((s, i) => (s.task ? [i] : []));
    lesson.quiz.forEach((q, i) => store.getState().answerQuiz(lesson.id, i, i === 0 ? 'wrong' : q.answer));
    store.getState().updateCompletion(lesson);
    expect(selectProgress(lesson.id)(store.getState()).completed).toBe(false);
    for (const i of taskSteps) store.getState().completeTask(lesson.id, i);
    store.getState().updateCompletion(lesson);
    const p = selectProgress(lesson.id)(store.getState());
    expect(isLessonComplete(lesson, p)).toBe(true);
    expect(p.completed).toBe(true);
    expect(quizScore(lesson, p)).toEqual({ right: lesson.quiz.length - 1, answered: lesson.quiz.length });
  });

  it('resetting the cluster restarts the tasks and keeps the answers', () => {
    const store = createLessonStore(memoryStorage().storage);
    store.getState().answerPrediction('08-hands-on', 0, 'a');
    store.getState().startTask('08-hands-on', 0, { pods: [], services: [] });
    store.getState().completeTask('08-hands-on', 0);
    store.getState().restartTasks('08-hands-on');
    const p = selectProgress('08-hands-on')(store.getState());
    expect(p.taskStarts).toEqual({});
    expect(p.tasksDone).toEqual({});
    expect(p.predictions).toEqual({ '0': 'a' });
  });

  it('full or missing storage is a message, never an exception', () => {
    const full = createLessonStore(memoryStorage({}, true).storage);
    expect(() => full.getState().answerPrediction('01-components', 0, 'x')).not.toThrow();
    expect(full.getState().storageError).toMatch(/storage is full/);
    expect(selectProgress('01-components')(full.getState()).predictions).toEqual({ '0': 'x' });

    const none = createLessonStore(null);
    none.getState().answerQuiz('01-components', 0, 'x');
    expect(none.getState().storageError).toMatch(/lasts only while the tab is open/);

    const throwing: LessonStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => undefined,
    };
    expect(createLessonStore(throwing).getState().storageError).toMatch(/could not be read \(denied\)/);
  });

  it('damaged saved progress starts afresh with a message; bad entries are dropped', () => {
    expect(
      createLessonStore(memoryStorage({ [LESSON_STORAGE_KEY]: '{not json' }).storage).getState().storageError,
    ).toMatch(/damaged/);
    const saved = JSON.stringify({
      progress: {
        '01-components': {
          predictions: { '0': 'ok', x: 'bad', '1': 3 },
          taskStarts: { '1': { pods: 'no' } },
        },
        'not an id': { predictions: { '0': 'x' } },
      },
      lastRoute: { view: 'lesson', id: '<script>', step: 1 },
    });
    const s = createLessonStore(memoryStorage({ [LESSON_STORAGE_KEY]: saved }).storage).getState();
    expect(Object.keys(s.progress)).toEqual(['01-components']);
    expect(selectProgress('01-components')(s).predictions).toEqual({ '0': 'ok' });
    expect(selectProgress('01-components')(s).taskStarts).toEqual({});
    expect(s.lastRoute).toBeNull();
    expect(s.storageError).toBeNull();
  });
});

describe('progress on a shared lab', () => {
  it("keeps the shared lab's progress apart: the learner's own answers, tasks and place stay", () => {
    const { storage, data } = memoryStorage();
    const store = createLessonStore(storage);
    store.getState().setRoute({ view: 'lesson', id: '08-hands-on', step: 1 });
    store.getState().answerPrediction('08-hands-on', 0, 'mine');
    const own = data.get(LESSON_STORAGE_KEY);

    store.getState().openShared('08-hands-on');
    store.getState().setScope('shared');
    expect(selectProgress('08-hands-on')(store.getState()).predictions).toEqual({});
    store.getState().setRoute({ view: 'lesson', id: '08-hands-on', step: 2 });
    store.getState().answerPrediction('08-hands-on', 0, 'theirs');
    store.getState().completeTask('08-hands-on', 0);
    expect(data.get(LESSON_STORAGE_KEY)).toBe(own);
    expect(store.getState().ownProgress['08-hands-on']?.predictions).toEqual({ '0': 'mine' });

    store.getState().setScope('own');
    expect(selectProgress('08-hands-on')(store.getState()).predictions).toEqual({ '0': 'mine' });
    expect(ownLessonRoute(store.getState(), '08-hands-on')).toEqual({
      view: 'lesson',
      id: '08-hands-on',
      step: 1,
    });

    // A reload finds both, and the lesson the shared lab belongs to.
    const again = createLessonStore(storage);
    expect(again.getState().sharedLesson).toBe('08-hands-on');
    expect(again.getState().sharedProgress['08-hands-on']).toMatchObject({
      lastStep: 2,
      predictions: { '0': 'theirs' },
      tasksDone: { '0': true },
    });
    expect(again.getState().progress['08-hands-on']?.predictions).toEqual({ '0': 'mine' });

    // A new link starts its progress afresh; leaving its lesson unties the shared lab from it.
    again.getState().openShared(null);
    expect(again.getState().sharedProgress).toEqual({});
    expect(JSON.parse(data.get(SHARED_LESSON_STORAGE_KEY) ?? '{}')).toEqual({
      version: 1,
      lesson: null,
      progress: {},
    });
  });

  it('ignores a damaged shared save without touching the own progress', () => {
    const { storage } = memoryStorage({
      [SHARED_LESSON_STORAGE_KEY]: '{"lesson": "<b>", "progress": 3',
      [LESSON_STORAGE_KEY]: JSON.stringify({ version: 1, progress: { '01-components': { lastStep: 3 } } }),
    });
    const store = createLessonStore(storage);
    expect(store.getState().sharedLesson).toBeNull();
    expect(store.getState().sharedProgress).toEqual({});
    expect(store.getState().storageError).toBeNull();
    expect(ownLessonRoute(store.getState(), '01-components')).toEqual({
      view: 'lesson',
      id: '01-components',
      step: 3,
    });
  });
});
