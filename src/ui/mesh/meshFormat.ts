import type { MeshRequestResult, RequestBatch, ServiceMetrics } from '../../store/labStore';
import type { Bar } from './barChart';

// Turns the engine's request batches and metrics into the rows the Mesh view draws and tabulates.

export const percent = (part: number, whole: number): string =>
  whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '0.0%';

export const ms = (v: number): string => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;

const countBars = (
  counts: Readonly<Record<string, number>>,
  total: number,
  label = (k: string) => k,
): Bar[] =>
  Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([key, value]) => ({ key, label: label(key), value, text: `${value} (${percent(value, total)})` }));

/** One bar per subset (`(all)` when the route names none), largest first. */
export const subsetBars = (b: RequestBatch): Bar[] =>
  countBars(b.bySubset, b.count, (k) => (k === '(all)' ? 'no subset' : k));

/** One bar per backend pod that answered, largest first. */
export const backendBars = (b: RequestBatch): Bar[] =>
  countBars(b.byBackend, b.count, (k) => k.slice(k.indexOf('/') + 1));

/** One bar per HTTP status; `0` is a connection that got no response at all. */
export const statusBars = (b: RequestBatch): Bar[] =>
  countBars(b.byStatus, b.count, (k) => (k === '0' ? 'no response' : k)).map((bar) => ({
    ...bar,
    bad: !(Number(bar.key) >= 200 && Number(bar.key) < 400),
  }));

/**
 * Envoy's response flags, as its access log documents them
 * (https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#config-access-log-format-response-flags).
 */
export const ENVOY_FLAGS: Readonly<Record<string, string>> = {
  UF: 'upstream connection failure',
  UH: 'no healthy upstream hosts',
  UT: 'upstream request timeout',
  UR: 'upstream remote reset',
  NR: 'no route configured',
  NC: 'upstream cluster not found',
  FI: 'request aborted with a fault injected response code',
  DI: 'request delayed by fault injection',
};

export const flagText = (flag: string): string =>
  flag ? `${flag} (${ENVOY_FLAGS[flag] ?? 'Envoy response flag'})` : '';

/** Requests that took more than one try (the retry hops), then those that failed without a retry. */
export function retriedRequests(b: RequestBatch): readonly MeshRequestResult[] {
  const retried = b.requests.filter((r) => r.attempts.length > 1);
  const failed = b.requests.filter((r) => r.attempts.length <= 1 && !(r.status >= 200 && r.status < 400));
  return [...retried, ...failed];
}

/** Small charts over the Services' metrics: requests, success rate, p50 and p99 latency. */
export function metricBars(metrics: readonly ServiceMetrics[]): {
  readonly requests: Bar[];
  readonly success: Bar[];
  readonly latency: Bar[];
} {
  return {
    requests: metrics.map((m) => ({
      key: m.service,
      label: m.service,
      value: m.requests,
      text: String(m.requests),
    })),
    success: metrics.map((m) => ({
      key: m.service,
      label: m.service,
      value: m.successRate,
      text: percent(m.successes, m.requests),
      bad: m.successRate < 0.99,
    })),
    latency: metrics.flatMap((m) => [
      { key: `${m.service} p50`, label: `${m.service} p50`, value: m.p50Ms, text: ms(m.p50Ms) },
      { key: `${m.service} p99`, label: `${m.service} p99`, value: m.p99Ms, text: ms(m.p99Ms) },
    ]),
  };
}
