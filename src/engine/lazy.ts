// Loads the engine's on-demand half (./parts.ts) once. Whatever reads YAML text or sends a packet
// awaits loadEngineParts() first: the terminal, the editor, the traffic controls, a lesson, and a
// saved or shared lab that replays such operations. A call made before it resolved is a bug in the
// caller, and says so.
import type * as Parts from './parts';

let loaded: typeof Parts | null = null;
let loading: Promise<void> | null = null;

/** Loads the on-demand half once; resolves when YAML can be read and packets traced. */
export function loadEngineParts(): Promise<void> {
  loading ??= import('./parts').then(
    (m) => {
      loaded = m;
    },
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/** Whether loadEngineParts() has resolved. */
export const enginePartsLoaded = (): boolean => loaded !== null;

export function parts(): typeof Parts {
  if (!loaded) throw new Error('The network simulation has not loaded yet; try again in a moment.');
  return loaded;
}
