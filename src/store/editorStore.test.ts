import { describe, expect, it } from 'vitest';
import {
  createEditorStore,
  EDITOR_STORAGE_KEY,
  editorStorageKey,
  saveEditorContent,
  type EditorStorage,
} from './editorStore';

const memory = (): EditorStorage & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
  };
};

describe('editorStore', () => {
  it('starts from the lab YAML and saves every change', () => {
    const storage = memory();
    const store = createEditorStore('kind: A\n', storage);
    expect(store.getState().yaml).toBe('kind: A\n');
    store.getState().setYaml('kind: B\n');
    expect(storage.data.get(EDITOR_STORAGE_KEY)).toBe('kind: B\n');
  });

  it('restores saved content after a reload, and Reset goes back to the lab YAML', () => {
    const storage = memory();
    storage.data.set(EDITOR_STORAGE_KEY, 'kind: Saved\n');
    const store = createEditorStore('kind: A\n', storage);
    expect(store.getState().yaml).toBe('kind: Saved\n');
    store.getState().reset();
    expect(store.getState().yaml).toBe('kind: A\n');
    expect(storage.data.get(EDITOR_STORAGE_KEY)).toBe('kind: A\n');
  });

  it('keeps working and says why when storage throws', () => {
    const storage: EditorStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const store = createEditorStore('kind: A\n', storage);
    store.getState().setYaml('kind: B\n');
    expect(store.getState().yaml).toBe('kind: B\n');
    expect(store.getState().storageError).toContain('QuotaExceededError');
  });

  it("keeps each lab slot's content apart, so a shared lab's content never replaces the learner's", () => {
    const storage = memory();
    storage.data.set(EDITOR_STORAGE_KEY, 'kind: Mine\n');
    expect(saveEditorContent(storage, 'shared', 'kind: Theirs\n')).toBeNull();
    const store = createEditorStore('kind: A\n', storage);
    expect(store.getState().yaml).toBe('kind: Mine\n');
    store.getState().showSlot('shared');
    expect(store.getState().yaml).toBe('kind: Theirs\n');
    store.getState().setYaml('kind: Theirs2\n');
    store.getState().showSlot('lesson:01-components');
    expect(store.getState().yaml).toBe('kind: A\n');
    store.getState().showSlot('sandbox');
    expect(store.getState().yaml).toBe('kind: Mine\n');
    expect(storage.data.get(EDITOR_STORAGE_KEY)).toBe('kind: Mine\n');
    expect(storage.data.get(editorStorageKey('shared'))).toBe('kind: Theirs2\n');
  });

  it('without storage, each slot keeps its content while the tab is open', () => {
    const store = createEditorStore('kind: A\n', null, 'shared');
    store.getState().setYaml('kind: Theirs\n');
    store.getState().showSlot('sandbox');
    store.getState().setYaml('kind: Mine\n');
    store.getState().showSlot('shared');
    expect(store.getState().yaml).toBe('kind: Theirs\n');
    expect(store.getState().storageError).toMatch(/does not offer local storage/);
  });
});
