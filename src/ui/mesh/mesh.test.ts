// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createLabStoreFrom, type LabRecord, type RequestBatch } from '../../store/labStore';
import { createCityMap } from '../map/cityMap';
import { buildCityModel } from '../map/cityModel';
import { createBarChart } from './barChart';
import { backendBars, flagText, metricBars, retriedRequests, statusBars, subsetBars } from './meshFormat';

const deployment = (version: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web-${version}, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web, version: ${version}}}
  template:
    metadata: {labels: {app: web, version: ${version}}}
    spec:
      containers:
      - name: web
        image: ${image}
${image === 'busybox' ? "        command: ['sleep', '3600']\n" : ''}`;

/** A meshed namespace, v1 and v2 behind one Service, a 90/10 VirtualService; v2 may listen on nothing. */
const meshLab = (v2Image: string): LabRecord => ({
  name: 'mesh view test',
  settings: { seed: 5 },
  yaml: [
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {istio-injection: enabled}}\n',
    deployment('v1', 'nginx'),
    deployment('v2', v2Image),
    'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
    "apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: shop}\nspec:\n  containers: [{name: curl, image: curlimages/curl, command: ['sleep', '3600']}]\n",
    'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: web, namespace: shop}\nspec:\n  host: web\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}\n',
    'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: web, namespace: shop}\nspec:\n  hosts: [web]\n  http:\n  - route:\n    - {destination: {host: web, subset: v1}, weight: 90}\n    - {destination: {host: web, subset: v2}, weight: 10}\n',
  ].join('---\n'),
  ops: [],
});

function batchOf(
  v2Image: string,
  count = 1000,
): { batch: RequestBatch; store: ReturnType<typeof createLabStoreFrom> } {
  const store = createLabStoreFrom(meshLab(v2Image));
  const batch = store.getState().sendRequests({ from: 'shop/client', to: 'web', count });
  if ('error' in batch) throw new Error(batch.error);
  return { batch, store };
}

describe('Mesh view rows', () => {
  it('the split per subset adds up to the batch, largest first, with shares of the whole', () => {
    const { batch } = batchOf('nginx');
    const bars = subsetBars(batch);
    expect(bars.map((b) => b.key)).toEqual(['v1', 'v2']);
    expect(bars.reduce((n, b) => n + b.value, 0)).toBe(1000);
    const v1 = bars[0]!;
    expect(v1.text).toBe(`${v1.value} (${(v1.value / 10).toFixed(1)}%)`);
    expect(v1.value).toBeGreaterThan(850);
    // Four pods answered, named without their namespace.
    expect(backendBars(batch)).toHaveLength(4);
    expect(backendBars(batch).every((b) => b.label.startsWith('web-v'))).toBe(true);
    expect(statusBars(batch)).toEqual([
      { key: '200', label: '200', value: 1000, text: '1000 (100.0%)', bad: false },
    ]);
    expect(retriedRequests(batch)).toEqual([]);
  });

  it('a backend with nothing listening: requests that were retried come first, with their attempts', () => {
    const { batch } = batchOf('busybox');
    const listed = retriedRequests(batch);
    expect(listed.length).toBeGreaterThan(0);
    const first = listed[0]!;
    expect(first.attempts.length).toBeGreaterThan(1);
    expect(first.attempts[0]?.status).toBe(503);
    expect(first.attempts[0]?.reason).toMatch(/connection failure/);
    // Every v2 request failed on its backend: a failed status is marked bad.
    expect(statusBars(batch).find((b) => b.key === '503')?.bad).toBe(true);
    expect(flagText('UF')).toBe('UF (upstream connection failure)');
    expect(flagText('')).toBe('');
  });

  it('per-Service metrics become requests, success rate and p50/p99 rows', () => {
    const { store } = batchOf('nginx', 200);
    const m = metricBars(store.getState().engine.meshMetrics());
    expect(m.requests).toEqual([{ key: 'shop/web', label: 'shop/web', value: 200, text: '200' }]);
    expect(m.success[0]).toMatchObject({ value: 1, text: '100.0%', bad: false });
    expect(m.latency.map((b) => b.key)).toEqual(['shop/web p50', 'shop/web p99']);
    expect(m.latency[1]!.value).toBeGreaterThanOrEqual(m.latency[0]!.value);
  });
});

describe('bar chart controller', () => {
  it('draws one labelled bar per row, widths in proportion, and updates in place', () => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    document.body.append(svg);
    const chart = createBarChart({ domNode: svg, title: 'Split by subset', reducedMotion: () => true });
    chart.update({
      bars: [
        { key: 'v1', label: 'v1', value: 900, text: '900 (90.0%)' },
        { key: 'v2', label: 'v2', value: 100, text: '100 (10.0%)' },
      ],
      max: 1000,
    });
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.querySelector('title')?.textContent).toBe('Split by subset');
    const rows = () => [...svg.querySelectorAll('g.bar-row')];
    expect(rows().map((r) => r.getAttribute('data-key'))).toEqual(['v1', 'v2']);
    expect(rows().map((r) => r.querySelector('text.bar-value')?.textContent)).toEqual([
      '900 (90.0%)',
      '100 (10.0%)',
    ]);
    const width = (i: number) => Number(rows()[i]?.querySelector('rect.bar')?.getAttribute('width'));
    expect(width(0) / width(1)).toBeCloseTo(9, 5);
    const first = rows()[0];
    chart.update({
      bars: [{ key: 'v1', label: 'v1', value: 1000, text: '1000 (100.0%)', bad: true }],
      max: 1000,
    });
    expect(rows()).toEqual([first]);
    expect(rows()[0]?.querySelector('rect.bar')?.classList.contains('bad')).toBe(true);
    chart.destroy();
    expect(svg.childNodes).toHaveLength(0);
  });

  it('shortens a long label from the middle, keeping the pod suffix', () => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    const chart = createBarChart({ domNode: svg, title: 't', reducedMotion: () => true, labelWidth: 120 });
    chart.update({ bars: [{ key: 'p', label: 'web-v1-7ff77f5778-c7kxz', value: 1, text: '1' }] });
    const label = svg.querySelector('text.bar-label')?.textContent ?? '';
    expect(label.length).toBeLessThanOrEqual(16);
    expect(label.endsWith('c7kxz')).toBe(true);
    expect(svg.querySelector('g.bar-row title')?.textContent).toBe('web-v1-7ff77f5778-c7kxz: 1');
  });
});

describe('city map: the sidecar as a courier at the door', () => {
  it('draws one courier per meshed pod, titled with its proxy, and none for pods outside the mesh', () => {
    const store = createLabStoreFrom({
      ...meshLab('nginx'),
      yaml: `${meshLab('nginx').yaml}---
apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: default}
spec:
  containers: [{name: app, image: nginx}]
`,
    });
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    document.body.append(svg);
    const map = createCityMap({ domNode: svg, onSelect: () => {}, reducedMotion: () => true });
    const { snapshot, engine } = store.getState();
    const model = buildCityModel(snapshot, engine);
    expect(model.houses.filter((h) => h.sidecar === 'istio').map((h) => h.namespace)).toEqual(
      Array(5).fill('shop'),
    );
    map.update(model);
    const couriers = [...svg.querySelectorAll('[data-kind="Sidecar"]')];
    expect(couriers.map((c) => c.getAttribute('data-ref')?.split('/')[0])).toEqual(Array(5).fill('shop'));
    const client = svg.querySelector('[data-kind="Sidecar"][data-ref="shop/client"]');
    expect(client?.closest('[data-kind="Pod"]')?.getAttribute('data-ref')).toBe('shop/client');
    expect(client?.querySelector('title')?.textContent).toMatch(
      /^Sidecar istio-proxy \(Envoy\) in shop\/client/,
    );
    expect(svg.querySelector('[data-kind="Pod"][data-ref="default/plain"] [data-kind="Sidecar"]')).toBeNull();
    map.destroy();
  });
});
