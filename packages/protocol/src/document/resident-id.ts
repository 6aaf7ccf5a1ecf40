import { fail } from '../errors.ts';
import { checkBirthdate } from './calendar.ts';
import { checkGb11643Layout, withGb11643Check } from './gb11643.ts';
import { pick, randomDigits, randomInt } from './random.ts';
import { isMainlandProvince, MAINLAND_PROVINCE_CODES } from './regions.ts';
import type { DocumentSpec } from './spec.ts';

/**
 * 居民身份证, GB 11643-1999 公民身份号码 §5: 6-digit address code (GB/T 2260), 8-digit birthdate
 * YYYYMMDD, 3-digit sequence (odd for men, even for women), MOD 11-2 check character.
 * The pre-1999 15-digit numbers are not accepted: every card in force today carries 18.
 */
const WHAT = 'resident ID';

export const residentId: DocumentSpec = {
  what: WHAT,
  encodesBirthdate: true,
  validate(n, today) {
    checkGb11643Layout(n, WHAT);
    if (!isMainlandProvince(n.slice(0, 2))) {
      fail('ERR_DOCUMENT_REGION', `${WHAT}: the address code does not start with a mainland province code`);
    }
    return { number: n, birthdate: checkBirthdate(n.slice(6, 14), today, WHAT) };
  },
  generate(random, birth) {
    // Synthetic address: a real province, then plausible-looking prefecture and county digits 01–20.
    const city = 1 + randomInt(random, 20);
    const county = 1 + randomInt(random, 20);
    const address = `${pick(random, MAINLAND_PROVINCE_CODES)}${city < 10 ? '0' : ''}${city}${county < 10 ? '0' : ''}${county}`;
    return withGb11643Check(address + birth + randomDigits(random, 3));
  },
};
