import { useContext } from 'react';
import { useStore } from 'zustand';
import type { LabState } from '../store/labStore';
import { LabStoreContext } from './labStoreContext';

/** Subscribes to one slice of the lab store; pass a named selector from `store/selectors`. */
export function useLab<T>(selector: (state: LabState) => T): T {
  const store = useContext(LabStoreContext);
  if (!store) throw new Error('useLab must be used inside <LabStoreProvider>.');
  return useStore(store, selector);
}
