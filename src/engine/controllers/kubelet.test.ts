import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { createEngine, type Engine, type KubeObject } from '../index';
import { runKubectl } from '../../kubectl';

type P = Pod & KubeObject;

const stuckPods = (e: Engine): P[] =>
  (e.list('Pod') as P[]).filter((p) => p.spec?.nodeName && !p.status?.podIP && !p.spec.hostNetwork);

/** Every pod without an address has the kubelet's sandbox warning in `kubectl describe pod`. */
function expectEveryStuckPodExplained(e: Engine): number {
  const stuck = stuckPods(e);
  for (const p of stuck) {
    const out = runKubectl(
      e,
      `kubectl describe pod ${p.metadata.name ?? ''} -n ${p.metadata.namespace ?? 'default'}`,
    );
    expect(out.stdout, p.metadata.name).toMatch(
      /Warning\s+FailedCreatePodSandBox\s+.*kubelet\s+Failed to create pod sandbox: .*no IP addresses available in range set: 10\.244\.\d+\.\d+-10\.244\.\d+\.\d+/,
    );
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
  }
  return stuck.length;
}

describe('kubelet: pods waiting for an address', () => {
  it('[KL1] through scaling, deleting and adding a node, every pod without an IP shows FailedCreatePodSandBox', () => {
    const e = createEngine({ nodeCidrMaskSize: 28 });
    const k = (line: string) => runKubectl(e, `kubectl ${line}`);
    k('create deployment web --image=nginx --replicas=3');
    k('scale deployment web --replicas=45');
    expect(expectEveryStuckPodExplained(e)).toBeGreaterThan(0);
    k('scale deployment web --replicas=20');
    expectEveryStuckPodExplained(e);
    k('scale deployment web --replicas=50');
    const before = expectEveryStuckPodExplained(e);
    // Deleting running pods frees addresses that waiting pods take; the replacements may wait.
    const running = (e.list('Pod') as P[]).filter(
      (p) => p.metadata.name?.startsWith('web-') && p.status?.podIP,
    );
    k(`delete pod ${running[0]?.metadata.name ?? ''} ${running[1]?.metadata.name ?? ''}`);
    expectEveryStuckPodExplained(e);
    const stuck = stuckPods(e)[0];
    k(`delete pod ${stuck?.metadata.name ?? ''}`);
    expectEveryStuckPodExplained(e);
    k('rollout restart deployment web');
    expectEveryStuckPodExplained(e);
    e.advance(600);
    expectEveryStuckPodExplained(e);
    e.apply('apiVersion: v1\nkind: Node\nmetadata:\n  name: node-d\n');
    k('delete pod -l app=web');
    expect(expectEveryStuckPodExplained(e)).toBeLessThan(before);
  });

  it('[KL1] a freed address goes to a waiting pod: its warning stays, followed by Started', () => {
    const e = createEngine({ nodes: ['node-a'], nodeCidrMaskSize: 28 });
    runKubectl(e, 'kubectl run filler --image=nginx');
    runKubectl(e, 'kubectl create deployment web --image=nginx --replicas=12');
    const waiting = stuckPods(e);
    expect(waiting.length).toBeGreaterThan(0);
    expectEveryStuckPodExplained(e);
    runKubectl(e, 'kubectl delete pod filler');
    const names = new Set(waiting.map((p) => p.metadata.name));
    const started = (e.list('Pod') as P[]).filter((p) => names.has(p.metadata.name) && p.status?.podIP);
    expect(started).toHaveLength(1);
    const out = runKubectl(e, `kubectl describe pod ${started[0]?.metadata.name ?? ''}`).stdout;
    expect(out.indexOf('FailedCreatePodSandBox')).toBeGreaterThan(-1);
    expect(out.search(/Normal\s+Started/)).toBeGreaterThan(out.indexOf('FailedCreatePodSandBox'));
    expectEveryStuckPodExplained(e);
  });
});
