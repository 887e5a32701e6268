// The API server and control plane of the simulated cluster: apply / delete with the API server's
// defaulting, validation and allocation, then the controllers run until nothing changes.
import type { Service } from 'kubernetes-types/core/v1';
import { KINDS, kindInfo, type KindInfo } from '../api/kinds';
import { validateObjectMeta, nameCheckFor } from '../api/meta';
import { strictDecodingFailure } from '../api/knownFieldsStrict';
import { invalid, type FieldError, root } from '../api/field';
import { rfc3339, VirtualClock } from '../clock';
import { createRng, type Rng } from '../rng';
import { reconcileDeployments } from '../controllers/deployment';
import { reconcileReplicaSets } from '../controllers/replicaset';
import { reconcileScheduler } from '../controllers/scheduler';
import { reconcileKubelet } from '../controllers/kubelet';
import { reconcileEndpointSlices } from '../controllers/endpointslice';
import { reconcileGarbage } from '../controllers/garbageCollector';
import { reconcilePodGC } from '../controllers/podgc';
import { reconcileLoadBalancers } from '../controllers/loadBalancer';
import { reconcileNodeIpam } from '../controllers/nodeipam';
import type { Changes, ControllerContext, Reconciler } from '../controllers/types';
import type { ClusterEvent, EventInput } from './events';
import { cloneJson, isRecord, jsonEqual, type KubeObject } from './objects';
import { ObjectStore, type ReadonlyStore } from './store';
import { DEFAULT_SETTINGS, type ClusterSettings } from './settings';
import type { Manifest } from './manifest';
import { parts } from '../lazy';
import { apiServerSlice, nodeAddress, nodeObject, systemManifests } from './bootstrap';
import { admitService } from './serviceRegistry';
import { updateObject } from './update';
import { injectSidecar } from '../mesh/inject';

/** client-go's getEventKey: the fields that make two events the same event. */
const eventKey = (e: EventInput): string =>
  JSON.stringify([
    e.source,
    e.involvedObject.kind,
    e.involvedObject.namespace ?? '',
    e.involvedObject.name,
    e.type,
    e.reason,
    e.message,
  ]);

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

export interface ApplyResultItem {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly result: ApplyOutcome;
}

export interface ApplyError {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** 0-based index of the document in the YAML stream. */
  readonly document: number;
  readonly line?: number;
  /** Every line the error concerns, when it is about several fields (strict decoding's unknown ones). */
  readonly lines?: readonly number[];
  readonly column?: number;
  readonly field?: string;
  readonly type?: string;
  readonly message: string;
}

export interface ApplyResult {
  readonly results: ApplyResultItem[];
  readonly errors: ApplyError[];
}

const CONTROLLERS: readonly Reconciler[] = [
  reconcileNodeIpam,
  reconcileDeployments,
  reconcileReplicaSets,
  reconcileGarbage,
  reconcilePodGC,
  reconcileScheduler,
  reconcileKubelet,
  reconcileEndpointSlices,
  reconcileLoadBalancers,
];
const MAX_SETTLE_ROUNDS = 50;
const NAMESPACED_KINDS = KINDS.filter((k) => k.namespaced).map((k) => k.kind);
const MAX_EVENTS = 1000;

export class Cluster {
  private currentSettings: ClusterSettings;
  readonly clock: VirtualClock;
  readonly rng: Rng;
  private readonly objects = new ObjectStore();
  private eventLog: ClusterEvent[] = [];
  /** The log was handed out (a snapshot holds it): copy it before the next write. */
  private eventLogShared = false;
  /** The recorded event for each correlation key (see record). */
  private readonly eventByKey = new Map<string, ClusterEvent>();
  private lastReserved: Record<string, number> = {};
  private missingNodes: Record<string, number> = {};

  constructor(settings: Partial<ClusterSettings> = {}) {
    this.currentSettings = { ...DEFAULT_SETTINGS, ...settings };
    this.clock = new VirtualClock();
    this.rng = createRng(this.settings.seed);
    this.settings.nodes.forEach((name, i) => this.create(nodeObject(name, nodeAddress(i))));
    for (const o of systemManifests()) {
      const r = this.admit(o, 0, null);
      if ('errors' in r) throw new Error(`bootstrap: ${r.errors.map((e) => e.message).join('; ')}`);
    }
    const first = this.objects.list('Node')[0];
    const apiIP = (first?.status as { addresses?: { address: string }[] } | undefined)?.addresses?.[0]
      ?.address;
    if (apiIP) this.create(apiServerSlice(apiIP));
    this.settle();
  }

  get settings(): ClusterSettings {
    return this.currentSettings;
  }

  /** Changes datapath settings (CNI, proxy mode, conntrack size); objects stay as they are. */
  setSettings(change: Partial<Pick<ClusterSettings, 'cni' | 'proxyMode' | 'conntrackMax'>>): void {
    this.currentSettings = { ...this.currentSettings, ...change };
  }

  get store(): ReadonlyStore {
    return this.objects;
  }

  get events(): readonly ClusterEvent[] {
    this.eventLogShared = true;
    return this.eventLog;
  }

  /**
   * `kubectl apply -f`: every document on its own, in order; invalid ones change nothing. YAML text
   * is read once loadEngineParts() has resolved; a manifest read at build time needs nothing more.
   */
  apply(manifest: string | Manifest): ApplyResult {
    const results: ApplyResultItem[] = [];
    const errors: ApplyError[] = [];
    const { docs, errors: syntax } =
      typeof manifest === 'string' ? parts().parseYamlDocuments(manifest) : manifest;
    for (const e of syntax)
      errors.push({ document: e.index, line: e.line, column: e.column, message: e.message });
    for (const doc of docs) {
      // [SD1] kubectl asks for strict field validation: an unknown field refuses the whole object.
      const strict = strictDecodingFailure(doc.value, doc.unknownFields);
      if (strict) {
        const { fields, ...who } = strict;
        const lines = fields.map((f) => doc.lineOf(f));
        errors.push({ ...who, document: doc.index, type: 'BadRequest', line: lines[0], lines });
        continue;
      }
      const r = this.admit(doc.value, doc.index, doc.lineOf);
      if ('errors' in r) errors.push(...r.errors.map((e) => ({ ...e, line: e.line ?? doc.line })));
      else results.push(r.result);
    }
    this.settle();
    return { results, errors };
  }

  /** Applies one object (already parsed): what `kubectl create`/`expose`/`run` send. */
  applyObject(obj: unknown): { result: ApplyResultItem } | { errors: ApplyError[] } {
    const r = this.admit(obj, 0, null);
    this.settle();
    return r;
  }

  /** Writes a change made by a kubectl verb (scale, label) through validation; settles after. */
  update(kind: string, namespace: string | undefined, name: string, change: (o: KubeObject) => KubeObject) {
    const existing = this.objects.get(kind, namespace, name);
    if (!existing) return { error: notFoundMessage(kind, name) };
    const r = this.admit(change(cloneJson(existing)), 0, null);
    this.settle();
    return 'errors' in r ? { error: r.errors.map((e) => e.message).join('\n') } : { ok: true as const };
  }

  delete(kind: string, namespace: string | undefined, name: string): { ok: true } | { error: string } {
    const info = kindInfo(kind);
    const ns = info?.namespaced ? (namespace ?? 'default') : undefined;
    const old = this.objects.get(kind, ns, name);
    if (!info || !old) return { error: notFoundMessage(kind, name) };
    if (kind === 'Namespace') {
      // The namespace controller deletes every namespaced object in it.
      for (const k of NAMESPACED_KINDS)
        for (const o of this.objects.list(k, name)) this.objects.delete(k, name, o.metadata.name ?? '');
    }
    this.objects.delete(kind, ns, name);
    if (kind === 'Pod')
      this.record({
        type: 'Normal',
        reason: 'Killing',
        message: `Stopping container ${((old.spec as { containers?: { name: string }[] })?.containers ?? []).map((c) => c.name).join(', ')}`,
        involvedObject: { kind, namespace: ns, name },
        source: 'kubelet',
      });
    this.settle();
    return { ok: true };
  }

  /** A container restart (crash, OOM kill, liveness failure): same pod, same sandbox, same IP. */
  restartContainer(namespace: string, name: string, container?: string): { ok: true } | { error: string } {
    const pod = this.objects.get('Pod', namespace, name);
    if (!pod) return { error: notFoundMessage('Pod', name) };
    type CS = { name: string; restartCount?: number; state?: unknown; lastState?: unknown };
    const statuses = ((pod.status as { containerStatuses?: CS[] } | undefined)?.containerStatuses ?? []).map(
      (c) =>
        !container || c.name === container
          ? {
              ...c,
              restartCount: (c.restartCount ?? 0) + 1,
              lastState: {
                terminated: { exitCode: 137, reason: 'Error', finishedAt: rfc3339(this.clock.now()) },
              },
              state: { running: { startedAt: rfc3339(this.clock.now()) } },
            }
          : c,
    );
    this.objects.put({ ...pod, status: { ...(pod.status as object), containerStatuses: statuses } });
    for (const c of statuses.filter((x) => !container || x.name === container))
      this.record({
        type: 'Normal',
        reason: 'Started',
        message: `Started container ${c.name}`,
        involvedObject: { kind: 'Pod', namespace, name },
        source: 'kubelet',
      });
    return { ok: true };
  }

  /** Lets virtual time pass; the controllers then act on it as they would have meanwhile (PodGC). */
  advance(seconds: number): void {
    this.clock.advance(seconds);
    this.settle();
  }

  /** Runs every controller until none wants a change (the cluster has settled). */
  settle(): void {
    for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      let changed = false;
      for (const reconcile of CONTROLLERS) {
        const ctx: ControllerContext = {
          store: this.objects,
          rng: this.rng,
          now: this.clock.now(),
          settings: this.settings,
          lastReserved: this.lastReserved,
          missingNodes: this.missingNodes,
        };
        if (this.commit(reconcile(ctx))) changed = true;
      }
      if (!changed) return;
    }
  }

  private commit(c: Changes): boolean {
    for (const o of c.puts) {
      const existing = this.objects.get(o.kind, o.metadata.namespace, o.metadata.name ?? '');
      if (existing) this.objects.put(o);
      else this.create(o);
    }
    for (const d of c.deletes) this.objects.delete(d.kind, d.namespace, d.name);
    for (const e of c.events) this.record(e);
    if (c.lastReserved) this.lastReserved = c.lastReserved;
    if (c.missingNodes) this.missingNodes = c.missingNodes;
    return c.puts.length + c.deletes.length > 0;
  }

  private create(obj: KubeObject): KubeObject {
    // Mutating admission on CREATE only: a mesh's injector adds its proxy to new pods.
    const o = obj.kind === 'Pod' ? injectSidecar(obj, this.objects) : obj;
    return this.objects.put({
      ...o,
      metadata: {
        ...o.metadata,
        uid: o.metadata.uid ?? this.newUid(),
        creationTimestamp: o.metadata.creationTimestamp ?? rfc3339(this.clock.now()),
        ...(o.kind === 'Deployment' ||
        o.kind === 'ReplicaSet' ||
        o.kind === 'NetworkPolicy' ||
        o.kind === 'Ingress'
          ? { generation: 1 }
          : {}),
      },
    });
  }

  /**
   * Records an event as client-go's EventCorrelator does (tools/record/events_cache.go): an event
   * identical to one already recorded (same source, object, type, reason and message) is not
   * repeated but counted, its lastTimestamp moved on, so it sorts with the newest as
   * `kubectl describe` sorts events by lastTimestamp.
   */
  private record(e: EventInput): void {
    // Copy-on-write: a log already handed out stays as it was; between snapshots, writes go to the
    // one copy in place (a thousand pods created in one apply would otherwise copy it each time).
    if (this.eventLogShared) {
      this.eventLog = this.eventLog.slice();
      this.eventLogShared = false;
    }
    const now = this.clock.now();
    const key = eventKey(e);
    const seen = this.eventByKey.get(key);
    if (seen) {
      const at = this.eventLog.lastIndexOf(seen);
      if (at >= 0) {
        const merged = { ...seen, count: seen.count + 1, lastTimestamp: now };
        this.eventLog.splice(at, 1);
        this.eventLog.push(merged);
        this.eventByKey.set(key, merged);
        return;
      }
    }
    const event = { ...e, firstTimestamp: now, lastTimestamp: now, count: 1 };
    this.eventLog.push(event);
    this.eventByKey.set(key, event);
    if (this.eventLog.length > MAX_EVENTS) {
      const dropped = this.eventLog.shift();
      if (dropped) this.eventByKey.delete(eventKey(dropped));
    }
  }

  /** RFC 4122 version-4 shaped UIDs from the seeded source, so objects are the same on every replay. */
  private newUid(): string {
    const hex = (n: number): string => {
      let s = '';
      for (let i = 0; i < n; i++) s += this.rng.int(0, 15).toString(16);
      return s;
    };
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[this.rng.int(0, 3)]}${hex(3)}-${hex(12)}`;
  }

  /** The API server's create-or-update path for one object of a YAML stream. */
  private admit(
    value: unknown,
    document: number,
    lineOf: ((field: string) => number) | null,
  ): { result: ApplyResultItem } | { errors: ApplyError[] } {
    const fail = (errs: FieldError[], o?: { kind?: string; namespace?: string; name?: string }) => ({
      errors: errs.map((e) => ({
        ...o,
        document,
        field: e.field || undefined,
        type: e.type,
        message: e.message,
        ...(lineOf && e.field ? { line: lineOf(e.field) } : {}),
      })),
    });
    if (!isRecord(value))
      return {
        errors: [
          { document, message: 'error validating data: the document is not a YAML mapping (an object)' },
        ],
      };
    const missing = [!value.apiVersion && 'apiVersion not set', !value.kind && 'kind not set'].filter(
      Boolean,
    );
    if (missing.length)
      return { errors: [{ document, message: `error validating data: [${missing.join(', ')}]` }] };
    const kind = String(value.kind);
    const info = kindInfo(kind);
    if (
      !info ||
      (info.apiVersion !== value.apiVersion && !info.servedVersions?.includes(String(value.apiVersion)))
    )
      return {
        errors: [
          {
            document,
            kind,
            message: `resource mapping not found for kind "${kind}" in version "${String(value.apiVersion)}": no matches for kind "${kind}" in version "${String(value.apiVersion)}"`,
          },
        ],
      };
    const metaIn = isRecord(value.metadata) ? value.metadata : {};
    const name = typeof metaIn.name === 'string' ? metaIn.name : '';
    const namespace = info.namespaced
      ? (typeof metaIn.namespace === 'string' && metaIn.namespace) || 'default'
      : undefined;
    const who = { kind, namespace, name };
    let obj = cloneJson(value) as unknown as KubeObject;
    obj = {
      ...obj,
      metadata: { ...(isRecord(obj.metadata) ? obj.metadata : {}), ...(namespace ? { namespace } : {}) },
    };
    const metaErrors = validateObjectMeta(obj.metadata, {
      namespaced: info.namespaced,
      nameCheck: nameCheckFor(kind),
    });
    if (metaErrors.length) return fail(metaErrors, who);
    if (namespace && !this.objects.get('Namespace', undefined, namespace))
      return {
        errors: [
          {
            ...who,
            document,
            type: 'Not found',
            message: `namespaces "${namespace}" not found`,
            ...(lineOf ? { line: lineOf('metadata.namespace') } : {}),
          },
        ],
      };
    // The API server ignores status on create and update, except for a Node the lab is told about.
    const { status, ...rest } = obj;
    obj = (kind === 'Node' ? obj : rest) as KubeObject;
    void status;
    let defaulted: KubeObject;
    try {
      defaulted = info.defaults(obj);
    } catch {
      defaulted = obj;
    }
    const errs = safeValidate(info, defaulted);
    if (errs.length) return fail(errs, who);
    const existing = this.objects.get(kind, namespace, name);
    if (existing) {
      const merged = updateObject(existing, defaulted, obj);
      if ('errors' in merged) return fail(merged.errors, who);
      let next = merged.object;
      if (kind === 'Service') {
        const r = admitService(
          next as Service & KubeObject,
          this.objects,
          this.rng,
          this.settings,
          existing as Service & KubeObject,
        );
        if ('errors' in r) return fail(r.errors, who);
        next = r.object;
      }
      if (jsonEqual(stripVersion(next), stripVersion(existing)))
        return { result: { ...who, result: 'unchanged' } };
      this.objects.put(next);
      return { result: { ...who, result: 'configured' } };
    }
    let created = defaulted;
    if (kind === 'Service') {
      const r = admitService(
        created as Service & KubeObject,
        this.objects,
        this.rng,
        this.settings,
        undefined,
      );
      if ('errors' in r) return fail(r.errors, who);
      created = r.object;
    }
    if (kind === 'Node') created = this.admitNode(created);
    this.create(created);
    return { result: { ...who, result: 'created' } };
  }

  private admitNode(n: KubeObject): KubeObject {
    type NodeStatus = { addresses?: { type: string; address: string }[]; conditions?: unknown[] };
    const st = (isRecord(n.status) ? n.status : {}) as NodeStatus;
    const count = this.objects.list('Node').length;
    const base = nodeObject(n.metadata.name ?? '', nodeAddress(count));
    const baseStatus = base.status as NodeStatus & Record<string, unknown>;
    return {
      ...n,
      metadata: { ...n.metadata, labels: { ...(base.metadata.labels ?? {}), ...(n.metadata.labels ?? {}) } },
      spec: isRecord(n.spec) ? n.spec : {},
      status: {
        ...baseStatus,
        addresses: st.addresses?.length ? st.addresses : baseStatus.addresses,
        conditions: st.conditions?.length ? st.conditions : baseStatus.conditions,
      },
    };
  }
}

function safeValidate(info: KindInfo, o: KubeObject): FieldError[] {
  try {
    return info.validate(o);
  } catch (e) {
    return [invalid(root('spec'), null, `could not be validated: ${(e as Error).message}`)];
  }
}

const stripVersion = (o: KubeObject): KubeObject => ({
  ...o,
  metadata: { ...o.metadata, resourceVersion: undefined },
});

export function notFoundMessage(kind: string, name: string): string {
  const info = kindInfo(kind);
  const group = info && info.apiVersion.includes('/') ? `.${info.apiVersion.split('/')[0]}` : '';
  return `Error from server (NotFound): ${info?.plural ?? kind.toLowerCase()}${group} "${name}" not found`;
}
