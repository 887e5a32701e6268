import { expect, test, type Page } from '@playwright/test';

// The hands-on exercise of seed 001, typed into the terminal as a learner would.

const terminal = (page: Page) => page.getByTestId('terminal');
const screenText = (page: Page) => terminal(page).locator('.xterm-rows').innerText();

/** Clears the screen, types a command and waits until its output contains `expected`. */
async function run(page: Page, line: string, expected: string | RegExp): Promise<string> {
  await page.keyboard.type('clear');
  await page.keyboard.press('Enter');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect(terminal(page).locator('.xterm-rows')).toContainText(expected);
  return screenText(page);
}

function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  expect(parts, `${ip} is a dotted quad`).toHaveLength(4);
  return parts.reduce((acc, octet) => acc * 256 + octet, 0);
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('tab-terminal').click();
  await expect(terminal(page).locator('.xterm-rows')).toContainText('$');
  await terminal(page).click();
});

test('seed 001: create a deployment, expose it, and curl it by name from a pod', async ({ page }) => {
  await run(page, 'kubectl create deployment web --image=nginx', 'deployment.apps/web created');
  await run(page, 'kubectl expose deployment web --port=80 --type=ClusterIP', 'service/web exposed');

  const services = await run(page, 'kubectl get services', /web\s+ClusterIP/);
  const row = services.split('\n').find((l) => l.startsWith('web '));
  const [, type, clusterIP, , ports] = row?.trim().split(/\s+/) ?? [];
  expect(type).toBe('ClusterIP');
  expect(ports).toBe('80/TCP');
  // 10.96.0.0/12 is 10.96.0.0 – 10.111.255.255 (kubeadm's default service CIDR).
  const ip = ipToInt(clusterIP ?? '');
  expect(ip >= ipToInt('10.96.0.0') && ip <= ipToInt('10.111.255.255'), `${clusterIP} in 10.96.0.0/12`).toBe(
    true,
  );

  const pods = await run(page, 'kubectl get pods -l app=web -o name', 'pod/web-');
  const pod = /pod\/(web-[a-z0-9-]+)/.exec(pods)?.[1];
  expect(pod).toBeTruthy();

  await run(page, `kubectl exec -it ${pod} -- curl web:80`, 'Welcome to nginx!');
  // The car drives the trace to its end by itself, with the lessons (not the traffic panel) shown.
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  const car = page.getByTestId('city-map').locator('[data-kind="Car"][data-ref="trace"]');
  await expect(car).toHaveAttribute('data-hop-kind', 'deliver', { timeout: 15_000 });
});

test('kubectl errors read as kubectl words them', async ({ page }) => {
  await run(page, 'kubectl gett pods', 'error: unknown command "gett" for "kubectl"');
  await expect(terminal(page).locator('.xterm-rows')).toContainText('Did you mean this?');
  await run(page, 'kubectl get pods nope', 'Error from server (NotFound): pods "nope" not found');
});

test('history, line editing and tab completion', async ({ page }) => {
  await run(page, 'kubectl get ns', /demo\s+Active/);
  // Up recalls the last command; Home and typing edit it before running.
  await page.keyboard.type('clear');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(terminal(page).locator('.xterm-rows')).toContainText('$ kubectl get ns');
  await page.keyboard.press('Control+U');
  // Tab completes a verb, a resource type and an object name.
  await page.keyboard.type('kubectl descr');
  await page.keyboard.press('Tab');
  await page.keyboard.type('svc -n demo w');
  await page.keyboard.press('Tab');
  await expect(terminal(page).locator('.xterm-rows')).toContainText('$ kubectl describe svc -n demo web');
  await page.keyboard.press('Enter');
  await expect(terminal(page).locator('.xterm-rows')).toContainText(/Name:\s+web/);
});

test('sleep lets the lab’s clock run: a recreated Service’s new address reaches clients once the DNS cache expires', async ({
  page,
}) => {
  const addressOf = (screen: string) =>
    /Address(?: 1)?:\s+(10\.\d+\.\d+\.\d+)/.exec(screen.split('Name:')[1] ?? '')?.[1];
  const lookup = 'kubectl exec -n demo client -- nslookup web.demo.svc.cluster.local';
  const before = addressOf(await run(page, lookup, /Name:\s+web\.demo/));
  expect(before).toBeTruthy();
  await run(page, 'kubectl delete service web -n demo', 'service "web" deleted');
  await run(page, 'kubectl expose deployment web -n demo --port=80', 'service/web exposed');
  const fresh = /web\s+ClusterIP\s+(\S+)/.exec(
    await run(page, 'kubectl get svc web -n demo', /web\s+ClusterIP/),
  )?.[1];
  expect(fresh).toMatch(/^10\.\d+\.\d+\.\d+$/);
  expect(fresh).not.toBe(before);
  // CoreDNS's cache (kubeadm's `cache 30`) still answers with the address it saw.
  expect(addressOf(await run(page, lookup, /Name:\s+web\.demo/))).toBe(before);
  await run(page, 'sleep 30', '$');
  expect(addressOf(await run(page, lookup, /Name:\s+web\.demo/))).toBe(fresh);
});
