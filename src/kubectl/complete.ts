// Tab completion for the terminal: verbs, flags, resource types and object names for the verb,
// type and namespace on the line (what kubectl's `__complete` offers for the same positions).
import type { Engine } from '../engine';
import { GLOBAL_FLAGS } from './flags';
import { findVerb, VERBS } from './registry';
import { listObjects, RESOURCE_TYPES, resolveType } from './resources';
import { tokenize } from './tokenize';
import { commandWords, verbIndex } from './kubectl';
import { OUTPUT_COMPLETIONS } from './verbs/get';

const TYPE_VERBS = ['get', 'describe', 'delete', 'label', 'expose', 'scale'];
const TYPE_WORDS = [...new Set(RESOURCE_TYPES.flatMap((t) => [t.plural, ...t.shortNames]))];

const matching = (prefix: string, words: readonly string[]): string[] =>
  [...new Set(words.filter((w) => w.startsWith(prefix)))].sort();

function namespaceOf(words: readonly string[]): string {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if ((w === '-n' || w === '--namespace') && words[i + 1]) return words[i + 1] as string;
    if (w.startsWith('--namespace=')) return w.slice(12);
  }
  return 'default';
}

const names = (engine: Engine, typeWord: string, ns: string): string[] => {
  const t = resolveType(typeWord);
  return t ? listObjects(engine, t, ns).map((o) => o.metadata.name ?? '') : [];
};

export function complete(engine: Engine, line: string): string[] {
  try {
    const { words: all } = tokenize(line);
    const endsWithSpace = /\s$/.test(line) || line === '';
    const current = endsWithSpace ? '' : (all.at(-1) ?? '');
    const done = endsWithSpace ? all : all.slice(0, -1);
    if (!done.length && (current === 'kubectl' || current === 'k')) return [];
    const words = commandWords(done);
    const prev = words.at(-1);
    const ns = namespaceOf(words);
    if (prev === '-n' || prev === '--namespace') return matching(current, names(engine, 'namespaces', ns));
    const vi = verbIndex(words);
    if (vi < 0) {
      if (current.startsWith('-'))
        return matching(
          current,
          GLOBAL_FLAGS.map((f) => `--${f.name}`),
        );
      return matching(
        current,
        VERBS.map((v) => v.name),
      );
    }
    const verb = findVerb(words[vi] as string);
    if (!verb) return [];
    if (prev === '-o' || prev === '--output') return matching(current, OUTPUT_COMPLETIONS);
    if (current.startsWith('-'))
      return matching(
        current,
        [...verb.flags, ...GLOBAL_FLAGS].map((f) => `--${f.name}`),
      );
    const positional: string[] = [];
    const after = words.slice(vi + 1);
    for (let i = 0; i < after.length; i++) {
      const w = after[i] as string;
      if (w === '--') return [];
      if (w.startsWith('-')) {
        const spec = [...verb.flags, ...GLOBAL_FLAGS].find((f) => `--${f.name}` === w || `-${f.short}` === w);
        if (spec && spec.type !== 'bool') i++;
        continue;
      }
      positional.push(w);
    }
    if (verb.name === 'create' && positional.length === 0)
      return matching(current, ['deployment', 'namespace']);
    if (verb.name === 'exec' || verb.name === 'logs')
      return positional.length === 0 ? matching(current, names(engine, 'pods', ns)) : [];
    if (!TYPE_VERBS.includes(verb.name)) return [];
    if (current.includes('/')) {
      const [t = '', prefix = ''] = current.split('/', 2);
      return matching(prefix, names(engine, t, ns)).map((n) => `${t}/${n}`);
    }
    if (positional.length === 0) {
      const types =
        verb.name === 'expose'
          ? ['deployment', 'pod', 'service', 'replicaset']
          : verb.name === 'scale'
            ? ['deployment', 'replicaset']
            : verb.name === 'get'
              ? [...TYPE_WORDS, 'all']
              : TYPE_WORDS;
      return matching(current, types);
    }
    const typeWord = positional[0] as string;
    if (typeWord.includes('/')) return [];
    const lastType = typeWord.split(',').at(-1) ?? typeWord;
    if (verb.name === 'label' && positional.length >= 2) return [];
    return matching(current, names(engine, lastType, ns));
  } catch {
    return [];
  }
}
