import { fail } from '../errors.ts';
import { checkBirthdate, isRealDate, resolveBirthDigits } from './calendar.ts';
import { checkGb11643Layout, isDigitString, withGb11643Check } from './gb11643.ts';
import { computeIcao9303CheckDigit } from './icao9303.ts';
import { pick, randomDigits } from './random.ts';
import { isMainlandProvince, MAINLAND_PROVINCE_CODES } from './regions.ts';
import type { DocumentSpec } from './spec.ts';
import type { DocumentGenerateOptions } from './types.ts';

/**
 * 外国人永久居留身份证, two number formats in force side by side.
 *
 * 2023 format (issued since 2023-12-01). The National Immigration Administration's machine-readable
 * rules for the new card (新版外国人永久居留身份证机读信息规则, 2023) say: 18 characters, 17 digits + 1 check
 * character computed with MOD 11-2 exactly as for 公民身份号码, first digit 9 marking a foreigner; the
 * three-letter country code of the old number becomes a numeric code. Layout: 9, 2-digit province of
 * the accepting authority, 3-digit ISO 3166-1 numeric nationality, 8-digit birthdate, 3-digit
 * sequence, check character.
 *
 * 2017 format. The same NIA document describes it only as "3 Latin letters + 12 digits". The layout
 * used here comes from two independent third-party implementations (github.com/howardli/CredentialKit,
 * ForeignerPermanentResidenceIdNumberProcessor; github.com/xiaozhuziGG/PRC_FOREIGN_PERMANENT_RESIDENT_ID_CARD,
 * IdCardGenerator.py), which agree: ISO 3166-1 alpha-3 nationality, 4-digit accepting authority
 * (province + prefecture), YYMMDD birthdate, 1 sequence digit, and a check digit computed over the first
 * 14 characters with the ICAO 9303 7-3-1 scheme. No official text for the check digit was found; if real
 * cards ever fail it, relax this check rather than the others.
 *
 * Nationality codes are not checked against a country list: ICAO also issues codes such as XXA
 * (stateless), and refusing a real holder is worse than letting the registry match decide.
 */
const WHAT = 'foreign permanent resident ID';

function validate2017(n: string, today: number): { number: string } {
  for (let i = 0; i < 3; i++) {
    if (n[i]! < 'A' || n[i]! > 'Z')
      fail('ERR_DOCUMENT_FORMAT', `${WHAT} (15 characters) must start with 3 letters`);
  }
  if (!isDigitString(n.slice(3), 12))
    fail('ERR_DOCUMENT_FORMAT', `${WHAT} (15 characters) must end with 12 digits`);
  if (computeIcao9303CheckDigit(n.slice(0, 14)) !== n[14]) {
    fail('ERR_DOCUMENT_CHECKSUM', `${WHAT} check digit does not match`);
  }
  if (!isMainlandProvince(n.slice(3, 5))) fail('ERR_DOCUMENT_REGION', `${WHAT}: unknown province of issue`);
  // YYMMDD leaves the century open: the date must be real and not in the future in at least one century.
  // The birthdate is not returned because it is ambiguous (1925 or 2025).
  const yy = Number(n.slice(7, 9));
  const m = Number(n.slice(9, 11));
  const d = Number(n.slice(11, 13));
  const possible = [1900 + yy, 2000 + yy].some(
    (y) => isRealDate(y, m, d) && y * 10000 + m * 100 + d <= today,
  );
  if (!possible) fail('ERR_DOCUMENT_BIRTHDATE', `${WHAT}: the birthdate is not a past calendar date`);
  return { number: n };
}

function validate2023(n: string, today: number): { number: string; birthdate: string } {
  if (n[0] !== '9') fail('ERR_DOCUMENT_FORMAT', `${WHAT} (18 characters) must start with 9`);
  checkGb11643Layout(n, WHAT);
  if (!isMainlandProvince(n.slice(1, 3))) fail('ERR_DOCUMENT_REGION', `${WHAT}: unknown province of issue`);
  return { number: n, birthdate: checkBirthdate(n.slice(6, 14), today, WHAT) };
}

/** A few real ISO 3166-1 codes for synthetic numbers: [alpha-3, numeric]. */
const NATIONALITIES: readonly (readonly [string, string])[] = [
  ['USA', '840'],
  ['GBR', '826'],
  ['DEU', '276'],
  ['FRA', '250'],
  ['JPN', '392'],
  ['KOR', '410'],
  ['CAN', '124'],
  ['AUS', '036'],
  ['RUS', '643'],
  ['SGP', '702'],
  ['KAZ', '398'],
  ['BRA', '076'],
];

export const foreignPermanentResidentId: DocumentSpec = {
  what: WHAT,
  encodesBirthdate: true,
  validate(n, today) {
    if (n.length === 15) return validate2017(n, today);
    if (n.length === 18) return validate2023(n, today);
    return fail(
      'ERR_DOCUMENT_FORMAT',
      `${WHAT} must have 15 (2017 card) or 18 (2023 card) characters, got ${n.length}`,
    );
  },
  generate(random, birth) {
    const nationality = pick(random, NATIONALITIES)[1];
    return withGb11643Check(
      `9${pick(random, MAINLAND_PROVINCE_CODES)}${nationality}${birth}${randomDigits(random, 3)}`,
    );
  },
};

/**
 * A synthetic number in the 2017 format, for tests and seeding. The birthdate's century is dropped, as
 * on the card.
 */
export function generateForeignPermanentResidentId2017(options: DocumentGenerateOptions = {}): string {
  const random = options.random ?? Math.random;
  const birth = resolveBirthDigits(options.birthdate, random);
  const body = `${pick(random, NATIONALITIES)[0]}${pick(random, MAINLAND_PROVINCE_CODES)}${randomDigits(random, 2)}${birth.slice(2)}${randomDigits(random, 1)}`;
  return body + computeIcao9303CheckDigit(body);
}
