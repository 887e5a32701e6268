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
export {
  CNI_NAMES,
  cniPlugin,
  describePolicy,
  evaluate,
  policiesSelecting,
  reachabilityMatrix,
  EXTERNAL_CLIENT_IP,
} from '../engine';
export type { Hop, Protocol } from '../engine';
export type { ApplyResult, CniName, ConnectRequest, ConnectResult, EngineOptions };
export type DeleteResult = ReturnType<Engine['delete']>;

/** What the learner selected on the map, the list view or the event list. */
export interface Selection {
  /** `Pod`, `Service`, `Node`, `NetworkPolicy`, `External`. */
  readonly kind: string;
  /** `namespace/name`, or the node's name. */
  readonly ref: string;
}

/** Playback of the last traced connection: which hop the car is at, and whether it drives on. */
export interface TrafficPlayback {
  /** Index into `lastConnect.hops`. */
  readonly step: number;
  readonly playing: boolean;
  /** Hops per second. */
  readonly speed: number;
}

export const TRAFFIC_SPEEDS = [0.5, 1, 2, 4] as const;

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
  readonly selection: Selection | null;
  readonly playback: TrafficPlayback;

  apply(yaml: string): ApplyResult;
  deleteObject(kind: string, namespace: string | undefined, name: string): DeleteResult;
  connect(request: ConnectRequest): ConnectResult;
  setCni(name: CniName): void;
  select(selection: Selection | null): void;
  /** Moves the car to hop `step` (clamped to the trace), pausing at the last hop. */
  setStep(step: number): void;
  setPlaying(playing: boolean): void;
  setSpeed(speed: number): void;
}

export type LabStore = StoreApi<LabState>;

/**
 * The one way to make a lab store: a fresh engine, the lab's manifests applied to it, and actions
 * that call the engine and then take a new snapshot.
 */
export function createLabStore(engineOptions: EngineOptions = {}, lab: Lab = starterLab): LabStore {
  const engine = createEngine(engineOptions);
  const initialApply = lab.yaml.trim() === '' ? null : engine.apply(lab.yaml);

  return createStore<LabState>()((set, get) => ({
    labName: lab.name,
    engine,
    snapshot: engine.snapshot(),
    lastApply: initialApply,
    lastConnect: null,
    selection: null,
    playback: { step: 0, playing: false, speed: 1 },

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
      // A new trace starts at its first hop and drives on by itself.
      set({
        snapshot: engine.snapshot(),
        lastConnect: result,
        playback: { ...get().playback, step: 0, playing: result.hops.length > 1 },
      });
      return result;
    },

    setCni(name) {
      engine.setCni(name);
      set({ snapshot: engine.snapshot() });
    },

    select(selection) {
      const current = get().selection;
      if (current === selection) return;
      if (current && selection && current.kind === selection.kind && current.ref === selection.ref) return;
      set({ selection });
    },

    setStep(step) {
      const hops = get().lastConnect?.hops.length ?? 0;
      const last = Math.max(0, hops - 1);
      const clamped = Math.min(last, Math.max(0, Math.trunc(step)));
      const playback = get().playback;
      const playing = playback.playing && clamped < last;
      if (clamped === playback.step && playing === playback.playing) return;
      set({ playback: { ...playback, step: clamped, playing } });
    },

    setPlaying(playing) {
      const playback = get().playback;
      const hops = get().lastConnect?.hops.length ?? 0;
      // Playing from the end starts over, like a media player.
      const step = playing && playback.step >= hops - 1 ? 0 : playback.step;
      if (playing === playback.playing && step === playback.step) return;
      set({ playback: { ...playback, playing: playing && hops > 1, step } });
    },

    setSpeed(speed) {
      const playback = get().playback;
      if (!(speed > 0) || speed === playback.speed) return;
      set({ playback: { ...playback, speed } });
    },
  }));
}
