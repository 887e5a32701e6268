import type { LabState } from '../../store/labStore';

export type LabEvent = LabState['snapshot']['events'][number];

/**
 * The events about one object, oldest first, as `kubectl describe` lists them (events name their
 * object by kind, namespace and name; a Node's have no namespace).
 */
export function eventsFor(
  events: readonly LabEvent[],
  kind: string,
  namespace: string | undefined,
  name: string,
): LabEvent[] {
  return events.filter(
    (e) =>
      e.involvedObject.kind === kind &&
      e.involvedObject.name === name &&
      (kind === 'Node' || (e.involvedObject.namespace ?? 'default') === (namespace ?? 'default')),
  );
}
