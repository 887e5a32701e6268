import { formatProblem } from '../../lessons/lint';
import { parseLesson } from '../../lessons/parse';
import type { Lesson, LessonBundle } from '../../lessons/types';

// The lesson files, each loaded on demand in its own small chunk: the list needs only every
// lesson.yaml, and a lesson's text and solutions load when it is opened.
const FILES = import.meta.glob<string>('/lessons/*/*', { query: '?raw', import: 'default' });

/** `/lessons/<id>/<file>` → the loader of its text, grouped by lesson folder. */
const FOLDERS = new Map<string, Map<string, () => Promise<string>>>();
for (const [path, load] of Object.entries(FILES)) {
  const m = /^\/lessons\/([^/]+)\/(.+)$/.exec(path);
  if (!m?.[1] || !m[2]) continue;
  const folder = FOLDERS.get(m[1]) ?? new Map<string, () => Promise<string>>();
  folder.set(m[2], load);
  FOLDERS.set(m[1], folder);
}

export interface LessonIndex {
  /** Well-formed lessons, in their `order`. */
  readonly lessons: readonly Lesson[];
  /** Lessons that could not be read, one sentence each. */
  readonly problems: readonly string[];
}

export type BundleResult = { readonly bundle: LessonBundle } | { readonly error: string };

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function readIndex(): Promise<LessonIndex> {
  const lessons: Lesson[] = [];
  const problems: string[] = [];
  await Promise.all(
    [...FOLDERS].map(async ([folder, files]) => {
      const load = files.get('lesson.yaml');
      if (!load) return;
      try {
        const { lesson, problems: found } = parseLesson(await load());
        if (lesson && lesson.id === folder) lessons.push(lesson);
        else if (lesson)
          problems.push(`lessons/${folder}/lesson.yaml: id "${lesson.id}" differs from its folder`);
        else problems.push(...found.map((p) => formatProblem({ ...p, lesson: folder })));
      } catch (e) {
        problems.push(`lessons/${folder}/lesson.yaml could not be loaded (${describe(e)})`);
      }
    }),
  );
  return { lessons: lessons.sort((a, b) => a.order - b.order), problems };
}

async function readBundle(id: string): Promise<BundleResult> {
  const folder = FOLDERS.get(id);
  if (!folder?.has('lesson.yaml')) return { error: `There is no lesson called “${id}”.` };
  try {
    const entries = await Promise.all([...folder].map(async ([file, load]) => [file, await load()] as const));
    const files: Record<string, string> = Object.fromEntries(entries);
    const { lesson, problems } = parseLesson(files['lesson.yaml'] ?? '');
    if (!lesson)
      return {
        error: `This lesson cannot be opened: ${problems.map((p) => formatProblem({ ...p, lesson: id })).join('; ')}`,
      };
    const missing = lesson.steps.flatMap((s) => [
      s.text,
      ...(s.task?.solution.yaml ? [s.task.solution.yaml] : []),
    ]);
    const absent = missing.filter((f) => files[f] === undefined);
    if (absent.length)
      return {
        error: `This lesson cannot be opened: it names files that are missing (${absent.join(', ')}).`,
      };
    return { bundle: { lesson, files } };
  } catch (e) {
    return { error: `The lesson could not be loaded (${describe(e)}). Check the connection and reload.` };
  }
}

let index: Promise<LessonIndex> | null = null;
const bundles = new Map<string, Promise<BundleResult>>();

/** Every lesson's lesson.yaml, read once. */
export function loadLessonIndex(): Promise<LessonIndex> {
  index ??= readIndex();
  return index;
}

/** One lesson with all its files, read once (a failed load is tried again next time). */
export function loadLessonBundle(id: string): Promise<BundleResult> {
  let found = bundles.get(id);
  if (!found) {
    found = readBundle(id).then((r) => {
      if ('error' in r) bundles.delete(id);
      return r;
    });
    bundles.set(id, found);
  }
  return found;
}
