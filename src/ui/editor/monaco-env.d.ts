// monaco-editor ships types for `editor.api` only; `edcore.main` is the same API plus the editor's
// built-in features (find, folding, suggest, hover…).
declare module 'monaco-editor/esm/vs/editor/edcore.main' {
  export * from 'monaco-editor/esm/vs/editor/editor.api';
}
