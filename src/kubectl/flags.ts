// Flag parsing as spf13/pflag does it for kubectl (cobra commands with interspersed flags):
// `--name=value`, `--name value`, `-n value`, `-nvalue`, `-n=value`, combined boolean shorthands
// (`-it`), `--flag=false` for booleans, and everything after `--` kept as arguments.
// Error wording from pflag's flag.go: "unknown flag: --foo", "unknown shorthand flag: 'z' in -z",
// "flag needs an argument: --image", "invalid argument \"x\" for \"--replicas\" flag: ...".
import type { FlagSpec, FlagValue } from './types';

export interface ParsedFlags {
  readonly flags: Map<string, FlagValue>;
  readonly args: string[];
  readonly dash: string[] | null;
}

/** Flags every kubectl command takes (kubectl's persistent flags that matter here). */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'namespace', short: 'n', type: 'string' },
  { name: 'help', short: 'h', type: 'bool' },
];

export function parseFlags(
  words: readonly string[],
  specs: readonly FlagSpec[],
): ParsedFlags | { error: string } {
  const all = [...GLOBAL_FLAGS, ...specs];
  const byName = new Map(all.map((s) => [s.name, s]));
  const byShort = new Map(all.filter((s) => s.short).map((s) => [s.short as string, s]));
  const flags = new Map<string, FlagValue>();
  const args: string[] = [];
  const set = (spec: FlagSpec, raw: string, shown: string): string | null => {
    if (spec.type === 'bool') {
      if (!['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False'].includes(raw))
        return `invalid argument "${raw}" for "${shown}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`;
      flags.set(spec.name, ['true', '1', 't', 'TRUE', 'True'].includes(raw));
    } else if (spec.type === 'int') {
      if (!/^[+-]?\d+$/.test(raw))
        return `invalid argument "${raw}" for "${shown}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`;
      flags.set(spec.name, Number(raw));
    } else if (spec.type === 'strings') {
      const prev = flags.get(spec.name);
      flags.set(spec.name, [...(Array.isArray(prev) ? (prev as string[]) : []), ...raw.split(',')]);
    } else flags.set(spec.name, raw);
    return null;
  };
  let dash: string[] | null = null;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '--') {
      dash = words.slice(i + 1);
      break;
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w.slice(2) : w.slice(2, eq);
      const spec = byName.get(name);
      if (!spec) return { error: `unknown flag: --${name}` };
      if (eq >= 0) {
        const e = set(spec, w.slice(eq + 1), `--${name}`);
        if (e) return { error: e };
      } else if (spec.type === 'bool') flags.set(spec.name, true);
      else {
        if (i + 1 >= words.length) return { error: `flag needs an argument: --${name}` };
        const e = set(spec, words[++i] as string, `--${name}`);
        if (e) return { error: e };
      }
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      const shorts = w.slice(1);
      for (let j = 0; j < shorts.length; j++) {
        const c = shorts[j] as string;
        const spec = byShort.get(c);
        if (!spec) return { error: `unknown shorthand flag: '${c}' in ${w}` };
        const rest = shorts.slice(j + 1);
        if (spec.type === 'bool') {
          if (rest.startsWith('=')) {
            const e = set(spec, rest.slice(1), `-${c}, --${spec.name}`);
            if (e) return { error: e };
            break;
          }
          flags.set(spec.name, true);
          continue;
        }
        let value: string;
        if (rest.length) value = rest.startsWith('=') ? rest.slice(1) : rest;
        else {
          if (i + 1 >= words.length) return { error: `flag needs an argument: '${c}' in -${c}` };
          value = words[++i] as string;
        }
        const e = set(spec, value, `-${c}, --${spec.name}`);
        if (e) return { error: e };
        break;
      }
      continue;
    }
    args.push(w);
  }
  const missing = specs.filter((s) => s.required && !flags.has(s.name)).map((s) => `"${s.name}"`);
  if (missing.length && !flags.get('help'))
    return { error: `required flag(s) ${missing.join(', ')} not set` };
  return { flags, args, dash };
}
