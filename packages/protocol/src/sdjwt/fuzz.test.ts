// Mutation fuzzing: whatever is done to a valid presentation, verification either succeeds with no
// claim the issuer did not sign, or fails with a NetidError carrying a known code. Never a crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, NetidError } from '../errors.ts';
import { AUDIENCE, certificateFixture, NOW } from '../testing/fixtures.ts';
import { presentSdJwt } from './present.ts';
import { verifySdJwt } from './verify.ts';

const NONCE = 'fuzz-nonce';
const f = certificateFixture();
const presentation = presentSdJwt(f.sdJwt, {
  disclose: { name: true, age_over_18: true, address: { city: true }, nationalities: { 0: true } },
  keyBinding: { key: f.holderKey, audience: AUDIENCE, nonce: NONCE, iat: NOW },
});
const codes = new Set<string>(ERROR_CODES);

/** True when every claim in `a` is in `b` with the same value (arrays: an ordered subsequence). */
function isSubset(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) return false;
    let j = 0;
    for (const x of a) {
      while (j < b.length && !isSubset(x, b[j])) j++;
      if (j++ >= b.length) return false;
    }
    return true;
  }
  if (typeof a === 'object' && a !== null) {
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return false;
    return Object.entries(a).every(
      ([k, v]) => Object.hasOwn(b, k) && isSubset(v, (b as Record<string, unknown>)[k]),
    );
  }
  return Object.is(a, b);
}

const segments = presentation.split('~');
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~.=+/ \u0000\u00e9\u5f20';
const char = fc.integer({ min: 0, max: alphabet.length - 1 }).map((i) => alphabet[i]!);
const position = fc.nat({ max: presentation.length });

const mutation = fc.oneof(
  fc.tuple(position, char).map(([i, c]) => presentation.slice(0, i) + c + presentation.slice(i + 1)),
  fc
    .tuple(position, fc.nat({ max: 200 }))
    .map(([i, n]) => presentation.slice(0, i) + presentation.slice(i + n)),
  fc
    .tuple(position, fc.string({ maxLength: 40 }))
    .map(([i, s]) => presentation.slice(0, i) + s + presentation.slice(i)),
  position.map((i) => presentation.slice(0, i)),
  fc.shuffledSubarray(segments).map((parts) => parts.join('~')),
  fc
    .tuple(fc.nat({ max: segments.length - 1 }), fc.nat({ max: segments.length - 1 }))
    .map(([i, j]) => [...segments.slice(0, i + 1), segments[j]!, ...segments.slice(i + 1)].join('~')),
  fc
    .tuple(fc.array(fc.nat({ max: presentation.length }), { minLength: 2, maxLength: 8 }), char)
    .map(([ps, c]) => {
      const chars = [...presentation];
      for (const p of ps) chars[p % chars.length] = c;
      return chars.join('');
    }),
);

describe('fuzzing verifySdJwt with mutated presentations', () => {
  it('never crashes and never yields an unsigned claim (10,000 mutations)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutation, (mutated) => {
        try {
          const { claims } = verifySdJwt(mutated, {
            keys: f.keys,
            now: NOW,
            keyBinding: { audience: AUDIENCE, nonce: NONCE },
          });
          accepted++;
          expect(isSubset(claims, f.payload)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(NetidError);
          expect(codes.has((error as NetidError).code)).toBe(true);
        }
      }),
      { numRuns: 10_000, seed: Number(process.env.FUZZ_SEED ?? 20261123) },
    );
    // Sanity: the generator is not so destructive that nothing ever verifies (e.g. identity shuffles).
    expect(accepted).toBeGreaterThan(0);
  });
});
