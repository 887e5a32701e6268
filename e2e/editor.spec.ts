import { expect, test, type Page } from '@playwright/test';

// The YAML editor: a NetworkPolicy with a typo gets a schema marker; fixed and applied, it blocks
// the client pod's requests to the web pods.

const policy = (typeField: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: demo
spec:
  podSelector:
    matchLabels:
      app: web
  ${typeField}:
    - Ingress
`;

async function openEditor(page: Page) {
  await page.getByTestId('tab-editor').click();
  await expect(page.getByTestId('apply')).toBeVisible({ timeout: 20_000 });
  await page.waitForFunction(() => window.labMonaco?.editor.getModels().length === 1);
}

/** Sets the text through Monaco's API: typing would be auto-indented. */
async function setText(page: Page, text: string) {
  await page.evaluate((t) => window.labMonaco?.editor.getModels()[0]?.setValue(t), text);
}

const markers = (page: Page) =>
  page.evaluate(() =>
    (window.labMonaco?.editor.getModelMarkers({}) ?? []).map((m) => ({
      line: m.startLineNumber,
      message: m.message,
    })),
  );

async function run(page: Page, line: string, expected: string | RegExp) {
  await page.getByTestId('tab-terminal').click();
  await page.getByTestId('terminal').click();
  await page.keyboard.type('clear');
  await page.keyboard.press('Enter');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('terminal').locator('.xterm-rows')).toContainText(expected, {
    timeout: 10_000,
  });
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
});

test('a typo gets a schema marker; fixed and applied, the policy blocks the client', async ({ page }) => {
  await openEditor(page);
  await setText(page, policy('policyTypse'));
  await expect
    .poll(() => markers(page), { timeout: 15_000 })
    .toContainEqual({ line: 10, message: expect.stringContaining('policyTypse') });
  await expect(
    page.getByTestId('yaml-editor').locator('.squiggly-warning, .squiggly-error').first(),
  ).toBeVisible();

  await setText(page, policy('policyTypes'));
  await expect.poll(() => markers(page), { timeout: 15_000 }).toEqual([]);
  await expect(page.getByTestId('apply-preview')).toContainText(
    'networkpolicy.networking.k8s.io/default-deny-ingress would be created',
  );
  await run(page, 'kubectl exec -n demo client -- wget -T 2 -qO- web', 'Welcome to nginx!');
  await page.getByTestId('tab-editor').click();
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-output')).toContainText(
    'networkpolicy.networking.k8s.io/default-deny-ingress created',
  );

  await run(page, 'kubectl get netpol -n demo', /default-deny-ingress\s+app=web/);
  // The client pod runs busybox, which has wget but no curl.
  await run(page, 'kubectl exec -n demo client -- wget -T 2 -qO- web', 'wget: download timed out');
});

test('the API server rejects an invalid value, marked on its line in its own words', async ({ page }) => {
  await openEditor(page);
  await setText(page, policy('policyTypes').replace('- Ingress', '- Inbound'));
  await expect
    .poll(() => markers(page), { timeout: 15_000 })
    .toContainEqual({
      line: 11,
      message: expect.stringContaining('spec.policyTypes[0]: Unsupported value: "Inbound"'),
    });
});

test('Ctrl+Enter applies, and the content survives a reload', async ({ page }) => {
  await openEditor(page);
  await setText(page, policy('policyTypes'));
  await page.getByTestId('yaml-editor').locator('.monaco-editor textarea').focus();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('apply-output')).toContainText('default-deny-ingress created');

  await page.reload();
  await openEditor(page);
  expect(await page.evaluate(() => window.labMonaco?.editor.getModels()[0]?.getValue())).toBe(
    policy('policyTypes'),
  );
  await page.getByRole('button', { name: 'Reset' }).click();
  expect(await page.evaluate(() => window.labMonaco?.editor.getModels()[0]?.getValue())).toContain(
    'kind: Deployment',
  );
});
