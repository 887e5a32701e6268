import { describe, expect, it } from 'vitest';
import { autosave, createLabLibrary, lessonSlot, SANDBOX_SLOT, type LabStorage } from './labLibrary';
import { createLabStoreFrom } from './labStore';
import type { LabRecord } from './labRecord';

const memory = (): LabStorage & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
};

const record: LabRecord = { name: 'mine', settings: { seed: 3 }, yaml: '', ops: [] };

describe('lab library', () => {
  it('keeps labs apart by slot and remembers the active one', () => {
    const lib = createLabLibrary(memory());
    expect(lib.activeSlot()).toBe(SANDBOX_SLOT);
    lib.save(SANDBOX_SLOT, record);
    lib.save(lessonSlot('04-services'), { ...record, name: 'lesson' });
    lib.setActiveSlot(lessonSlot('04-services'));
    expect(lib.activeSlot()).toBe('lesson:04-services');
    expect(lib.load(SANDBOX_SLOT)).toEqual({ ok: true, record });
    expect(lib.load('nothing')).toEqual({ ok: true, record: null });
  });

  it('does not save a lab past the record limits over the last one that fits, and says why', () => {
    const lib = createLabLibrary(memory());
    expect(lib.save(SANDBOX_SLOT, record)).toBe(null);
    const huge: LabRecord = {
      ...record,
      ops: Array.from({ length: 5_001 }, () => ({ op: 'setCni', cni: 'calico' }) as const),
    };
    expect(lib.save(SANDBOX_SLOT, huge)).toMatch(/too large to save .*5001 operations; at most 5000/);
    expect(lib.load(SANDBOX_SLOT)).toEqual({ ok: true, record });
  });

  it('reports a damaged saved lab instead of throwing', () => {
    const storage = memory();
    const lib = createLabLibrary(storage);
    storage.setItem('k8s-net-lab:lab:sandbox', '{"name":');
    expect(lib.load(SANDBOX_SLOT)).toMatchObject({ ok: false, error: expect.stringContaining('damaged') });
    storage.setItem('k8s-net-lab:lab:sandbox', JSON.stringify({ ...record, ops: [{ op: 'rm -rf' }] }));
    expect(lib.load(SANDBOX_SLOT)).toMatchObject({
      ok: false,
      error: expect.stringContaining('not an operation'),
    });
  });

  it('turns a full or disabled storage into a message', () => {
    const full: LabStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    expect(createLabLibrary(full).save(SANDBOX_SLOT, record)).toMatch(/storage for the lab is full/);
    expect(createLabLibrary(null).save(SANDBOX_SLOT, record)).toMatch(/does not let the lab store anything/);
  });

  it('autosaves every change of the lab to the active slot', () => {
    const storage = memory();
    const lib = createLabLibrary(storage);
    const store = createLabStoreFrom(record);
    const results: (string | null)[] = [];
    const stop = autosave(store, lib, (e) => results.push(e));
    store.getState().kubectl('kubectl create deployment web --image=nginx', '');
    store.getState().select({ kind: 'Pod', ref: 'default/x' });
    expect(results).toEqual([null]);
    const saved = lib.load(SANDBOX_SLOT);
    expect(saved.ok && saved.record?.ops).toEqual([
      { op: 'kubectl', line: 'kubectl create deployment web --image=nginx' },
    ]);
    stop();
  });
});
