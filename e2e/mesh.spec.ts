import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

// The service mesh journey: a namespace with Istio sidecar injection, two versions of a web app
// behind one Service, a DestinationRule naming them as subsets and a VirtualService sending 90%
// to v1 and 10% to v2; then 1,000 requests from a meshed client, seen as a split chart.

const deployment = (version: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${version}
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web, version: ${version}}
  template:
    metadata:
      labels: {app: web, version: ${version}}
    spec:
      containers:
      - name: web
        image: nginx
`;

const MESH_LAB = [
  `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: enabled
`,
  deployment('v1'),
  deployment('v2'),
  `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
  - port: 80
`,
  `apiVersion: v1
kind: Pod
metadata:
  name: client
  namespace: shop
spec:
  containers:
  - name: curl
    image: curlimages/curl
    command: ['sleep', '3600']
`,
  `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: web
  namespace: shop
spec:
  host: web
  subsets:
  - name: v1
    labels: {version: v1}
  - name: v2
    labels: {version: v2}
`,
  `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
  namespace: shop
spec:
  hosts: [web]
  http:
  - route:
    - destination: {host: web, subset: v1}
      weight: 90
    - destination: {host: web, subset: v2}
      weight: 10
`,
].join('---\n');

async function applyInEditor(page: Page, yaml: string) {
  await page.getByTestId('tab-editor').click();
  await expect(page.getByTestId('apply')).toBeVisible({ timeout: 20_000 });
  await page.waitForFunction(() => window.labMonaco?.editor.getModels().length === 1);
  await page.evaluate((t) => window.labMonaco?.editor.getModels()[0]?.setValue(t), yaml);
  await page.getByTestId('apply').click();
}

const axeViolations = async (page: Page) =>
  (await new AxeBuilder({ page }).analyze()).violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/');
});

test('1,000 requests through a 90/10 VirtualService show a 90/10 split chart', async ({ page }) => {
  test.setTimeout(60_000);
  await applyInEditor(page, MESH_LAB);

  // Every pod in the namespace got a sidecar: the map draws a courier at each house's door.
  const map = page.getByTestId('city-map');
  await expect(map.locator('[data-kind="Pod"][data-ref^="shop/"]')).toHaveCount(5);
  await expect(map.locator('[data-kind="Sidecar"][data-ref^="shop/"]')).toHaveCount(5);
  await expect(map.locator('[data-kind="Sidecar"][data-ref="shop/client"] title')).toHaveText(
    /istio-proxy \(Envoy\)/,
  );

  await page.getByRole('button', { name: 'Mesh', exact: true }).click();
  const panel = page.getByTestId('mesh-panel');
  await panel.getByLabel('From pod').selectOption('shop/client');
  await panel.getByLabel('To Service').fill('web');
  await expect(panel.getByLabel('Number of requests')).toHaveValue('1000');
  await panel.getByTestId('send-requests').click();

  const batch = panel.getByTestId('mesh-batch');
  await expect(
    batch.getByRole('heading', { name: '1000 requests from shop/client to shop/web' }),
  ).toBeVisible();
  await expect(panel.getByTestId('mesh-summary')).toContainText('VirtualService shop/web');

  // The split per subset, as the chart draws it and as its table lists it.
  const subsets = panel.getByTestId('split-subsets');
  await expect(subsets.locator('svg .bar-row')).toHaveCount(2);
  const v1 = Number(await subsets.locator('tr[data-key="v1"]').getAttribute('data-value'));
  const v2 = Number(await subsets.locator('tr[data-key="v2"]').getAttribute('data-value'));
  expect(v1 + v2).toBe(1000);
  expect(v1).toBeGreaterThanOrEqual(850);
  expect(v1).toBeLessThanOrEqual(950);
  await expect(subsets.locator('tr[data-key="v1"] td')).toHaveText(`${v1} (${(v1 / 10).toFixed(1)}%)`);
  // The v1 bar is about nine times as long as the v2 bar.
  const widths = await subsets
    .locator('rect.bar')
    .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))));
  expect(widths[0]! / widths[1]!).toBeGreaterThan(5);

  // Four backend pods share the requests; every one answered 200.
  await expect(panel.getByTestId('split-backends').locator('tbody tr')).toHaveCount(4);
  await expect(panel.getByTestId('split-statuses').locator('tbody tr')).toHaveCount(1);
  await expect(panel.getByTestId('split-statuses').locator('tr[data-key="200"]')).toHaveAttribute(
    'data-value',
    '1000',
  );

  // The sidecars reported the batch, and their cost is shown beside it with its source.
  await expect(panel.getByTestId('metric-requests').locator('tr[data-key="shop/web"] td')).toHaveText('1000');
  const cost = panel.getByTestId('mesh-cost');
  await expect(cost).toContainText('5 Istio sidecars');
  await expect(cost.locator('[data-field="memory"]')).toHaveText('300 MB');
  await expect(cost.getByRole('link', { name: /Istio 1\.24/ })).toHaveAttribute(
    'href',
    'https://istio.io/latest/docs/ops/deployment/performance-and-scalability/',
  );

  expect(await axeViolations(page)).toEqual([]);
  await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'dark' });
  expect(await axeViolations(page)).toEqual([]);
});

test('a backend with nothing listening: Envoy retries it, and the retry hops are listed', async ({
  page,
}) => {
  test.setTimeout(60_000);
  // v2 runs busybox, which listens on nothing: a try that lands there is a connect failure (UF).
  await applyInEditor(
    page,
    MESH_LAB.replace(
      /name: web-v2([\s\S]*?)image: nginx/,
      "name: web-v2$1image: busybox\n        command: ['sleep', '3600']",
    ),
  );
  await expect(page.getByTestId('city-map').locator('[data-kind="Sidecar"][data-ref^="shop/"]')).toHaveCount(
    5,
  );
  await page.getByRole('button', { name: 'Mesh', exact: true }).click();
  const panel = page.getByTestId('mesh-panel');
  await panel.getByLabel('From pod').selectOption('shop/client');
  await panel.getByLabel('Number of requests').fill('200');
  await panel.getByTestId('send-requests').click();

  const retries = panel.getByTestId('mesh-retries');
  const first = retries.getByTestId('retried-request').first();
  await expect(first).toBeVisible();
  await expect(first.locator('.attempts li').first()).toContainText('503');
  await expect(first.locator('.attempts li').first()).toContainText('connection failure');
  await expect(first.locator('.attempts li').nth(1)).toContainText('retry 1');
  expect(await axeViolations(page)).toEqual([]);
});

test('STRICT mTLS: curl from a pod outside the mesh is reset, with the reason', async ({ page }) => {
  test.setTimeout(60_000);
  await applyInEditor(
    page,
    `${MESH_LAB}---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: strict
  namespace: shop
spec:
  mtls:
    mode: STRICT
`,
  );
  await expect(page.getByTestId('city-map').locator('[data-kind="Sidecar"][data-ref^="shop/"]')).toHaveCount(
    5,
  );
  const terminal = page.getByTestId('terminal');
  await page.getByTestId('tab-terminal').click();
  await expect(terminal.locator('.xterm-rows')).toContainText('$');
  await terminal.click();
  // demo/client (the starter lab's) has no sidecar: its plaintext request meets the STRICT sidecar.
  await page.keyboard.type('kubectl exec -n demo client -- wget -qO- web.shop');
  await page.keyboard.press('Enter');
  await expect(terminal.locator('.xterm-rows')).toContainText('Connection reset by peer');

  // Traced from the Mesh view: the trace ends at the server sidecar's inbound listener with the
  // reason, and the packet inspector shows the request as readable plaintext.
  await page.getByRole('button', { name: 'Mesh', exact: true }).click();
  const panel = page.getByTestId('mesh-panel');
  await panel.getByLabel('From pod').selectOption('demo/client');
  await panel.getByLabel('To Service').fill('web.shop');
  await panel.getByTestId('trace-request').click();
  await expect(panel.getByTestId('mesh-traced')).toContainText('not delivered');
  await expect(panel.getByTestId('mesh-traced')).toContainText('STRICT');
  await panel.getByRole('button', { name: 'Show its hops' }).click();
  const hops = page.getByTestId('hop');
  await hops.last().click();
  const inspector = page.getByTestId('packet-inspector');
  await expect(inspector).toContainText('Envoy resets it');
  const payload = inspector.getByTestId('payload');
  await expect(payload.locator('[data-field="tls"]')).toHaveText('Plaintext: readable on this leg');
  await expect(payload.locator('[data-field="payload"]')).toContainText('GET / HTTP/1.1');

  // From the meshed client the same request crosses the network encrypted between the sidecars.
  await page.getByRole('button', { name: 'Mesh', exact: true }).click();
  await panel.getByLabel('From pod').selectOption('shop/client');
  await panel.getByLabel('To Service').fill('web');
  await panel.getByTestId('trace-request').click();
  await expect(panel.getByTestId('mesh-traced')).toContainText('delivered to shop/web-');
  await panel.getByRole('button', { name: 'Show its hops' }).click();
  await page.getByTestId('hop').filter({ hasText: 'veth' }).first().click();
  await expect(payload.locator('[data-field="tls"]')).toHaveText('mTLS between sidecars: encrypted');
  await expect(payload.locator('[data-field="payload"]')).toContainText('TLS 1.3 application data');
  expect(await axeViolations(page)).toEqual([]);
});
