import { fail } from '../errors.ts';
import { isDigitString } from './gb11643.ts';
import { randomDigits, randomInt } from './random.ts';
import type { DocumentSpec } from './spec.ts';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * 中华人民共和国普通护照 (ordinary passport). Electronic passports since 2012: E + 8 digits, and once
 * that range was used up E + a letter + 7 digits; G + 8 digits is the older ordinary-passport series,
 * accepted because the date ranges of the series are not published and some may still be in force.
 * The number has no check digit of its own (the MRZ check digit printed after it is not part of it). Which second letters the E-letter series uses is not published, so any A–Z is
 * accepted. Diplomatic, service and public-affairs passports (D, S, P) are not ordinary passports.
 */
const WHAT = 'passport';

export const prcPassport: DocumentSpec = {
  what: WHAT,
  encodesBirthdate: false,
  validate(n) {
    const ok =
      n.length === 9 &&
      ((n[0] === 'E' &&
        (isDigitString(n.slice(1), 8) || (LETTERS.includes(n[1]!) && isDigitString(n.slice(2), 7)))) ||
        (n[0] === 'G' && isDigitString(n.slice(1), 8)));
    if (!ok)
      fail(
        'ERR_DOCUMENT_FORMAT',
        `${WHAT} number must be E + 8 digits, E + letter + 7 digits, or G + 8 digits`,
      );
    return { number: n };
  },
  generate(random) {
    return randomInt(random, 2) === 0
      ? `E${randomDigits(random, 8)}`
      : `E${LETTERS[randomInt(random, LETTERS.length)]}${randomDigits(random, 7)}`;
  },
};
