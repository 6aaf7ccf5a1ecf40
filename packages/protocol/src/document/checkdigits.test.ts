import { describe, expect, it } from 'vitest';
import { computeGb11643CheckChar } from './gb11643.ts';
import { computeIcao9303CheckDigit } from './icao9303.ts';
import { codeOf } from './test-helpers.ts';

describe('computeGb11643CheckChar (GB 11643-1999 §5.4, ISO 7064 MOD 11-2)', () => {
  it.each([
    // The two worked examples printed in GB 11643-1999 itself.
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
  ])('%s → %s', (first17, check) => {
    expect(computeGb11643CheckChar(first17)).toBe(check);
  });

  it('maps each residue of Σ a_i·W_i mod 11 to its check character', () => {
    // Only the last body digit varies; its weight (W_2 = 2) walks the sum through residues, so the
    // table '10X98765432' is exercised at several entries, each checked against the defining
    // congruence Σ_{i=1..18} a_i·W_i ≡ 1 (mod 11) with W_1 = 1 and X = 10.
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2, 1];
    for (let d = 0; d <= 9; d++) {
      const body = `1101051949123100${d}`;
      const check = computeGb11643CheckChar(body);
      const digits = [...body, check].map((c) => (c === 'X' ? 10 : Number(c)));
      expect(digits.reduce((sum, a, i) => sum + a * weights[i]!, 0) % 11).toBe(1);
    }
  });

  it.each([
    ['1101051949123100'],
    ['110105194912310021'],
    ['1101051949123100X'],
    ['１１０１０５１９４９１２３１００２'],
  ])('refuses %s with ERR_DOCUMENT_FORMAT', (bad) => {
    expect(codeOf(() => computeGb11643CheckChar(bad))).toBe('ERR_DOCUMENT_FORMAT');
  });
});

describe('computeIcao9303CheckDigit (ICAO Doc 9303 Part 3 §4.9)', () => {
  it.each([
    // The specimen TD3 MRZ of Doc 9303 Part 4 Appendix A: document number, birth and expiry dates.
    ['L898902C3', '6'],
    ['740812', '2'],
    ['120415', '9'],
    ['<<<', '0'],
  ])('%s → %s', (s, check) => {
    expect(computeIcao9303CheckDigit(s)).toBe(check);
  });

  it('refuses characters outside 0-9 A-Z <', () => {
    expect(codeOf(() => computeIcao9303CheckDigit('ab1'))).toBe('ERR_DOCUMENT_FORMAT');
  });
});
