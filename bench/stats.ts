// Timing helpers for the benchmark: wall-clock samples from performance.now() (the bench is not
// engine code, so it may read a real clock), medians and 95th percentiles.
import { performance } from 'node:perf_hooks';

export interface Sample {
  readonly runs: number;
  readonly median: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(samples: readonly number[]): Sample {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => {
    // Nearest-rank percentile: the smallest sample with at least q of the samples at or below it.
    const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
    return s[i] ?? Number.NaN;
  };
  const mid = s.length >> 1;
  const median = s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  return { runs: s.length, median, p95: at(0.95), min: s[0] ?? Number.NaN, max: s.at(-1) ?? Number.NaN };
}

/** Milliseconds `fn` takes, once. */
export function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export interface MeasureOptions<S> {
  /** Untimed per-run preparation (a fresh engine, say); its result is passed to `run`. */
  readonly setup: () => S;
  /** The timed part; returns the milliseconds to record (usually its own `time(...)`). */
  readonly run: (state: S) => number;
  readonly warmup: number;
  readonly minRuns: number;
  readonly maxRuns: number;
  /** Stop adding runs past minRuns once this many milliseconds of timed work have been spent. */
  readonly budgetMs: number;
}

/**
 * Repeats a measurement: `warmup` discarded runs, then at least `minRuns` and at most `maxRuns`
 * recorded ones, stopping early (after minRuns) when the time budget is spent.
 */
export function measure<S>(o: MeasureOptions<S>): { sample: Sample; last: S } {
  let last: S | undefined;
  for (let i = 0; i < o.warmup; i++) {
    last = o.setup();
    o.run(last);
  }
  const samples: number[] = [];
  let spent = 0;
  while (samples.length < o.maxRuns && (samples.length < o.minRuns || spent < o.budgetMs)) {
    last = o.setup();
    const ms = o.run(last);
    samples.push(ms);
    spent += ms;
  }
  if (last === undefined) throw new Error('measure: no runs');
  return { sample: summarize(samples), last };
}

export const fmtMs = (ms: number): string =>
  !Number.isFinite(ms)
    ? '—'
    : ms >= 1000
      ? `${(ms / 1000).toFixed(2)} s`
      : ms >= 10
        ? `${ms.toFixed(0)} ms`
        : ms >= 1
          ? `${ms.toFixed(1)} ms`
          : `${ms.toFixed(3)} ms`;

/** Rounds for JSON: three significant decimals below 1 ms, otherwise 0.01 ms. */
export const round = (ms: number): number =>
  ms < 1 ? Math.round(ms * 10000) / 10000 : Math.round(ms * 100) / 100;
