import { createContext } from 'react';
import type { LabStore } from '../store/labStore';

/** The lab store the component tree works on (one per page; tests may mount their own). */
export const LabStoreContext = createContext<LabStore | null>(null);
