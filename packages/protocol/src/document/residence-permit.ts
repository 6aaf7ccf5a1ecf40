import { fail } from '../errors.ts';
import { checkBirthdate } from './calendar.ts';
import { checkGb11643Layout, withGb11643Check } from './gb11643.ts';
import { pick, randomDigits } from './random.ts';
import type { DocumentSpec } from './spec.ts';

/**
 * 港澳台居民居住证 (国务院办公厅《港澳台居民居住证申领发放办法》, 2018): the holder gets a 公民身份号码
 * in the GB 11643 layout whose address code is 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan);
 * birthdate, sequence and MOD 11-2 check character as for resident IDs.
 */
function residencePermit(what: string, regions: readonly string[]): DocumentSpec {
  return {
    what,
    encodesBirthdate: true,
    validate(n, today) {
      checkGb11643Layout(n, what);
      if (!regions.includes(n.slice(0, 6))) {
        fail('ERR_DOCUMENT_REGION', `${what}: the address code must be ${regions.join(' or ')}`);
      }
      return { number: n, birthdate: checkBirthdate(n.slice(6, 14), today, what) };
    },
    generate(random, birth) {
      return withGb11643Check(pick(random, regions) + birth + randomDigits(random, 3));
    },
  };
}

export const hkMacaoResidencePermit = residencePermit('Hong Kong/Macao residence permit', [
  '810000',
  '820000',
]);
export const taiwanResidencePermit = residencePermit('Taiwan residence permit', ['830000']);
