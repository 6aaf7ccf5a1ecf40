import { fail } from '../errors.ts';

/**
 * ICAO Doc 9303 Part 3 §4.9 check digit: characters valued 0–9, A–Z = 10–35, '<' = 0, weighted 7, 3, 1
 * repeating, summed mod 10.
 */
export function computeIcao9303CheckDigit(s: string): string {
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let value: number;
    if (c >= 48 && c <= 57) value = c - 48;
    else if (c >= 65 && c <= 90) value = c - 55;
    else if (c === 60) value = 0;
    else fail('ERR_DOCUMENT_FORMAT', 'ICAO 9303 check digit is defined only over 0-9, A-Z and <');
    sum += value * (i % 3 === 0 ? 7 : i % 3 === 1 ? 3 : 1);
  }
  return String(sum % 10);
}
