import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { SessionState, SessionStore } from '../../store/boot';

/** The page's session (the slot in use, notices); absent where a test mounts parts of the app alone. */
export const SessionContext = createContext<SessionStore | null>(null);

/** A session for a tree mounted without one: it follows slot switches and keeps nothing. */
const detached: SessionStore = createStore<SessionState>()((set, get) => ({
  slot: 'sandbox',
  returnSlot: 'sandbox',
  notices: [],
  saveError: null,
  notify: () => undefined,
  dismiss: () => undefined,
  switchSlot(slot) {
    if (slot !== get().slot) set({ slot });
    return null;
  },
  backToMyLab: () => set({ slot: get().returnSlot }),
}));

/** The page's session store itself, for code that acts on it outside rendering. */
export function useSessionStore(): SessionStore {
  return useContext(SessionContext) ?? detached;
}

export function useSession<T>(selector: (state: SessionState) => T): T {
  return useStore(useSessionStore(), selector);
}

export const selectSlot = (s: SessionState) => s.slot;
export const selectNotices = (s: SessionState) => s.notices;
export const selectDismiss = (s: SessionState) => s.dismiss;
