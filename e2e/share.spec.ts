import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';

// Share links and saved work, as a learner meets them: share a lab, open it in another browser,
// and open a broken link without losing what they had.

const rows = (page: Page) => page.getByTestId('terminal').locator('.xterm-rows');

async function openTerminal(page: Page) {
  await page.getByTestId('tab-terminal').click();
  await expect(rows(page)).toContainText('$');
  await page.getByTestId('terminal').click();
}

/** Clears the screen, types a command and waits until its output contains `expected`. */
async function run(page: Page, line: string, expected: string | RegExp): Promise<string> {
  await page.keyboard.type('clear');
  await page.keyboard.press('Enter');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect(rows(page)).toContainText(expected);
  return rows(page).innerText();
}

/** NAME and IP of every pod in `kubectl get pods -o wide` output. */
const namesAndIPs = (text: string) =>
  text
    .split('\n')
    .filter((l) => /^\S+\s+\d+\/\d+\s+\S+\s+\d+/.test(l.trim()))
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      return `${cols[0]} ${cols[5]}`;
    })
    .sort();

test('a shared link opens the same cluster in a fresh browser', async ({ browser }) => {
  const mineContext = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await mineContext.newPage();
  await page.goto('/');
  await openTerminal(page);
  await run(page, 'kubectl create deployment api --image=nginx --replicas=2', 'deployment.apps/api created');
  const mine = namesAndIPs(await run(page, 'kubectl get pods -o wide', /api-\S+\s+1\/1/));
  expect(mine.filter((l) => l.startsWith('api-'))).toHaveLength(2);

  // The clipboard is not granted to this page: the link shows in a field to copy by hand.
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-status')).toContainText('Link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#share=1\./);

  const other = await browser.newContext();
  const theirs = await other.newPage();
  await theirs.goto(link);
  await expect(theirs.getByTestId('shared-banner')).toContainText('You are looking at a shared lab');
  // The fragment is consumed: a reload keeps the shared lab from its slot.
  await expect.poll(() => theirs.evaluate(() => location.hash)).toBe('');
  await openTerminal(theirs);
  expect(namesAndIPs(await run(theirs, 'kubectl get pods -o wide', /api-\S+\s+1\/1/))).toEqual(mine);

  const axe = await new AxeBuilder({ page: theirs }).include('[data-testid="lab-notices"]').analyze();
  expect(axe.violations).toEqual([]);
  await theirs.screenshot({ path: 'test-results/share-opened.png' });

  // Back to their own lab: the starter lab, without the shared Deployment.
  await theirs.getByTestId('back-to-my-lab').click();
  await expect(theirs.getByTestId('shared-banner')).toHaveCount(0);
  await theirs.getByTestId('terminal').click();
  await run(theirs, 'kubectl get deployments -A', /demo\s+web\s+\d\/\d/);
  await expect(rows(theirs)).not.toContainText('api ');
  await other.close();
  await mineContext.close();
});

test('without clipboard access the link shows in a field to copy', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
    });
  });
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-status')).toContainText('did not allow copying');
  await expect(page.getByTestId('share-link')).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/#share=1\./);
  await expect(page.getByLabel('Share link')).toBeVisible();
  const axe = await new AxeBuilder({ page }).include('.share-controls').analyze();
  expect(axe.violations).toEqual([]);
});

test('a corrupted link shows a message and the previous lab is still there', async ({ page }) => {
  await page.goto('/');
  await openTerminal(page);
  await run(page, 'kubectl create deployment kept --image=nginx', 'deployment.apps/kept created');
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-status')).not.toBeEmpty();

  // A link cut short by a chat app, one made by a newer lab, an oversized one; pasted into the
  // address bar of the open lab (a same-document navigation) or opened afresh.
  const bad = ['#share=1.N4IgLghgzgpgTgYwJYlLQLlmUe', '#share=9.abc', `#share=1.${'A'.repeat(300_000)}`];
  for (const [i, fragment] of bad.entries()) {
    if (i === 0) await page.evaluate((f) => (location.hash = f), fragment);
    else await page.goto(`/${fragment}`);
    await expect(page.getByTestId('lab-error').first()).toContainText(/share link/);
    await expect(page.getByTestId('lab-error').first()).toContainText('Your own lab is unchanged');
    await expect(page.getByTestId('shared-banner')).toHaveCount(0);
  }
  await expect(page.getByTestId('lab-error').first()).toHaveAttribute('role', 'alert');
  await page.screenshot({ path: 'test-results/share-error.png' });
  await page
    .getByRole('button', { name: /^Dismiss/ })
    .first()
    .click();
  await expect(page.getByTestId('lab-error')).toHaveCount(0);

  await openTerminal(page);
  await run(page, 'kubectl get deployments', /kept\s+1\/1/);
});

test('hostile YAML in a link stays text', async ({ page }) => {
  const markup = '<img src=x onerror="window.__pwned=1">';
  const yaml = `apiVersion: v1
kind: Pod
metadata:
  name: note
  annotations: {note: '<script>window.__pwned=1</script>'}
spec: {containers: [{name: c, image: nginx}]}
`;
  const payload = { v: 1, lab: { name: markup, settings: { seed: 1 }, yaml, ops: [] } };
  await page.goto(`/#share=1.${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`);
  await expect(page.getByTestId('shared-banner')).toBeVisible();
  await expect(page.locator('.lab-name')).toHaveText(markup);
  await openTerminal(page);
  await run(page, 'kubectl get pods', /note\s+1\/1\s+Running/);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('img[src="x"], script:text("__pwned")').count()).toBe(0);
});
