import { createStore, type StoreApi } from 'zustand/vanilla';

// The YAML editor's content, kept apart from the lab store: the terminal reads it for
// `kubectl apply -f editor.yaml`, and it survives a reload through localStorage.

export const EDITOR_STORAGE_KEY = 'k8s-net-lab:editor-yaml';

export interface EditorState {
  /** The lab's starting YAML, for Reset. */
  readonly initialYaml: string;
  readonly yaml: string;
  /** Why the content could not be saved or restored (private mode, quota), or null. */
  readonly storageError: string | null;
  setYaml(yaml: string): void;
  reset(): void;
}

export type EditorStore = StoreApi<EditorState>;

/** The subset of the Web Storage API the editor uses (a test can pass its own). */
export type EditorStorage = Pick<Storage, 'getItem' | 'setItem'>;

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createEditorStore(initialYaml: string, storage: EditorStorage | null): EditorStore {
  let restored: string | null = null;
  let storageError: string | null = storage ? null : 'This browser does not offer local storage.';
  try {
    restored = storage?.getItem(EDITOR_STORAGE_KEY) ?? null;
  } catch (e) {
    storageError = `Could not restore the editor's content: ${describe(e)}`;
  }

  return createStore<EditorState>()((set) => {
    const save = (yaml: string) => {
      if (!storage) return;
      try {
        storage.setItem(EDITOR_STORAGE_KEY, yaml);
        set({ storageError: null });
      } catch (e) {
        set({ storageError: `Could not save the editor's content in this browser: ${describe(e)}` });
      }
    };
    return {
      initialYaml,
      yaml: restored ?? initialYaml,
      storageError,
      setYaml(yaml) {
        set({ yaml });
        save(yaml);
      },
      reset() {
        set({ yaml: initialYaml });
        save(initialYaml);
      },
    };
  });
}

/** The browser's localStorage, or null where reading it throws (some privacy modes). */
export function browserStorage(): EditorStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export const selectEditorYaml = (s: EditorState) => s.yaml;
export const selectInitialYaml = (s: EditorState) => s.initialYaml;
export const selectStorageError = (s: EditorState) => s.storageError;
