// The store side of the Scale view: setConntrackMax as a recorded lab operation, and the
// selectors that read pod address use and conntrack use from the engine.
import { describe, expect, it } from 'vitest';
import { createLabStore, createLabStoreFrom } from '../../store/labStore';
import { checkLabRecord, replayLab } from '../../store/labRecord';
import { selectConntrackUse, selectPodAddressUse } from '../../store/selectors';

const DEPLOY = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: demo}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]}
`;

describe('setConntrackMax', () => {
  it('sets nf_conntrack_max, is recorded, and a burst past it is dropped with the kernel message', () => {
    const store = createLabStore();
    expect(store.getState().setConntrackMax(4)).toEqual({ ok: true });
    expect(store.getState().record.ops.at(-1)).toEqual({ op: 'setConntrackMax', conntrackMax: 4 });
    expect(store.getState().snapshot.settings.conntrackMax).toBe(4);
    const results = Array.from({ length: 6 }, () =>
      store.getState().connect({ from: 'demo/client', to: 'web', port: 80 }),
    );
    expect(results.map((r) => r.delivered)).toEqual([true, true, true, true, false, false]);
    expect(results[5]?.reason).toBe('nf_conntrack: table full, dropping packet');
    expect(store.getState().lastConnect?.hops.at(-1)).toMatchObject({ kind: 'conntrack', dropped: true });
    const client = store.getState().snapshot.pods.find((p) => p.metadata?.name === 'client');
    const use = selectConntrackUse(store.getState());
    expect(use.find((t) => t.node === client?.spec?.nodeName)).toMatchObject({ entries: 4, max: 4 });
    // Memoised: the same state gives the same array.
    expect(selectConntrackUse(store.getState())).toBe(use);

    // The record replays to the same tables.
    const again = createLabStoreFrom(store.getState().record);
    expect(selectConntrackUse(again.getState())).toEqual(use);
  });

  it('refuses a value that is not an integer in range, and records nothing', () => {
    const store = createLabStore();
    for (const bad of [0, -3, 2.5, NaN, 20_000_000])
      expect(store.getState().setConntrackMax(bad)).toEqual({
        error: 'nf_conntrack_max must be an integer from 1 to 10000000',
      });
    expect(store.getState().record.ops).toEqual([]);
  });

  it('checkLabRecord accepts the op and rejects a bad value', () => {
    const base = { name: 'x', yaml: '', settings: {} };
    expect(checkLabRecord({ ...base, ops: [{ op: 'setConntrackMax', conntrackMax: 8 }] })).toEqual({
      ok: true,
      record: { ...base, ops: [{ op: 'setConntrackMax', conntrackMax: 8 }] },
    });
    expect(checkLabRecord({ ...base, ops: [{ op: 'setConntrackMax', conntrackMax: '8' }] })).toEqual({
      ok: false,
      error: 'ops[0].conntrackMax must be an integer from 1 to 10000000',
    });
    expect(
      replayLab({ ...base, ops: [{ op: 'setConntrackMax', conntrackMax: 8 }] }).engine.settings.conntrackMax,
    ).toBe(8);
  });
});

describe('selectPodAddressUse', () => {
  it('a /28 pod range holds 13 pods; the rest wait with the CNI event', () => {
    const store = createLabStore({ nodes: ['node-a'], nodeCidrMaskSize: 28 });
    store.getState().apply(DEPLOY(16));
    const [node] = selectPodAddressUse(store.getState());
    expect(node?.podCIDR).toBe('10.244.0.0/28');
    // 16 addresses minus network, gateway (the bridge, .1) and broadcast.
    expect(node?.capacity).toBe(13);
    expect(node?.used).toBe(13);
    const pods = store.getState().snapshot.pods.filter((p) => !p.spec?.hostNetwork);
    expect(node?.waiting).toHaveLength(pods.length - 13);
    expect(node?.waiting.length).toBeGreaterThan(0);
    for (const w of node?.waiting ?? [])
      expect(w.message).toContain(
        'failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.14',
      );
    expect(selectPodAddressUse(store.getState())).toBe(selectPodAddressUse(store.getState()));
  });
});
