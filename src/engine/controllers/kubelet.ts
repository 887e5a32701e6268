// The kubelet and the CNI's IPAM, per node: a bound pod gets a sandbox whose address comes from the
// node's pod range (host-local IPAM: the bridge holds the first address, allocation continues after
// the last reserved address and wraps, so a replaced pod gets a new IP), then its containers start
// and its readiness is reported. hostNetwork pods use the node's address.
// https://www.cni.dev/plugins/current/ipam/host-local/
import type { Node, Pod, PodStatus } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../cluster/objects';
import { jsonEqual } from '../cluster/objects';
import { rfc3339 } from '../clock';
import { intToIp, ipToInt, parseCidr } from '../net/ip';
import { fnv32a } from '../rng';
import { noChanges, type Changes, type ControllerContext } from './types';

type P = Pod & KubeObject;
type N = Node & KubeObject;

/** A readinessProbe that execs `false` / `/bin/false` (or `exit 1` in a shell) never succeeds. */
export function failsReadiness(p: Pod): boolean {
  return (p.spec?.containers ?? []).some((c) => {
    const cmd = c.readinessProbe?.exec?.command ?? [];
    const line = cmd.join(' ').trim();
    return line === 'false' || line === '/bin/false' || /^(\/bin\/)?sh -c (exit [1-9]|false)$/.test(line);
  });
}

export const isPodReady = (p: Pod): boolean =>
  (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

export const nodeInternalIP = (n: Node): string | undefined =>
  n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;

/** host-local's range for a node: from the second address (the bridge has the first) to broadcast − 1. */
export function hostLocalRange(podCIDR: string): { first: number; last: number; text: string } | null {
  const c = parseCidr(podCIDR);
  if (!c || c.prefix > 30) return null;
  const first = c.base + 1;
  const last = c.base + 2 ** (32 - c.prefix) - 2;
  return { first, last, text: `${intToIp(first)}-${intToIp(last)}` };
}

/**
 * Pods whose status was found up to date, with the node address it was checked against. Store
 * objects are replaced, never mutated, and a running pod's status depends only on the pod and its
 * node's address, so the same pod object on the same node needs no second look (a no-op round over
 * thousands of pods then costs a lookup each).
 */
const upToDate = new WeakMap<P, string>();

export function reconcileKubelet(ctx: ControllerContext): Changes {
  const changes = noChanges();
  const lastReserved: Record<string, number> = { ...ctx.lastReserved };
  const nodes = new Map(ctx.store.list<N>('Node').map((n) => [n.metadata.name ?? '', n]));
  const pods = ctx.store.list<P>('Pod');
  const used = new Map<string, Set<number>>();
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (!n || !p.status?.podIP || p.spec?.hostNetwork) continue;
    if (!used.has(n)) used.set(n, new Set());
    used.get(n)?.add(ipToInt(p.status.podIP));
  }
  let reserved = false;
  for (const p of pods) {
    const nodeName = p.spec?.nodeName;
    const node = nodeName ? nodes.get(nodeName) : undefined;
    if (!nodeName || !node) continue;
    const ns = p.metadata.namespace ?? 'default';
    const name = p.metadata.name ?? '';
    const ref = { kind: 'Pod', namespace: ns, name };
    let podIP = p.status?.podIP;
    const hostIP = nodeInternalIP(node) ?? '';
    if (podIP && upToDate.get(p) === hostIP) continue;
    if (!podIP) {
      if (p.spec?.hostNetwork) podIP = hostIP;
      else {
        const range = node.spec?.podCIDR ? hostLocalRange(node.spec.podCIDR) : null;
        const taken = used.get(nodeName) ?? new Set<number>();
        const ip = range ? nextFree(range, taken, lastReserved[nodeName]) : null;
        if (ip === null) {
          const status = pendingStatus(p, ctx.now);
          if (!jsonEqual(p.status, status)) {
            changes.puts.push({ ...p, status });
            const sandbox = fnv32a(`${ns}/${name}`).toString(16).padStart(8, '0');
            changes.events.push({
              type: 'Warning',
              reason: 'FailedCreatePodSandBox',
              message: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandbox}": plugin type="${ctx.settings.cni}" failed (add): failed to allocate for range 0: no IP addresses available in range set: ${range?.text ?? node.spec?.podCIDR ?? '<none>'}`,
              involvedObject: ref,
              source: 'kubelet',
            });
          }
          continue;
        }
        taken.add(ip);
        used.set(nodeName, taken);
        lastReserved[nodeName] = ip;
        reserved = true;
        podIP = intToIp(ip);
      }
    }
    const status = runningStatus(p, podIP, hostIP, ctx.now);
    if (jsonEqual(p.status, status)) upToDate.set(p, hostIP);
    else {
      if (!p.status?.podIP)
        for (const c of p.spec?.containers ?? [])
          changes.events.push(
            {
              type: 'Normal',
              reason: 'Pulled',
              message: `Container image "${c.image}" already present on machine`,
              involvedObject: ref,
              source: 'kubelet',
            },
            {
              type: 'Normal',
              reason: 'Created',
              message: `Created container: ${c.name}`,
              involvedObject: ref,
              source: 'kubelet',
            },
            {
              type: 'Normal',
              reason: 'Started',
              message: `Started container ${c.name}`,
              involvedObject: ref,
              source: 'kubelet',
            },
          );
      if (failsReadiness(p) && !isPodReady(p) && !p.status?.podIP)
        changes.events.push({
          type: 'Warning',
          reason: 'Unhealthy',
          message: 'Readiness probe failed: ',
          involvedObject: ref,
          source: 'kubelet',
        });
      changes.puts.push({ ...p, status });
    }
  }
  return reserved ? { ...changes, lastReserved } : changes;
}

function nextFree(
  range: { first: number; last: number },
  taken: Set<number>,
  last: number | undefined,
): number | null {
  const size = range.last - range.first + 1;
  if (size <= 0) return null;
  const start = last !== undefined && last >= range.first && last <= range.last ? last - range.first + 1 : 1;
  for (let i = 0; i < size; i++) {
    const ip = range.first + ((start + i) % size);
    // The first address of the range is the bridge's (cni0 / the gateway).
    if (ip === range.first || taken.has(ip)) continue;
    return ip;
  }
  return null;
}

function pendingStatus(p: P, now: number): PodStatus {
  const t = p.status?.startTime ?? rfc3339(now);
  return {
    phase: 'Pending',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'False' },
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: notReadyMessage(p) },
      { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: notReadyMessage(p) },
      { type: 'PodScheduled', status: 'True' },
    ],
    hostIP: p.status?.hostIP,
    startTime: t,
    containerStatuses: (p.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: 'ContainerCreating' } },
    })),
    qosClass: 'BestEffort',
  };
}

const notReadyMessage = (p: Pod): string =>
  `containers with unready status: [${(p.spec?.containers ?? []).map((c) => c.name).join(' ')}]`;

function runningStatus(p: P, podIP: string, hostIP: string, now: number): PodStatus {
  const ready = !failsReadiness(p);
  const prev = new Map((p.status?.containerStatuses ?? []).map((c) => [c.name, c]));
  const startTime = p.status?.phase === 'Running' ? (p.status.startTime ?? rfc3339(now)) : rfc3339(now);
  const unready = (p.spec?.containers ?? []).filter((c) => c.readinessProbe && !ready).map((c) => c.name);
  const readyCond = unready.length
    ? {
        status: 'False',
        reason: 'ContainersNotReady',
        message: `containers with unready status: [${unready.join(' ')}]`,
      }
    : { status: 'True' };
  return {
    phase: 'Running',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'True' },
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', ...readyCond },
      { type: 'ContainersReady', ...readyCond },
      { type: 'PodScheduled', status: 'True' },
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime,
    containerStatuses: (p.spec?.containers ?? []).map((c) => {
      const before = prev.get(c.name);
      const startedAt = before?.state?.running?.startedAt ?? startTime;
      return {
        name: c.name,
        image: c.image ?? '',
        imageID: `${c.image ?? ''}`,
        containerID: `containerd://${fnv32a(`${p.metadata.uid}/${c.name}/${before?.restartCount ?? 0}`)
          .toString(16)
          .padStart(8, '0')}`,
        ready: !unready.includes(c.name),
        restartCount: before?.restartCount ?? 0,
        started: true,
        state: { running: { startedAt } },
        ...(before?.lastState ? { lastState: before.lastState } : {}),
      };
    }),
    qosClass: 'BestEffort',
  };
}
