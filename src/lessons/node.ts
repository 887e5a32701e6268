// Reading lesson folders from disk, for the linter script and the tests (the browser bundles the
// same files with import.meta.glob instead).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function walk(dir: string, root: string, out: Record<string, string>): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, root, out);
    else if (/\.(ya?ml|md)$/.test(name))
      out[relative(root, p).split('\\').join('/')] = readFileSync(p, 'utf8');
  }
}

/** Every lesson folder under `root` (folders whose name starts with two digits), with its files. */
export function readLessonFolders(root: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const name of readdirSync(root).sort()) {
    const p = join(root, name);
    if (!/^\d{2}-/.test(name) || !statSync(p).isDirectory()) continue;
    const files: Record<string, string> = {};
    walk(p, p, files);
    out[name] = files;
  }
  return out;
}
