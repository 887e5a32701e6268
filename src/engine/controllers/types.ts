// Controllers are reconcilers: they read the store and return the changes they want; the cluster
// applies the changes in one place (kubernetes pkg/controller/endpointslice/reconciler.go:
// reconcile → objects to create/update/delete → finalize).
import type { ReadonlyStore } from '../cluster/store';
import type { KubeObject } from '../cluster/objects';
import type { EventInput } from '../cluster/events';
import type { ClusterSettings } from '../cluster/settings';
import type { Rng } from '../rng';

export interface ControllerContext {
  readonly store: ReadonlyStore;
  readonly rng: Rng;
  /** Virtual-clock seconds. */
  readonly now: number;
  readonly settings: ClusterSettings;
  /** host-local IPAM's last reserved address per node (as an integer), so allocation rotates. */
  readonly lastReserved: Readonly<Record<string, number>>;
  /** PodGC's quarantine: since when (virtual seconds) each node that pods are bound to is missing. */
  readonly missingNodes: Readonly<Record<string, number>>;
}

export interface Changes {
  readonly puts: KubeObject[];
  readonly deletes: { kind: string; namespace?: string; name: string }[];
  readonly events: EventInput[];
  readonly lastReserved?: Record<string, number>;
  readonly missingNodes?: Record<string, number>;
}

export const noChanges = (): Changes => ({ puts: [], deletes: [], events: [] });

export type Reconciler = (ctx: ControllerContext) => Changes;
