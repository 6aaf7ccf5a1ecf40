import { describe, expect, it } from 'vitest';
import { ageOver } from './certificate.ts';

// Instants in China Standard Time (UTC+8), the calendar the authority counts birthdays in.
const cst = (isoLocal: string) => new Date(`${isoLocal}+08:00`);

describe('ageOver: the age_over_NN claims at issuance', () => {
  it('turns true on the birthday itself, not the day before', () => {
    expect(ageOver('2007-06-15', 18, cst('2025-06-14T23:59:59'))).toBe(false);
    expect(ageOver('2007-06-15', 18, cst('2025-06-15T00:00:00'))).toBe(true);
  });

  it('counts the day in UTC+8: 16:00 UTC is already the next day in Beijing', () => {
    expect(ageOver('2007-06-15', 18, new Date('2025-06-14T15:59:59Z'))).toBe(false);
    expect(ageOver('2007-06-15', 18, new Date('2025-06-14T16:00:00Z'))).toBe(true);
  });

  it('lets someone born on 29 February come of age on 1 March of a common year', () => {
    expect(ageOver('2008-02-29', 18, cst('2026-02-28T12:00:00'))).toBe(false);
    expect(ageOver('2008-02-29', 18, cst('2026-03-01T00:00:00'))).toBe(true);
    expect(ageOver('2008-02-29', 16, cst('2024-02-29T00:00:00'))).toBe(true);
  });

  it('compares whole years across months', () => {
    expect(ageOver('2011-12-31', 14, cst('2025-12-30T12:00:00'))).toBe(false);
    expect(ageOver('2011-01-01', 14, cst('2025-12-30T12:00:00'))).toBe(true);
  });
});
