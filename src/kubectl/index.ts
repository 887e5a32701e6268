// The kubectl command layer's public entry: pure TypeScript over the engine API.
export { runKubectl } from './kubectl';
export { complete } from './complete';
export { VERBS, findVerb } from './registry';
export { tokenize } from './tokenize';
export { tabwrite, table } from './tabwriter';
export type { KubectlContext, KubectlOutput, Verb, VerbArgs, FlagSpec } from './types';
