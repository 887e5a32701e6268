import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  autosave,
  createLabLibrary,
  SANDBOX_SLOT,
  SHARED_SLOT,
  type LabLibrary,
  type LabStorage,
} from './labLibrary';
import { createLabStoreFrom, type LabStore } from './labStore';
import { loadLabTools, needsLabTools, type LabRecord } from './labRecord';
import { isShareFragment, type ShareDecode, type SharedLesson } from './share';
import { starterLab } from './starterLab';

// How the page finds its lab when it loads: a share link opens in the `shared` slot (the learner's
// own labs stay as they were), otherwise the slot last in use is restored from the browser. Every
// problem on the way (a broken link, a damaged save, a full or disabled storage) becomes a notice
// the page shows, and the lab still opens.

export interface Notice {
  readonly id: number;
  /** `error` for what went wrong (role=alert), `info` for what the learner should know (role=status). */
  readonly tone: 'error' | 'info';
  readonly text: string;
}

export interface SessionState {
  /**
   * The library slot the tab works in (`sandbox`, `shared`, `lesson:<id>`): the one place that says
   * which lab the tab shows. Autosave writes here, and every switch goes through switchSlot.
   */
  readonly slot: string;
  /** Where "Back to my lab" leads from the shared lab: the slot in use before the link opened. */
  readonly returnSlot: string;
  readonly notices: readonly Notice[];
  /** The latest save's error (storage full or disabled), or null while saving works. */
  readonly saveError: string | null;
  notify(tone: Notice['tone'], text: string): void;
  dismiss(id: number): void;
  /**
   * Makes `slot` the one in use (and remembered for a reload) before its lab is loaded, so the
   * autosave that follows never writes one lab into another's slot. An error message, or null.
   */
  switchSlot(slot: string): string | null;
  /** Leaves the shared lab for the lab the learner worked in before opening the link. */
  backToMyLab(): void;
}

export type SessionStore = StoreApi<SessionState>;

export interface Booted {
  readonly labStore: LabStore;
  readonly library: LabLibrary;
  readonly session: SessionStore;
  /** The lesson and step a share link was made on, to open once the page is up. */
  readonly lesson: SharedLesson | null;
  /** The editor content a share link carried. */
  readonly editorYaml: string | null;
  /** Whether the location's `#share=` fragment was consumed (the caller clears it from the URL). */
  readonly openedLink: boolean;
  /** Whether that link's lab opened (in the `shared` slot); false for a link that could not. */
  readonly sharedOpened: boolean;
  /** Stops autosaving (tests; the page never stops). */
  stop(): void;
}

/** Where the slot in use before a link was opened is remembered, for "Back to my lab". */
export const RETURN_SLOT_KEY = 'k8s-net-lab:return-slot';

export const starterRecord = (): LabRecord => ({
  name: starterLab.name,
  settings: {},
  yaml: starterLab.yaml,
  ops: [],
});

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * A store for `record`, or the reason replaying it failed (a record the engine cannot rebuild, or
 * the tools a record's operations need could not load).
 */
async function storeFor(record: LabRecord): Promise<LabStore | { error: string }> {
  try {
    if (needsLabTools(record)) await loadLabTools();
    return createLabStoreFrom(record);
  } catch (e) {
    return { error: describe(e) };
  }
}

function readReturnSlot(storage: LabStorage | null): string {
  try {
    const v = storage?.getItem(RETURN_SLOT_KEY) ?? null;
    return v !== null && v !== SHARED_SLOT && v.length < 300 ? v : SANDBOX_SLOT;
  } catch {
    return SANDBOX_SLOT;
  }
}

/**
 * Opens the lab for a page whose location hash is `hash`, with `storage` (localStorage, or null
 * where the browser refuses it). Never rejects for anything the hash or the storage hold. It is
 * asynchronous because a lab that replays kubectl lines, YAML text or traffic waits for the lab's tools to load.
 */
export async function bootLab(hash: string, storage: LabStorage | null): Promise<Booted> {
  const library = createLabLibrary(storage);
  const notices: Notice[] = [];
  let nextId = 1;
  const note = (tone: Notice['tone'], text: string) => notices.push({ id: nextId++, tone, text });

  let labStore: LabStore | null = null;
  let slot = library.activeSlot();
  let returnSlot = readReturnSlot(storage);
  let lesson: SharedLesson | null = null;
  let editorYaml: string | null = null;
  const openedLink = isShareFragment(hash);
  let sharedOpened = false;

  if (openedLink) {
    // The link reader loads only when the page opens with a link.
    const decoded: ShareDecode = await import('./shareDecode').then(
      (m) => m.decodeShareLink(hash),
      (e: unknown) => ({ ok: false, error: `The share link could not be read (${describe(e)}).` }),
    );
    if (!decoded.ok) {
      note('error', `${decoded.error} Your own lab is unchanged.`);
    } else {
      const opened = await storeFor(decoded.payload.lab);
      if ('error' in opened) {
        note(
          'error',
          `This share link's lab could not be rebuilt (${opened.error}). Your own lab is unchanged.`,
        );
      } else {
        labStore = opened;
        sharedOpened = true;
        // The slot the learner was in is where "Back to my lab" returns, even after reloads.
        if (slot !== SHARED_SLOT) {
          returnSlot = slot;
          try {
            storage?.setItem(RETURN_SLOT_KEY, slot);
          } catch {
            // Without storage the return slot is the sandbox, which is where the learner's work would be.
          }
        }
        slot = SHARED_SLOT;
        const saveError =
          library.save(SHARED_SLOT, decoded.payload.lab) ?? library.setActiveSlot(SHARED_SLOT);
        if (saveError) note('error', saveError);
        lesson = decoded.payload.lesson ?? null;
        editorYaml = decoded.payload.editorYaml ?? null;
      }
    }
  }

  if (!labStore) {
    const loaded = library.load(slot);
    if (!loaded.ok) note('error', loaded.error);
    const record = loaded.ok ? loaded.record : null;
    if (record) {
      const restored = await storeFor(record);
      if ('error' in restored)
        note('error', `The saved lab could not be rebuilt (${restored.error}), so the lab starts afresh.`);
      else labStore = restored;
    }
    labStore ??= createLabStoreFrom(starterRecord());
  }
  if (!storage)
    note(
      'info',
      'This browser does not let the lab store anything, so your work lasts only while the tab is open.',
    );

  const store = labStore;
  const session = createStore<SessionState>()((set, get) => ({
    slot,
    returnSlot,
    notices,
    saveError: null,
    notify(tone, text) {
      if (get().notices.some((n) => n.text === text)) return;
      set({ notices: [...get().notices, { id: nextId++, tone, text }] });
    },
    dismiss(id) {
      set({ notices: get().notices.filter((n) => n.id !== id) });
    },
    switchSlot(next) {
      if (next === get().slot) return null;
      set({ slot: next });
      return library.setActiveSlot(next);
    },
    backToMyLab() {
      const target = get().returnSlot;
      // The slot changes first: autosave writes the lab that loads next into the slot now in use.
      const error = get().switchSlot(target);
      const loaded = library.load(target);
      const record = (loaded.ok ? loaded.record : null) ?? starterRecord();
      store.getState().loadLab(record);
      set({
        notices: [
          ...get().notices.filter((n) => n.tone === 'error' && n.text !== error),
          ...(error ? [{ id: nextId++, tone: 'error' as const, text: error }] : []),
          ...(loaded.ok ? [] : [{ id: nextId++, tone: 'error' as const, text: loaded.error }]),
        ],
      });
    },
  }));

  // Saves into the session's slot, which is right even where storage refuses to remember it.
  const sessionLibrary: LabLibrary = { ...library, activeSlot: () => session.getState().slot };
  const stop = autosave(store, sessionLibrary, (error) => {
    if (error === session.getState().saveError) return;
    session.setState({ saveError: error });
    if (error) session.getState().notify('error', error);
  });

  return { labStore: store, library, session, lesson, editorYaml, openedLink, sharedOpened, stop };
}
