import { loadKubectl } from './labRecord';

// The browser loads the kubectl layer on demand (labRecord.loadKubectl) before it runs or replays
// kubectl lines. Unit tests drive the store synchronously, so the layer is loaded before they run.
await loadKubectl();
