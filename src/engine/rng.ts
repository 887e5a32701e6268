// The engine's only source of randomness: a seeded xoroshiro128+ (pure-rand). The same seed and
// the same inputs give the same pod names, IPs and endpoint choices, so a shared lab replays exactly.
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], inclusive. */
  int(min: number, max: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** The generator's state, to save and restore. */
  state(): readonly number[];
}

export function createRng(seed: number, state?: readonly number[]): Rng {
  const g: JumpableRandomGenerator = state ? xoroshiro128plusFromState(state) : xoroshiro128plus(seed | 0);
  const next = (): number => uniformFloat64(g);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
    state: () => g.getState(),
  };
}

/** Kubernetes' rand.String alphabet (k8s.io/apimachinery/pkg/util/rand): no vowels, no 0/1/3. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.String(n): the random suffix of generated names such as `web-7d9f8c6b5-x2k4q`. */
export function randomSuffix(rng: Rng, n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHANUMS[rng.int(0, ALPHANUMS.length - 1)];
  return s;
}

/** rand.SafeEncodeString: maps each character onto the alphabet (used for pod-template-hash). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** FNV-1a, 32 bit (hash/fnv New32a), as controller.ComputeHash uses for pod-template-hash. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
