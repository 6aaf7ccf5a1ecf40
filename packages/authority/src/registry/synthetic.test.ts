import { type DocumentType, NetidError, validateDocumentNumber } from '@netid/protocol';
import { describe, expect, it } from 'vitest';
import { FOREIGN_GIVEN_NAMES, FOREIGN_SURNAMES, GIVEN_NAME_CHARACTERS, SURNAMES } from './names.ts';
import {
  createNumberSet,
  generateResidents,
  MAX_SYNTHETIC_RESIDENTS,
  type SyntheticResident,
} from './synthetic.ts';

const TODAY = '2025-06-01';
const NOW = new Date('2025-06-01T12:00:00+08:00');
const SEED = 20250601;
const N = 200_000;

const residents: SyntheticResident[] = [...generateResidents({ count: N, seed: SEED, today: TODAY })];
const documents = residents.flatMap((r) => r.documents.map((d) => ({ r, d })));

// Independent date arithmetic on 'YYYY-MM-DD' strings, not the generator's day numbers.
const ymd = (iso: string): number => Number(iso.replaceAll('-', ''));
const ageOn = (iso: string, birthdate: string): number => Math.floor((ymd(iso) - ymd(birthdate)) / 10000);
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
function plusYears(iso: string, years: number): string {
  const y = Number(iso.slice(0, 4)) + years;
  const md = iso.slice(5);
  return `${y}-${md === '02-29' && !isLeap(y) ? '02-28' : md}`;
}
const share = (n: number): number => n / N;
const primary = (r: SyntheticResident): DocumentType => r.documents[0]!.type;

/** The items failing a check, so that a 200,000-item loop makes one assertion, not 200,000. */
function failing<T>(items: readonly T[], ok: (item: T) => boolean): T[] {
  return items.filter((item) => !ok(item)).slice(0, 5);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NetidError);
    return (e as NetidError).code;
  }
  return undefined;
}

describe('synthetic residents: document numbers', () => {
  it('every number validates as its type and is already canonical', () => {
    const invalid = failing(documents, ({ d }) => {
      try {
        return validateDocumentNumber(d.type, d.number, { now: NOW }).number === d.number;
      } catch {
        return false;
      }
    });
    expect(invalid).toEqual([]);
  });

  it('numbers that encode a birthdate encode the resident’s', () => {
    let checked = 0;
    const wrong = failing(documents, ({ r, d }) => {
      const v = validateDocumentNumber(d.type, d.number, { now: NOW });
      if (v.birthdate !== undefined) {
        checked++;
        return v.birthdate === r.birthdate;
      }
      // 2017 foreign permanent resident ID: YYMMDD at positions 8–13.
      if (d.type === 'foreign_permanent_resident_id') {
        return d.number.slice(7, 13) === r.birthdate.replaceAll('-', '').slice(2);
      }
      return true;
    });
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(N * 0.95);
  });

  it('sex is the parity of the GB 11643 sequence code (§5.3: odd for men)', () => {
    const wrong = failing(residents, (r) => {
      const d = r.documents[0]!;
      if (d.type !== 'resident_id' && !d.type.endsWith('_residence_permit')) return true;
      return (Number(d.number[16]) % 2 === 1 ? 'M' : 'F') === r.sex;
    });
    expect(wrong).toEqual([]);
    const women = share(residents.filter((r) => r.sex === 'F').length);
    expect(women).toBeGreaterThan(0.47);
    expect(women).toBeLessThan(0.53);
  });

  it('numbers, person ids and photo refs are unique across the run', () => {
    expect(new Set(documents.map(({ d }) => d.number)).size).toBe(documents.length);
    expect(new Set(residents.map((r) => r.personId)).size).toBe(N);
    expect(new Set(residents.map((r) => r.photoRef)).size).toBe(N);
    expect(failing(residents, (r) => /^R-[0-9a-f]{16}$/.test(r.personId))).toEqual([]);
    expect(failing(residents, (r) => /^photo:[0-9a-f]{16}$/.test(r.photoRef))).toEqual([]);
  });
});

describe('synthetic residents: population mix', () => {
  it('spans ages 0–95 with minors in every legal age band', () => {
    const ages = residents.map((r) => ageOn(TODAY, r.birthdate));
    const band = (lo: number, hi: number) => share(ages.filter((a) => a >= lo && a < hi).length);
    expect(ages.reduce((a, b) => Math.min(a, b))).toBe(0);
    expect(ages.reduce((a, b) => Math.max(a, b))).toBe(95);
    expect(band(0, 14)).toBeGreaterThan(0.12); // under 14: guardian approval (DESIGN.md flow 1)
    expect(band(0, 14)).toBeLessThan(0.22);
    expect(band(14, 16)).toBeGreaterThan(0.01);
    expect(band(14, 16)).toBeLessThan(0.04);
    expect(band(16, 18)).toBeGreaterThan(0.01);
    expect(band(16, 18)).toBeLessThan(0.04);
    expect(band(60, 96)).toBeGreaterThan(0.12);
    expect(band(60, 96)).toBeLessThan(0.25);
    expect(band(90, 96)).toBeGreaterThan(0);
  });

  it('holds resident IDs, ~2 % residence permits with travel permits, ~1 % foreigners', () => {
    const kinds = (t: DocumentType) => share(residents.filter((r) => primary(r) === t).length);
    expect(kinds('resident_id')).toBeGreaterThan(0.96);
    const permits = kinds('hk_macao_residence_permit') + kinds('taiwan_residence_permit');
    expect(permits).toBeGreaterThan(0.014);
    expect(permits).toBeLessThan(0.026);
    expect(kinds('taiwan_residence_permit')).toBeGreaterThan(0.002);
    expect(kinds('foreign_permanent_resident_id')).toBeGreaterThan(0.006);
    expect(kinds('foreign_permanent_resident_id')).toBeLessThan(0.015);
    const holders = residents.filter((r) => primary(r).endsWith('_residence_permit'));
    const mismatched = failing(holders, (r) => {
      const permit = r.documents[0]!;
      const travel = r.documents.find((d) => d.type.endsWith('_travel_permit'));
      // 810000 Hong Kong ↔ H…, 820000 Macao ↔ M…, 830000 Taiwan ↔ the Taiwan travel permit.
      const region = permit.number.slice(0, 2);
      if (region === '83') return travel?.type === 'taiwan_travel_permit';
      return travel?.type === 'hk_macao_travel_permit' && travel.number[0] === (region === '81' ? 'H' : 'M');
    });
    expect(mismatched).toEqual([]);
  });

  it('issues foreign permanent resident IDs in both formats, by issue date', () => {
    const cards = documents.filter(({ d }) => d.type === 'foreign_permanent_resident_id').map(({ d }) => d);
    const new2023 = cards.filter((d) => d.number.length === 18);
    expect(new2023.length).toBeGreaterThan(0);
    expect(cards.length - new2023.length).toBeGreaterThan(0);
    expect(failing(cards, (d) => (d.number.length === 18) === d.validFrom >= '2023-12-01')).toEqual([]);
  });

  it('gives ~15 % of resident ID holders a passport, and only them', () => {
    const citizens = residents.filter((r) => primary(r) === 'resident_id');
    const withPassport = citizens.filter((r) => r.documents.some((d) => d.type === 'prc_passport'));
    expect(withPassport.length / citizens.length).toBeGreaterThan(0.12);
    expect(withPassport.length / citizens.length).toBeLessThan(0.18);
    const others = residents.filter((r) => primary(r) !== 'resident_id');
    expect(failing(others, (r) => !r.documents.some((d) => d.type === 'prc_passport'))).toEqual([]);
  });

  it('has a few deceased, invalidated and expired cases, and long-term resident IDs', () => {
    const deceased = share(residents.filter((r) => r.deceased).length);
    expect(deceased).toBeGreaterThan(0.0025);
    expect(deceased).toBeLessThan(0.009);
    const invalidated = share(
      residents.filter((r) => r.documents.some((d) => d.status === 'invalidated')).length,
    );
    expect(invalidated).toBeGreaterThan(0.0025);
    expect(invalidated).toBeLessThan(0.01);
    const expiredDoc = (d: SyntheticResident['documents'][number]) =>
      d.status === 'valid' && d.validUntil !== null && d.validUntil < TODAY;
    const expired = share(residents.filter((r) => r.documents.some(expiredDoc)).length);
    expect(expired).toBeGreaterThan(0.003);
    expect(expired).toBeLessThan(0.015);
    for (const t of ['resident_id', 'prc_passport'] as const) {
      expect(documents.some(({ d }) => d.type === t && expiredDoc(d))).toBe(true);
      expect(documents.some(({ d }) => d.type === t && d.status === 'invalidated')).toBe(true);
    }
    expect(documents.some(({ d }) => d.type === 'resident_id' && d.validUntil === null)).toBe(true);
  });
});

describe('synthetic residents: validity periods', () => {
  /** Years of validity by age on the issue date; null = long-term. */
  const RULES: Record<DocumentType, (age: number) => number | null> = {
    // 居民身份证法 §5: under 16 five years, 16–25 ten, 26–45 twenty, 46 and over long-term.
    resident_id: (age) => (age < 16 ? 5 : age <= 25 ? 10 : age <= 45 ? 20 : null),
    // 护照法 §5: under 16 five years, otherwise ten.
    prc_passport: (age) => (age < 16 ? 5 : 10),
    // 港澳居民来往内地通行证: under 18 five years, otherwise ten.
    hk_macao_travel_permit: (age) => (age < 18 ? 5 : 10),
    // 台湾居民来往大陆通行证 (card): five years.
    taiwan_travel_permit: () => 5,
    // 港澳台居民居住证申领发放办法: five years.
    hk_macao_residence_permit: () => 5,
    taiwan_residence_permit: () => 5,
    // 外国人永久居留身份证: under 18 five years, otherwise ten.
    foreign_permanent_resident_id: (age) => (age < 18 ? 5 : 10),
  };

  it('every document runs from its issue day for the period its holder’s age then gives', () => {
    const wrong = failing(documents, ({ r, d }) => {
      if (d.validFrom < r.birthdate || d.validFrom > TODAY) return false;
      const years = RULES[d.type](ageOn(d.validFrom, r.birthdate));
      return d.validUntil === (years === null ? null : plusYears(d.validFrom, years));
    });
    expect(wrong).toEqual([]);
  });

  it('a valid resident ID is current, or lapsed within the last three years', () => {
    const lapsedSince = plusYears(TODAY, -3);
    const stale = failing(
      documents,
      ({ d }) =>
        d.type !== 'resident_id' ||
        d.status !== 'valid' ||
        d.validUntil === null ||
        d.validUntil >= lapsedSince,
    );
    expect(stale).toEqual([]);
  });

  it('a second resident ID replaces an invalidated one with the same birthdate and sex', () => {
    const twice = residents.filter((r) => r.documents.filter((d) => d.type === 'resident_id').length > 1);
    expect(twice.length).toBeGreaterThan(0);
    for (const r of twice) {
      const [old, current] = r.documents.filter((d) => d.type === 'resident_id');
      expect(old!.status).toBe('invalidated');
      expect(current!.status).toBe('valid');
      expect(current!.number.slice(6, 14)).toBe(old!.number.slice(6, 14));
      expect(Number(current!.number[16]) % 2).toBe(Number(old!.number[16]) % 2);
    }
  });
});

describe('synthetic residents: names', () => {
  const toneless = (p: string) =>
    p
      .normalize('NFD')
      .replace(/[\u0300-\u0307\u0309-\u036f]/g, '')
      .normalize('NFC');
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  const surnames = new Map(SURNAMES.map(([han, pinyin]) => [han, cap(toneless(pinyin))]));
  const given = new Map(
    GIVEN_NAME_CHARACTERS.map(([han, pinyin, lean]) => [han, { pinyin: toneless(pinyin), lean }]),
  );

  // Toneless Hanyu Pinyin syllables: optional initial, then a final.
  const SYLLABLE =
    /^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:a|o|e|i|u|ü|ai|ei|ui|ao|ou|iu|ie|üe|ue|er|an|en|in|un|ün|ang|eng|ing|ong|ia|iao|ian|iang|iong|ua|uo|uai|uan|uang)$/;
  const syllableCache = new Map<string, Set<number>>();
  function syllables(word: string): Set<number> {
    const cached = syllableCache.get(word);
    if (cached) return cached;
    const counts = syllableCounts(word);
    syllableCache.set(word, counts);
    return counts;
  }
  /** The numbers of syllables `word` can be cut into (apostrophes are hard boundaries). */
  function syllableCounts(word: string): Set<number> {
    const parts = word.toLowerCase().split("'");
    let counts = new Set([0]);
    for (const part of parts) {
      const reach: Set<number>[] = Array.from({ length: part.length + 1 }, () => new Set());
      reach[0] = new Set([0]);
      for (let i = 0; i < part.length; i++) {
        for (const k of reach[i]!) {
          for (let j = i + 1; j <= Math.min(part.length, i + 6); j++) {
            if (SYLLABLE.test(part.slice(i, j))) reach[j]!.add(k + 1);
          }
        }
      }
      counts = new Set([...counts].flatMap((a) => [...reach[part.length]!].map((b) => a + b)));
    }
    return counts;
  }

  it('the tables hold ~100 surnames and ~200 given-name characters, each one syllable per character with one tone', () => {
    expect(SURNAMES.length).toBeGreaterThanOrEqual(100);
    expect(GIVEN_NAME_CHARACTERS.length).toBeGreaterThanOrEqual(200);
    expect(new Set(SURNAMES.map(([han]) => han)).size).toBe(SURNAMES.length);
    expect(given.size).toBe(GIVEN_NAME_CHARACTERS.length);
    expect(SURNAMES.filter(([han]) => han.length === 2).length).toBeGreaterThanOrEqual(5);
    for (const [han, pinyin] of [...SURNAMES, ...GIVEN_NAME_CHARACTERS]) {
      expect(han).toMatch(/^\p{Script=Han}{1,2}$/u);
      expect(syllables(toneless(pinyin)).has(han.length)).toBe(true);
      // One tone mark per syllable: names have no neutral tone.
      expect(pinyin.normalize('NFD').match(/[\u0300\u0301\u0304\u030c]/g)?.length).toBe(han.length);
    }
  });

  /** What is wrong with a Chinese resident's name, or undefined. */
  function nameProblem(r: SyntheticResident): string | undefined {
    if (!/^\p{Script=Han}{2,4}$/u.test(r.name)) return 'not 2–4 Han characters';
    const [surnameWord, givenWord, ...rest] = r.namePinyin.split(' ');
    if (givenWord === undefined || rest.length > 0) return 'pinyin is not two words';
    const surname = [r.name.slice(0, 2), r.name.slice(0, 1)].find((s) => surnames.get(s) === surnameWord);
    if (surname === undefined) return 'surname not in the table, or pinyin not the table’s';
    const chars = [...r.name.slice(surname.length)];
    if (chars.length > 2) return 'given name longer than 2';
    const entries = chars.map((c) => given.get(c));
    if (entries.some((e) => e === undefined)) return 'given-name character not in the table';
    if (entries.some((e) => e!.lean === (r.sex === 'F' ? 'M' : 'F'))) return 'character for the other sex';
    const [a, b] = entries.map((e) => e!.pinyin);
    // GB/T 28039-2011: given-name syllables written together, ' before a syllable starting a/o/e.
    const expected = cap(a!) + (b === undefined ? '' : (/^[aoe]/.test(b) ? "'" : '') + b);
    if (givenWord !== expected) return `given-name pinyin ${givenWord}, expected ${expected}`;
    const sums = [...syllables(givenWord)].flatMap((g) => [...syllables(surnameWord!)].map((s) => s + g));
    if (!sums.includes(r.name.length)) return 'syllables do not match characters';
    return undefined;
  }

  it('Chinese names come from the tables, with the tables’ pinyin and one syllable per character', () => {
    const chinese = residents.filter((r) => primary(r) !== 'foreign_permanent_resident_id');
    const problems = chinese.flatMap((r) => {
      const problem = nameProblem(r);
      return problem ? [`${r.name} ${r.namePinyin}: ${problem}`] : [];
    });
    expect(problems.slice(0, 5)).toEqual([]);
    expect(chinese.some((r) => r.namePinyin.includes("'"))).toBe(true);
  });

  it('surnames follow their weights: 王 李 张 lead, compound surnames occur', () => {
    const counts = new Map<string, number>();
    for (const r of residents) {
      const word = r.namePinyin.split(' ')[0]!;
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    const top = [...counts].sort((a, b) => b[1] - a[1]).map(([w]) => w);
    expect(top.slice(0, 3).sort()).toEqual(['Li', 'Wang', 'Zhang']);
    expect(counts.get('Ouyang')).toBeGreaterThan(0);
    expect(counts.get('Lü')).toBeGreaterThan(0);
  });

  it('foreigners have Latin names from the tables, repeated as the pinyin', () => {
    const foreigners = residents.filter((r) => primary(r) === 'foreign_permanent_resident_id');
    expect(foreigners.length).toBeGreaterThan(0);
    const wrong = failing(foreigners, (r) => {
      const [first, last] = r.name.split(' ');
      return (
        FOREIGN_GIVEN_NAMES[r.sex].includes(first!) &&
        FOREIGN_SURNAMES.includes(last!) &&
        r.namePinyin === r.name
      );
    });
    expect(wrong).toEqual([]);
  });
});

describe('generateResidents: reproducibility and options', () => {
  it('the same seed and day give the same residents, whatever the count', () => {
    const again = [...generateResidents({ count: 2_000, seed: SEED, today: TODAY })];
    expect(again).toEqual(residents.slice(0, 2_000));
  });

  it('another seed or another day gives other residents', () => {
    const [a] = generateResidents({ count: 1, seed: SEED + 1, today: TODAY });
    const [b] = generateResidents({ count: 1, seed: SEED, today: '2025-06-02' });
    expect(a!.personId).not.toBe(residents[0]!.personId);
    expect(b!.birthdate).not.toBe(residents[0]!.birthdate);
  });

  it('defaults today to the current day in China', () => {
    const chinaToday = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const sample = [...generateResidents({ count: 2_000, seed: 1 })];
    expect(sample).toHaveLength(2_000);
    expect(
      failing(
        sample,
        (r) => r.birthdate <= chinaToday && r.documents.every((d) => d.validFrom <= chinaToday),
      ),
    ).toEqual([]);
  });

  it('count 0 yields nothing', () => {
    expect([...generateResidents({ count: 0, seed: 1, today: TODAY })]).toEqual([]);
  });

  it.each([
    ['a negative count', { count: -1, seed: 1 }, 'ERR_MALFORMED'],
    ['a fractional count', { count: 1.5, seed: 1 }, 'ERR_MALFORMED'],
    ['a string count', { count: '10', seed: 1 }, 'ERR_MALFORMED'],
    ['too many', { count: MAX_SYNTHETIC_RESIDENTS + 1, seed: 1 }, 'ERR_INPUT_TOO_LARGE'],
    ['a NaN seed', { count: 1, seed: Number.NaN }, 'ERR_MALFORMED'],
    ['a missing seed', { count: 1 }, 'ERR_MALFORMED'],
    ['a non-date today', { count: 1, seed: 1, today: '2025-02-30' }, 'ERR_MALFORMED'],
    ['an unpadded today', { count: 1, seed: 1, today: '2025-6-1' }, 'ERR_MALFORMED'],
    ['a today before 2020', { count: 1, seed: 1, today: '2019-12-31' }, 'ERR_MALFORMED'],
    ['a future today', { count: 1, seed: 1, today: '2999-01-01' }, 'ERR_MALFORMED'],
    ['no options', null, 'ERR_MALFORMED'],
  ])('refuses %s at the call, before any next()', (_, options, code) => {
    expect(codeOf(() => generateResidents(options as never))).toBe(code);
  });
});

describe('createNumberSet', () => {
  it('refuses a repeat, also after growing', () => {
    const set = createNumberSet();
    const values = Array.from({ length: 300_000 }, (_, i) => `E${String(i * 7919).padStart(8, '0')}`);
    const accepted = values.filter((v) => set.add(v)).length;
    // A new value is refused only when its 32-bit fingerprint is taken: ~10 of 300,000 here.
    expect(accepted).toBeGreaterThan(299_900);
    expect(set.size).toBe(accepted);
    expect(values.filter((v) => set.add(v))).toEqual([]);
    expect(set.size).toBe(accepted);
  });
});
