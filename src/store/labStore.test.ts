import { describe, expect, it } from 'vitest';
import { createLabStore } from './labStore';
import { selectPods, selectPodsByNode } from './selectors';

const serviceYaml = (port: number) => `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: demo
spec:
  selector:
    app: web
  ports:
    - port: ${port}
`;

describe('createLabStore', () => {
  it('applies the starter lab on creation: 3 web pods, the client and the web Service', () => {
    const state = createLabStore({ seed: 1 }).getState();
    expect(state.lastApply?.errors).toEqual([]);
    const refs = selectPods(state).map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`);
    expect(refs.filter((r) => r.startsWith('demo/web-'))).toHaveLength(3);
    expect(refs).toContain('demo/client');
    expect(
      state.snapshot.services.some((s) => s.metadata?.namespace === 'demo' && s.metadata.name === 'web'),
    ).toBe(true);
  });

  it('apply updates the snapshot', () => {
    const store = createLabStore({ seed: 1 });
    const before = store.getState().snapshot;
    const result = store.getState().apply(serviceYaml(8080));
    expect(result.errors).toEqual([]);
    expect(result.results).toEqual([{ kind: 'Service', namespace: 'demo', name: 'api', result: 'created' }]);
    const after = store.getState().snapshot;
    expect(after).not.toBe(before);
    expect(after.revision).toBeGreaterThan(before.revision);
    const api = after.services.find((s) => s.metadata?.name === 'api');
    expect(api?.spec?.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(store.getState().lastApply).toBe(result);
  });

  it('an invalid object returns the API server errors and leaves the snapshot unchanged', () => {
    const store = createLabStore({ seed: 1 });
    const before = store.getState().snapshot;
    const result = store.getState().apply(serviceYaml(0));
    expect(result.results).toEqual([]);
    // kube-apiserver defaults targetPort to port, so both are reported (SetDefaults_Service).
    expect(result.errors.map((e) => e.message)).toContain(
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    );
    expect(result.errors.every((e) => e.kind === 'Service' && e.name === 'api')).toBe(true);
    expect(store.getState().snapshot).toBe(before);
  });

  it('YAML that does not parse returns an error with its position and leaves the snapshot unchanged', () => {
    const store = createLabStore({ seed: 1 });
    const before = store.getState().snapshot;
    const result = store.getState().apply('kind: Service\nmetadata: [unclosed\n');
    expect(result.results).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.line).toEqual(expect.any(Number));
    expect(result.errors[0]?.field).toBeUndefined();
    expect(store.getState().snapshot).toBe(before);
  });

  it('deleteObject removes the object; deleting it again is an error', () => {
    const store = createLabStore({ seed: 1 });
    expect(store.getState().deleteObject('Pod', 'demo', 'client')).toEqual({ ok: true });
    expect(selectPods(store.getState()).some((p) => p.metadata?.name === 'client')).toBe(false);
    expect(store.getState().deleteObject('Pod', 'demo', 'client')).toHaveProperty('error');
  });

  it('setCni changes the snapshot settings', () => {
    const store = createLabStore({ seed: 1, cni: 'calico' });
    store.getState().setCni('flannel');
    expect(store.getState().snapshot.settings.cni).toBe('flannel');
  });

  it('connect from the client pod reaches a web pod through the Service', () => {
    const store = createLabStore({ seed: 1 });
    const clusterIP = store.getState().snapshot.services.find((s) => s.metadata?.name === 'web')
      ?.spec?.clusterIP;
    expect(clusterIP).toBeDefined();
    const result = store.getState().connect({ from: 'demo/client', to: clusterIP ?? '', port: 80 });
    expect(result.delivered).toBe(true);
    expect(result.backend).toMatch(/^demo\/web-/);
    expect(store.getState().lastConnect).toBe(result);
  });

  it('connectAll records every connection of a burst in one store update', () => {
    const store = createLabStore({ seed: 1 });
    let updates = 0;
    const stop = store.subscribe(() => updates++);
    const results = store
      .getState()
      .connectAll(Array.from({ length: 5 }, () => ({ from: 'demo/client', to: 'web.demo', port: 80 })));
    stop();
    expect(updates).toBe(1);
    expect(results.filter((r) => r.delivered)).toHaveLength(5);
    expect(store.getState().record.ops.filter((o) => o.op === 'connect')).toHaveLength(5);
    expect(store.getState().lastConnect).toBe(results[4]);
  });

  it('the same seed gives the same pod IPs', () => {
    const ips = () =>
      selectPods(createLabStore({ seed: 7 }).getState())
        .map((p) => `${p.metadata?.name}=${p.status?.podIP}`)
        .sort();
    expect(ips()).toEqual(ips());
  });
});

describe('selectPodsByNode', () => {
  it('groups pods by node, sorted, and returns the same map while the pods are unchanged', () => {
    const store = createLabStore({ seed: 1 });
    const first = selectPodsByNode(store.getState());
    const webPods = [...first.values()].flat().filter((p) => p.metadata?.name?.startsWith('web-'));
    expect(webPods).toHaveLength(3);
    for (const [node, pods] of first) {
      for (const pod of pods) expect(pod.spec?.nodeName ?? '').toBe(node);
      const refs = pods.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`);
      expect(refs).toEqual([...refs].sort((a, b) => a.localeCompare(b)));
    }
    store.getState().apply(serviceYaml(0)); // rejected: nothing changes
    expect(selectPodsByNode(store.getState())).toBe(first);
  });
});

describe('selection and traffic playback', () => {
  it('select keeps the same reference for the same object', () => {
    const store = createLabStore({ seed: 1 });
    store.getState().select({ kind: 'Pod', ref: 'demo/client' });
    const first = store.getState().selection;
    store.getState().select({ kind: 'Pod', ref: 'demo/client' });
    expect(store.getState().selection).toBe(first);
    store.getState().select(null);
    expect(store.getState().selection).toBeNull();
  });

  it('connect starts playback at hop 0; setStep clamps and stops playing at the last hop', () => {
    const store = createLabStore({ seed: 1 });
    const result = store.getState().connect({ from: 'demo/client', to: 'web', port: 80 });
    expect(result.hops.length).toBeGreaterThan(2);
    expect(store.getState().playback).toMatchObject({ step: 0, playing: true });
    store.getState().setStep(-3);
    expect(store.getState().playback.step).toBe(0);
    store.getState().setStep(999);
    expect(store.getState().playback).toMatchObject({ step: result.hops.length - 1, playing: false });
    store.getState().setPlaying(true);
    expect(store.getState().playback).toMatchObject({ step: 0, playing: true });
    store.getState().setSpeed(2);
    expect(store.getState().playback.speed).toBe(2);
    store.getState().setSpeed(0);
    expect(store.getState().playback.speed).toBe(2);
  });
});
