// kubectl's table printers (kubernetes pkg/printers/internalversion/printers.go): the columns of
// each kind, `-o wide` extras, and the `-o yaml|json|name` printers of cli-runtime.
import type { Node, Pod, Service, Namespace } from 'kubernetes-types/core/v1';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { Endpoints } from 'kubernetes-types/core/v1';
import { stringify } from 'yaml';
import { formatSelector, fromRfc3339, humanDuration, type Engine, type KubeObject } from '../engine';
import { qualifiedName, type ResourceType } from './resources';

export interface Columns {
  readonly header: readonly string[];
  readonly wide: readonly string[];
  row(o: KubeObject, now: number): { cells: string[]; wide: string[] };
}

export const age = (ts: string | undefined, now: number): string => {
  const t = fromRfc3339(ts);
  return t === null ? '<unknown>' : humanDuration(now - t);
};

const orNone = (s: string | undefined): string => (s ? s : '<none>');
const mapSelector = (m: Record<string, string> | undefined): string =>
  m && Object.keys(m).length
    ? Object.keys(m)
        .sort()
        .map((k) => `${k}=${m[k]}`)
        .join(',')
    : '<none>';

/** The STATUS column of a pod (printPod: waiting/terminated reasons win over the phase). */
export function podStatus(p: Pod): string {
  if (p.metadata?.deletionTimestamp) return 'Terminating';
  let reason = p.status?.reason ?? p.status?.phase ?? 'Pending';
  for (const c of p.status?.containerStatuses ?? []) {
    const w = c.state?.waiting?.reason;
    const t = c.state?.terminated;
    if (w) reason = w;
    else if (t) reason = t.reason ?? (t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`);
  }
  if (reason === 'Pending' && p.spec?.nodeName && !(p.status?.containerStatuses ?? []).length)
    reason = 'ContainerCreating';
  return reason;
}

const podColumns: Columns = {
  header: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
  wide: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
  row(o, now) {
    const p = o as Pod & KubeObject;
    const cs = p.status?.containerStatuses ?? [];
    const total = p.spec?.containers?.length ?? 0;
    const ready = cs.filter((c) => c.ready).length;
    const restarts = cs.reduce((n, c) => n + (c.restartCount ?? 0), 0);
    const lastRestart = cs
      .map((c) => fromRfc3339(c.lastState?.terminated?.finishedAt))
      .filter((t): t is number => t !== null)
      .sort((a, b) => b - a)[0];
    return {
      cells: [
        p.metadata.name ?? '',
        `${ready}/${total}`,
        podStatus(p),
        lastRestart !== undefined && restarts > 0
          ? `${restarts} (${humanDuration(now - lastRestart)} ago)`
          : String(restarts),
        age(p.metadata.creationTimestamp, now),
      ],
      wide: [orNone(p.status?.podIP), orNone(p.spec?.nodeName), '<none>', '<none>'],
    };
  },
};

function servicePorts(s: Service): string {
  const ports = s.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports
    .map((p) =>
      p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`,
    )
    .join(',');
}

/** EXTERNAL-IP of printService: externalIPs, the load balancer's ingress, or `<pending>`. */
function serviceExternalIP(s: Service): string {
  const type = s.spec?.type ?? 'ClusterIP';
  const ext = s.spec?.externalIPs ?? [];
  const lb = (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter(Boolean);
  if (type === 'ExternalName') return s.spec?.externalName ?? '<none>';
  if (type === 'LoadBalancer') {
    const all = [...lb, ...ext];
    return all.length ? all.join(',') : '<pending>';
  }
  return ext.length ? ext.join(',') : '<none>';
}

const serviceColumns: Columns = {
  header: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
  wide: ['SELECTOR'],
  row(o, now) {
    const s = o as Service & KubeObject;
    const type = s.spec?.type ?? 'ClusterIP';
    return {
      cells: [
        s.metadata.name ?? '',
        type,
        type === 'ExternalName' ? '<none>' : (s.spec?.clusterIP ?? '<none>'),
        serviceExternalIP(s),
        servicePorts(s),
        age(s.metadata.creationTimestamp, now),
      ],
      wide: [mapSelector(s.spec?.selector)],
    };
  },
};

const containersOf = (t: { spec?: { containers?: { name: string; image?: string }[] } } | undefined) => ({
  names: (t?.spec?.containers ?? []).map((c) => c.name).join(','),
  images: (t?.spec?.containers ?? []).map((c) => c.image ?? '').join(','),
});

const deploymentColumns: Columns = {
  header: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(o, now) {
    const d = o as Deployment & KubeObject;
    const c = containersOf(d.spec?.template);
    return {
      cells: [
        d.metadata.name ?? '',
        `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
        String(d.status?.updatedReplicas ?? 0),
        String(d.status?.availableReplicas ?? 0),
        age(d.metadata.creationTimestamp, now),
      ],
      wide: [c.names, c.images, formatSelector(d.spec?.selector)],
    };
  },
};

const replicaSetColumns: Columns = {
  header: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(o, now) {
    const r = o as ReplicaSet & KubeObject;
    const c = containersOf(r.spec?.template);
    return {
      cells: [
        r.metadata.name ?? '',
        String(r.spec?.replicas ?? 1),
        String(r.status?.replicas ?? 0),
        String(r.status?.readyReplicas ?? 0),
        age(r.metadata.creationTimestamp, now),
      ],
      wide: [c.names, c.images, formatSelector(r.spec?.selector)],
    };
  },
};

/** formatEndpoints: ready `ip:port` pairs, at most three, then `+ N more...`. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (!subsets.length) return '<none>';
  const list: string[] = [];
  let count = 0;
  let more = false;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    const items = ports.length
      ? ports.flatMap((p) => addrs.map((a) => `${a.ip}:${p.port}`))
      : addrs.map((a) => a.ip);
    count += items.length;
    for (const it of items) {
      if (list.length === 3) {
        more = true;
        break;
      }
      list.push(it);
    }
  }
  return more ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

const endpointsColumns: Columns = {
  header: ['NAME', 'ENDPOINTS', 'AGE'],
  wide: [],
  row(o, now) {
    return {
      cells: [
        o.metadata.name ?? '',
        formatEndpoints(o as unknown as Endpoints),
        age(o.metadata.creationTimestamp, now),
      ],
      wide: [],
    };
  },
};

const sliceColumns: Columns = {
  header: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
  wide: [],
  row(o, now) {
    const s = o as unknown as EndpointSlice & KubeObject;
    const ports = (s.ports ?? []).map((p) => (p.port == null ? '<unset>' : String(p.port)));
    const addrs = (s.endpoints ?? []).flatMap((e) => e.addresses);
    const eps =
      addrs.length > 3 ? `${addrs.slice(0, 3).join(',')} + ${addrs.length - 3} more...` : addrs.join(',');
    return {
      cells: [
        s.metadata.name ?? '',
        s.addressType ?? 'IPv4',
        ports.length ? ports.join(',') : '<unset>',
        addrs.length ? eps : '<unset>',
        age(s.metadata.creationTimestamp, now),
      ],
      wide: [],
    };
  },
};

function nodeRoles(n: Node): string {
  const roles = Object.keys(n.metadata?.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean)
    .sort();
  return roles.length ? roles.join(',') : '<none>';
}

const nodeColumns: Columns = {
  header: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
  wide: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
  row(o, now) {
    const n = o as Node & KubeObject;
    const ready = (n.status?.conditions ?? []).find((c) => c.type === 'Ready');
    const status = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
    if (n.spec?.unschedulable) status.push('SchedulingDisabled');
    const addr = (t: string) => (n.status?.addresses ?? []).find((a) => a.type === t)?.address;
    const info = n.status?.nodeInfo;
    return {
      cells: [
        n.metadata.name ?? '',
        status.join(','),
        nodeRoles(n),
        age(n.metadata.creationTimestamp, now),
        info?.kubeletVersion ?? '',
      ],
      wide: [
        orNone(addr('InternalIP')),
        orNone(addr('ExternalIP')),
        info?.osImage ?? '<unknown>',
        info?.kernelVersion ?? '<unknown>',
        info?.containerRuntimeVersion ?? '<unknown>',
      ],
    };
  },
};

const namespaceColumns: Columns = {
  header: ['NAME', 'STATUS', 'AGE'],
  wide: [],
  row(o, now) {
    const n = o as Namespace & KubeObject;
    return {
      cells: [n.metadata.name ?? '', n.status?.phase ?? 'Active', age(n.metadata.creationTimestamp, now)],
      wide: [],
    };
  },
};

const policyColumns: Columns = {
  header: ['NAME', 'POD-SELECTOR', 'AGE'],
  wide: [],
  row(o, now) {
    const p = o as NetworkPolicy & KubeObject;
    return {
      cells: [
        p.metadata.name ?? '',
        formatSelector(p.spec?.podSelector ?? {}),
        age(p.metadata.creationTimestamp, now),
      ],
      wide: [],
    };
  },
};

const ingressColumns: Columns = {
  header: ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
  wide: [],
  row(o, now) {
    const i = o as Ingress & KubeObject;
    const hosts = (i.spec?.rules ?? []).map((r) => r.host).filter((h): h is string => !!h);
    const addr = (i.status?.loadBalancer?.ingress ?? []).map((x) => x.ip ?? x.hostname ?? '').filter(Boolean);
    return {
      cells: [
        i.metadata.name ?? '',
        i.spec?.ingressClassName ?? '<none>',
        hosts.length ? hosts.join(',') : '*',
        addr.join(','),
        (i.spec?.tls ?? []).length ? '80, 443' : '80',
        age(i.metadata.creationTimestamp, now),
      ],
      wide: [],
    };
  },
};

const eventColumns: Columns = {
  header: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
  wide: [],
  row(o, now) {
    const e = o as KubeObject & {
      involvedObject: { kind: string; name: string };
      type: string;
      reason: string;
      message: string;
      lastTimestamp: string;
    };
    return {
      cells: [
        age(e.lastTimestamp, now),
        e.type,
        e.reason,
        `${e.involvedObject.kind.toLowerCase()}/${e.involvedObject.name}`,
        e.message,
      ],
      wide: [],
    };
  },
};

const genericColumns: Columns = {
  header: ['NAME', 'AGE'],
  wide: [],
  row: (o, now) => ({ cells: [o.metadata.name ?? '', age(o.metadata.creationTimestamp, now)], wide: [] }),
};

const COLUMNS: Record<string, Columns> = {
  Pod: podColumns,
  Service: serviceColumns,
  Deployment: deploymentColumns,
  ReplicaSet: replicaSetColumns,
  Endpoints: endpointsColumns,
  EndpointSlice: sliceColumns,
  Node: nodeColumns,
  Namespace: namespaceColumns,
  NetworkPolicy: policyColumns,
  Ingress: ingressColumns,
  Event: eventColumns,
};

export const columnsFor = (kind: string): Columns => COLUMNS[kind] ?? genericColumns;

export interface TableOptions {
  readonly wide: boolean;
  readonly withNamespace: boolean;
  readonly withKind: boolean;
  readonly showLabels: boolean;
  readonly noHeaders: boolean;
}

/** Header and rows of one kind's table, as kubectl's HumanReadablePrinter lays them out. */
export function tableRows(
  t: ResourceType,
  items: readonly KubeObject[],
  engine: Engine,
  o: TableOptions,
): string[][] {
  const cols = columnsFor(t.kind);
  const header = [
    ...(o.withNamespace ? ['NAMESPACE'] : []),
    ...cols.header,
    ...(o.wide ? cols.wide : []),
    ...(o.showLabels ? ['LABELS'] : []),
  ];
  const rows = items.map((it) => {
    const r = cols.row(it, engine.now());
    const cells = [...r.cells];
    if (o.withKind && cells.length)
      cells[0] = t.kind === 'Event' ? (cells[0] ?? '') : qualifiedName(t, cells[0] ?? '');
    const labels = it.metadata.labels ?? {};
    return [
      ...(o.withNamespace ? [it.metadata.namespace ?? ''] : []),
      ...cells,
      ...(o.wide ? r.wide : []),
      ...(o.showLabels
        ? [
            Object.keys(labels).length
              ? Object.keys(labels)
                  .sort()
                  .map((k) => `${k}=${labels[k]}`)
                  .join(',')
              : '<none>',
          ]
        : []),
    ];
  });
  return o.noHeaders ? rows : [header, ...rows];
}

/** Keys sorted at every level, as kubectl's unstructured printers emit them. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as Record<string, unknown>)
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}

const asList = (items: readonly KubeObject[]) => ({
  apiVersion: 'v1',
  items: items.map(sortKeys),
  kind: 'List',
  metadata: { resourceVersion: '' },
});

/** The object kubectl's generic printers see: one object alone, several as a v1 List. */
export const genericObject = (items: readonly KubeObject[], single: boolean): unknown =>
  single && items.length === 1 ? sortKeys(items[0]) : asList(items);

/** `-o json`: Go's json.MarshalIndent with four spaces; one object alone, several as a v1 List. */
export function printJson(items: readonly KubeObject[], single: boolean): string {
  const v = single && items.length === 1 ? sortKeys(items[0]) : asList(items);
  return `${JSON.stringify(v, null, 4)}\n`;
}

/** `-o yaml` (sigs.k8s.io/yaml: block style, sequences not indented under their key). */
export function printYaml(items: readonly KubeObject[], single: boolean): string {
  const v = single && items.length === 1 ? sortKeys(items[0]) : asList(items);
  return stringify(v, { indentSeq: false, lineWidth: 0 });
}
