/**
 * A small seeded pseudo-random generator (mulberry32 keyed by a SHA-256 of
 * the seed text), so a replayed day is the same on every machine for the
 * same seed. `fork(label)` derives an independent stream, so adding a
 * decision in one part of the scenario does not reshuffle every other part.
 */
import { createHash } from 'node:crypto';

export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** One value, chosen with the given relative weights. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T;
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent generator for one named part of the scenario. */
  fork(label: string): Rng;
};

function seed32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/**
 * A generator whose whole sequence is determined by `seed`.
 * @param seed any text; equal seeds give equal sequences
 */
export function createRng(seed: string): Rng {
  let state = seed32(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weighted: (entries) => {
      const total = entries.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [value, w] of entries) {
        r -= w;
        if (r < 0) return value;
      }
      return entries[entries.length - 1]![0];
    },
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    fork: (label) => createRng(`${seed}/${label}`),
  };
  return rng;
}
