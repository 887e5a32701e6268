// `npm run bench:ui`: how smoothly the city map draws a big lab with many packets in flight.
// Builds a lab of 300 pods, then drives 200 cars along traced connections on the map, in
// headless Chromium against `vite preview` of the build, and measures frame times with
// requestAnimationFrame. Target: p95 ≤ 16.7 ms (60 frames a second).
//
//   npm run bench:ui                  build if there is none, serve it, measure, print
//   npm run --silent bench:ui -- --json        one JSON object
//   options: --seconds=<n> (default 6), --cars=<n> (200), --url=<running preview> (reuse a server),
//            --motion=reduce (cars jump from hop to hop instead of driving)
//
// The page is opened with `?debug`, which exposes the lab store and the map controller on
// window.__lab (src/ui/map/labDebug.ts): the bench applies its lab through the store like the
// editor does and hands the cars to the map's `setFleet`. A missed target is reported, never
// turned into a failing exit code (like `npm run bench`).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { summarize } from './stats';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const JSON_MODE = process.argv.includes('--json');
const SECONDS = Number(arg('seconds') ?? 6);
const CARS = Number(arg('cars') ?? 200);
const PODS = 300;
const TARGET_P95_MS = 16.7;
const PORT = 4175;
const progress = (msg: string) => {
  if (!JSON_MODE) process.stderr.write(`… ${msg}\n`);
};

/** Ten Deployments of 30 replicas (300 pods) behind ten Services, in namespace `bench`. */
function benchLabYaml(): string {
  const docs = ['apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench'];
  for (let i = 0; i < 10; i++) {
    const name = `app-${i}`;
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: bench
spec:
  replicas: ${PODS / 10}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: server
          image: nginx
          ports:
            - containerPort: 80`);
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: bench
spec:
  selector:
    app: ${name}
  ports:
    - port: 80
      targetPort: 80`);
  }
  return docs.join('\n---\n');
}

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

async function startPreview(): Promise<{ url: string; server: ChildProcess | null }> {
  const given = arg('url');
  if (given) {
    if (!(await reachable(given))) throw new Error(`Nothing answers at ${given}.`);
    return { url: given, server: null };
  }
  if (!existsSync('dist/index.html')) {
    progress('building (npx vite build)');
    await new Promise<void>((ok, fail) =>
      spawn('npx', ['vite', 'build'], { stdio: 'ignore' }).on('exit', (code) =>
        code === 0 ? ok() : fail(new Error(`vite build exited with ${code}`)),
      ),
    );
  }
  const url = `http://127.0.0.1:${PORT}/`;
  progress(`serving the build on ${url}`);
  const server = spawn(
    'npx',
    ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  for (let i = 0; i < 100 && !(await reachable(url)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await reachable(url))) throw new Error(`vite preview did not start on ${url}.`);
  return { url, server };
}

async function main() {
  const { url, server } = await startPreview();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.emulateMedia({ reducedMotion: arg('motion') === 'reduce' ? 'reduce' : 'no-preference' });
    // tsx compiles this file keeping function names through a `__name` helper, which the functions
    // handed to page.evaluate then call inside the page: give the page a no-op one.
    await page.addInitScript('globalThis.__name = (fn) => fn;');
    await page.goto(`${url}?debug`);
    await page.waitForFunction(() => Boolean(window.__lab?.map));

    progress(`applying a lab of ${PODS} pods`);
    await page.evaluate(() => window.__lab!.loadTools());
    const lab = await page.evaluate((yaml) => {
      const store = window.__lab!.store;
      const result = store.getState().apply(yaml);
      const pods = store.getState().snapshot.pods.filter((p) => p.status?.podIP).length;
      return { errors: result.errors?.length ?? 0, pods };
    }, benchLabYaml());
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="city-map"] [data-kind="Pod"]').length >= n,
      PODS,
    );

    progress(`tracing ${CARS} connections and driving them on the map`);
    const setup = await page.evaluate((cars) => {
      const { store, map } = window.__lab!;
      const { engine, snapshot } = store.getState();
      const pods = snapshot.pods
        .filter((p) => p.metadata?.namespace === 'bench' && p.status?.podIP)
        .map((p) => `bench/${p.metadata?.name ?? ''}`);
      const traces = Array.from({ length: cars }, (_, i) => {
        const from = pods[(i * 7) % pods.length] ?? 'demo/client';
        return engine.connect({ from, to: `app-${i % 10}.bench`, port: 80, protocol: 'TCP' }).hops;
      });
      // Each car drives one hop every `hopMs`, the cars staggered so that some move every frame.
      const hopMs = 500;
      const started = performance.now();
      const scriptMs: number[] = [];
      (window as unknown as { __benchScriptMs: number[] }).__benchScriptMs = scriptMs;
      const drive = () => {
        const t0 = performance.now();
        const now = t0 - started;
        map?.setFleet(
          traces.map((hops, i) => {
            const hop = Math.floor((now + (i * hopMs) / cars) / hopMs);
            return { hops, step: hop % Math.max(1, hops.length), speed: 1000 / hopMs };
          }),
        );
        scriptMs.push(performance.now() - t0);
      };
      (window as unknown as { __benchDriver: number }).__benchDriver = window.setInterval(drive, 50);
      drive();
      return {
        hops: traces.reduce((n, t) => n + t.length, 0) / traces.length,
        elements: document.querySelectorAll('[data-testid="city-map"] svg *').length,
      };
    }, CARS);
    await page.waitForTimeout(1000);

    progress(`measuring frame times for ${SECONDS} s`);
    const frames = await page.evaluate(
      (seconds) =>
        new Promise<number[]>((resolve) => {
          const deltas: number[] = [];
          let last = 0;
          const end = performance.now() + seconds * 1000;
          const tick = (t: number) => {
            if (last) deltas.push(t - last);
            last = t;
            if (t < end) requestAnimationFrame(tick);
            else resolve(deltas);
          };
          requestAnimationFrame(tick);
        }),
      SECONDS,
    );
    const scriptMs = await page.evaluate(() =>
      (window as unknown as { __benchScriptMs: number[] }).__benchScriptMs.splice(0),
    );
    const script = summarize(scriptMs);
    const fleetDrawn = await page.locator('[data-testid="fleet-layer"]').count();
    const s = summarize(frames);
    const result = {
      pods: lab.pods,
      applyErrors: lab.errors,
      carsInFlight: fleetDrawn ? CARS : 0,
      meanHopsPerTrace: Number(setup.hops.toFixed(1)),
      svgElements: setup.elements,
      frames: frames.length,
      seconds: SECONDS,
      medianFrameMs: Number(s.median.toFixed(2)),
      p95FrameMs: Number(s.p95.toFixed(2)),
      maxFrameMs: Number(s.max.toFixed(2)),
      /** Frames that took longer than one and a half 60 Hz intervals: at least one frame missed. */
      longFrames: frames.filter((f) => f > 25).length,
      /** Script time of one map update (`setFleet`, every 50 ms). */
      updateMedianMs: Number(script.median.toFixed(2)),
      updateP95Ms: Number(script.p95.toFixed(2)),
      targetP95Ms: TARGET_P95_MS,
      met: s.p95 <= TARGET_P95_MS,
    };
    if (JSON_MODE) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(
        `City map, ${result.pods} pods (${result.svgElements} SVG elements), ${result.carsInFlight} cars in flight ` +
          `(${result.meanHopsPerTrace} hops a trace), ${result.frames} frames in ${SECONDS} s:`,
      );
      console.log(
        `  frame time median ${result.medianFrameMs} ms, p95 ${result.p95FrameMs} ms, max ${result.maxFrameMs} ms ` +
          `(target p95 ≤ ${TARGET_P95_MS} ms: ${result.met ? 'met' : 'MISSED'}); ${result.longFrames} frames over 25 ms`,
      );
      console.log(`  map update (script) median ${result.updateMedianMs} ms, p95 ${result.updateP95Ms} ms`);
    }
  } finally {
    await browser.close();
    if (server?.pid) process.kill(-server.pid);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
