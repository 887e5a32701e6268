import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

// Independent IPv4 arithmetic, so the test checks the engine's addresses rather than its code.
const ipToInt = (ip: string) => ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
function cidrContains(cidr: string, ip: string): boolean {
  const [base = '', prefix = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(prefix));
  const start = Math.floor(ipToInt(base) / size) * size;
  return ipToInt(ip) >= start && ipToInt(ip) < start + size;
}

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/');
});

test('every house sits in its district with an address plate inside the node pod CIDR', async ({ page }) => {
  const map = page.getByTestId('city-map');
  await expect(map.locator('svg [data-kind="Pod"]')).toHaveCount(7);
  for (const district of await map.locator('[data-kind="Node"]').all()) {
    const cidr = ((await district.locator('[data-field="podCIDR"]').textContent()) ?? '').trim();
    const houses = await district.locator('[data-kind="Pod"]').all();
    expect(houses.length).toBeGreaterThan(0);
    for (const house of houses) {
      const ip = ((await house.locator('[data-field="podIP"]').textContent()) ?? '').trim();
      expect(cidrContains(cidr, ip), `${await house.getAttribute('data-ref')} ${ip} in ${cidr}`).toBe(true);
    }
  }
  // Post offices are connected to the houses behind their ready endpoints.
  await expect(map.locator('[data-kind="Delivery"][data-service="demo/web"]')).toHaveCount(3);
  // Calico draws routed roads with route signs.
  await expect(map.locator('[data-kind="Road"]')).toHaveCount(3);
  await expect(map.locator('[data-kind="RouteSign"]')).toHaveCount(3);
});

test('a house is selectable from the keyboard and the inspector shows the pod', async ({ page }) => {
  const house = page.getByTestId('city-map').locator('[data-kind="Pod"][data-ref="demo/client"]');
  await house.focus();
  await page.keyboard.press('Enter');
  const inspector = page.getByRole('region', { name: 'Inspector', exact: true });
  await expect(inspector).toContainText('Pod demo/client');
  await expect(inspector).toContainText('app=client');
  await expect(inspector).toContainText('busybox');

  await page.getByTestId('city-map').locator('[data-kind="Service"][data-ref="demo/web"]').click();
  await expect(inspector).toContainText('Service demo/web');
  await expect(inspector.locator('li')).toHaveCount(3);

  await page.getByTestId('city-map').locator('[data-kind="Node"][data-ref="node-a"] .district-sign').click();
  await expect(inspector).toContainText('proto bird');
});

test('switching to Flannel redraws the roads as tunnels', async ({ page }) => {
  await page.getByLabel('CNI plugin').selectOption('flannel');
  const map = page.getByTestId('city-map');
  await expect(map.locator('[data-kind="Road"].road-tunnel')).toHaveCount(3);
  await expect(map.locator('[data-kind="RouteSign"]')).toHaveCount(0);
  await expect(map.locator('[data-kind="Warning"]')).toContainText('does not enforce NetworkPolicy');
});

for (const colorScheme of ['light', 'dark'] as const)
  test(`axe finds no violations on the map with the list view open (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.getByText('List view of the map').click();
    await page.getByText('Legend').click();
    await expect(page.getByRole('list', { name: 'Services' })).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });
