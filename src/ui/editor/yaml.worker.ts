// monaco-yaml's language server (validation, completion, hover), built as its own chunk via `?worker`.
import 'monaco-yaml/yaml.worker';
