// Monaco's base worker (diffs, word ranges), built by Vite as its own chunk via `?worker`.
import 'monaco-editor/esm/vs/editor/editor.worker';
