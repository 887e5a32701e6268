import { createStore, type StoreApi } from 'zustand/vanilla';

// The YAML editor's content, kept apart from the lab store: the terminal reads it for
// `kubectl apply -f editor.yaml`, and it survives a reload through localStorage. Each lab slot
// (sandbox, a lesson, a shared lab) has its own content, so a link that carries editor content
// fills the shared lab's editor and never the learner's own.

/** Where the sandbox's editor content is saved; other slots add `:<slot>`. */
export const EDITOR_STORAGE_KEY = 'k8s-net-lab:editor-yaml';
const SANDBOX = 'sandbox';

/** The storage key of `slot`'s editor content (the sandbox keeps the key it always had). */
export const editorStorageKey = (slot: string): string =>
  slot === SANDBOX ? EDITOR_STORAGE_KEY : `${EDITOR_STORAGE_KEY}:${slot}`;

export interface EditorState {
  /** The lab's starting YAML, for Reset. */
  readonly initialYaml: string;
  /** The lab slot whose content the editor holds. */
  readonly slot: string;
  readonly yaml: string;
  /** Why the content could not be saved or restored (private mode, quota), or null. */
  readonly storageError: string | null;
  setYaml(yaml: string): void;
  reset(): void;
  /** Shows `slot`'s content (what was saved for it, else the starting YAML). */
  showSlot(slot: string): void;
}

export type EditorStore = StoreApi<EditorState>;

/** The subset of the Web Storage API the editor uses (a test can pass its own). */
export type EditorStorage = Pick<Storage, 'getItem' | 'setItem'>;

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Saves `yaml` as `slot`'s editor content; an error message, or null. */
export function saveEditorContent(storage: EditorStorage | null, slot: string, yaml: string): string | null {
  if (!storage) return null;
  try {
    storage.setItem(editorStorageKey(slot), yaml);
    return null;
  } catch (e) {
    return `Could not save the editor's content in this browser: ${describe(e)}`;
  }
}

export function createEditorStore(
  initialYaml: string,
  storage: EditorStorage | null,
  slot: string = SANDBOX,
): EditorStore {
  // Without storage, each slot's content still lasts while the tab is open.
  const inMemory = new Map<string, string>();
  const unavailable = storage ? null : 'This browser does not offer local storage.';
  const restore = (s: string): { yaml: string; storageError: string | null } => {
    if (!storage) return { yaml: inMemory.get(s) ?? initialYaml, storageError: unavailable };
    try {
      return { yaml: storage.getItem(editorStorageKey(s)) ?? initialYaml, storageError: null };
    } catch (e) {
      return {
        yaml: inMemory.get(s) ?? initialYaml,
        storageError: `Could not restore the editor's content: ${describe(e)}`,
      };
    }
  };
  const first = restore(slot);

  return createStore<EditorState>()((set, get) => {
    const save = (yaml: string) => {
      inMemory.set(get().slot, yaml);
      if (!storage) return;
      const error = saveEditorContent(storage, get().slot, yaml);
      if (error !== get().storageError) set({ storageError: error });
    };
    return {
      initialYaml,
      slot,
      yaml: first.yaml,
      storageError: first.storageError,
      setYaml(yaml) {
        set({ yaml });
        save(yaml);
      },
      reset() {
        set({ yaml: initialYaml });
        save(initialYaml);
      },
      showSlot(next) {
        if (next === get().slot) return;
        set({ slot: next, ...restore(next) });
      },
    };
  });
}

export const selectEditorYaml = (s: EditorState) => s.yaml;
export const selectStorageError = (s: EditorState) => s.storageError;
