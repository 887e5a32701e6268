import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { SessionState, SessionStore } from '../../store/boot';

/** The page's session (the slot in use, notices); absent where a test mounts parts of the app alone. */
export const SessionContext = createContext<SessionStore | null>(null);

/** A session that holds nothing and does nothing, for a tree mounted without one. */
const detached: SessionStore = createStore<SessionState>()(() => ({
  slot: 'sandbox',
  notices: [],
  saveError: null,
  notify: () => undefined,
  dismiss: () => undefined,
  backToMyLab: () => undefined,
}));

export function useSession<T>(selector: (state: SessionState) => T): T {
  return useStore(useContext(SessionContext) ?? detached, selector);
}

export const selectSlot = (s: SessionState) => s.slot;
export const selectNotices = (s: SessionState) => s.notices;
export const selectDismiss = (s: SessionState) => s.dismiss;
export const selectBackToMyLab = (s: SessionState) => s.backToMyLab;
export const selectNotify = (s: SessionState) => s.notify;
