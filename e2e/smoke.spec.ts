import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator } from '@playwright/test';

// Independent IPv4 arithmetic (deliberately not the engine's), so the test checks the engine's
// addresses rather than repeating its code.
function ipToInt(ip: string): number {
  const parts = ip.split('.');
  expect(parts, `${ip} is a dotted quad`).toHaveLength(4);
  return parts.reduce((acc, part) => {
    const octet = Number(part);
    expect(Number.isInteger(octet) && octet >= 0 && octet <= 255, `${ip} has valid octets`).toBe(true);
    return acc * 256 + octet;
  }, 0);
}

function cidrContains(cidr: string, ip: string): boolean {
  const [base, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  expect(
    base !== undefined && Number.isInteger(prefix) && prefix >= 0 && prefix <= 32,
    `${cidr} is a CIDR`,
  ).toBe(true);
  const size = 2 ** (32 - prefix);
  const start = Math.floor(ipToInt(base ?? '') / size) * size;
  const addr = ipToInt(ip);
  return addr >= start && addr < start + size;
}

// textContent, not innerText: the map's fields are SVG text, which has no innerText.
const field = async (scope: Locator, name: string) =>
  ((await scope.locator(`[data-field="${name}"]`).textContent()) ?? '').trim();

test.beforeEach(async ({ page }) => {
  await page.goto('/');
});

test('the starter lab shows three nodes, each with an InternalIP and a pod CIDR', async ({ page }) => {
  await expect(page.getByRole('heading', { level: 1, name: 'Kubernetes Networking Lab' })).toBeVisible();
  const nodes = page.getByTestId('city-map').locator('[data-kind="Node"]');
  await expect(nodes).toHaveCount(3);
  for (const node of await nodes.all()) {
    const ip = await field(node, 'internalIP');
    ipToInt(ip);
    const podCIDR = await field(node, 'podCIDR');
    expect(podCIDR).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    expect(cidrContains(podCIDR, ip), `node IP ${ip} is not a pod address`).toBe(false);
  }
});

test("the three web pods have IPs inside their node's pod CIDR", async ({ page }) => {
  const map = page.getByTestId('city-map');
  await expect(map.locator('[data-kind="Pod"][data-ref^="demo/web-"]')).toHaveCount(3);

  let seen = 0;
  const ips = new Set<string>();
  for (const node of await map.locator('[data-kind="Node"]').all()) {
    const podCIDR = await field(node, 'podCIDR');
    for (const pod of await node.locator('[data-kind="Pod"][data-ref^="demo/web-"]').all()) {
      const ip = await field(pod, 'podIP');
      expect(cidrContains(podCIDR, ip), `${await pod.getAttribute('data-ref')} ${ip} in ${podCIDR}`).toBe(
        true,
      );
      ips.add(ip);
      seen += 1;
    }
  }
  expect(seen).toBe(3);
  expect(ips.size, 'every pod has its own IP').toBe(3);
  await expect(map.locator('[data-kind="Pod"][data-ref="demo/client"]')).toHaveCount(1);
});

test('the web Service has a ClusterIP in the service CIDR 10.96.0.0/12', async ({ page }) => {
  const service = page.getByTestId('city-map').locator('[data-kind="Service"][data-ref="demo/web"]');
  await expect(service).toHaveCount(1);
  const clusterIP = await field(service, 'clusterIP');
  expect(cidrContains('10.96.0.0/12', clusterIP), `${clusterIP} in 10.96.0.0/12`).toBe(true);
  await expect(service).toContainText('80/TCP');
});

test('switching the CNI to Flannel shows that it does not enforce NetworkPolicy', async ({ page }) => {
  await page.getByLabel('CNI plugin').selectOption('flannel');
  await expect(page.getByRole('note')).toContainText('Flannel does not enforce NetworkPolicy');
  await expect(page.getByTestId('city-map').locator('[data-kind="Node"]')).toHaveCount(3);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
});

test("kube-proxy's mode switches from the header and is kept after a reload", async ({ page }) => {
  const mode = page.getByLabel('kube-proxy mode');
  await expect(mode).toHaveValue('iptables');
  await mode.selectOption('ipvs');
  await expect(mode).toHaveValue('ipvs');
  await page.reload();
  await expect(page.getByLabel('kube-proxy mode')).toHaveValue('ipvs');
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no accessibility violations (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await expect(page.getByTestId('city-map').locator('[data-kind="Pod"]').first()).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });
}
