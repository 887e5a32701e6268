import type { ReactNode } from 'react';
import type { LabStore } from '../store/labStore';
import { LabStoreContext } from './labStoreContext';

export function LabStoreProvider({ store, children }: { store: LabStore; children: ReactNode }) {
  return <LabStoreContext value={store}>{children}</LabStoreContext>;
}
