import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

// The YAML editor: a NetworkPolicy with a typo gets a schema marker and the API server's strict
// decoding error; fixed, the preview says which connections it blocks; applied, it blocks them, and
// the map shows where the packet was dropped.

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
  // The terminal loads when first opened; keys typed before its prompt are dropped.
  await expect(page.getByTestId('terminal').locator('.xterm-rows')).toContainText('$');
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
  // The whole journey: editor, preview, apply, three commands in the terminal, the map.
  test.setTimeout(90_000);
  await openEditor(page);
  await setText(page, policy('policyTypse'));
  await expect
    .poll(() => markers(page), { timeout: 15_000 })
    .toContainEqual({ line: 10, message: expect.stringContaining('policyTypse') });
  await expect
    .poll(() => markers(page), { timeout: 15_000 })
    .toContainEqual({
      line: 10,
      message:
        'Error from server (BadRequest): NetworkPolicy in version "v1" cannot be handled as a NetworkPolicy: strict decoding error: unknown field "spec.policyTypse"',
    });
  await expect(
    page.getByTestId('yaml-editor').locator('.squiggly-warning, .squiggly-error').first(),
  ).toBeVisible();

  await setText(page, policy('policyTypes'));
  await expect.poll(() => markers(page), { timeout: 15_000 }).toEqual([]);
  await expect(page.getByTestId('apply-preview')).toContainText(
    'networkpolicy.networking.k8s.io/default-deny-ingress would be created',
  );
  const connections = page.getByRole('list', { name: 'Connections that change' });
  await expect(connections).toContainText(
    /demo\/client → demo\/web-[a-z0-9-]+ TCP\/80: allowed → blocked \(default-deny-ingress\)/,
  );
  await expect(page.getByTestId('apply-preview')).toContainText('Apply never deletes');
  await new AxeBuilder({ page })
    .include('[data-testid="yaml-editor"] aside')
    .analyze()
    .then((r) => {
      expect(r.violations).toEqual([]);
    });
  await run(page, 'kubectl exec -n demo client -- wget -T 2 -qO- web', 'Welcome to nginx!');
  await page.getByTestId('tab-editor').click();
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-output')).toContainText(
    'networkpolicy.networking.k8s.io/default-deny-ingress created',
  );

  await run(page, 'kubectl get netpol -n demo', /default-deny-ingress\s+app=web/);
  // The client pod runs busybox, which has wget but no curl.
  await run(page, 'kubectl exec -n demo client -- wget -T 2 -qO- web', 'wget: download timed out');

  // nginx ships curl: one web pod to another, straight to its address (read off the map's plates).
  const map = page.getByTestId('city-map');
  const webHouses = map.locator('[data-kind="Pod"][data-ref^="demo/web-"]');
  await expect(webHouses).toHaveCount(3);
  const from = (await webHouses.nth(0).getAttribute('data-ref'))?.split('/')[1];
  const to = (await webHouses.nth(1).locator('[data-field="podIP"]').textContent())?.trim();
  expect(to, 'a second web pod with an IP').toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  await run(
    page,
    `kubectl exec -n demo ${from} -- curl --max-time 2 ${to}`,
    /curl: \(28\) Connection timed out after 20\d\d milliseconds/,
  );
  // The traffic panel plays the trace back; the car stops at the destination's ingress policy,
  // and the map says why.
  await page.getByRole('navigation', { name: 'Side panel' }).getByRole('button', { name: 'Traffic' }).click();
  await expect(map.locator('[data-kind="Car"][data-dropped="true"]')).toBeVisible({ timeout: 20_000 });
  await expect(map.locator('[data-kind="DropMarker"]')).toHaveAttribute(
    'data-reason',
    /default-deny-ingress/,
  );
  await expect(map.locator('[data-kind="DropMarker"]')).toHaveAttribute('data-reason', /^Dropped: /);
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
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  expect(await page.evaluate(() => window.labMonaco?.editor.getModels()[0]?.getValue())).toContain(
    'kind: Deployment',
  );
});
