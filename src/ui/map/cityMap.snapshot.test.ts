// @vitest-environment jsdom
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLabStore, type CniName, type LabStore } from '../../store/labStore';
import { starterLab } from '../../store/starterLab';
import { createCityMap } from './cityMap';
import { buildCityModel } from './cityModel';

// Snapshot tests of the map's SVG, after Observable Plot's test/plot-snapshot.js: each case draws
// a lab from a fixed seed and compares the markup with a committed .svg file. On a mismatch the
// new render is written beside it as `<name>-changed.svg` (open both in a browser to compare) and
// the test fails. To accept a change: `UPDATE_SNAPSHOTS=1 npx vitest run src/ui/map`.
// Motion is off (reduced motion), so every render is final at once.

const SNAPSHOTS = join(dirname(fileURLToPath(import.meta.url)), '__snapshots__');
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';
const SVG_NS = 'http://www.w3.org/2000/svg';

const DENY_WEB_INGRESS = `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-allow-frontend
  namespace: demo
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              role: frontend
      ports:
        - port: 80
`;

function labStore(cni: CniName, extraYaml = ''): LabStore {
  return createLabStore({ seed: 7, cni }, { name: 'Snapshot lab', yaml: starterLab.yaml + extraYaml });
}

/** Draws the store's cluster (and its last trace, at `step`) the way CityMap.tsx does. */
function render(store: LabStore, step?: number): string {
  document.body.innerHTML = '';
  const svg = document.createElementNS(SVG_NS, 'svg');
  document.body.append(svg);
  const map = createCityMap({ domNode: svg, onSelect: () => {}, reducedMotion: () => true });
  const { snapshot, engine, lastConnect } = store.getState();
  map.update(buildCityModel(snapshot, engine));
  if (lastConnect && step !== undefined)
    map.setTraffic({ hops: lastConnect.hops, step: Math.min(step, lastConnect.hops.length - 1), speed: 1 });
  const out = serialise(svg);
  map.destroy();
  return out;
}

/** One element per line, indented, so a changed snapshot diffs readably. */
function serialise(root: Element): string {
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const lines: string[] = [];
  const walk = (el: Element, depth: number) => {
    const attrs = [...el.attributes]
      .map((a) => ` ${a.name}="${esc(a.value).replace(/"/g, '&quot;')}"`)
      .join('');
    const pad = '  '.repeat(depth);
    const children = [...el.children];
    if (!children.length) {
      const text = el.textContent ?? '';
      lines.push(
        text ? `${pad}<${el.tagName}${attrs}>${esc(text)}</${el.tagName}>` : `${pad}<${el.tagName}${attrs}/>`,
      );
      return;
    }
    lines.push(`${pad}<${el.tagName}${attrs}>`);
    for (const child of el.childNodes) {
      if (child.nodeType === 1) walk(child as Element, depth + 1);
      else if (child.nodeType === 3 && child.textContent?.trim())
        lines.push(`${pad}  ${esc(child.textContent)}`);
    }
    lines.push(`${pad}</${el.tagName}>`);
  };
  const clone = root.cloneNode(true) as Element;
  clone.setAttribute('xmlns', SVG_NS);
  walk(clone, 0);
  return `${lines.join('\n')}\n`;
}

function expectSnapshot(name: string, actual: string) {
  const file = join(SNAPSHOTS, `${name}.svg`);
  const changed = join(SNAPSHOTS, `${name}-changed.svg`);
  if (UPDATE) {
    mkdirSync(SNAPSHOTS, { recursive: true });
    writeFileSync(file, actual);
    rmSync(changed, { force: true });
    return;
  }
  if (!existsSync(file)) {
    mkdirSync(SNAPSHOTS, { recursive: true });
    writeFileSync(changed, actual);
    expect.fail(`No snapshot ${name}.svg; wrote ${name}-changed.svg. Accept it with UPDATE_SNAPSHOTS=1.`);
  }
  if (readFileSync(file, 'utf8') === actual) {
    rmSync(changed, { force: true });
    return;
  }
  writeFileSync(changed, actual);
  expect.fail(
    `${name}.svg differs from the render; see ${name}-changed.svg (UPDATE_SNAPSHOTS=1 accepts it).`,
  );
}

describe('city map snapshots (seed 7)', () => {
  it('the starter lab under Calico: routed roads with BGP route signs', () => {
    const svg = render(labStore('calico'));
    expect(svg).toContain('road road-routed');
    expectSnapshot('starter-calico', svg);
  });

  it('the starter lab under Flannel: tunnel roads, gates disabled warning', () => {
    const svg = render(labStore('flannel'));
    expect(svg).toContain('road road-tunnel');
    expect(svg).not.toContain('data-kind="RouteSign"');
    expectSnapshot('starter-flannel', svg);
  });

  it('a NetworkPolicy puts an ingress gate on every web house', () => {
    const svg = render(labStore('calico', DENY_WEB_INGRESS));
    expect(svg.match(/data-kind="PolicyGate" data-ref="demo\/web-[^"]*#ingress"/g)).toHaveLength(3);
    expectSnapshot('policy-gates', svg);
  });

  it('a packet the policy drops stops at the gate with its reason', () => {
    const store = labStore('calico', DENY_WEB_INGRESS);
    const result = store.getState().connect({ from: 'demo/client', to: 'web', port: 80, protocol: 'TCP' });
    expect(result.delivered).toBe(false);
    const drop = result.hops.findIndex((h) => h.dropped);
    expect(drop).toBeGreaterThan(0);
    const svg = render(store, drop);
    expect(svg).toContain('data-kind="DropMarker"');
    expect(svg).toContain('data-dropped="true"');
    expectSnapshot('policy-drop-trace', svg);
  });
});
