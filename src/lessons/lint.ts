// The lesson linter ([LF1]–[LF10]): a lesson folder is well-formed when lesson.yaml parses strictly,
// every file it names exists, and its cluster.yaml applies to a fresh engine with no errors.
import { parseAllDocuments } from 'yaml';
import { createEngine } from '../engine';
import { parseLesson, type LessonProblem } from './parse';
import { lessonEngineOptions } from './record';
import type { Lesson, LessonBundle } from './types';

export type { LessonProblem } from './parse';

/** Content minimums every lesson meets ([LF9]). */
export const MIN_QUIZ_QUESTIONS = 3;

function yamlProblems(file: string, text: string): LessonProblem[] {
  return parseAllDocuments(text).flatMap((d) =>
    d.errors.map((e) => ({ file, message: `YAML does not parse: ${e.message.split('\n')[0] ?? ''}` })),
  );
}

/** Applies cluster.yaml to a fresh engine with the lesson's cluster settings. */
export function startingEngine(bundle: LessonBundle) {
  const engine = createEngine(lessonEngineOptions(bundle.lesson.cluster));
  const result = engine.apply(bundle.files['cluster.yaml'] ?? '');
  return { engine, result };
}

/** Lints one lesson folder; `files` maps paths relative to the folder to their text. */
export function lintLesson(
  folder: string,
  files: Readonly<Record<string, string>>,
): { bundle: LessonBundle | null; problems: LessonProblem[] } {
  const text = files['lesson.yaml'];
  if (text === undefined) return { bundle: null, problems: [{ file: 'lesson.yaml', message: 'missing' }] };
  const { lesson, problems } = parseLesson(text);
  const out = [...problems];
  if (!lesson) return { bundle: null, problems: out };
  if (lesson.id !== folder)
    out.push({
      file: 'lesson.yaml',
      path: 'id',
      message: `"${lesson.id}" must equal the folder name "${folder}"`,
    });
  const need = (file: string, path: string, what: string) => {
    const t = files[file];
    if (t === undefined)
      out.push({ file, path, message: `missing (${what} named in lesson.yaml at ${path})` });
    else if (!t.trim()) out.push({ file, path, message: `is empty (${what})` });
    return t;
  };
  // cluster.yaml must exist; it may hold no objects (a lesson that starts from an empty city).
  const cluster = files['cluster.yaml'];
  if (cluster === undefined)
    out.push({ file: 'cluster.yaml', path: 'cluster.yaml', message: 'missing (the starting manifests)' });
  lesson.steps.forEach((s, i) => {
    need(s.text, `steps[${i}].text`, 'the step text');
    const y = s.task?.solution.yaml;
    if (y) {
      const t = need(y, `steps[${i}].task.solution.yaml`, 'the solution');
      if (t !== undefined) out.push(...yamlProblems(y, t));
    }
  });
  if (!lesson.steps.some((s) => s.prediction))
    out.push({ file: 'lesson.yaml', path: 'steps', message: 'needs at least one prediction' });
  if (!lesson.steps.some((s) => s.task))
    out.push({ file: 'lesson.yaml', path: 'steps', message: 'needs at least one task' });
  if (lesson.quiz.length < MIN_QUIZ_QUESTIONS)
    out.push({
      file: 'lesson.yaml',
      path: 'quiz',
      message: `needs at least ${MIN_QUIZ_QUESTIONS} questions, has ${lesson.quiz.length}`,
    });
  const bundle: LessonBundle = { lesson, files };
  if (cluster !== undefined) {
    const syntax = yamlProblems('cluster.yaml', cluster);
    out.push(...syntax);
    if (!syntax.length) {
      const { result } = startingEngine(bundle);
      for (const e of result.errors)
        out.push({
          file: 'cluster.yaml',
          path: `document ${e.document}${e.line ? `, line ${e.line}` : ''}`,
          message: `the API server rejects it: ${e.message}`,
        });
    }
  }
  return { bundle: out.length ? null : bundle, problems: out };
}

/** Lints every lesson; ids and orders are unique across lessons ([LF10]). */
export function lintLessons(folders: Readonly<Record<string, Readonly<Record<string, string>>>>): {
  lessons: LessonBundle[];
  problems: (LessonProblem & { lesson: string })[];
} {
  const lessons: LessonBundle[] = [];
  const problems: (LessonProblem & { lesson: string })[] = [];
  const orders = new Map<number, string>();
  for (const [folder, files] of Object.entries(folders).sort(([a], [b]) => a.localeCompare(b))) {
    const r = lintLesson(folder, files);
    problems.push(...r.problems.map((p) => ({ ...p, lesson: folder })));
    if (!r.bundle) continue;
    const l: Lesson = r.bundle.lesson;
    const other = orders.get(l.order);
    if (other)
      problems.push({
        lesson: folder,
        file: 'lesson.yaml',
        path: 'order',
        message: `order ${l.order} is also used by ${other}`,
      });
    orders.set(l.order, folder);
    lessons.push(r.bundle);
  }
  return { lessons: lessons.sort((a, b) => a.lesson.order - b.lesson.order), problems };
}

export const formatProblem = (p: LessonProblem & { lesson?: string }): string =>
  `lessons/${p.lesson ? `${p.lesson}/` : ''}${p.file}${p.path ? ` (${p.path})` : ''}: ${p.message}`;
