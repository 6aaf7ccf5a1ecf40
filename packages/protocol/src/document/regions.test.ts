import { describe, expect, it } from 'vitest';
import { isMainlandProvince, MAINLAND_PROVINCE_CODES } from './regions.ts';

describe('mainland province codes (GB/T 2260)', () => {
  it('lists the 31 province-level divisions of the mainland', () => {
    expect(MAINLAND_PROVINCE_CODES).toHaveLength(31);
    expect(new Set(MAINLAND_PROVINCE_CODES).size).toBe(31);
    for (const code of MAINLAND_PROVINCE_CODES) expect(code).toMatch(/^[1-6]\d$/);
  });

  it.each([['71'], ['81'], ['82'], ['83'], ['91'], ['10'], ['16'], ['47']])('%s is not one', (code) => {
    expect(isMainlandProvince(code)).toBe(false);
  });
});
