import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  ApplyResult,
  ClusterSnapshot,
  CniName,
  ConnectRequest,
  ConnectResult,
  Engine,
  EngineOptions,
  ProxyMode,
  RequestBatch,
  RequestsInput,
} from '../engine';
import type { KubectlOutput } from '../kubectl';
import {
  ADVANCE_LIMITS,
  CONNTRACK_MAX_LIMITS,
  isAdvanceSeconds,
  isConntrackMax,
  isRequestCount,
  kubectlChanges,
  labToolsLoaded,
  kubectlOp,
  loadLabTools,
  replayLab,
  needsLabTools,
  runKubectlLine,
  runOp,
  RECORD_LIMITS,
  REQUESTS_LIMITS,
  type LabOp,
  type LabRecord,
} from './labRecord';
import { starterLab, type Lab } from './starterLab';

// The UI talks to the store, not to the engine: what it needs of the engine's vocabulary passes here.
export {
  CNI_NAMES,
  PROXY_MODES,
  cniPlugin,
  describePolicy,
  policiesSelecting,
  EXTERNAL_CLIENT_IP,
} from '../engine';
export { CONNTRACK_MAX_LIMITS };
export { labToolsLoaded, loadLabTools, needsLabTools };
export { ISTIO_COST, sidecarOf } from '../engine';
export { REQUESTS_LIMITS };
export type {
  MeshCostReport,
  MeshName,
  MeshRequestResult,
  RequestAttempt,
  RequestBatch,
  RequestsInput,
  ServiceMetrics,
} from '../engine';
export type { Hop, Protocol } from '../engine';
export type { ApplyResult, CniName, ConnectRequest, ConnectResult, EngineOptions, ProxyMode };
export type { LabOp, LabRecord };
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
  /** How the cluster came to be: its start and every operation since (see labRecord.ts). */
  readonly record: LabRecord;
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
  /** The last batch `sendRequests` sent (the Mesh view's split, statuses and retries). */
  readonly lastRequests: RequestBatch | null;
  readonly selection: Selection | null;
  readonly playback: TrafficPlayback;

  apply(yaml: string): ApplyResult;
  deleteObject(kind: string, namespace: string | undefined, name: string): DeleteResult;
  connect(request: ConnectRequest): ConnectResult;
  /** Several connections in order (a burst), recorded and drawn in one store update. */
  connectAll(requests: readonly ConnectRequest[]): ConnectResult[];
  setCni(name: CniName): void;
  /**
   * Sends a batch of HTTP requests from a pod to a Service (engine.requests) and records it: the
   * batch draws on the seeded random source and feeds the sidecars' metrics, so a replayed lab
   * must send it again. A count outside REQUESTS_LIMITS is refused and changes nothing.
   */
  sendRequests(input: RequestsInput): RequestBatch | { error: string };
  setProxyMode(mode: ProxyMode): void;
  /**
   * Sets nf_conntrack_max on every node (`sysctl -w net.netfilter.nf_conntrack_max=<n>`); an
   * integer outside CONNTRACK_MAX_LIMITS is refused with the reason and changes nothing.
   */
  setConntrackMax(max: number): { ok: true } | { error: string };
  /** Lets `seconds` of the lab's virtual time pass (`sleep` in the terminal), and records it. */
  advance(seconds: number): { ok: true } | { error: string };
  /**
   * Runs a kubectl line typed in the terminal (`editorYaml` is what `apply -f editor.yaml` reads,
   * `files` the lesson files `-f NAME` may read), records it, and hands its last connection to the
   * map so a car drives for it. The lab's tools load on demand: callers await loadLabTools() first.
   */
  kubectl(line: string, editorYaml: string, files?: Readonly<Record<string, string>>): KubectlOutput;
  /**
   * Replaces the cluster with the one `record` describes (a lesson's start, a shared or saved lab).
   * A record that needs the lab's tools to replay is loaded once they have loaded (at once when they
   * already have); the latest call wins.
   */
  loadLab(record: LabRecord): void;
  /** Back to the lab's start: its settings and manifests, without the operations since. */
  resetLab(): void;
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
  return createLabStoreFrom({ name: lab.name, settings: engineOptions, yaml: lab.yaml, ops: [] });
}

/**
 * A lab store whose cluster is rebuilt from `record` (see labRecord.ts); a record that
 * needsLabTools() needs loadLabTools() to have resolved.
 */
export function createLabStoreFrom(record: LabRecord): LabStore {
  const initial = replayLab(record);
  /** Counts loadLab calls, so a record still waiting for the lab's tools does not replace a later one. */
  let loads = 0;

  return createStore<LabState>()((set, get) => {
    /** Records `ops` after they ran, and takes a new snapshot: one store update however many. */
    const recorded = (ops: LabOp | readonly LabOp[], extra: Partial<LabState> = {}) => {
      const { record: current, engine } = get();
      set({ ...extra, record: { ...current, ops: current.ops.concat(ops) }, snapshot: engine.snapshot() });
    };
    const fresh = (rec: LabRecord): Partial<LabState> => {
      const { engine, lastApply } = replayLab(rec);
      return {
        labName: rec.name,
        record: rec,
        engine,
        snapshot: engine.snapshot(),
        lastApply,
        lastConnect: null,
        lastRequests: null,
        selection: null,
        playback: { ...get().playback, step: 0, playing: false },
      };
    };

    return {
      labName: record.name,
      record,
      engine: initial.engine,
      snapshot: initial.engine.snapshot(),
      lastApply: initial.lastApply,
      lastConnect: null,
      lastRequests: null,
      selection: null,
      playback: { step: 0, playing: false, speed: 1 },

      apply(yaml) {
        const op: LabOp = { op: 'apply', yaml };
        const result = runOp(get().engine, op) as ApplyResult;
        recorded(op, { lastApply: result });
        return result;
      },

      deleteObject(kind, namespace, name) {
        const result = get().engine.delete(kind, namespace, name);
        recorded({ op: 'delete', kind, ...(namespace === undefined ? {} : { namespace }), name });
        return result;
      },

      connect(request) {
        return get().connectAll([request])[0] as ConnectResult;
      },

      connectAll(requests) {
        const engine = get().engine;
        const results = requests.map((request) => engine.connect(request));
        const last = results.at(-1);
        // The last trace starts at its first hop and drives on by itself.
        recorded(
          requests.map((request): LabOp => ({ op: 'connect', request })),
          last
            ? { lastConnect: last, playback: { ...get().playback, step: 0, playing: last.hops.length > 1 } }
            : {},
        );
        return results;
      },

      sendRequests(input) {
        if (!isRequestCount(input.count))
          return {
            error: `the count must be an integer from ${REQUESTS_LIMITS.min} to ${REQUESTS_LIMITS.max}`,
          };
        if (
          input.port !== undefined &&
          !(Number.isInteger(input.port) && input.port >= 1 && input.port <= 65535)
        )
          return { error: 'the port must be an integer from 1 to 65535' };
        // A lab is shared and restored by replaying it, so its requests stay within what a record may hold.
        const sent = get().record.ops.reduce((n, o) => n + (o.op === 'requests' ? o.input.count : 0), 0);
        if (sent + input.count > RECORD_LIMITS.maxRequests)
          return {
            error: `this lab has sent ${sent} requests; a lab holds at most ${RECORD_LIMITS.maxRequests} (reset the lab to send more)`,
          };
        const result = get().engine.requests(input);
        // Recorded even when it fails: resolving the name may still have filled CoreDNS's cache.
        recorded({ op: 'requests', input }, 'error' in result ? {} : { lastRequests: result });
        return result;
      },

      setCni(name) {
        runOp(get().engine, { op: 'setCni', cni: name });
        recorded({ op: 'setCni', cni: name });
      },

      setProxyMode(mode) {
        runOp(get().engine, { op: 'setProxyMode', proxyMode: mode });
        recorded({ op: 'setProxyMode', proxyMode: mode });
      },

      setConntrackMax(max) {
        if (!isConntrackMax(max))
          return {
            error: `nf_conntrack_max must be an integer from ${CONNTRACK_MAX_LIMITS.min} to ${CONNTRACK_MAX_LIMITS.max}`,
          };
        const op: LabOp = { op: 'setConntrackMax', conntrackMax: max };
        runOp(get().engine, op);
        recorded(op);
        return { ok: true };
      },

      advance(seconds) {
        if (!isAdvanceSeconds(seconds))
          return { error: `the lab's clock moves at most ${ADVANCE_LIMITS.maxSeconds} seconds at a time` };
        const op: LabOp = { op: 'advance', seconds };
        runOp(get().engine, op);
        recorded(op);
        return { ok: true };
      },

      kubectl(line, editorYaml, files = {}) {
        const out = runKubectlLine(get().engine, line, editorYaml, files);
        const last = out.connects.at(-1);
        const extra: Partial<LabState> = last
          ? { lastConnect: last, playback: { ...get().playback, step: 0, playing: last.hops.length > 1 } }
          : {};
        if (kubectlChanges(line)) recorded(kubectlOp(line, editorYaml, files), extra);
        else set({ ...extra, snapshot: get().engine.snapshot() });
        return out;
      },

      loadLab(rec) {
        const load = ++loads;
        if (!needsLabTools(rec) || labToolsLoaded()) {
          set(fresh(rec));
          return;
        }
        loadLabTools().then(
          () => {
            if (load === loads) set(fresh(rec));
          },
          // Without its tools the record cannot replay: the lab in use stays, and says why.
          () => {
            if (load === loads)
              set({
                lastApply: {
                  results: [],
                  errors: [
                    {
                      document: 0,
                      message: `“${rec.name}” could not be opened: the tools it replays with did not load. Check the connection and try again.`,
                    },
                  ],
                },
              });
          },
        );
      },

      resetLab() {
        loads++;
        set(fresh({ ...get().record, ops: [] }));
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
    };
  });
}
