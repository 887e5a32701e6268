import { describe, expect, it } from 'vitest';
import { bootLab, RETURN_SLOT_KEY } from './boot';
import { createLabLibrary, lessonSlot, SANDBOX_SLOT, SHARED_SLOT, type LabStorage } from './labLibrary';
import { labToolsLoaded, needsLabTools, type LabRecord } from './labRecord';
import { encodeShareLink } from './shareEncode';

const memory = (): LabStorage & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
};

const mine: LabRecord = {
  name: 'my lab',
  settings: { seed: 5 },
  yaml: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: mine}\n',
  ops: [{ op: 'kubectl', line: 'kubectl create deployment mine --image=nginx' }],
};
const theirs: LabRecord = { name: 'their lab', settings: { seed: 9, cni: 'cilium' }, yaml: '', ops: [] };
const podNames = (b: Awaited<ReturnType<typeof bootLab>>) =>
  b.labStore.getState().snapshot.pods.map((p) => p.metadata?.name);

describe('bootLab', () => {
  it('restores the active slot after a reload', async () => {
    const storage = memory();
    createLabLibrary(storage).save(SANDBOX_SLOT, mine);
    const b = await bootLab('', storage);
    expect(b.labStore.getState().record).toEqual(mine);
    expect(b.session.getState().notices).toEqual([]);
    b.labStore.getState().kubectl('kubectl scale deployment mine --replicas=3', '');
    b.stop();
    const again = await bootLab('', storage);
    expect(again.labStore.getState().record.ops).toHaveLength(2);
    expect(podNames(again)).toEqual(podNames(b));
    again.stop();
  });

  it('opens a share link in the shared slot, never over the sandbox, and goes back', async () => {
    const storage = memory();
    createLabLibrary(storage).save(SANDBOX_SLOT, mine);
    const sandboxBefore = storage.data.get('k8s-net-lab:lab:sandbox');
    const b = await bootLab(encodeShareLink(theirs, { lesson: { id: '04-services', step: 1 } }), storage);
    expect(b.openedLink).toBe(true);
    expect(b.lesson).toEqual({ id: '04-services', step: 1 });
    expect(b.labStore.getState().record).toEqual(theirs);
    expect(b.session.getState().slot).toBe(SHARED_SLOT);
    b.labStore.getState().kubectl('kubectl create deployment theirs --image=nginx', '');
    expect(storage.data.get('k8s-net-lab:lab:sandbox')).toBe(sandboxBefore);
    expect(storage.data.get('k8s-net-lab:lab:shared')).toContain('deployment theirs');
    // A reload (the fragment cleared) keeps the shared lab.
    const reloaded = await bootLab('', storage);
    expect(reloaded.labStore.getState().record.name).toBe('their lab');
    reloaded.stop();
    b.session.getState().backToMyLab();
    expect(b.labStore.getState().record).toEqual(mine);
    expect(b.session.getState().slot).toBe(SANDBOX_SLOT);
    expect(storage.data.get('k8s-net-lab:lab:sandbox')).toBe(sandboxBefore);
    b.stop();
  });

  it('goes back to the lesson slot the learner was in', async () => {
    const storage = memory();
    const lib = createLabLibrary(storage);
    lib.save(lessonSlot('04-services'), mine);
    lib.setActiveSlot(lessonSlot('04-services'));
    const b = await bootLab(encodeShareLink(theirs), storage);
    expect(storage.data.get(RETURN_SLOT_KEY)).toBe('lesson:04-services');
    b.session.getState().backToMyLab();
    expect(b.session.getState().slot).toBe('lesson:04-services');
    expect(b.labStore.getState().record).toEqual(mine);
    b.stop();
  });

  it('keeps the learner lab and says why when the link is broken', async () => {
    const storage = memory();
    createLabLibrary(storage).save(SANDBOX_SLOT, mine);
    const good = encodeShareLink(theirs);
    const b = await bootLab(good.slice(0, good.length - 10), storage);
    expect(b.labStore.getState().record).toEqual(mine);
    expect(b.session.getState().slot).toBe(SANDBOX_SLOT);
    expect(b.session.getState().notices).toEqual([
      { id: 1, tone: 'error', text: expect.stringMatching(/damaged.*Your own lab is unchanged\.$/) },
    ]);
    expect(storage.data.has('k8s-net-lab:lab:shared')).toBe(false);
    b.stop();
  });

  it('falls back to the starter lab with a message when the save is damaged', async () => {
    const storage = memory();
    storage.setItem('k8s-net-lab:lab:sandbox', '{"name": "x", "yaml": 3');
    const b = await bootLab('', storage);
    expect(b.labStore.getState().record.name).toBe('Starter lab');
    expect(b.session.getState().notices[0]?.text).toMatch(/saved lab is damaged/);
    b.stop();
  });

  it('works without storage and when storage throws, with messages', async () => {
    const none = await bootLab(encodeShareLink(theirs), null);
    expect(none.labStore.getState().record).toEqual(theirs);
    expect(
      none.session
        .getState()
        .notices.map((n) => n.text)
        .join(' '),
    ).toMatch(/does not let the lab store/);
    none.stop();

    const throwing: LabStorage = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    const b = await bootLab('', throwing);
    expect(b.labStore.getState().record.name).toBe('Starter lab');
    b.labStore.getState().kubectl('kubectl create deployment x --image=nginx', '');
    expect(b.session.getState().saveError).toMatch(/storage for the lab is full/);
    expect(b.session.getState().notices.some((n) => /full/.test(n.text))).toBe(true);
    b.stop();
  });

  it("replays a saved lab with kubectl lines once the lab's tools have loaded", async () => {
    const storage = memory();
    createLabLibrary(storage).save(SANDBOX_SLOT, mine);
    expect(needsLabTools(mine)).toBe(true);
    expect(needsLabTools(theirs)).toBe(false);
    const b = await bootLab('', storage);
    expect(labToolsLoaded()).toBe(true);
    expect(podNames(b).some((n) => n?.startsWith('mine-'))).toBe(true);
    b.stop();
  });

  it('saves into the session slot, which every switch sets, even where storage cannot remember it', async () => {
    const data = new Map<string, string>();
    // Storage that keeps labs but refuses to remember the slot in use.
    const storage: LabStorage = {
      getItem: (k) => data.get(k) ?? null,
      setItem: (k, v) => {
        if (k === 'k8s-net-lab:active-lab') throw new DOMException('quota', 'QuotaExceededError');
        data.set(k, v);
      },
      removeItem: (k) => void data.delete(k),
    };
    const b = await bootLab(encodeShareLink(theirs), storage);
    expect(b.sharedOpened).toBe(true);
    expect(b.session.getState().slot).toBe(SHARED_SLOT);
    expect(b.session.getState().returnSlot).toBe(SANDBOX_SLOT);
    expect(b.session.getState().switchSlot(lessonSlot('04-services'))).toMatch(/full/);
    expect(b.session.getState().slot).toBe('lesson:04-services');
    b.labStore.getState().loadLab(mine);
    expect(data.get('k8s-net-lab:lab:lesson:04-services')).toContain('deployment mine');
    expect(data.get('k8s-net-lab:lab:shared')).not.toContain('deployment mine');
    b.stop();
    const broken = await bootLab('#share=1.AAAA', storage);
    expect(broken.openedLink).toBe(true);
    expect(broken.sharedOpened).toBe(false);
    broken.stop();
  });
});
