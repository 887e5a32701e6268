import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
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

for (const colorScheme of ['light', 'dark'] as const)
  test(`a Service's kube-proxy chains in the inspector, per node, iptables then IPVS; axe finds nothing (${colorScheme})`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await page.getByTestId('city-map').locator('[data-kind="Service"][data-ref="demo/web"]').click();
    const rules = page.getByTestId('service-rules');
    const text = rules.locator('pre');
    await expect(text).toContainText(/-A KUBE-SERVICES .*"demo\/web:http cluster IP" .*-j KUBE-SVC-/);
    await expect(text).toContainText('--probability 0.3333333333');
    await expect(text).toContainText(/-j DNAT --to-destination 10\.244\.\d+\.\d+:80/);
    await expect(text).not.toContainText('kube-dns');
    await rules.getByRole('combobox', { name: 'On node' }).selectOption('node-b');
    await expect(rules).toContainText('demo/web on node-b');
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
    await page.getByLabel('kube-proxy mode').selectOption('ipvs');
    await expect(rules).toContainText('ipvsadm -Ln');
    await expect(text).toContainText(/^TCP +10\.\d+\.\d+\.\d+:80 rr$/m);
    await expect(text).toContainText(/-> 10\.244\.\d+\.\d+:80 +Masq/);
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

test('the map downloads as a standalone SVG and as a PNG', async ({ page }) => {
  await expect(page.getByTestId('city-map').locator('svg [data-kind="Pod"]')).toHaveCount(7);
  const toolbar = page.getByRole('toolbar', { name: 'Map view' });

  // From the keyboard: focus the button and press Enter.
  const svgDownload = page.waitForEvent('download');
  await toolbar.getByRole('button', { name: 'Download SVG' }).focus();
  await page.keyboard.press('Enter');
  const svgFile = await svgDownload;
  expect(svgFile.suggestedFilename()).toBe('city-map.svg');
  const svg = readFileSync((await svgFile.path()) ?? '', 'utf8');
  expect(svg.startsWith('<svg')).toBe(true);
  // Colours are inlined (no stylesheet travels with the file), the whole city is in the view box,
  // and the live map's focus and selection hooks are gone.
  expect(svg).toMatch(/viewBox="0 0 \d+ \d+"/);
  expect(svg).toMatch(/class="house-roof"[^>]*style="[^"]*fill:rgb\(/);
  expect(svg).not.toContain('tabindex');
  expect(svg.match(/data-kind="Pod"/g)).toHaveLength(7);

  const pngDownload = page.waitForEvent('download');
  await toolbar.getByRole('button', { name: 'Download PNG' }).click();
  const pngFile = await pngDownload;
  expect(pngFile.suggestedFilename()).toBe('city-map.png');
  const png = readFileSync((await pngFile.path()) ?? '');
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // IHDR: the image is the city's size (times the device pixel ratio, 1 here), not an empty canvas.
  expect(png.readUInt32BE(16)).toBeGreaterThan(600);
  expect(png.readUInt32BE(20)).toBeGreaterThan(300);
});

test('without a mesh the packet inspector shows the HTTP request as readable text', async ({ page }) => {
  await page.getByRole('button', { name: 'Traffic', exact: true }).click();
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByTestId('traffic-result')).toContainText('Delivered to demo/web-');
  const inspector = page.getByTestId('packet-inspector');
  await page.getByTestId('hop').last().click();
  await expect(inspector.locator('[data-field="tls"]')).toHaveText('Plaintext: readable on this leg');
  await expect(inspector.locator('[data-field="payload"]')).toContainText('GET / HTTP/1.1');
  await expect(inspector.locator('[data-field="payload"]')).toContainText('Host: web');
  await inspector.screenshot({ path: test.info().outputPath('plaintext-payload.png') });
});

test('the legend explains the sidecar courier and the pods waiting for an IP', async ({ page }) => {
  await page.getByText('Legend').click();
  const legend = page.locator('details.legend');
  await expect(legend).toContainText('Courier at a house');
  await expect(legend).toContainText('sidecar proxy');
  await expect(legend).toContainText('waiting for an IP');
  await expect(legend).toContainText('Red cross');
});
