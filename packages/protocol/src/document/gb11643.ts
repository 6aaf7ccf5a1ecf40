import { fail } from '../errors.ts';

/**
 * GB 11643-1999 公民身份号码 §5.4 / ISO 7064:1983 MOD 11-2. Position i (counted from the right, the check
 * character being i = 1) has weight W_i = 2^(i-1) mod 11; the check character a_1 satisfies
 * Σ a_i·W_i ≡ 1 (mod 11), i.e. a_1 = (12 − Σ_{i≥2} a_i·W_i mod 11) mod 11, written X when it is 10.
 * Every weight is non-zero mod 11 and two digits differ by at most 9, so any single-digit substitution
 * changes the sum mod 11 and is caught.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** Indexed by Σ a_i·W_i mod 11 over the first 17 digits. */
const CHECK_CHARS = '10X98765432';

export function isDigitString(s: string, length: number): boolean {
  if (s.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function computeGb11643CheckChar(first17: string): string {
  if (typeof first17 !== 'string' || !isDigitString(first17, 17)) {
    fail('ERR_DOCUMENT_FORMAT', 'GB 11643 check character needs exactly 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * The 18-character layout shared by resident IDs, residence permits and the 2023 foreign permanent
 * resident ID: 17 digits and a MOD 11-2 check character. Checks format, then the check character, so a
 * typo is reported as a checksum error before any region or birthdate rule sees the mangled digits.
 */
export function checkGb11643Layout(n: string, what: string): void {
  if (n.length !== 18) fail('ERR_DOCUMENT_FORMAT', `${what} must have 18 characters, got ${n.length}`);
  const last = n[17]!;
  if (!isDigitString(n.slice(0, 17), 17) || !((last >= '0' && last <= '9') || last === 'X')) {
    fail('ERR_DOCUMENT_FORMAT', `${what} must be 17 digits followed by a digit or X`);
  }
  if (computeGb11643CheckChar(n.slice(0, 17)) !== last) {
    fail('ERR_DOCUMENT_CHECKSUM', `${what} check character does not match (GB 11643-1999 MOD 11-2)`);
  }
}

/** The 17-digit body plus its check character. */
export function withGb11643Check(first17: string): string {
  return first17 + computeGb11643CheckChar(first17);
}
