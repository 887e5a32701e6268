// Lints every lesson in lessons/: `npx tsx scripts/lint-lessons.ts [lessons-dir]`. Exit 1 on any
// problem, each printed as `lessons/<id>/<file> (<where>): <what>`.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintLessons, formatProblem } from '../src/lessons/lint';
import { readLessonFolders } from '../src/lessons/node';
import { loadEngineParts } from '../src/engine';

// Linting replays each lesson's manifests, which reads YAML text.
await loadEngineParts();

const root = resolve(process.argv[2] ?? resolve(fileURLToPath(import.meta.url), '../../lessons'));
const { lessons, problems } = lintLessons(readLessonFolders(root));
for (const p of problems) console.error(formatProblem(p));
console.log(`${lessons.length} lesson(s) OK, ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
