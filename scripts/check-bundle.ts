// The initial-JavaScript budget: the scripts the page loads before it can draw anything (the entry
// in dist/index.html, its modulepreloads, and every chunk those import statically), gzip-compressed,
// must stay within 150 kB. Chunks reached only through import() load when the learner opens what
// they draw (the terminal, the editor, a lesson, a side-panel tab); e2e/firstLoad.spec.ts weighs
// what a first visit fetches in the browser, the lesson list included, against the same budget.
//
// Usage: `npx vite build && npx tsx scripts/check-bundle.ts [--json] [--budget=<kB>]`.
// Exits 1 when over budget, 2 when there is no build.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = resolve(process.argv.find((a) => a.startsWith('--dist='))?.slice('--dist='.length) ?? 'dist');
const BUDGET_KB = Number(
  process.argv.find((a) => a.startsWith('--budget='))?.slice('--budget='.length) ?? 150,
);
const JSON_OUT = process.argv.includes('--json');

/** kB as `vite build` reports them: 1000 bytes, gzip level 9. */
const gzipKB = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length / 1000;

interface Chunk {
  readonly file: string;
  readonly kB: number;
  readonly gzipKB: number;
}

/** Static imports in a built ES module: `import … from "./x.js"` and `import "./x.js"`, not `import("./x.js")`. */
function staticImports(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*)(["'])(\.{1,2}\/[^"']+\.js)\1/g)) {
    const before = code.slice(Math.max(0, m.index - 1), m.index);
    if (before !== '(' && m[2]) out.push(m[2]);
  }
  return out;
}

function initialChunks(dist: string): Chunk[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const queue = [
    ...html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g),
  ].map((m) => resolve(dist, m[1] ?? ''));
  const seen = new Set<string>();
  const chunks: Chunk[] = [];
  while (queue.length) {
    const file = queue.shift() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const bytes = readFileSync(file);
    chunks.push({ file: file.slice(dist.length + 1), kB: bytes.length / 1000, gzipKB: gzipKB(bytes) });
    for (const spec of staticImports(bytes.toString('utf8'))) queue.push(resolve(dirname(file), spec));
  }
  return chunks;
}

function main() {
  if (!existsSync(join(DIST, 'index.html'))) {
    console.error(`No build in ${DIST}: run \`npx vite build\` first.`);
    process.exit(2);
  }
  const chunks = initialChunks(DIST);
  const total = chunks.reduce((sum, c) => sum + c.gzipKB, 0);
  const ok = total <= BUDGET_KB;
  if (JSON_OUT) {
    console.log(
      JSON.stringify(
        {
          budgetKB: BUDGET_KB,
          totalGzipKB: Number(total.toFixed(2)),
          ok,
          chunks,
        },
        null,
        2,
      ),
    );
  } else {
    for (const c of chunks)
      console.log(`${c.gzipKB.toFixed(2).padStart(8)} kB gzip  ${c.kB.toFixed(2).padStart(9)} kB  ${c.file}`);
    console.log(
      `Initial JavaScript: ${total.toFixed(2)} kB gzip (budget ${BUDGET_KB} kB): ${ok ? 'within budget' : `MISSED, over by ${(total - BUDGET_KB).toFixed(2)} kB`}.`,
    );
  }
  if (!ok) process.exit(1);
}

main();
