import type { LabStore } from './labStore';
import { checkLabRecord, type LabRecord } from './labRecord';

// The labs a learner keeps in this browser, each under a slot: their own free lab (`sandbox`), one
// per lesson (`lesson:<id>`), and the last lab opened from a link (`shared`), so opening a link or a
// lesson never overwrites another lab. Which slot is in use is remembered too, so a reload comes
// back to the same lab. Storage can be missing, full or disabled: every call reports that as a
// message instead of throwing, and the lab in the tab goes on working.

export const SANDBOX_SLOT = 'sandbox';
export const SHARED_SLOT = 'shared';
export const lessonSlot = (lessonId: string) => `lesson:${lessonId}`;

const KEY_PREFIX = 'k8s-net-lab:lab:';
const ACTIVE_KEY = 'k8s-net-lab:active-lab';

/** The subset of the Web Storage API the library uses (a test can pass its own). */
export type LabStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export type Loaded =
  { readonly ok: true; readonly record: LabRecord | null } | { readonly ok: false; readonly error: string };

export interface LabLibrary {
  /** The slot the tab works in (`sandbox` when none was chosen). */
  activeSlot(): string;
  /** Remembers `slot` as the one in use; an error message, or null. */
  setActiveSlot(slot: string): string | null;
  /** The lab saved under `slot`, null when there is none, or why it could not be read. */
  load(slot: string): Loaded;
  /** Saves `record` under `slot`; an error message, or null. */
  save(slot: string, record: LabRecord): string | null;
  remove(slot: string): string | null;
}

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

const quotaMessage = (e: unknown) =>
  e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22)
    ? "This browser's storage for the lab is full, so your latest changes are not saved. They stay in this tab until you close it."
    : `Your changes could not be saved in this browser (${describe(e)}). They stay in this tab until you close it.`;

export function createLabLibrary(storage: LabStorage | null): LabLibrary {
  const unavailable =
    'This browser does not let the lab store anything, so your work lasts only while the tab is open.';
  return {
    activeSlot() {
      try {
        return storage?.getItem(ACTIVE_KEY) ?? SANDBOX_SLOT;
      } catch {
        return SANDBOX_SLOT;
      }
    },
    setActiveSlot(slot) {
      if (!storage) return unavailable;
      try {
        storage.setItem(ACTIVE_KEY, slot);
        return null;
      } catch (e) {
        return quotaMessage(e);
      }
    },
    load(slot) {
      if (!storage) return { ok: true, record: null };
      let text: string | null;
      try {
        text = storage.getItem(KEY_PREFIX + slot);
      } catch (e) {
        return { ok: false, error: `The saved lab could not be read (${describe(e)}).` };
      }
      if (text === null) return { ok: true, record: null };
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return { ok: false, error: 'The saved lab is damaged (not valid JSON), so the lab starts afresh.' };
      }
      const checked = checkLabRecord(value);
      return checked.ok
        ? { ok: true, record: checked.record }
        : { ok: false, error: `The saved lab is damaged (${checked.error}), so the lab starts afresh.` };
    },
    save(slot, record) {
      if (!storage) return unavailable;
      // What is saved must load again: a lab past the record's limits is not written over the last
      // one that fits, and the learner is told.
      const check = checkLabRecord(record);
      if (!check.ok)
        return `This lab has grown too large to save (${check.error}). Reset it, or export its manifests, to keep your work.`;
      try {
        storage.setItem(KEY_PREFIX + slot, JSON.stringify(record));
        return null;
      } catch (e) {
        return quotaMessage(e);
      }
    },
    remove(slot) {
      if (!storage) return null;
      try {
        storage.removeItem(KEY_PREFIX + slot);
        return null;
      } catch (e) {
        return describe(e);
      }
    },
  };
}

/**
 * Saves the lab under the active slot whenever its record changes (every apply, command and
 * setting), and reports each save's outcome (null once saving works again).
 */
export function autosave(
  store: LabStore,
  library: LabLibrary,
  onResult: (error: string | null) => void = () => undefined,
): () => void {
  return store.subscribe((state, previous) => {
    if (state.record === previous.record) return;
    onResult(library.save(library.activeSlot(), state.record));
  });
}
