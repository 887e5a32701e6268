import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type * as Lint from './src/lessons/lint';
import type * as Parse from './src/lessons/parse';
import type * as YamlDocs from './src/engine/cluster/yamlDocs';

const ROOT = dirname(fileURLToPath(import.meta.url));

/** `/lessons/<id>/lesson.yaml?lesson-summary` or `?lesson-bundle`, as import.meta.glob names them. */
const LESSON_MODULE = /[/\\]lessons[/\\]([^/\\]+)[/\\]lesson\.yaml\?lesson-(summary|bundle)$/;

/**
 * Lessons compiled at build time: the browser gets each lesson.yaml already parsed (by
 * src/lessons/parse.ts, the same parser `npm run lint:lessons` uses), so it never loads a YAML
 * parser for lessons. `?lesson-summary` is what the list shows (id, order, title, summary, number
 * of steps, or why the lesson cannot be read); `?lesson-bundle` is the whole lesson with the text
 * of every file in its folder, loaded when the lesson opens (src/ui/lessons/loadLessons.ts).
 */
function compiledLessons(): Plugin {
  // The parser is the app's own TypeScript, loaded through tsx rather than bundled into this config.
  let parser: Promise<[typeof Parse, typeof Lint]> | null = null;
  return {
    name: 'compiled-lessons',
    async load(id) {
      const m = LESSON_MODULE.exec(id);
      if (!m?.[1]) return null;
      parser ??= import('tsx/esm/api').then(({ tsImport }) =>
        Promise.all([
          tsImport('./src/lessons/parse.ts', import.meta.url) as Promise<typeof Parse>,
          tsImport('./src/lessons/lint.ts', import.meta.url) as Promise<typeof Lint>,
        ]),
      );
      const [{ parseLesson }, { formatProblem }] = await parser;
      const folderId = m[1];
      const folder = resolve(ROOT, 'lessons', folderId);
      const files: Record<string, string> = {};
      for (const name of readdirSync(folder).sort()) {
        const path = join(folder, name);
        this.addWatchFile(path);
        if (/\.(ya?ml|md)$/.test(name)) files[name] = readFileSync(path, 'utf8');
      }
      const { lesson, problems } = parseLesson(files['lesson.yaml'] ?? '');
      const unreadable = lesson
        ? lesson.id === folderId
          ? []
          : [`lessons/${folderId}/lesson.yaml: id "${lesson.id}" differs from its folder`]
        : problems.map((p) => formatProblem({ ...p, lesson: folderId }));
      if (m[2] === 'summary') {
        const summary =
          lesson && !unreadable.length
            ? {
                id: lesson.id,
                order: lesson.order,
                title: lesson.title,
                summary: lesson.summary,
                stepCount: lesson.steps.length,
              }
            : null;
        return `export default ${JSON.stringify({ lesson: summary, problems: unreadable })};`;
      }
      let result: unknown;
      if (!lesson || unreadable.length)
        result = { error: `This lesson cannot be opened: ${unreadable.join('; ')}` };
      else {
        const absent = lesson.steps
          .flatMap((s) => [s.text, ...(s.task?.solution.yaml ? [s.task.solution.yaml] : [])])
          .filter((f) => files[f] === undefined);
        result = absent.length
          ? { error: `This lesson cannot be opened: it names files that are missing (${absent.join(', ')}).` }
          : { bundle: { lesson, files } };
      }
      return `export default ${JSON.stringify(result)};`;
    },
  };
}

/**
 * `import m from './lab.yaml?manifest'`: the manifest read at build time by the engine's own YAML
 * reader (src/engine/cluster/yamlDocs.ts), so a lab drawn at startup needs no YAML reader in the
 * browser. Each document keeps the line it starts on; a manifest that does not read fails the build.
 */
function compiledManifests(): Plugin {
  let reader: Promise<typeof YamlDocs> | null = null;
  return {
    name: 'compiled-manifests',
    async load(id) {
      const m = /^(.*\.ya?ml)\?manifest$/.exec(id);
      if (!m?.[1]) return null;
      reader ??= import('tsx/esm/api').then(
        ({ tsImport }) =>
          tsImport('./src/engine/cluster/yamlDocs.ts', import.meta.url) as Promise<typeof YamlDocs>,
      );
      const { parseYamlDocuments } = await reader;
      this.addWatchFile(m[1]);
      const { docs, errors } = parseYamlDocuments(readFileSync(m[1], 'utf8'));
      if (errors.length)
        this.error(errors.map((e) => `${m[1]}:${e.line}:${e.column}: ${e.message}`).join('\n'));
      const entries = docs.map(
        (d) =>
          `{ index: ${d.index}, value: ${JSON.stringify(d.value)}, line: ${d.line}, lineOf: () => ${d.line}, unknownFields: ${JSON.stringify(d.unknownFields)} }`,
      );
      return `export default { docs: [${entries.join(', ')}], errors: [] };`;
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [react(), compiledLessons(), compiledManifests()],
  worker: { format: 'es', plugins: () => [compiledManifests()] },
  build: {
    target: 'es2022',
    sourcemap: false,
    // Everything the first screen loads statically goes into one chunk (one request, one gzip
    // stream); code loaded on demand is split as rolldown splits it (scripts/check-bundle.ts).
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] } } },
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'lessons/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/store/testSetup.ts'],
  },
});
