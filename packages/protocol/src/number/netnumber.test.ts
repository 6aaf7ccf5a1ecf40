import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NetidError } from '../errors.ts';
import { NET_NUMBER_ALPHABET, NET_NUMBER_LENGTH } from './alphabet.ts';
import {
  generateNetNumber,
  isValidNetNumber,
  maskNetNumber,
  normalizeNetNumber,
  parseNetNumber,
} from './netnumber.ts';

const symbol = fc.constantFrom(...NET_NUMBER_ALPHABET);

/** Any valid number, built from 9 arbitrary symbols by trying the 32 possible check symbols. */
const validNumber = fc.array(symbol, { minLength: 9, maxLength: 9 }).map((payload) => {
  const body = payload.join('');
  const check = [...NET_NUMBER_ALPHABET].find((c) => isValidNetNumber(body + c));
  if (check === undefined) throw new Error('no check symbol fits');
  return body + check;
});

function replaceAt(s: string, i: number, c: string): string {
  return s.slice(0, i) + c + s.slice(i + 1);
}

function swap(s: string, i: number): string {
  return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NetidError);
    return (e as NetidError).code;
  }
  return undefined;
}

describe('network number check symbol', () => {
  it('exactly one check symbol fits any payload', () => {
    fc.assert(
      fc.property(fc.array(symbol, { minLength: 9, maxLength: 9 }), (payload) => {
        const fits = [...NET_NUMBER_ALPHABET].filter((c) => isValidNetNumber(payload.join('') + c));
        expect(fits).toHaveLength(1);
      }),
    );
  });

  it('detects every single substitution: all 10 positions × all 31 other symbols', () => {
    fc.assert(
      fc.property(validNumber, (n) => {
        const undetected: string[] = [];
        for (let i = 0; i < NET_NUMBER_LENGTH; i++) {
          for (const c of NET_NUMBER_ALPHABET) {
            if (c !== n[i] && isValidNetNumber(replaceAt(n, i, c))) undetected.push(replaceAt(n, i, c));
          }
        }
        expect(undetected).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('detects every adjacent transposition of distinct symbols, including the check symbol', () => {
    fc.assert(
      fc.property(validNumber, (n) => {
        for (let i = 0; i < NET_NUMBER_LENGTH - 1; i++) {
          if (n[i] !== n[i + 1]) expect(isValidNetNumber(swap(n, i))).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('detects the transposition of every ordered pair of distinct symbols at every adjacent position', () => {
    // Exhaustive over (position, a, b): 9 × 32 × 31 valid numbers with a at i and b at i+1. For i = 8
    // the pair includes the check symbol, so d_0 is searched until the check symbol comes out as b.
    const filler = 'Q7M2XK9RB';
    for (let i = 0; i < NET_NUMBER_LENGTH - 1; i++) {
      for (const a of NET_NUMBER_ALPHABET) {
        for (const b of NET_NUMBER_ALPHABET) {
          if (a === b) continue;
          let n: string | undefined;
          if (i < 8) {
            const body = replaceAt(replaceAt(filler, i, a), i + 1, b);
            n = [...NET_NUMBER_ALPHABET].map((c) => body + c).find(isValidNetNumber);
          } else {
            for (const d0 of NET_NUMBER_ALPHABET) {
              const candidate = `${d0}${filler.slice(1, 8)}${a}${b}`;
              if (isValidNetNumber(candidate)) n = candidate;
            }
          }
          expect(n, `no valid number with ${a}${b} at ${i}`).toBeDefined();
          expect(isValidNetNumber(swap(n!, i))).toBe(false);
        }
      }
    }
  });
});

describe('generateNetNumber', () => {
  it('produces valid canonical numbers', () => {
    for (let k = 0; k < 2000; k++) {
      const n = generateNetNumber();
      expect(n).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(isValidNetNumber(n)).toBe(true);
      expect(parseNetNumber(n)).toBe(n);
    }
  });

  it('uses every symbol uniformly in every position (chi-square over 20,000 numbers)', () => {
    const count = 20_000;
    const freq = Array.from({ length: NET_NUMBER_LENGTH }, () => new Array<number>(32).fill(0));
    for (let k = 0; k < count; k++) {
      const n = generateNetNumber();
      for (let i = 0; i < NET_NUMBER_LENGTH; i++) freq[i]![NET_NUMBER_ALPHABET.indexOf(n[i]!)]!++;
    }
    const expected = count / 32;
    for (let i = 0; i < NET_NUMBER_LENGTH; i++) {
      const chi2 = freq[i]!.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
      // 31 degrees of freedom: mean 31, sd ≈ 7.9. P(χ² > 110) < 1e-9 per position, so this cannot
      // flake, yet a symbol that never appears alone contributes 625 and a 2:1 bias on one symbol ~600.
      expect(chi2, `position ${i}`).toBeLessThan(110);
    }
  });

  it('does not repeat itself', () => {
    const seen = new Set<string>();
    for (let k = 0; k < 10_000; k++) seen.add(generateNetNumber());
    expect(seen.size).toBe(10_000);
  });
});

/** A fixed valid number, so that every table row below tests what it says. */
function withCheck(body: string): string {
  const check = [...NET_NUMBER_ALPHABET].find((c) => isValidNetNumber(body + c));
  if (check === undefined) throw new Error('no check symbol fits');
  return body + check;
}

describe('normalizeNetNumber / parseNetNumber', () => {
  const n = withCheck('K01X2C3AB');
  const spaced = `${n.slice(0, 4)}-${n.slice(4, 7)} ${n.slice(7)}`;

  it.each([
    ['lower case', n.toLowerCase()],
    ['hyphens and spaces', spaced],
    ['surrounding white space and tabs', `  \t${n}\n`],
    [
      'full-width characters and ideographic space',
      [...n].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('\u3000'),
    ],
    [
      'en dash, dots, underscores, middle dot',
      `${n.slice(0, 3)}\u2013${n.slice(3, 5)}.${n.slice(5, 7)}_${n.slice(7, 9)}\u00b7${n[9]}`,
    ],
  ])('accepts %s', (_what, input) => {
    expect(parseNetNumber(input)).toBe(n);
  });

  it('decodes Crockford look-alikes O → 0 and I, L → 1 in either case', () => {
    expect(normalizeNetNumber('ko1x-2c3 oIlL')).toBe('K01X2C30111');
    expect(normalizeNetNumber('o i l')).toBe('011');
  });

  it('parses a messy number whose canonical form contains 0 and 1', () => {
    // A valid number containing 0 and 1, typed with O, I, l, lower case and separators.
    const m = withCheck('K01X2C310');
    expect(parseNetNumber(`ko1x-2c3 iO${m[9]!.toLowerCase()}`)).toBe(m);
    expect(parseNetNumber(`KOIX 2C3L 0${m[9]}`)).toBe(m);
  });

  it.each([
    ['U is not in the alphabet', `${n.slice(0, 9)}U`, 'ERR_NETNUMBER_CHARACTER'],
    ['punctuation that is not a separator', `${n.slice(0, 5)}!${n.slice(5)}`, 'ERR_NETNUMBER_CHARACTER'],
    ['non-Latin letters', `${n.slice(0, 9)}网`, 'ERR_NETNUMBER_CHARACTER'],
    ['nine characters', n.slice(0, 9), 'ERR_NETNUMBER_LENGTH'],
    ['eleven characters', `${n}0`, 'ERR_NETNUMBER_LENGTH'],
    ['empty', '', 'ERR_NETNUMBER_LENGTH'],
    ['only separators', ' - - ', 'ERR_NETNUMBER_LENGTH'],
    ['huge input', 'A'.repeat(100_000), 'ERR_NETNUMBER_LENGTH'],
    ['wrong check symbol', replaceAt(n, 9, n[9] === 'Z' ? 'Y' : 'Z'), 'ERR_NETNUMBER_CHECK'],
    ['adjacent transposition', `${n[1]}${n[0]}${n.slice(2)}`, 'ERR_NETNUMBER_CHECK'],
  ])('refuses %s with a typed error', (_what, input, code) => {
    expect(codeOf(() => parseNetNumber(input))).toBe(code);
    expect(isValidNetNumber(input)).toBe(false);
  });

  it('refuses non-string input with a NetidError, not a TypeError', () => {
    expect(codeOf(() => parseNetNumber(42 as unknown as string))).toBe('ERR_NETNUMBER_CHARACTER');
    expect(isValidNetNumber(null as unknown as string)).toBe(false);
    expect(codeOf(() => normalizeNetNumber(undefined as unknown as string))).toBe('ERR_NETNUMBER_CHARACTER');
  });

  it('isValidNetNumber accepts only the canonical form', () => {
    expect(isValidNetNumber(n)).toBe(true);
    expect(isValidNetNumber(n.toLowerCase())).toBe(false);
    expect(isValidNetNumber(spaced)).toBe(false);
  });

  it('never throws anything but NetidError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const code = codeOf(() => parseNetNumber(s));
        if (code === undefined) expect(isValidNetNumber(normalizeNetNumber(s))).toBe(true);
      }),
    );
  });
});

describe('maskNetNumber', () => {
  it('keeps the first two and last two symbols', () => {
    const n = withCheck('K01X2C3AB');
    expect(maskNetNumber(n)).toBe(`K0******B${n[9]}`);
  });

  it('masks messy input after normalising it', () => {
    const n = generateNetNumber();
    expect(maskNetNumber(` ${n.slice(0, 5).toLowerCase()}-${n.slice(5)} `)).toBe(
      `${n.slice(0, 2)}******${n.slice(8)}`,
    );
  });

  it('refuses to mask an invalid number rather than reveal part of it', () => {
    expect(codeOf(() => maskNetNumber('ABC'))).toBe('ERR_NETNUMBER_LENGTH');
  });
});
