import type { ConnectResult, LabStore } from './labStore';

/**
 * Takes a new snapshot after something changed the engine outside the store's own actions (a kubectl
 * command from the terminal), and hands the last connection it made to the map, the way
 * `connect` does, so a car drives for it.
 */
export function refresh(store: LabStore, connects: readonly ConnectResult[] = []): void {
  const { engine } = store.getState();
  const last = connects.at(-1);
  store.setState(last ? { snapshot: engine.snapshot(), lastConnect: last } : { snapshot: engine.snapshot() });
}
