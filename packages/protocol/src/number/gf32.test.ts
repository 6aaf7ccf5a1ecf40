import { describe, expect, it } from 'vitest';
import { checkValue, hornerSum, mulAlpha } from './gf32.ts';

describe('GF(32) modulo x^5 + x^2 + 1', () => {
  it('α = x generates all 31 non-zero elements, so the ten check weights α^9…α^0 are distinct and non-zero', () => {
    const seen = new Set<number>();
    let power = 1;
    for (let k = 0; k < 31; k++) {
      expect(power).toBeGreaterThan(0);
      expect(power).toBeLessThan(32);
      seen.add(power);
      power = mulAlpha(power);
    }
    expect(seen.size).toBe(31);
    expect(power).toBe(1); // α^31 = 1
  });

  it('reduces x^5 to x^2 + 1', () => {
    expect(mulAlpha(0b10000)).toBe(0b00101);
  });

  it('the check value zeroes the weighted sum for every payload symbol in every position', () => {
    for (let pos = 0; pos < 9; pos++) {
      for (let v = 0; v < 32; v++) {
        const payload = [3, 1, 4, 1, 5, 9, 2, 6, 5];
        payload[pos] = v;
        expect(hornerSum([...payload, checkValue(payload)])).toBe(0);
      }
    }
  });
});
