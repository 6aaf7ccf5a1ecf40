import { fail } from '../errors.ts';
import { isDigitString } from './gb11643.ts';
import { pick, randomDigits } from './random.ts';
import type { DocumentSpec } from './spec.ts';

const HK_MACAO = 'Hong Kong/Macao travel permit';
const TAIWAN = 'Taiwan travel permit';

/**
 * 港澳居民来往内地通行证: H (Hong Kong) or M (Macao) and 8 digits on the card issued since 2013. The
 * older booklet/card printed 10 digits, the last two counting renewals; the first 9 characters are the
 * holder's lasting number, so that is the canonical form returned (and hashed for deduplication).
 * No check digit is publicly defined for this number; only the shape is checked.
 */
export const hkMacaoTravelPermit: DocumentSpec = {
  what: HK_MACAO,
  encodesBirthdate: false,
  validate(n) {
    const prefix = n[0];
    const digits = n.slice(1);
    if ((prefix !== 'H' && prefix !== 'M') || !(isDigitString(digits, 8) || isDigitString(digits, 10))) {
      fail('ERR_DOCUMENT_FORMAT', `${HK_MACAO} number must be H or M followed by 8 (or, older, 10) digits`);
    }
    return { number: n.slice(0, 9) };
  },
  generate(random) {
    return pick(random, ['H', 'M']) + randomDigits(random, 8);
  },
};

/**
 * 台湾居民来往大陆通行证: 8 digits on the card issued since 2015 (the number stays with the holder).
 * Booklet-era numbers with a letter suffix have all expired and are not accepted. No public check digit.
 */
export const taiwanTravelPermit: DocumentSpec = {
  what: TAIWAN,
  encodesBirthdate: false,
  validate(n) {
    if (!isDigitString(n, 8)) fail('ERR_DOCUMENT_FORMAT', `${TAIWAN} number must be 8 digits`);
    return { number: n };
  },
  generate(random) {
    return randomDigits(random, 8);
  },
};
