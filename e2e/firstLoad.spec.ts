import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';

// The first screen's JavaScript as the browser fetches it: everything a first visit loads before
// the learner opens anything (the map, the lesson list it opens on, the side panel), gzip-compressed
// as `vite build` reports it. The budget is 150 kB; scripts/check-bundle.ts checks the same
// budget on the build's static graph.
const BUDGET_KB = 150;
const dist = process.env.E2E_DIST ?? 'dist';

/** Records the path of every script the page fetches, from now on. */
function recordScripts(page: Page): Set<string> {
  const scripts = new Set<string>();
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('.js')) scripts.add(path);
  });
  return scripts;
}

const gzipKB = (paths: Iterable<string>) =>
  [...paths].reduce((sum, p) => sum + gzipSync(readFileSync(join(dist, p)), { level: 9 }).length / 1000, 0);

test('a first visit draws the cluster with at most 150 kB of JavaScript; the terminal loads when opened', async ({
  page,
}) => {
  const scripts = recordScripts(page);
  await page.goto('/');
  await expect(page.getByTestId('city-map').locator('[data-kind="Pod"]').first()).toBeVisible();
  await expect(page.getByTestId('lesson-panel')).toContainText('The basic components');
  await page.waitForLoadState('networkidle');
  // Idle time in which nothing more may load on its own.
  await page.waitForTimeout(1500);
  const first = [...scripts];
  const kB = gzipKB(first);
  test.info().annotations.push({
    type: 'first-load',
    description: `${kB.toFixed(1)} kB gzip, ${first.length} scripts`,
  });
  expect(kB, `first-visit JavaScript: ${first.join(', ')}`).toBeLessThanOrEqual(BUDGET_KB);
  // Nothing of the lab's tools (kubectl, the YAML reader, the data plane) or of the terminal yet.
  expect(first.some((p) => /\/(kubectl|parts|yaml|KubectlTerminal)-/.test(p))).toBe(false);

  // Starting the terminal loads it with the lab's tools and gives it the focus; kubectl answers.
  await expect(page.getByTestId('start-terminal')).toBeVisible();
  await page.getByTestId('start-terminal').click();
  const rows = page.getByTestId('terminal').locator('.xterm-rows');
  await expect(rows).toContainText('$');
  await page.keyboard.type('kubectl get pods -n demo');
  await page.keyboard.press('Enter');
  await expect(rows).toContainText(/web-[a-z0-9]+-[a-z0-9]+ +1\/1 +Running/);
  expect([...scripts].some((p) => /\/kubectl-/.test(p))).toBe(true);
});
