import { loadLabTools, type LabStore } from '../../store/labStore';
import type { CityMapController } from './cityMap';

// The `?debug` hook: with `?debug` in the page's URL, `window.__lab` holds the lab store and the
// map controller, for the UI benchmark (bench/ui.ts builds a 300-pod lab and drives 200 cars
// through it) and for poking at the lab from the browser console. Without the parameter nothing
// is exposed.

export interface LabDebug {
  readonly store: LabStore;
  /** Loads the lab's tools (YAML text, traffic), as the terminal or the editor does when opened. */
  readonly loadTools: () => Promise<void>;
  map: CityMapController | null;
}

declare global {
  interface Window {
    __lab?: LabDebug;
  }
}

export function debugEnabled(): boolean {
  return typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('debug');
}

export function exposeLabStore(store: LabStore): void {
  if (debugEnabled()) window.__lab = { store, loadTools: loadLabTools, map: window.__lab?.map ?? null };
}

export function exposeMap(map: CityMapController | null): void {
  if (typeof window !== 'undefined' && window.__lab) window.__lab.map = map;
}
