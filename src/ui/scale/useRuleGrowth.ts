import { useEffect, useState } from 'react';
import { computePoint, SERVICE_COUNTS, type RuleGrowthMessage, type RuleGrowthPoint } from './ruleGrowthData';

export interface RuleGrowthState {
  readonly points: readonly RuleGrowthPoint[];
  readonly done: boolean;
  readonly error: string | null;
}

// The series does not depend on the lab, so it is computed once per page and shared.
let shared: RuleGrowthState = { points: [], done: false, error: null };
let started = false;
const listeners = new Set<(s: RuleGrowthState) => void>();

function publish(next: RuleGrowthState) {
  shared = next;
  for (const l of listeners) l(shared);
}

function start() {
  if (started) return;
  started = true;
  const onMessage = (m: RuleGrowthMessage) => {
    if ('point' in m) publish({ ...shared, points: [...shared.points, m.point] });
    else if ('done' in m) publish({ ...shared, done: true });
    else publish({ ...shared, done: true, error: m.error });
  };
  if (typeof Worker === 'function') {
    const worker = new Worker(new URL('./ruleGrowth.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<RuleGrowthMessage>) => {
      onMessage(e.data);
      if (!('point' in e.data)) worker.terminate();
    };
    worker.onerror = (e) => {
      onMessage({ error: `the rule-growth worker failed: ${e.message || 'unknown error'}` });
      worker.terminate();
    };
    worker.postMessage({ counts: [...SERVICE_COUNTS] });
    return;
  }
  // No workers (tests, old browsers): one point per task, so the page stays responsive between.
  const next = (i: number) => {
    const services = SERVICE_COUNTS[i];
    if (services === undefined) return onMessage({ done: true });
    try {
      onMessage({ point: computePoint(services) });
    } catch (e) {
      return onMessage({ error: e instanceof Error ? e.message : String(e) });
    }
    window.setTimeout(() => next(i + 1), 0);
  };
  window.setTimeout(() => next(0), 0);
}

/** The rule-growth series, filling in point by point as the engine builds each size. */
export function useRuleGrowth(): RuleGrowthState {
  const [state, setState] = useState(shared);
  useEffect(() => {
    listeners.add(setState);
    start();
    setState(shared);
    return () => {
      listeners.delete(setState);
    };
  }, []);
  return state;
}
