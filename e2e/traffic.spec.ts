import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Side panel' }).getByRole('button', { name: 'Traffic' }).click();
});

test('client → web:80: step through the hops and see kube-proxy DNAT in the packet inspector', async ({
  page,
}) => {
  await page.getByLabel('From').selectOption('demo/client');
  await page.getByLabel('To', { exact: true }).fill('web');
  await page.getByLabel('Port', { exact: true }).first().fill('80');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('traffic-result')).toContainText('Delivered to demo/web-');
  await page.getByRole('button', { name: 'Pause' }).click();

  const hops = page.getByTestId('hop');
  const count = await hops.count();
  expect(count).toBeGreaterThan(4);
  await page.getByTestId('hop').first().click();
  await expect(page.getByText(`Hop 1 of ${count}`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Step back' })).toBeDisabled();
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(page.getByText(`Hop 2 of ${count}`)).toBeVisible();
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(page.getByText(`Hop 1 of ${count}`)).toBeVisible();

  // Step forward until the netfilter hop, where kube-proxy rewrites the ClusterIP.
  const inspector = page.getByTestId('packet-inspector');
  for (let i = 0; i < count && !(await inspector.getByTestId('rewrite').isVisible()); i++)
    await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(inspector.getByTestId('rewrite')).toContainText('DNAT');
  const rewrite = (await inspector.getByTestId('rewrite').textContent()) ?? '';
  const [, before, after] = /before (\S+) → after (\S+)/.exec(rewrite) ?? [];
  expect(before).toMatch(/^10\.(9[6-9]|1[01]\d)\.\d+\.\d+:80$/);
  expect(after).toMatch(/^10\.244\.\d+\.\d+:80$/);
  await expect(inspector.locator('[data-field="dst"]')).toHaveText(after ?? '');
  await expect(inspector).toContainText('KUBE-SVC-');

  // The car is on the map at the post office, and clicking an event selects it on the map.
  await expect(page.getByTestId('city-map').locator('[data-kind="Car"]')).toHaveCount(1);
  await expect(
    page.getByTestId('city-map').locator('[data-kind="Service"][data-ref="demo/web"]'),
  ).toHaveClass(/hop-current/);
  await hops.last().click();
  await expect(inspector).toContainText('accepts the connection');
  await expect(page.getByRole('region', { name: 'Inspector', exact: true })).toContainText('Pod demo/web-');
});

test('a connection to a closed port is dropped with its reason', async ({ page }) => {
  await page.getByLabel('To', { exact: true }).fill('web');
  await page.getByLabel('Port', { exact: true }).first().fill('81');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('traffic-result')).toContainText('Not delivered');
});

test('the matrix renders every pod pair with an explanation, and axe finds no violations', async ({
  page,
}) => {
  await page.getByRole('button', { name: 'Matrix' }).click();
  const matrix = page.getByTestId('matrix');
  await expect(matrix.locator('td.cell')).toHaveCount(49);
  const cell = matrix.locator('td[data-from="demo/client"][data-to^="demo/web-"]').first();
  await expect(cell).toHaveAttribute('data-allowed', 'true');
  await expect(cell).toHaveAttribute('title', /allowed/);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  expect((await download).suggestedFilename()).toBe('reachability-tcp-80.csv');
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
});

test('axe finds no violations with a trace and the packet inspector shown', async ({ page }) => {
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('packet-inspector')).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
});

test('a packet a NetworkPolicy blocks: the car stops at the drop hop with the reason', async ({ page }) => {
  test.setTimeout(60_000);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  // Apply a policy that isolates the web pods for ingress, through the YAML editor.
  await page.getByTestId('tab-editor').click();
  await expect(page.getByTestId('apply')).toBeVisible({ timeout: 20_000 });
  await page.waitForFunction(() => window.labMonaco?.editor.getModels().length === 1);
  await page.evaluate(
    (t) => window.labMonaco?.editor.getModels()[0]?.setValue(t),
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: demo
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
    - Ingress
`,
  );
  await page.getByTestId('apply').click();
  const map = page.getByTestId('city-map');
  await expect(map.locator('[data-kind="PolicyGate"][data-ref$="#ingress"]')).toHaveCount(3);

  // Send client → web:80 from the traffic panel and let the car drive to the end.
  await page.getByLabel('From').selectOption('demo/client');
  await page.getByLabel('To', { exact: true }).fill('web');
  await page.getByLabel('Port', { exact: true }).first().fill('80');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('traffic-result')).toContainText('Not delivered');
  const hops = page.getByTestId('hop');
  const count = await hops.count();
  await expect(page.getByText(`Hop ${count} of ${count}`)).toBeVisible({ timeout: 20_000 });

  // The last hop is the drop, and the car stands there with the drop marker and its reason.
  await expect(hops.last().locator('.hop-kind')).toHaveClass(/dropped/);
  const car = map.locator('[data-kind="Car"][data-ref="trace"]');
  await expect(car).toHaveAttribute('data-dropped', 'true');
  await expect(car).toHaveAttribute('data-step', String(count - 1));
  const marker = car.locator('[data-kind="DropMarker"]');
  await expect(marker).toHaveAttribute('data-reason', /isolated for ingress by default-deny-ingress/);
  await expect(marker).toBeVisible();
  await expect(marker).toContainText('Dropped:');
  // The car stopped at the web pod it was headed for: the highlighted house is a web pod.
  await expect(map.locator('[data-kind="Pod"].hop-current')).toHaveAttribute('data-ref', /^demo\/web-/);
  // No car drives on past the drop.
  await expect(page.getByRole('button', { name: 'Step forward' })).toBeDisabled();
});
