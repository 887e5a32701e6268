// The object store: what etcd holds behind the API server. Objects are replaced, never mutated;
// every write bumps the store's revision and the object's resourceVersion.
import { keyOf, objectKey, type KubeObject } from './objects';

export interface ReadonlyStore {
  readonly revision: number;
  get<T extends KubeObject = KubeObject>(
    kind: string,
    namespace: string | undefined,
    name: string,
  ): T | undefined;
  /** Objects of a kind, optionally in one namespace, sorted by namespace then name (as kubectl lists). */
  list<T extends KubeObject = KubeObject>(kind: string, namespace?: string): readonly T[];
  /** Objects of a kind in no particular order, without sorting: for lookups that need no order. */
  values<T extends KubeObject = KubeObject>(kind: string): Iterable<T>;
}

export class ObjectStore implements ReadonlyStore {
  private readonly kinds = new Map<string, Map<string, KubeObject>>();
  private readonly sorted = new Map<string, readonly KubeObject[]>();
  private rev = 0;

  get revision(): number {
    return this.rev;
  }

  get<T extends KubeObject = KubeObject>(
    kind: string,
    namespace: string | undefined,
    name: string,
  ): T | undefined {
    return this.kinds.get(kind)?.get(keyOf(kind, namespace, name)) as T | undefined;
  }

  list<T extends KubeObject = KubeObject>(kind: string, namespace?: string): readonly T[] {
    let all = this.sorted.get(kind);
    if (!all) {
      all = [...(this.kinds.get(kind)?.values() ?? [])].sort(compareObjects);
      this.sorted.set(kind, all);
    }
    return (
      namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace)
    ) as readonly T[];
  }

  values<T extends KubeObject = KubeObject>(kind: string): Iterable<T> {
    return (this.kinds.get(kind)?.values() ?? []) as Iterable<T>;
  }

  /** Stores the object, stamping resourceVersion; returns what was stored. */
  put(obj: KubeObject): KubeObject {
    this.rev++;
    const stored: KubeObject = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rev) } };
    let m = this.kinds.get(obj.kind);
    if (!m) this.kinds.set(obj.kind, (m = new Map()));
    m.set(objectKey(stored), stored);
    this.sorted.delete(obj.kind);
    return stored;
  }

  delete(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const m = this.kinds.get(kind);
    const key = keyOf(kind, namespace, name);
    const old = m?.get(key);
    if (!old || !m) return undefined;
    m.delete(key);
    this.rev++;
    this.sorted.delete(kind);
    return old;
  }
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  const ma = a.metadata.name ?? '';
  const mb = b.metadata.name ?? '';
  return ma < mb ? -1 : ma > mb ? 1 : 0;
}
