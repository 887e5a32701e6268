import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Scale', exact: true }).click();
});

test('a small nf_conntrack_max fills with a burst, and the next connection is dropped', async ({ page }) => {
  const view = page.getByTestId('scale-view');
  await view.getByLabel('nf_conntrack_max', { exact: true }).fill('5');
  await view.getByRole('button', { name: 'Set on every node' }).click();
  const fills = view.getByTestId('conntrack-fill');
  await expect(fills).toHaveCount(3);
  for (const fill of await fills.all()) await expect(fill).toHaveAttribute('data-max', '5');

  await view.getByLabel('Burst from').selectOption('demo/client');
  await view.getByLabel('to', { exact: true }).fill('web');
  await view.getByLabel('port', { exact: true }).fill('80');
  await view.getByLabel('connections', { exact: true }).fill('8');
  await view.getByRole('button', { name: 'Open connections' }).click();

  await expect(view.getByTestId('burst-result')).toContainText(
    'Opened 8 connections: 5 delivered, 3 failed (last: nf_conntrack: table full, dropping packet)',
  );
  // The client's node holds the five answered connections: its table is full.
  const full = view.locator('[data-testid="conntrack-fill"].full');
  await expect(full).toHaveCount(1);
  await expect(full).toHaveAttribute('data-value', '5');
  await expect(full.getByRole('meter')).toHaveAttribute('aria-valuetext', '5 of 5, full');

  // The last connection's car stops at the conntrack hop with the kernel's message.
  await page.getByRole('button', { name: 'Traffic', exact: true }).click();
  await expect(page.getByTestId('traffic-result')).toContainText('nf_conntrack: table full, dropping packet');
  await page.getByTestId('hop').last().click();
  await expect(page.getByTestId('packet-inspector')).toContainText(
    'nf_conntrack: table full, dropping packet',
  );
  await expect(page.getByTestId('packet-inspector')).toContainText('Dropped here.');
});

test('a bad nf_conntrack_max is refused with the reason', async ({ page }) => {
  const view = page.getByTestId('scale-view');
  await view.getByLabel('nf_conntrack_max', { exact: true }).fill('0');
  await view.getByRole('button', { name: 'Set on every node' }).click();
  await expect(view.getByRole('alert')).toHaveText('nf_conntrack_max must be an integer from 1 to 10000000');
});

test('the rule-growth chart shows iptables growing linearly and IPVS flat, with its numbers', async ({
  page,
}) => {
  const growth = page.getByTestId('rule-growth');
  await expect(growth.getByTestId('rule-growth-status')).toHaveText('All 7 sizes computed.', {
    timeout: 25_000,
  });
  const table = growth.getByTestId('rule-growth-table');
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(7);
  const num = async (services: number, field: string) =>
    Number(
      (
        (await table
          .locator(`tbody tr[data-services="${services}"] [data-field="${field}"]`)
          .textContent()) ?? ''
      ).replace(/,/g, ''),
    );
  const read = async (services: number) => ({
    iptRules: await num(services, 'iptables-rules'),
    iptTraversed: await num(services, 'iptables-traversed'),
    ipvsRules: await num(services, 'ipvs-rules'),
    ipvsTraversed: await num(services, 'ipvs-traversed'),
  });
  const small = await read(10);
  const large = await read(10000);
  // iptables: a constant number of rules per Service, so 1000× the Services is ~1000× the rules.
  expect((large.iptRules - small.iptRules) / (10000 - 10)).toBeCloseTo(
    (small.iptRules - (await read(30)).iptRules) / (10 - 30),
    6,
  );
  expect(large.iptTraversed).toBeGreaterThan(10000);
  expect(large.ipvsRules).toBe(small.ipvsRules);
  expect(large.ipvsTraversed).toBe(small.ipvsTraversed);

  const chart = growth.getByTestId('rule-growth-chart');
  await expect(chart.locator('svg[role="img"]')).toHaveCount(1);
  await expect(chart.locator('[data-metric="rules"] .mode-iptables circle')).toHaveCount(7);
  await expect(
    chart.locator('[data-metric="rules"] .mode-iptables circle[data-services="10000"]'),
  ).toHaveAttribute('data-value', String(large.iptRules));
  await expect(
    chart.locator('[data-metric="traversed"] .mode-ipvs circle[data-services="10000"]'),
  ).toHaveAttribute('data-value', String(large.ipvsTraversed));
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no violations on the Scale view (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    const view = page.getByTestId('scale-view');
    await view.getByLabel('nf_conntrack_max', { exact: true }).fill('3');
    await view.getByRole('button', { name: 'Set on every node' }).click();
    await view.getByLabel('connections', { exact: true }).fill('4');
    await view.getByRole('button', { name: 'Open connections' }).click();
    await expect(view.locator('[data-testid="conntrack-fill"].full')).toHaveCount(1);
    await expect(page.getByTestId('rule-growth-status')).toHaveText('All 7 sizes computed.', {
      timeout: 25_000,
    });
    await page.setViewportSize({ width: 1280, height: 2200 });
    await view.screenshot({ path: test.info().outputPath(`scale-${colorScheme}.png`) });
    const results = await new AxeBuilder({ page }).include('[data-testid="scale-view"]').analyze();
    expect(
      results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });
}

test('IP exhaustion on a /28 lab: pods waiting for an IP are drawn apart, with the CNI event in the inspector', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  // Lesson 6 starts a lab whose nodes have /28 pod ranges (13 pods each).
  await page.goto('/#/lessons/06-scale/1');
  const map = page.getByTestId('city-map');
  await expect(map.locator('svg [data-kind="Pod"]').first()).toBeVisible();
  await expect(map.locator('.house.no-ip')).toHaveCount(0);

  await page.getByTestId('tab-terminal').click();
  const rows = page.getByTestId('terminal').locator('.xterm-rows');
  await expect(rows).toContainText('$');
  await page.getByTestId('terminal').click();
  await page.keyboard.type('kubectl scale deployment web --replicas=45');
  await page.keyboard.press('Enter');
  await expect(rows).toContainText('deployment.apps/web scaled');

  const waiting = map.locator('[data-kind="Pod"].no-ip');
  await expect(waiting.first()).toBeVisible();
  const count = await waiting.count();
  expect(count).toBeGreaterThan(0);
  const first = waiting.first();
  await expect(first.locator('[data-field="podIP"]')).toHaveText('⚠ waiting for an IP');
  await expect(first.locator('title')).toContainText('waiting for an IP');
  await expect(first.locator('title')).toContainText('FailedCreatePodSandBox: Failed to create pod sandbox');
  await expect(first.locator('title')).toContainText('no IP addresses available in range set: 10.244.');

  // Selected, the inspector lists the pod's events as kubectl describe does.
  await first.focus();
  await page.keyboard.press('Enter');
  const inspector = page.getByRole('region', { name: 'Inspector', exact: true });
  await expect(inspector).toContainText('waiting for an IP (ContainerCreating)');
  const events = inspector.getByTestId('inspector-events');
  await expect(events.locator('tr', { hasText: 'Scheduled' })).toContainText('default-scheduler');
  const warning = events.locator('tr', { hasText: 'FailedCreatePodSandBox' });
  await expect(warning).toContainText('Warning');
  await expect(warning).toContainText(
    'failed to allocate for range 0: no IP addresses available in range set',
  );

  // The list view says the same in words.
  await page.getByText('List view of the map').click();
  await expect(page.getByTestId('waiting-ip')).toHaveCount(count);
  await expect(page.getByTestId('waiting-ip').first()).toContainText(
    'waiting for an IP (Pending, ContainerCreating): FailedCreatePodSandBox:',
  );
  await map.screenshot({ path: test.info().outputPath('ip-exhaustion-map.png') });
  await inspector.screenshot({ path: test.info().outputPath('ip-exhaustion-inspector.png') });

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  }
});
