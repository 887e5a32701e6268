import type { LessonBundle } from '../../lessons/types';
import { loadLabTools } from '../../store/labStore';

// Lessons are compiled at build time (the compiled-lessons plugin in vite.config.ts parses every
// lesson.yaml with src/lessons/parse.ts): the list's summaries come with the page, and a lesson's
// steps, text and solutions load, already parsed, in their own small chunk when it is opened.

/** What the lesson list shows of a lesson. */
export interface LessonSummary {
  readonly id: string;
  readonly order: number;
  readonly title: string;
  readonly summary: string;
  /** Steps, the quiz not counted. */
  readonly stepCount: number;
}

export interface LessonIndex {
  /** Well-formed lessons, in their `order`. */
  readonly lessons: readonly LessonSummary[];
  /** Lessons that could not be read, one sentence each. */
  readonly problems: readonly string[];
}

export type BundleResult = { readonly bundle: LessonBundle } | { readonly error: string };

interface CompiledSummary {
  readonly lesson: LessonSummary | null;
  readonly problems: readonly string[];
}

const SUMMARIES = import.meta.glob<CompiledSummary>('/lessons/*/lesson.yaml', {
  query: '?lesson-summary',
  import: 'default',
  eager: true,
});
const BUNDLES = import.meta.glob<BundleResult>('/lessons/*/lesson.yaml', {
  query: '?lesson-bundle',
  import: 'default',
});

/** `/lessons/<id>/lesson.yaml` → `<id>`. */
const folderOf = (path: string) => /^\/lessons\/([^/]+)\/lesson\.yaml$/.exec(path)?.[1];

const LOADERS = new Map<string, () => Promise<BundleResult>>();
for (const [path, load] of Object.entries(BUNDLES)) {
  const id = folderOf(path);
  if (id) LOADERS.set(id, load);
}

const INDEX: LessonIndex = {
  lessons: Object.values(SUMMARIES)
    .flatMap((s) => (s.lesson ? [s.lesson] : []))
    .sort((a, b) => a.order - b.order),
  problems: Object.values(SUMMARIES).flatMap((s) => s.problems),
};

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

const bundles = new Map<string, Promise<BundleResult>>();

/** Every lesson's summary (compiled into the page, so this resolves at once). */
export function loadLessonIndex(): Promise<LessonIndex> {
  return Promise.resolve(INDEX);
}

/** One lesson with all its files, read once (a failed load is tried again next time). */
export function loadLessonBundle(id: string): Promise<BundleResult> {
  let found = bundles.get(id);
  if (!found) {
    const load = LOADERS.get(id);
    // A lesson's files are YAML text and its checks trace packets: the lab's tools load with it.
    found = load
      ? Promise.all([load(), loadLabTools()])
          .then(([r]) => r)
          .catch((e: unknown): BundleResult => ({
            error: `The lesson could not be loaded (${describe(e)}). Check the connection and reload.`,
          }))
      : Promise.resolve({ error: `There is no lesson called “${id}”.` });
    found = found.then((r) => {
      if ('error' in r) bundles.delete(id);
      return r;
    });
    bundles.set(id, found);
  }
  return found;
}
