import { loadLabTools } from './labRecord';

// The browser loads the lab's tools on demand (labRecord.loadLabTools: kubectl, and the engine's
// YAML reader and data plane) before it uses them. Unit tests drive the engine and the store
// synchronously, so the tools are loaded before they run.
await loadLabTools();
