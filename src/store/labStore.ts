import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  createEngine,
  type ApplyResult,
  type ClusterSnapshot,
  type CniName,
  type ConnectRequest,
  type ConnectResult,
  type Engine,
  type EngineOptions,
} from '../engine';
import { starterLab, type Lab } from './starterLab';

// The UI talks to the store, not to the engine: what it needs of the engine's vocabulary passes here.
export { CNI_NAMES } from '../engine';
export type { ApplyResult, CniName, ConnectRequest, ConnectResult, EngineOptions };
export type DeleteResult = ReturnType<Engine['delete']>;

export interface LabState {
  readonly labName: string;
  /** The simulated cluster. Actions below are the only way the UI changes it. */
  readonly engine: Engine;
  /**
   * The engine's immutable snapshot, refreshed after every action. The engine hands back the same
   * object while nothing changed, so selectors and components re-render only on real change.
   */
  readonly snapshot: ClusterSnapshot;
  /** The outcome of the last apply (the starter lab's, at first), for showing its errors. */
  readonly lastApply: ApplyResult | null;
  readonly lastConnect: ConnectResult | null;

  apply(yaml: string): ApplyResult;
  deleteObject(kind: string, namespace: string | undefined, name: string): DeleteResult;
  connect(request: ConnectRequest): ConnectResult;
  setCni(name: CniName): void;
}

export type LabStore = StoreApi<LabState>;

/**
 * The one way to make a lab store: a fresh engine, the lab's manifests applied to it, and actions
 * that call the engine and then take a new snapshot.
 */
export function createLabStore(engineOptions: EngineOptions = {}, lab: Lab = starterLab): LabStore {
  const engine = createEngine(engineOptions);
  const initialApply = lab.yaml.trim() === '' ? null : engine.apply(lab.yaml);

  return createStore<LabState>()((set) => ({
    labName: lab.name,
    engine,
    snapshot: engine.snapshot(),
    lastApply: initialApply,
    lastConnect: null,

    apply(yaml) {
      const result = engine.apply(yaml);
      set({ snapshot: engine.snapshot(), lastApply: result });
      return result;
    },

    deleteObject(kind, namespace, name) {
      const result = engine.delete(kind, namespace, name);
      set({ snapshot: engine.snapshot() });
      return result;
    },

    connect(request) {
      const result = engine.connect(request);
      set({ snapshot: engine.snapshot(), lastConnect: result });
      return result;
    },

    setCni(name) {
      engine.setCni(name);
      set({ snapshot: engine.snapshot() });
    },
  }));
}
