// A lesson's starting lab as a lab record (src/store/labRecord.ts): the cluster its `cluster:` block
// describes, with cluster.yaml as the starting manifests and no operations yet. The browser loads
// this record when a learner enters a lesson for the first time or resets it, so the lab they see is
// the one the linter and the replay tests build (see startingEngine in lint.ts).
import type { EngineOptions } from '../engine';
import type { LessonBundle, LessonCluster } from './types';

/** A lab record (the store's LabRecord) with nothing done yet. */
export interface LessonStartRecord {
  readonly name: string;
  readonly settings: EngineOptions;
  readonly yaml: string;
  readonly ops: readonly never[];
}

/** The engine options a lesson's `cluster:` block stands for. */
export function lessonEngineOptions(cluster: LessonCluster): EngineOptions {
  const { cni, proxyMode, nodes, seed, nodeCidrMaskSize, conntrackMax } = cluster;
  return {
    cni,
    proxyMode,
    nodes: [...nodes],
    seed,
    ...(nodeCidrMaskSize !== undefined ? { nodeCidrMaskSize } : {}),
    ...(conntrackMax !== undefined ? { conntrackMax } : {}),
  };
}

/** The lab a lesson starts from: its cluster settings and cluster.yaml, nothing done yet. */
export function lessonRecord(bundle: LessonBundle): LessonStartRecord {
  return {
    name: bundle.lesson.title,
    settings: lessonEngineOptions(bundle.lesson.cluster),
    yaml: bundle.files['cluster.yaml'] ?? '',
    ops: [],
  };
}
