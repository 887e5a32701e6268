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

const panel = (page: Page) => page.getByTestId('lesson-panel');

/** Commits to a choice of the step's prediction. */
async function predict(page: Page, choice: string | RegExp) {
  const prediction = panel(page).getByTestId('prediction');
  await prediction.getByRole('radio', { name: choice }).check();
  await prediction.getByRole('button', { name: 'Commit to this answer' }).click();
}

async function openEditor(page: Page) {
  await page.getByTestId('tab-editor').click();
  await expect(page.getByTestId('apply')).toBeVisible({ timeout: 20_000 });
  await page.waitForFunction(() => window.labMonaco?.editor.getModels().length === 1);
}

const editorText = (page: Page) =>
  page.evaluate(() => window.labMonaco?.editor.getModels()[0]?.getValue() ?? null);
const setEditorText = (page: Page, text: string) =>
  page.evaluate((t) => window.labMonaco?.editor.getModels()[0]?.setValue(t), text);

/** What this browser keeps of the learner's own work in lesson 8. */
const ownWork = (page: Page) =>
  page.evaluate(() => ({
    progress: localStorage.getItem('k8s-net-lab:lessons'),
    lab: localStorage.getItem('k8s-net-lab:lab:lesson:08-hands-on'),
    editor: localStorage.getItem('k8s-net-lab:editor-yaml:lesson:08-hands-on'),
  }));

test('a link made mid-lesson opens that lesson and step on the same cluster, beside the own lesson lab', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  // The sharer: lesson 8, a Deployment made in the terminal, a note in the editor, on step 2.
  const sharerContext = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const sharer = await sharerContext.newPage();
  await sharer.goto('/#/lessons/08-hands-on/1');
  await predict(sharer, /The web Service's ClusterIP/);
  await openTerminal(sharer);
  await run(
    sharer,
    'kubectl create deployment web --image=nginx --replicas=2',
    'deployment.apps/web created',
  );
  const theirPods = namesAndIPs(await run(sharer, 'kubectl get pods -o wide', /web-\S+\s+1\/1/));
  expect(theirPods.filter((l) => l.startsWith('web-'))).toHaveLength(2);
  await openEditor(sharer);
  await setEditorText(sharer, '# from the sharer\nkind: ConfigMap\n');
  await panel(sharer).getByRole('button', { name: 'Next' }).click();
  await expect(sharer).toHaveURL(/#\/lessons\/08-hands-on\/2$/);
  await sharer.getByTestId('share').click();
  await expect(sharer.getByTestId('share-status')).toContainText('Link copied');
  const link = await sharer.evaluate(() => navigator.clipboard.readText());

  // The learner already has their own work in lesson 8: another answer, another Deployment, notes.
  const learnerContext = await browser.newContext();
  const learner = await learnerContext.newPage();
  await learner.goto('/#/lessons/08-hands-on/1');
  await predict(learner, 'The IP of one of the web pods');
  await openTerminal(learner);
  await run(learner, 'kubectl create deployment mine --image=nginx', 'deployment.apps/mine created');
  const myPods = namesAndIPs(await run(learner, 'kubectl get pods -o wide', /mine-\S+\s+1\/1/));
  await openEditor(learner);
  await setEditorText(learner, '# my own notes\n');
  await expect.poll(() => ownWork(learner).then((w) => w.editor)).toBe('# my own notes\n');
  const before = await ownWork(learner);
  expect(before.lab).toContain('deployment mine');

  await learner.goto('about:blank');
  await learner.goto(link);
  await expect(learner).toHaveURL(/#\/lessons\/08-hands-on\/2$/);
  await expect(learner.getByTestId('shared-banner')).toContainText('You are looking at a shared lab');
  await expect(panel(learner).getByTestId('step-position')).toHaveText('Step 2 of 3');
  await openTerminal(learner);
  expect(namesAndIPs(await run(learner, 'kubectl get pods -o wide', /web-\S+\s+1\/1/))).toEqual(theirPods);
  await openEditor(learner);
  expect(await editorText(learner)).toBe('# from the sharer\nkind: ConfigMap\n');

  // Work on the shared lab stays with it: the task on step 1 checks the shared cluster, and the
  // answer given here is not the learner's own.
  await panel(learner).getByRole('button', { name: 'Previous' }).click();
  await predict(learner, /The web Service's ClusterIP/);
  await expect(panel(learner).getByTestId('task-status')).toContainText('1 of 3 checks pass');
  expect(await ownWork(learner)).toEqual(before);
  const axe = await new AxeBuilder({ page: learner }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await learner.screenshot({ path: 'test-results/share-lesson.png' });

  // Back to their own lab: lesson 8 at their step, their answer, their cluster and their notes.
  await learner.getByTestId('back-to-my-lab').click();
  await expect(learner.getByTestId('shared-banner')).toHaveCount(0);
  await expect(learner).toHaveURL(/#\/lessons\/08-hands-on\/1$/);
  await expect(panel(learner).getByTestId('prediction')).toContainText(
    'You answered: The IP of one of the web pods',
  );
  await expect(panel(learner).getByTestId('task-status')).toContainText('0 of 3 checks pass');
  await expect.poll(() => editorText(learner)).toBe('# my own notes\n');
  await openTerminal(learner);
  expect(namesAndIPs(await run(learner, 'kubectl get pods -o wide', /mine-\S+\s+1\/1/))).toEqual(myPods);
  expect(await ownWork(learner)).toEqual(before);
  await learnerContext.close();
  await sharerContext.close();
});

test('Reset lab asks first, then takes the free lab back to its start', async ({ page }) => {
  await page.goto('/');
  await openTerminal(page);
  await run(page, 'kubectl create deployment extra --image=nginx', 'deployment.apps/extra created');
  await page.getByTestId('reset-lab').click();
  const dialog = page.getByRole('dialog', { name: 'Reset the lab?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('the one change since then is undone');
  const axe = await new AxeBuilder({ page }).include('[data-testid="reset-lab-dialog"]').analyze();
  expect(axe.violations).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('reset-lab')).toBeFocused();
  await page.getByTestId('terminal').click();
  await run(page, 'kubectl get deployments', /extra\s+1\/1/);

  await page.getByTestId('reset-lab').click();
  await dialog.getByRole('button', { name: 'Reset the lab' }).click();
  await expect(dialog).toBeHidden();
  await page.getByTestId('terminal').click();
  await run(page, 'kubectl get deployments -A', /demo\s+web\s+\d\/\d/);
  await expect(rows(page)).not.toContainText('extra');
});
