import type { RandomSource } from './types.ts';

/**
 * mulberry32: a tiny, fast 32-bit-state generator (period 2^32). Good enough to make millions of
 * synthetic residents reproducible from one seed; not for anything secret.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [0, n). Clamped so a source that returns exactly 1 cannot index past the end. */
export function randomInt(random: RandomSource, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

export function randomDigits(random: RandomSource, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += randomInt(random, 10);
  return out;
}

export function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[randomInt(random, items.length)]!;
}
