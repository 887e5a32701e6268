// One terminal line in, kubectl's output out. Never throws: bad input becomes kubectl's error text.
import type { Engine } from '../engine';
import { parseFlags } from './flags';
import { suggestionsFor } from './levenshtein';
import { findVerb, VERBS } from './registry';
import { tokenize } from './tokenize';
import { fail, type KubectlContext, type KubectlOutput, type Verb } from './types';

/** Drops a leading `kubectl` / `k` and returns the words of the command. */
export function commandWords(words: readonly string[]): string[] {
  const [first, ...rest] = words;
  return first === 'kubectl' || first === 'k' ? rest : [...words];
}

/** Index of the verb: the first word that is neither a flag nor the value of a leading -n. */
export function verbIndex(words: readonly string[]): number {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '-n' || w === '--namespace') {
      i++;
      continue;
    }
    if (w.startsWith('-')) continue;
    return i;
  }
  return -1;
}

function rootHelp(): string {
  const rows = VERBS.map((v) => `  ${v.name.padEnd(15)}${v.short}`).join('\n');
  return `kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\nCommands:\n${rows}\n\nUsage:\n  kubectl [flags] [options]\n`;
}

function verbHelp(v: Verb): string {
  const flags = v.flags
    .map(
      (f) =>
        `    ${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.type === 'bool' ? '' : `=${f.type === 'int' ? '0' : "''"}`}`,
    )
    .join('\n');
  return `${v.short}.\n\nOptions:\n${flags || '    <none>'}\n\nUsage:\n  ${v.usage}\n`;
}

export function runKubectl(engine: Engine, line: string, ctx: KubectlContext = {}): KubectlOutput {
  try {
    return dispatch(engine, line, ctx);
  } catch (e) {
    return fail(`error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function dispatch(engine: Engine, line: string, ctx: KubectlContext): KubectlOutput {
  const t = tokenize(line);
  if (t.error) return fail(`bash: ${t.error}`, 2);
  const words = commandWords(t.words);
  const vi = verbIndex(words);
  if (vi < 0) return { stdout: rootHelp(), stderr: '', exitCode: 0, connects: [] };
  const name = words[vi] as string;
  const verb = findVerb(name);
  if (!verb) {
    const sugg = suggestionsFor(
      name,
      VERBS.map((v) => v.name),
    );
    const tail = sugg.length ? `\n\nDid you mean this?\n${sugg.map((s) => `\t${s}\n`).join('')}` : '\n';
    return fail(`error: unknown command "${name}" for "kubectl"${tail}`);
  }
  const rest = [...words.slice(0, vi), ...words.slice(vi + 1)];
  const parsed = parseFlags(rest, verb.flags);
  if ('error' in parsed) {
    if (parsed.error.startsWith('required flag')) return fail(`error: ${parsed.error}`);
    return fail(`error: ${parsed.error}\nSee 'kubectl ${verb.name} --help' for usage.`);
  }
  if (parsed.flags.get('help') === true)
    return { stdout: verbHelp(verb), stderr: '', exitCode: 0, connects: [] };
  const ns = parsed.flags.get('namespace');
  return verb.run(
    {
      verb: verb.name,
      args: parsed.args,
      dash: parsed.dash,
      flags: parsed.flags,
      namespace: typeof ns === 'string' && ns ? ns : 'default',
      ctx,
    },
    engine,
  );
}
