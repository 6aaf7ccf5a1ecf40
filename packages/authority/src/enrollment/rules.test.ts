import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Problem } from '../http/problem.ts';
import { weakPasswordRule } from './password-rules.ts';
import { normalizePhone } from './phone.ts';

const BIRTHDATE = '1990-03-07';

describe('weakPasswordRule', () => {
  it.each([
    ['1234567', 'eight_digits'],
    ['', 'eight_digits'],
    ['1234 5678', 'eight_digits'],
    ['00000000', 'repeat'],
    ['90909090', 'repeat'],
    ['98798798', 'repeat'],
    ['20242024', 'repeat'],
    ['01234567', 'sequence'],
    ['89012345', 'sequence'],
    ['32109876', 'sequence'],
    ['19900307', 'birthdate'],
    ['90030755', 'birthdate'],
    ['55550307', 'birthdate'],
    ['07031990', 'birthdate'],
  ])('%s breaks %s', (password, rule) => {
    expect(weakPasswordRule(password, BIRTHDATE)).toBe(rule);
  });

  it.each(['20481357', '13572468', '12345679', '11111112', '03061990', '19900308'])(
    '%s is accepted',
    (password) => {
      expect(weakPasswordRule(password, BIRTHDATE)).toBeUndefined();
    },
  );

  it('refuses every run and every constant, whatever the start digit', () => {
    for (let d = 0; d < 10; d++) {
      const up = Array.from({ length: 8 }, (_, i) => (d + i) % 10).join('');
      const down = Array.from({ length: 8 }, (_, i) => (d - i + 10) % 10).join('');
      expect(weakPasswordRule(up, BIRTHDATE)).toBe('sequence');
      expect(weakPasswordRule(down, BIRTHDATE)).toBe('sequence');
      expect(weakPasswordRule(String(d).repeat(8), BIRTHDATE)).toBe('repeat');
    }
  });

  it('leaves almost every random 8-digit password usable (the rules refuse the guessable, not the space)', () => {
    const sample = fc.sample(fc.stringMatching(/^\d{8}$/), { numRuns: 20_000, seed: 42 });
    const refused = sample.filter((p) => weakPasswordRule(p, BIRTHDATE) !== undefined).length;
    expect(refused / sample.length).toBeLessThan(0.005);
  });
});

describe('normalizePhone', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['0086-138-1234-5678', '13812345678'],
    ['19912345678', '19912345678'],
  ])('%s → %s', (input, phone) => {
    expect(normalizePhone(input)).toBe(phone);
  });

  it.each([
    '12812345678',
    '1381234567',
    '138123456789',
    '+85213812345678',
    '+8613812345678x',
    '８６13812345678',
    '',
  ])('refuses %s with invalid_phone', (input) => {
    expect(() => normalizePhone(input)).toThrow(Problem);
    try {
      normalizePhone(input);
    } catch (e) {
      expect(e).toMatchObject({ status: 400, code: 'invalid_phone' });
    }
  });
});
