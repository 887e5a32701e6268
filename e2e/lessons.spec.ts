import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

// The guided lessons, walked as a learner walks them: from the lesson list, through predictions,
// tasks done in the terminal, to the quiz.

const panel = (page: Page) => page.getByTestId('lesson-panel');
const terminal = (page: Page) => page.getByTestId('terminal');

/** Picks a choice of the prediction (or quiz question) `scope` and commits to it. */
async function answer(scope: ReturnType<Page['getByTestId']>, choice: string | RegExp, button: string) {
  await scope.getByRole('radio', { name: choice }).check();
  await scope.getByRole('button', { name: button }).click();
}

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Types a command in the terminal and waits until its output contains `expected`. */
async function run(page: Page, line: string, expected: string | RegExp) {
  await page.keyboard.type('clear');
  await page.keyboard.press('Enter');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect(terminal(page).locator('.xterm-rows')).toContainText(expected);
}

test('lesson 1 from the list to its quiz: predictions hide the text until answered', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/');
  // A first visit opens on the lesson list.
  await expect(panel(page).getByRole('heading', { name: 'Lessons', level: 2 })).toBeVisible();
  const item = panel(page).locator('[data-lesson="01-components"]');
  await expect(item).toContainText('Not started');
  expect(await axeViolations(page)).toEqual([]);
  await item.getByRole('link', { name: /The basic components/ }).click();
  await expect(page).toHaveURL(/#\/lessons\/01-components\/1$/);

  await expect(panel(page).getByTestId('step-position')).toHaveText('Step 1 of 4');
  await expect(panel(page).getByTestId('step-text-hidden')).toBeVisible();
  await expect(panel(page).getByTestId('step-text')).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);
  const prediction = panel(page).getByTestId('prediction');
  await answer(prediction, /One or more containers that share one network identity/, 'Commit to this answer');
  await expect(prediction).toHaveAttribute('data-correct', 'true');
  await expect(prediction).toContainText('Right.');
  await expect(prediction).toContainText('smallest unit Kubernetes schedules');
  await expect(panel(page).getByTestId('step-text')).toContainText('pod');

  await panel(page).getByRole('button', { name: 'Next' }).click();
  await expect(page).toHaveURL(/#\/lessons\/01-components\/2$/);
  await expect(panel(page).getByTestId('step-title')).toHaveText('Build a house and a post office');
  await expect(panel(page).getByTestId('task-status')).toContainText('of 3 checks pass');
  // Hints come one at a time.
  await panel(page).getByRole('button', { name: 'Show a hint (1 of 3)' }).click();
  await expect(panel(page).getByRole('list', { name: 'Hints' }).getByRole('listitem')).toHaveCount(1);
  await expect(panel(page).getByRole('button', { name: 'Show another hint (2 of 3)' })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);

  await panel(page).getByRole('button', { name: 'Next' }).click();
  const second = panel(page).getByTestId('prediction');
  await answer(second, /They keep working/, 'Commit to this answer');
  await expect(second).toContainText('carries the same label');

  // Back and forward move between steps, answers kept.
  await page.goBack();
  await expect(panel(page).getByTestId('step-position')).toHaveText('Step 2 of 4');
  await page.goForward();
  await expect(panel(page).getByTestId('prediction')).toHaveAttribute('data-correct', 'true');

  await panel(page).getByRole('button', { name: 'Next: quiz' }).click();
  await expect(panel(page).getByTestId('step-position')).toHaveText('Step 4 of 4 — quiz');
  const questions = panel(page).getByTestId('quiz-question');
  await expect(questions).toHaveCount(3);
  await answer(questions.nth(0), 'A Service', 'Check my answer');
  await answer(questions.nth(1), 'It lists pod names in its spec', 'Check my answer');
  await answer(questions.nth(2), /On localhost/, 'Check my answer');
  await expect(questions.nth(0)).toHaveAttribute('data-correct', 'true');
  await expect(questions.nth(1)).toHaveAttribute('data-correct', 'false');
  await expect(questions.nth(1)).toContainText('The answer is: Its label selector matches pod labels');
  await expect(questions.nth(1)).toContainText('EndpointSlice controller');
  await expect(panel(page).getByTestId('quiz-score')).toContainText('You got 2 of 3 right.');
  expect(await axeViolations(page)).toEqual([]);

  await panel(page).getByRole('link', { name: 'All lessons' }).first().click();
  await expect(panel(page).locator('[data-lesson="01-components"]')).toContainText('In progress');
});

test('lesson 8, hands-on: typing the commands in the terminal turns every check green', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/#/lessons/08-hands-on/1');
  await answer(panel(page).getByTestId('prediction'), /The web Service's ClusterIP/, 'Commit to this answer');
  const status = panel(page).getByTestId('task-status');
  await expect(status).toContainText('0 of 3 checks pass (0%)');
  const checks = panel(page).getByTestId('task-check');
  await expect(checks).toHaveCount(3);

  await page.getByTestId('tab-terminal').click();
  await expect(terminal(page).locator('.xterm-rows')).toContainText('$');
  await terminal(page).click();
  await run(page, 'kubectl create deployment web --image=nginx', 'deployment.apps/web created');
  await expect(checks.nth(0)).toHaveAttribute('data-ok', 'true');
  await expect(status).toContainText('1 of 3 checks pass');
  await run(page, 'kubectl expose deployment web --port=80 --type=ClusterIP', 'service/web exposed');
  await run(page, 'kubectl get services', /web\s+ClusterIP/);
  await run(page, 'kubectl exec -it client -- curl web:80', 'Welcome to nginx!');
  await expect(status).toContainText('3 of 3 checks pass (100%)');
  for (const check of await checks.all()) await expect(check).toHaveAttribute('data-ok', 'true');
  await expect(panel(page).getByRole('heading', { name: 'Your task — done' })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);

  // A reload continues the lesson where it was, with the cluster as it was left.
  await page.reload();
  await expect(panel(page).getByTestId('prediction')).toHaveAttribute('data-correct', 'true');
  await expect(panel(page).getByTestId('task-status')).toContainText('3 of 3 checks pass (100%)');
});

test('lesson 11, myth buster: a wrong prediction shows the correction', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/#/lessons/11-myth-busters/1');
  const prediction = panel(page).getByTestId('prediction');
  await expect(prediction.getByRole('group', { name: /do pods have fixed IPs/ })).toBeVisible();
  await answer(prediction, 'Yes', 'Commit to this answer');
  await expect(prediction).toHaveAttribute('data-correct', 'false');
  await expect(prediction).toContainText('Not quite.');
  await expect(prediction).toContainText('The answer is: No');
  await expect(prediction).toContainText('is a new pod with a new IP');
  await expect(prediction).toBeFocused();
  expect(await axeViolations(page)).toEqual([]);
});

test('a reload mid-lesson continues at the same step with the same answers', async ({ page }) => {
  await page.goto('/#/lessons/01-components/1');
  await answer(panel(page).getByTestId('prediction'), 'Exactly one container', 'Commit to this answer');
  await panel(page).getByRole('button', { name: 'Next' }).click();
  await panel(page).getByRole('button', { name: 'Next' }).click();
  await expect(page).toHaveURL(/#\/lessons\/01-components\/3$/);

  await page.reload();
  await expect(panel(page).getByTestId('step-title')).toHaveText('Why the post office matters');
  await panel(page).getByRole('button', { name: 'Previous' }).click();
  await panel(page).getByRole('button', { name: 'Previous' }).click();
  const kept = panel(page).getByTestId('prediction');
  await expect(kept).toHaveAttribute('data-correct', 'false');
  await expect(kept).toContainText('You answered: Exactly one container');

  // Opening the page without a hash comes back to the lesson.
  await page.goto('/');
  await expect(page).toHaveURL(/#\/lessons\/01-components\/1$/);
  await expect(panel(page).getByTestId('step-title')).toHaveText('Houses and the people in them');
});

test('reset to the lesson start asks first, and leaving the lessons brings back your own lab', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.goto('/#/lessons/08-hands-on/1');
  await answer(panel(page).getByTestId('prediction'), /The web Service's ClusterIP/, 'Commit to this answer');
  await panel(page).getByRole('button', { name: 'Show the solution' }).click();
  await expect(panel(page).getByTestId('task-solution')).toContainText('kubectl create deployment web');
  await expect(panel(page).getByTestId('task-solution')).toContainText('kind: Deployment');
  await panel(page).getByRole('button', { name: 'Apply the solution' }).click();
  await expect(panel(page).getByTestId('task-status')).toContainText('3 of 3 checks pass (100%)');
  await expect(
    page.getByTestId('city-map').locator('[data-kind="Pod"][data-ref^="default/web-"]'),
  ).toHaveCount(1);

  await panel(page).getByRole('button', { name: 'Reset to the lesson’s start' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset to the lesson’s start?' });
  await expect(dialog).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(panel(page).getByTestId('task-status')).toContainText('3 of 3');

  await panel(page).getByRole('button', { name: 'Reset to the lesson’s start' }).click();
  await dialog.getByRole('button', { name: 'Reset the cluster' }).click();
  await expect(panel(page).getByTestId('task-status')).toContainText('0 of 3 checks pass');
  await expect(
    page.getByTestId('city-map').locator('[data-kind="Pod"][data-ref^="default/web-"]'),
  ).toHaveCount(0);

  // The list is free play: the starter lab (demo namespace) is back.
  await panel(page).getByRole('link', { name: 'All lessons' }).click();
  await expect(page.getByTestId('city-map').locator('[data-kind="Pod"][data-ref^="demo/web-"]')).toHaveCount(
    3,
  );
});

test('the quiz ends with a link to the next lesson', async ({ page }) => {
  await page.goto('/#/lessons/01-components/4');
  await expect(panel(page).getByTestId('step-position')).toHaveText('Step 4 of 4 — quiz');
  const next = panel(page).getByTestId('next-lesson');
  await expect(next).toHaveText('Next lesson: What Kubernetes networking is →');
  expect(await axeViolations(page)).toEqual([]);
  await next.click();
  await expect(page).toHaveURL(/#\/lessons\/02-networking-model\/1$/);
  await expect(panel(page).getByTestId('step-title')).toHaveText('One address per house, one flat city');
});

test('"Apply the solution" applies a lesson file that the solution names in kubectl apply -f', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.goto('/#/lessons/06-scale/3');
  await answer(panel(page).getByTestId('prediction'), /It grows linearly/, 'Commit to this answer');
  await expect(panel(page).getByTestId('task-status')).toContainText('0 of 2 checks pass');
  await panel(page).getByRole('button', { name: 'Show the solution' }).click();
  await expect(panel(page).getByTestId('task-solution')).toContainText('kubectl apply -f services.yaml');
  await panel(page).getByRole('button', { name: 'Apply the solution' }).click();
  await expect(panel(page).getByText('The solution was applied to the cluster.')).toBeVisible();
  await expect(panel(page).getByTestId('task-status')).toContainText('2 of 2 checks pass (100%)');
});

test('lesson 13, conntrack: curls typed in the terminal fill node-c’s table and the next connection is dropped', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/#/lessons/13-scale-failures/1');
  const status = panel(page).getByTestId('task-status');
  const next = () => panel(page).getByRole('button', { name: 'Next', exact: true }).click();
  const solve = async (checks: number) => {
    await panel(page).getByRole('button', { name: 'Show the solution' }).click();
    await panel(page).getByRole('button', { name: 'Apply the solution' }).click();
    await expect(status).toContainText(`${checks} of ${checks} checks pass (100%)`);
  };
  // The earlier tasks, the way a learner does them.
  await answer(
    panel(page).getByTestId('prediction'),
    /they are bound to their full nodes/,
    'Commit to this answer',
  );
  await solve(2);
  await next();
  await answer(panel(page).getByTestId('prediction'), /About 8,000/, 'Commit to this answer');
  await next();
  await answer(panel(page).getByTestId('prediction'), /The old ClusterIP/, 'Commit to this answer');
  await solve(3);
  await next();
  await solve(2);
  await next();
  await answer(panel(page).getByTestId('prediction'), /About 100 times as many/, 'Commit to this answer');
  await next();
  await expect(panel(page).getByTestId('step-title')).toHaveText('A full connection-tracking table');
  await answer(panel(page).getByTestId('prediction'), /The packet is dropped/, 'Commit to this answer');
  await expect(status).toContainText('0 of 2 checks pass (0%)');
  const checks = panel(page).getByTestId('task-check');
  await expect(checks.nth(0)).toContainText('0 of 24 entries');

  await page.getByTestId('tab-terminal').click();
  await expect(terminal(page).locator('.xterm-rows')).toContainText('$');
  await terminal(page).click();
  for (let i = 1; i <= 11; i++)
    await run(page, 'kubectl exec loadgen -- curl -s web:80', 'Welcome to nginx!');
  // Two entries a curl: the DNS query and the connection to web.
  await expect(checks.nth(0)).toContainText('22 of 24 entries');
  await expect(checks.nth(1)).toHaveAttribute('data-ok', 'false');
  await run(page, 'kubectl exec loadgen -- curl -s web:80', 'Welcome to nginx!');
  await expect(checks.nth(0)).toContainText('24 of 24 entries: full, new connections are dropped');
  for (const check of await checks.all()) await expect(check).toHaveAttribute('data-ok', 'true');
  await expect(status).toContainText('2 of 2 checks pass (100%)');

  // The Scale tab shows the same table.
  await page.getByRole('button', { name: 'Scale', exact: true }).click();
  const nodeC = page.getByTestId('scale-view').locator('[data-testid="conntrack-node"][data-node="node-c"]');
  await expect(nodeC.getByTestId('conntrack-fill')).toHaveAttribute('data-value', '24');
  await expect(nodeC.getByRole('meter')).toHaveAttribute('aria-valuetext', '24 of 24, full');
  expect(await axeViolations(page)).toEqual([]);

  // A reload replays the lab, curls included: the table is full again.
  await page.reload();
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await expect(status).toContainText('2 of 2 checks pass (100%)');
  await expect(checks.nth(0)).toContainText('24 of 24 entries: full');
  await panel(page)
    .getByTestId('lesson-task')
    .screenshot({ path: test.info().outputPath('lesson-13-conntrack-done.png') });
});
