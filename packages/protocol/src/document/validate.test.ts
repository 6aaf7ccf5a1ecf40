import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateForeignPermanentResidentId2017 } from './foreign-permanent-resident.ts';
import { computeGb11643CheckChar } from './gb11643.ts';
import { computeIcao9303CheckDigit } from './icao9303.ts';
import { seededRandom } from './random.ts';
import { codeOf } from './test-helpers.ts';
import { DOCUMENT_TYPES, type DocumentType } from './types.ts';
import { generateDocumentNumber, validateDocumentNumber } from './validate.ts';

/** A fixed clock: 2025-06-01 12:00 in Beijing. */
const NOW = new Date('2025-06-01T04:00:00Z');

/** A 17-digit body completed with its MOD 11-2 check character. */
const gb = (first17: string): string => first17 + computeGb11643CheckChar(first17);
/** A 14-character 2017 foreign permanent resident body completed with its 7-3-1 check digit. */
const icao = (first14: string): string => first14 + computeIcao9303CheckDigit(first14);

function validate(type: DocumentType, input: string, now: Date = NOW) {
  return validateDocumentNumber(type, input, { now });
}

type Valid = [what: string, type: DocumentType, input: string, number: string, birthdate: string | undefined];
type Invalid = [what: string, type: DocumentType, input: string, code: string];

const VALID: Valid[] = [
  // GB 11643-1999 §5: address 110105, birthdate 19491231, sequence 002, check X (the standard's example).
  [
    'resident ID, example of GB 11643-1999',
    'resident_id',
    '11010519491231002X',
    '11010519491231002X',
    '1949-12-31',
  ],
  ['resident ID, lower-case x', 'resident_id', '11010519491231002x', '11010519491231002X', '1949-12-31'],
  [
    'resident ID, grouped with spaces',
    'resident_id',
    '110105 19491231 002x',
    '11010519491231002X',
    '1949-12-31',
  ],
  [
    'resident ID, full-width',
    'resident_id',
    '１１０１０５１９４９１２３１００２Ｘ',
    '11010519491231002X',
    '1949-12-31',
  ],
  [
    'resident ID, 29 February of a leap year',
    'resident_id',
    gb('44030620000229123'),
    gb('44030620000229123'),
    '2000-02-29',
  ],
  [
    'resident ID, born 1900-01-01 (earliest accepted)',
    'resident_id',
    gb('65010219000101001'),
    gb('65010219000101001'),
    '1900-01-01',
  ],
  [
    'resident ID, born today in Beijing',
    'resident_id',
    gb('31011520250601002'),
    gb('31011520250601002'),
    '2025-06-01',
  ],
  // 港澳台居民居住证: address codes 810000 / 820000 / 830000.
  [
    'Hong Kong residence permit',
    'hk_macao_residence_permit',
    gb('81000019900101123'),
    gb('81000019900101123'),
    '1990-01-01',
  ],
  [
    'Macao residence permit',
    'hk_macao_residence_permit',
    gb('82000019851231004'),
    gb('82000019851231004'),
    '1985-12-31',
  ],
  [
    'Taiwan residence permit',
    'taiwan_residence_permit',
    gb('83000019700704005'),
    gb('83000019700704005'),
    '1970-07-04',
  ],
  // 港澳居民来往内地通行证: H/M + 8 digits; the older 10-digit form keeps its first 9 characters.
  ['Hong Kong travel permit', 'hk_macao_travel_permit', 'H12345678', 'H12345678', undefined],
  ['Macao travel permit, lower case', 'hk_macao_travel_permit', 'm87654321', 'M87654321', undefined],
  [
    'Hong Kong travel permit, older 10-digit form',
    'hk_macao_travel_permit',
    'H1234567802',
    'H12345678',
    undefined,
  ],
  // 台湾居民来往大陆通行证: 8 digits.
  ['Taiwan travel permit', 'taiwan_travel_permit', '01234567', '01234567', undefined],
  // 外国人永久居留身份证 2023: 9 + province + ISO numeric nationality + YYYYMMDD + sequence + MOD 11-2.
  [
    'foreign permanent resident ID, 2023',
    'foreign_permanent_resident_id',
    gb('93184019850615001'),
    gb('93184019850615001'),
    '1985-06-15',
  ],
  // 2017: alpha-3 + province/prefecture + YYMMDD + sequence + 7-3-1 check. Worked by hand:
  // C12·7 + A10·3 + N23·1 + 3·7 + 1·3 + 0·1 + 1·7 + 8·3 + 5·1 + 0·7 + 6·3 + 1·1 + 5·7 + 7·3 = 272 → 2.
  [
    'foreign permanent resident ID, 2017',
    'foreign_permanent_resident_id',
    'CAN310185061572',
    'CAN310185061572',
    undefined,
  ],
  [
    'foreign permanent resident ID, 2017, 29 Feb of 2000',
    'foreign_permanent_resident_id',
    icao('USA11000002291'),
    icao('USA11000002291'),
    undefined,
  ],
  // 普通护照.
  ['passport E + 8 digits', 'prc_passport', 'E12345678', 'E12345678', undefined],
  ['passport E + letter + 7 digits', 'prc_passport', 'ea1234567', 'EA1234567', undefined],
  ['passport G + 8 digits', 'prc_passport', 'G 1234 5678', 'G12345678', undefined],
];

const INVALID: Invalid[] = [
  // Format (GB 11643-1999 §4: 17 digits + one check character 0-9 or X).
  ['resident ID, 17 characters', 'resident_id', '11010519491231002', 'ERR_DOCUMENT_FORMAT'],
  ['resident ID, 19 characters', 'resident_id', '11010519491231002X1', 'ERR_DOCUMENT_FORMAT'],
  ['resident ID, old 15-digit form', 'resident_id', '110105491231002', 'ERR_DOCUMENT_FORMAT'],
  ['resident ID, letter in the body', 'resident_id', '1101051949123A002X', 'ERR_DOCUMENT_FORMAT'],
  ['resident ID, X not last', 'resident_id', '1101051949123100X2', 'ERR_DOCUMENT_FORMAT'],
  ['resident ID, check letter other than X', 'resident_id', '11010519491231002Y', 'ERR_DOCUMENT_FORMAT'],
  ['resident ID, punctuation', 'resident_id', '110105/19491231/002X', 'ERR_DOCUMENT_FORMAT'],
  ['resident ID, empty', 'resident_id', '', 'ERR_DOCUMENT_FORMAT'],
  ['resident ID, huge input', 'resident_id', '1'.repeat(100_000), 'ERR_DOCUMENT_FORMAT'],
  // Check character (§5.4).
  ['resident ID, wrong check character', 'resident_id', '110105194912310021', 'ERR_DOCUMENT_CHECKSUM'],
  ['resident ID, transposed digits', 'resident_id', '11010591491231002X', 'ERR_DOCUMENT_CHECKSUM'],
  // Address code (§5.1, GB/T 2260 province).
  ['resident ID, province 99', 'resident_id', gb('99010519491231002'), 'ERR_DOCUMENT_REGION'],
  ['resident ID, province 00', 'resident_id', gb('00010519491231002'), 'ERR_DOCUMENT_REGION'],
  ['resident ID, Taiwan province code 71', 'resident_id', gb('71000019491231002'), 'ERR_DOCUMENT_REGION'],
  [
    'resident ID, residence-permit code 810000',
    'resident_id',
    gb('81000019491231002'),
    'ERR_DOCUMENT_REGION',
  ],
  // Birthdate (§5.2, GB/T 7408 calendar date; our policy: 1900 or later, not after today in China).
  ['resident ID, 30 February', 'resident_id', gb('11010519990230002'), 'ERR_DOCUMENT_BIRTHDATE'],
  [
    'resident ID, 29 February 1900 (not a leap year)',
    'resident_id',
    gb('11010519000229002'),
    'ERR_DOCUMENT_BIRTHDATE',
  ],
  ['resident ID, month 13', 'resident_id', gb('11010519991301002'), 'ERR_DOCUMENT_BIRTHDATE'],
  ['resident ID, day 00', 'resident_id', gb('11010519990100002'), 'ERR_DOCUMENT_BIRTHDATE'],
  ['resident ID, 31 April', 'resident_id', gb('11010519990431002'), 'ERR_DOCUMENT_BIRTHDATE'],
  ['resident ID, born tomorrow in Beijing', 'resident_id', gb('11010520250602002'), 'ERR_DOCUMENT_BIRTHDATE'],
  ['resident ID, born 2099', 'resident_id', gb('11010520990101002'), 'ERR_DOCUMENT_BIRTHDATE'],
  ['resident ID, GB 11643 example born 1880', 'resident_id', '440524188001010014', 'ERR_DOCUMENT_BIRTHDATE'],
  // Residence permits: the address code is fixed per region.
  [
    'HK/Macao permit with the Taiwan code',
    'hk_macao_residence_permit',
    gb('83000019900101123'),
    'ERR_DOCUMENT_REGION',
  ],
  [
    'HK/Macao permit with a mainland code',
    'hk_macao_residence_permit',
    '11010519491231002X',
    'ERR_DOCUMENT_REGION',
  ],
  [
    'HK permit with a county-like code 810100',
    'hk_macao_residence_permit',
    gb('81010019900101123'),
    'ERR_DOCUMENT_REGION',
  ],
  [
    'Taiwan permit with the Hong Kong code',
    'taiwan_residence_permit',
    gb('81000019900101123'),
    'ERR_DOCUMENT_REGION',
  ],
  [
    'Taiwan permit, wrong check character',
    'taiwan_residence_permit',
    '830000197007040050',
    'ERR_DOCUMENT_CHECKSUM',
  ],
  ['Taiwan permit, 31 June', 'taiwan_residence_permit', gb('83000019700631005'), 'ERR_DOCUMENT_BIRTHDATE'],
  ['Taiwan permit, 17 digits', 'taiwan_residence_permit', '83000019700704005', 'ERR_DOCUMENT_FORMAT'],
  // Travel permits.
  ['HK/Macao travel permit, wrong letter', 'hk_macao_travel_permit', 'A12345678', 'ERR_DOCUMENT_FORMAT'],
  ['HK/Macao travel permit, 7 digits', 'hk_macao_travel_permit', 'H1234567', 'ERR_DOCUMENT_FORMAT'],
  ['HK/Macao travel permit, 9 digits', 'hk_macao_travel_permit', 'H123456789', 'ERR_DOCUMENT_FORMAT'],
  ['HK/Macao travel permit, no letter', 'hk_macao_travel_permit', '12345678', 'ERR_DOCUMENT_FORMAT'],
  ['HK/Macao travel permit, letter inside', 'hk_macao_travel_permit', 'H1234567X', 'ERR_DOCUMENT_FORMAT'],
  ['Taiwan travel permit, 7 digits', 'taiwan_travel_permit', '1234567', 'ERR_DOCUMENT_FORMAT'],
  [
    'Taiwan travel permit, 10 digits (booklet era)',
    'taiwan_travel_permit',
    '1234567890',
    'ERR_DOCUMENT_FORMAT',
  ],
  ['Taiwan travel permit, letter', 'taiwan_travel_permit', '1234567B', 'ERR_DOCUMENT_FORMAT'],
  // Foreign permanent resident ID.
  [
    'FPR 2023 not starting with 9',
    'foreign_permanent_resident_id',
    '11010519491231002X',
    'ERR_DOCUMENT_FORMAT',
  ],
  [
    'FPR 2023 wrong check character',
    'foreign_permanent_resident_id',
    '931840198506150010',
    'ERR_DOCUMENT_CHECKSUM',
  ],
  ['FPR 2023 province 99', 'foreign_permanent_resident_id', gb('99984019850615001'), 'ERR_DOCUMENT_REGION'],
  [
    'FPR 2023 30 February',
    'foreign_permanent_resident_id',
    gb('93184019850230001'),
    'ERR_DOCUMENT_BIRTHDATE',
  ],
  ['FPR 2023 born 2099', 'foreign_permanent_resident_id', gb('93184020990101001'), 'ERR_DOCUMENT_BIRTHDATE'],
  ['FPR 2017 wrong check digit', 'foreign_permanent_resident_id', 'CAN310185061573', 'ERR_DOCUMENT_CHECKSUM'],
  ['FPR 2017 transposed digits', 'foreign_permanent_resident_id', 'CAN310185065172', 'ERR_DOCUMENT_CHECKSUM'],
  [
    'FPR 2017 digits where letters belong',
    'foreign_permanent_resident_id',
    '123310185061572',
    'ERR_DOCUMENT_FORMAT',
  ],
  [
    'FPR 2017 letter among the digits',
    'foreign_permanent_resident_id',
    'CAN31018506157X',
    'ERR_DOCUMENT_FORMAT',
  ],
  ['FPR 2017 province 99', 'foreign_permanent_resident_id', icao('CAN99018506157'), 'ERR_DOCUMENT_REGION'],
  ['FPR 2017 30 February', 'foreign_permanent_resident_id', icao('CAN31018502307'), 'ERR_DOCUMENT_BIRTHDATE'],
  ['FPR 2017 month 13', 'foreign_permanent_resident_id', icao('CAN31018513017'), 'ERR_DOCUMENT_BIRTHDATE'],
  ['FPR 16 characters', 'foreign_permanent_resident_id', 'CAN3101850615721', 'ERR_DOCUMENT_FORMAT'],
  // Passports.
  ['passport, 7 digits', 'prc_passport', 'E1234567', 'ERR_DOCUMENT_FORMAT'],
  ['passport, 9 digits', 'prc_passport', 'E123456789', 'ERR_DOCUMENT_FORMAT'],
  ['passport, E + letter + 6 digits', 'prc_passport', 'EA123456', 'ERR_DOCUMENT_FORMAT'],
  ['passport, E + two letters', 'prc_passport', 'EAB123456', 'ERR_DOCUMENT_FORMAT'],
  ['passport, G + letter', 'prc_passport', 'GA1234567', 'ERR_DOCUMENT_FORMAT'],
  ['passport, public-affairs P series', 'prc_passport', 'P1234567', 'ERR_DOCUMENT_FORMAT'],
  ['passport, diplomatic D series', 'prc_passport', 'D12345678', 'ERR_DOCUMENT_FORMAT'],
];

describe('validateDocumentNumber: valid numbers', () => {
  it.each(VALID)('%s', (_what, type, input, number, birthdate) => {
    const result = validate(type, input);
    expect(result).toEqual(birthdate === undefined ? { type, number } : { type, number, birthdate });
  });
});

describe('validateDocumentNumber: invalid numbers', () => {
  it.each(INVALID)('%s → %s', (_what, type, input, code) => {
    expect(codeOf(() => validate(type, input))).toBe(code);
  });

  it('judges "future" by the date in Beijing, not UTC', () => {
    const bornJune2 = gb('11010520250602002');
    // 2025-06-01 17:00 UTC is 2025-06-02 01:00 in Beijing: born "today" there.
    expect(validate('resident_id', bornJune2, new Date('2025-06-01T17:00:00Z')).birthdate).toBe('2025-06-02');
    // 2025-06-01 15:00 UTC is 23:00 on 1 June in Beijing: not born yet.
    expect(codeOf(() => validate('resident_id', bornJune2, new Date('2025-06-01T15:00:00Z')))).toBe(
      'ERR_DOCUMENT_BIRTHDATE',
    );
  });

  it.each([['drivers_license'], ['RESIDENT_ID'], ['__proto__'], ['toString'], [''], [42], [undefined]])(
    'refuses the unknown type %s',
    (type) => {
      expect(codeOf(() => validateDocumentNumber(type as DocumentType, '11010519491231002X'))).toBe(
        'ERR_DOCUMENT_TYPE_UNKNOWN',
      );
    },
  );

  it('refuses non-string input with a NetidError, not a TypeError', () => {
    for (const input of [null, undefined, 11010519491231, {}]) {
      expect(codeOf(() => validateDocumentNumber('resident_id', input as unknown as string))).toBe(
        'ERR_DOCUMENT_FORMAT',
      );
    }
  });

  it('never echoes the number in its error message (document numbers are personal data)', () => {
    try {
      validate('resident_id', '110105194912310021');
    } catch (e) {
      expect((e as Error).message).not.toContain('11010519491231002');
      return;
    }
    expect.unreachable();
  });

  it('throws only NetidError on arbitrary input for every type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DOCUMENT_TYPES), fc.string({ maxLength: 24 }), (type, s) => {
        codeOf(() => validate(type, s));
      }),
    );
  });
});

describe('MOD 11-2 catches every single-character substitution in a resident ID', () => {
  it('for generated IDs, every position × every other digit (and X in the last place)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const id = generateDocumentNumber('resident_id', { random: seededRandom(seed) });
        const wrong: string[] = [];
        for (let i = 0; i < 18; i++) {
          for (const c of i === 17 ? '0123456789X' : '0123456789') {
            if (c === id[i]) continue;
            const mutated = id.slice(0, i) + c + id.slice(i + 1);
            // Checksum is checked before region and birthdate, so the code is exact.
            if (codeOf(() => validate('resident_id', mutated)) !== 'ERR_DOCUMENT_CHECKSUM')
              wrong.push(mutated);
          }
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe('generateDocumentNumber', () => {
  it.each(DOCUMENT_TYPES.map((t) => [t]))('%s: generated numbers validate and round-trip', (type) => {
    const random = seededRandom(20250601);
    for (let k = 0; k < 2000; k++) {
      const n = generateDocumentNumber(type, { random });
      expect(validate(type, n).number).toBe(n);
    }
  });

  it('2017-format foreign permanent resident numbers validate', () => {
    const random = seededRandom(7);
    for (let k = 0; k < 2000; k++) {
      const n = generateForeignPermanentResidentId2017({ random });
      expect(n).toMatch(/^[A-Z]{3}\d{12}$/);
      expect(validate('foreign_permanent_resident_id', n).number).toBe(n);
    }
  });

  it('is reproducible from a seed and varies between seeds', () => {
    const run = (seed: number) =>
      DOCUMENT_TYPES.flatMap((type) => {
        const random = seededRandom(seed);
        return Array.from({ length: 50 }, () => generateDocumentNumber(type, { random }));
      });
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  it('puts the requested birthdate into the number', () => {
    for (const type of ['resident_id', 'hk_macao_residence_permit', 'taiwan_residence_permit'] as const) {
      const n = generateDocumentNumber(type, { birthdate: '1988-02-29', random: seededRandom(1) });
      expect(validate(type, n).birthdate).toBe('1988-02-29');
    }
    const fpr = generateDocumentNumber('foreign_permanent_resident_id', { birthdate: '2001-10-09' });
    expect(validate('foreign_permanent_resident_id', fpr).birthdate).toBe('2001-10-09');
    expect(generateForeignPermanentResidentId2017({ birthdate: '1975-03-08' }).slice(7, 13)).toBe('750308');
  });

  it('spreads random birthdates over 1930–2019', () => {
    const random = seededRandom(99);
    const years = new Set<number>();
    for (let k = 0; k < 5000; k++) {
      const birthdate = validate('resident_id', generateDocumentNumber('resident_id', { random })).birthdate!;
      years.add(Number(birthdate.slice(0, 4)));
    }
    expect(Math.min(...years)).toBe(1930);
    expect(Math.max(...years)).toBe(2019);
    expect(years.size).toBe(90);
  });

  it.each([['1999-02-30'], ['1899-12-31'], ['2999-01-01'], ['19990101'], ['1999-1-1']])(
    'refuses the birthdate %s',
    (birthdate) => {
      expect(codeOf(() => generateDocumentNumber('resident_id', { birthdate }))).toBe(
        'ERR_DOCUMENT_BIRTHDATE',
      );
    },
  );

  it('refuses an unknown type', () => {
    expect(codeOf(() => generateDocumentNumber('nope' as DocumentType))).toBe('ERR_DOCUMENT_TYPE_UNKNOWN');
  });
});
