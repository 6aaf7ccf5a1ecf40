import {
  type DocumentType,
  fail,
  generateDocumentNumber,
  generateForeignPermanentResidentId2017,
  type RandomSource,
  seededRandom,
  ymdFromDays,
} from '@netid/protocol';
import { FOREIGN_GIVEN_NAMES, FOREIGN_SURNAMES, GIVEN_NAME_CHARACTERS, SURNAMES } from './names.ts';

/**
 * Synthetic residents for the stand-in population registry (`netid registry seed`). Everything is
 * drawn from one seeded stream, so a seed and a `today` give the same residents on every machine, and
 * the first N residents of a run do not depend on `count`. The numbers validate like real ones: a
 * seeded registry must never be mixed with real data.
 */

export interface SyntheticDocument {
  type: DocumentType;
  /** Canonical form (as `validateDocumentNumber` returns it); unique across the whole run. */
  number: string;
  /** 'YYYY-MM-DD'. */
  validFrom: string;
  /** 'YYYY-MM-DD', the last valid day; null for a long-term (长期) resident ID. */
  validUntil: string | null;
  status: 'valid' | 'invalidated';
}

export interface SyntheticResident {
  /** Opaque, unique within a run, derived from nothing personal. */
  personId: string;
  /** Han characters (Latin for foreigners). */
  name: string;
  /**
   * Hanyu Pinyin without tone marks, as on a passport: "Zhang Wei", "Ouyang Xiaoming", "Lü Jia'en"
   * (ü kept, apostrophe before a/o/e within the given name, GB/T 28039-2011). Foreigners: the name.
   */
  namePinyin: string;
  /** 'YYYY-MM-DD'. */
  birthdate: string;
  /** For GB 11643 numbers, the parity of the sequence code (odd: M), as on real cards. */
  sex: 'F' | 'M';
  /** `photo:` and 16 hex digits, unique within a run. */
  photoRef: string;
  deceased: boolean;
  documents: SyntheticDocument[];
}

export interface GenerateResidentsOptions {
  /** How many residents, 0 … MAX_SYNTHETIC_RESIDENTS. */
  count: number;
  /** Any integer; only its low 32 bits matter (mulberry32). */
  seed: number;
  /**
   * 'YYYY-MM-DD', the day ages, validity and expiry are computed for; defaults to today in China.
   * Pass it to reproduce a run on another day. It cannot be later than today: the document number
   * generators refuse birthdates in the future.
   */
  today?: string;
}

/** Person ids and photo refs are a keyed bijection of the index, so they stay unique below 2^32. */
export const MAX_SYNTHETIC_RESIDENTS = 100_000_000;

// Shares of the population: about 2 % hold a Hong Kong/Macao/Taiwan residence permit instead of a
// resident ID, about 1 % are foreign permanent residents; everyone else holds a resident ID.
const P_FOREIGNER = 0.01;
const P_PERMIT = 0.02;
const P_TAIWAN_AMONG_PERMITS = 0.3;
const P_PASSPORT = 0.15;
/** Among passports: lapsed and never renewed. */
const P_PASSPORT_EXPIRED = 0.03;
/**
 * The main document lapsed and was not renewed. Only about a quarter of resident ID holders have a
 * card that lapsed within the last 3 years to show (see residentIdTerm), so ~0.4 % end up expired.
 */
const P_EXPIRED = 0.015;
/** Some document was cancelled: a lost passport, a corrected or cancelled resident ID, a revoked card. */
const P_INVALIDATED = 0.005;
/** Death rates skewed to the old; about 0.5 % overall with the age pyramid below. */
const P_DECEASED_60_PLUS = 0.018;
const P_DECEASED_UNDER_60 = 0.0015;
/** Single-character given names (张伟) against two-character ones (张晓明). */
const P_SINGLE_GIVEN_NAME = 0.2;

// ---------------------------------------------------------------------------------------------
// Calendar on day numbers (days since 1970-01-01), to avoid a Date allocation per document.

/** Howard Hinnant's days_from_civil (http://howardhinnant.github.io/date_algorithms.html). */
function dayOf(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** The same calendar day `years` later; 29 February becomes 28 February in a common year. */
function addYears(day: number, years: number): number {
  const ymd = ymdFromDays(day);
  const y = Math.floor(ymd / 10000) + years;
  const m = Math.floor(ymd / 100) % 100;
  const d = ymd % 100;
  return dayOf(y, m, m === 2 && d === 29 && !isLeap(y) ? 28 : d);
}

/**
 * 'YYYY-MM-DD' of a day, cached: a pure mapping, so one cache serves every run. Indexed by day from
 * 1900 (an array lookup is several times faster than a Map's); days outside 1900–2199 are not cached.
 */
const ISO_BASE = dayOf(1900, 1, 1);
const ISO_CACHE: (string | undefined)[] = new Array(dayOf(2200, 1, 1) - ISO_BASE);

function isoOf(day: number): string {
  const cached = ISO_CACHE[day - ISO_BASE];
  if (cached !== undefined) return cached;
  const ymd = ymdFromDays(day);
  const md = ymd % 10000;
  const iso = `${Math.floor(ymd / 10000)}-${md < 1000 ? '0' : ''}${Math.floor(md / 100)}-${md % 100 < 10 ? '0' : ''}${md % 100}`;
  if (day >= ISO_BASE && day - ISO_BASE < ISO_CACHE.length) ISO_CACHE[day - ISO_BASE] = iso;
  return iso;
}

function dayOfIso(iso: string): number {
  return dayOf(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}

// ---------------------------------------------------------------------------------------------
// Uniqueness.

/**
 * A set of 32-bit fingerprints of document numbers (open addressing, grows at 70 % load): about
 * 8 MB for the ~1.2 M numbers of a million residents, where a Set of the strings takes ~90 MB.
 * `add` answers false for a number already added, and, about once in 2^32 / size, for a new number
 * whose fingerprint is taken: the caller then draws another, so a repeat can never get through.
 * Membership does not depend on the table size, which keeps runs prefix-stable.
 */
export interface NumberSet {
  add(value: string): boolean;
  readonly size: number;
}

export function createNumberSet(): NumberSet {
  let table = new Uint32Array(1 << 16);
  let size = 0;
  const place = (into: Uint32Array, f: number): boolean => {
    const mask = into.length - 1;
    for (let i = f & mask; ; i = (i + 1) & mask) {
      const slot = into[i]!;
      if (slot === 0) {
        into[i] = f;
        return true;
      }
      if (slot === f) return false;
    }
  };
  return {
    get size() {
      return size;
    },
    add(value) {
      if (!place(table, fingerprint(value))) return false;
      if (++size > table.length * 0.7) {
        const bigger = new Uint32Array(table.length * 2);
        for (const f of table) if (f !== 0) place(bigger, f);
        table = bigger;
      }
      return true;
    },
  };
}

/** FNV-1a, then murmur3's finalizer so the low bits (the slot index) are well mixed. Never 0. */
function fingerprint(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h) || 1;
}

/** murmur3's fmix32: a bijection on 32-bit integers. */
function fmix32(x: number): number {
  let h = x ^ (x >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hex of every 16-bit value: toString(16).padStart was the generator's single largest cost. */
const HEX4 = Array.from({ length: 0x10000 }, (_, i) => i.toString(16).padStart(4, '0'));

/** 16 hex digits of two unsigned 32-bit halves. */
const hex16 = (hi: number, lo: number): string =>
  HEX4[hi >>> 16]! + HEX4[hi & 0xffff]! + HEX4[lo >>> 16]! + HEX4[lo & 0xffff]!;

const random32 = (random: RandomSource): number => (random() * 0x100000000) >>> 0;

/** Enough for any count up to MAX_SYNTHETIC_RESIDENTS; more means the number space is exhausted. */
const MAX_DRAWS = 1000;

function drawUnique(run: Run, draw: () => string): string {
  for (let i = 0; i < MAX_DRAWS; i++) {
    const n = draw();
    if (run.seen.add(n)) return n;
  }
  return fail('ERR_INPUT_TOO_LARGE', 'synthetic document numbers exhausted: use a smaller count');
}

// ---------------------------------------------------------------------------------------------
// Random helpers.

function below(random: RandomSource, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/** Index into `cumulative` (ascending, last = total) for a uniform draw. */
function weighted(random: RandomSource, cumulative: Float64Array): number {
  const x = random() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cumulate(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ages.

/**
 * China's 2020 census (第七次全国人口普查), millions per five-year band 0–4 … 90–94 (approximate),
 * and a last one-year band for age 95. About 18 % are under 15, so every minor band is well filled.
 */
const AGE_BAND_WEIGHTS = [
  77.9, 90.2, 85.3, 72.7, 74.9, 91.9, 124.1, 99.0, 93.0, 114.2, 121.2, 101.4, 73.4, 74.0, 49.6, 31.2, 20.4,
  10.6, 3.9, 0.3,
];
const AGE_BANDS = cumulate(AGE_BAND_WEIGHTS);
const DAYS_PER_YEAR = 365.2425;

interface Person {
  birthDay: number;
  birthYmd: number;
  birthdate: string;
  /** Whole years on `today`. */
  age: number;
}

function drawPerson(run: Run): Person {
  const band = weighted(run.random, AGE_BANDS);
  const minDays = Math.floor(band * 5 * DAYS_PER_YEAR);
  const maxDays = Math.floor(
    (band === AGE_BAND_WEIGHTS.length - 1 ? band * 5 + 1 : band * 5 + 5) * DAYS_PER_YEAR,
  );
  const birthDay = run.today - minDays - below(run.random, maxDays - minDays);
  const birthYmd = ymdFromDays(birthDay);
  return {
    birthDay,
    birthYmd,
    birthdate: isoOf(birthDay),
    age: Math.floor((run.todayYmd - birthYmd) / 10000),
  };
}

function ageOn(person: Person, day: number): number {
  return Math.floor((ymdFromDays(day) - person.birthYmd) / 10000);
}

// ---------------------------------------------------------------------------------------------
// Validity periods.

interface Term {
  from: number;
  /** null: long-term. */
  until: number | null;
}

/**
 * 居民身份证法 §5: a card issued under 16 is valid 5 years, at 16–25 10 years, at 26–45 20 years, from
 * 46 long-term. The current card is found by walking the holder's cards from the first one: at a
 * random age for children (the card is optional before 16), shortly after the 16th birthday for
 * adults, but not before the second-generation card (2004); each renewal up to 3 months before expiry.
 */
function residentIdYears(ageAtIssue: number): number | null {
  if (ageAtIssue < 16) return 5;
  if (ageAtIssue <= 25) return 10;
  if (ageAtIssue <= 45) return 20;
  return null;
}

const SECOND_GENERATION_CARDS = dayOf(2004, 1, 1);
/** An unrenewed card lapsed at most this many years ago; older lapses would be renewed in practice. */
const LAPSED_AT_MOST_YEARS = 3;

function residentIdTerm(run: Run, person: Person, expired: boolean): Term {
  const { random, today } = run;
  let from =
    person.age < 16
      ? person.birthDay + below(random, today - person.birthDay + 1)
      : Math.min(
          today,
          Math.max(
            addYears(person.birthDay, 16) + below(random, 366),
            SECOND_GENERATION_CARDS + below(random, 3 * 366),
          ),
        );
  let lapsed: Term | undefined;
  for (;;) {
    const years = residentIdYears(ageOn(person, from));
    const until = years === null ? null : addYears(from, years);
    if (until === null || until >= today) {
      const recent = lapsed !== undefined && lapsed.until! >= addYears(today, -LAPSED_AT_MOST_YEARS);
      return expired && recent ? lapsed! : { from, until };
    }
    lapsed = { from, until };
    from = until - below(random, 92);
  }
}

/** A card type whose current card was issued within its validity period, at most. */
interface CardPolicy {
  /** Day the card type in use today was first issued. */
  earliest: number;
  years(ageAtIssue: number): number;
  maxYears: number;
}

const PASSPORT: CardPolicy = {
  earliest: dayOf(2012, 5, 15), // electronic passports
  years: (age) => (age < 16 ? 5 : 10),
  maxYears: 10,
};
const HK_MACAO_TRAVEL_PERMIT: CardPolicy = {
  earliest: dayOf(2013, 1, 2), // card-format 回乡证
  years: (age) => (age < 18 ? 5 : 10),
  maxYears: 10,
};
const TAIWAN_TRAVEL_PERMIT: CardPolicy = {
  earliest: dayOf(2015, 9, 21), // card-format 台胞证
  years: () => 5,
  maxYears: 5,
};
const RESIDENCE_PERMIT: CardPolicy = {
  earliest: dayOf(2018, 9, 1), // 港澳台居民居住证申领发放办法
  years: () => 5,
  maxYears: 5,
};
const FOREIGN_CARD: CardPolicy = {
  earliest: dayOf(2017, 6, 15), // the 2017 card; earlier cards are not generated
  years: (age) => (age < 18 ? 5 : 10),
  maxYears: 10,
};
/** Cards issued from this day carry the 18-character 2023 number, earlier ones the 15-character one. */
const CARD_2023 = dayOf(2023, 12, 1);

/** A current (or, if `expired`, a lapsed) card: issue date drawn back from today, then checked. */
function cardTerm(run: Run, person: Person, policy: CardPolicy, expired: boolean): Term {
  const { random, today } = run;
  const lo = Math.max(person.birthDay, policy.earliest);
  for (let attempt = 0; attempt < 4; attempt++) {
    const start = Math.max(lo, addYears(today, -policy.maxYears - (expired ? 3 : 0)));
    const end = expired ? today - 1 : today;
    if (end < start) break;
    const from = start + below(random, end - start + 1);
    const until = addYears(from, policy.years(ageOn(person, from)));
    if (until < today === expired) return { from, until };
  }
  // Nothing lapsed fits (a baby, a card type newer than the lapse): a card issued this past year.
  const from = Math.max(lo, today - below(random, 365));
  return { from, until: addYears(from, policy.years(ageOn(person, from))) };
}

// ---------------------------------------------------------------------------------------------
// Documents.

function documentOf(type: DocumentType, number: string, term: Term): SyntheticDocument {
  return {
    type,
    number,
    validFrom: isoOf(term.from),
    validUntil: term.until === null ? null : isoOf(term.until),
    status: 'valid',
  };
}

/** GB 11643-1999 §5.3: the sequence code is odd for men, even for women. */
function sexOfGb11643(number: string): 'F' | 'M' {
  return number.charCodeAt(16) & 1 ? 'M' : 'F';
}

function residentIdNumber(run: Run, person: Person, sex?: 'F' | 'M'): string {
  return drawUnique(run, () => {
    for (;;) {
      const n = generateDocumentNumber('resident_id', { birthdate: person.birthdate, random: run.random });
      if (sex === undefined || sexOfGb11643(n) === sex) return n;
    }
  });
}

function passport(run: Run, person: Person, expired: boolean): SyntheticDocument {
  const n = drawUnique(run, () => generateDocumentNumber('prc_passport', { random: run.random }));
  return documentOf('prc_passport', n, cardTerm(run, person, PASSPORT, expired));
}

function citizen(run: Run, person: Person, expired: boolean, documents: SyntheticDocument[]): 'F' | 'M' {
  const n = residentIdNumber(run, person);
  documents.push(documentOf('resident_id', n, residentIdTerm(run, person, expired)));
  if (run.random() < P_PASSPORT) {
    documents.push(passport(run, person, run.random() < P_PASSPORT_EXPIRED));
  }
  return sexOfGb11643(n);
}

/** A residence permit and the matching travel permit (the one they cross the border with). */
function permitHolder(run: Run, person: Person, expired: boolean, documents: SyntheticDocument[]): 'F' | 'M' {
  const { random } = run;
  const taiwan = random() < P_TAIWAN_AMONG_PERMITS;
  const permitType = taiwan ? 'taiwan_residence_permit' : 'hk_macao_residence_permit';
  const permit = drawUnique(run, () =>
    generateDocumentNumber(permitType, { birthdate: person.birthdate, random }),
  );
  documents.push(documentOf(permitType, permit, cardTerm(run, person, RESIDENCE_PERMIT, expired)));
  // The travel permit's letter names the issuing region, as the permit's 810000/820000 does.
  const letter = permit.startsWith('81') ? 'H' : 'M';
  const travelType = taiwan ? 'taiwan_travel_permit' : 'hk_macao_travel_permit';
  const travel = drawUnique(run, () => {
    const n = generateDocumentNumber(travelType, { random });
    return taiwan ? n : letter + n.slice(1);
  });
  const policy = taiwan ? TAIWAN_TRAVEL_PERMIT : HK_MACAO_TRAVEL_PERMIT;
  documents.push(documentOf(travelType, travel, cardTerm(run, person, policy, false)));
  return sexOfGb11643(permit);
}

function foreigner(run: Run, person: Person, expired: boolean, documents: SyntheticDocument[]): void {
  const term = cardTerm(run, person, FOREIGN_CARD, expired);
  const options = { birthdate: person.birthdate, random: run.random };
  const n = drawUnique(run, () =>
    term.from >= CARD_2023
      ? generateDocumentNumber('foreign_permanent_resident_id', options)
      : generateForeignPermanentResidentId2017(options),
  );
  documents.push(documentOf('foreign_permanent_resident_id', n, term));
}

/**
 * A lost passport (sometimes already replaced by a new number), or the main document cancelled: a
 * resident ID whose number was corrected (重号, a new number for the same birthdate and sex) or
 * cancelled with the household registration, a revoked permit or card.
 */
function invalidate(run: Run, person: Person, sex: 'F' | 'M', documents: SyntheticDocument[]): void {
  const { random, today } = run;
  const lost = documents.find((d) => d.type === 'prc_passport');
  if (lost && random() < 0.5) {
    lost.status = 'invalidated';
    if (random() < 0.5) {
      const from = Math.max(dayOfIso(lost.validFrom), today - below(random, 365));
      const n = drawUnique(run, () => generateDocumentNumber('prc_passport', { random }));
      documents.push(
        documentOf('prc_passport', n, { from, until: addYears(from, PASSPORT.years(ageOn(person, from))) }),
      );
    }
    return;
  }
  const main = documents[0]!;
  main.status = 'invalidated';
  if (main.type === 'resident_id' && random() < 0.5) {
    const from = Math.max(dayOfIso(main.validFrom), today - below(random, 365));
    const years = residentIdYears(ageOn(person, from));
    const until = years === null ? null : addYears(from, years);
    documents.push(documentOf('resident_id', residentIdNumber(run, person, sex), { from, until }));
  }
}

// ---------------------------------------------------------------------------------------------
// Names.

interface Syllable {
  han: string;
  capital: string;
  lower: string;
  /** GB/T 28039: an apostrophe separates a syllable starting with a, o or e from the one before. */
  joined: string;
}

/** Drops the tone marks but keeps ü (U+0308 is the diaeresis, 0300–036F the other combining marks). */
function toneless(pinyin: string): string {
  return pinyin
    .normalize('NFD')
    .replace(/[\u0300-\u0307\u0309-\u036f]/g, '')
    .normalize('NFC');
}

function syllable(han: string, pinyin: string): Syllable {
  const lower = toneless(pinyin);
  return {
    han,
    capital: lower[0]!.toUpperCase() + lower.slice(1),
    lower,
    joined: /^[aoe]/.test(lower) ? `'${lower}` : lower,
  };
}

const SURNAME_SYLLABLES = SURNAMES.map(([han, pinyin]) => syllable(han, pinyin));
const SURNAME_WEIGHTS = cumulate(SURNAMES.map(([, , weight]) => weight));
const GIVEN_FOR: Record<'F' | 'M', readonly Syllable[]> = {
  F: GIVEN_NAME_CHARACTERS.filter(([, , lean]) => lean !== 'M').map(([han, pinyin]) => syllable(han, pinyin)),
  M: GIVEN_NAME_CHARACTERS.filter(([, , lean]) => lean !== 'F').map(([han, pinyin]) => syllable(han, pinyin)),
};

function chineseName(random: RandomSource, sex: 'F' | 'M'): [name: string, pinyin: string] {
  const surname = SURNAME_SYLLABLES[weighted(random, SURNAME_WEIGHTS)]!;
  const pool = GIVEN_FOR[sex];
  const first = pool[below(random, pool.length)]!;
  if (random() < P_SINGLE_GIVEN_NAME) {
    return [surname.han + first.han, `${surname.capital} ${first.capital}`];
  }
  const second = pool[below(random, pool.length)]!;
  return [surname.han + first.han + second.han, `${surname.capital} ${first.capital}${second.joined}`];
}

function foreignName(random: RandomSource, sex: 'F' | 'M'): [name: string, pinyin: string] {
  const given = FOREIGN_GIVEN_NAMES[sex];
  const name = `${given[below(random, given.length)]} ${FOREIGN_SURNAMES[below(random, FOREIGN_SURNAMES.length)]}`;
  return [name, name];
}

// ---------------------------------------------------------------------------------------------
// Residents.

interface Run {
  random: RandomSource;
  today: number;
  todayYmd: number;
  seen: NumberSet;
  personKey: number;
  photoKey: number;
}

function resident(run: Run, index: number): SyntheticResident {
  const { random } = run;
  // The first half is a keyed bijection of the index (unique), the second half random.
  const personId = `R-${hex16(fmix32(index ^ run.personKey), random32(random))}`;
  const photoRef = `photo:${hex16(fmix32(index ^ run.photoKey), random32(random))}`;
  const person = drawPerson(run);
  const expired = random() < P_EXPIRED;
  const documents: SyntheticDocument[] = [];
  const kind = random();
  let sex: 'F' | 'M';
  if (kind < P_FOREIGNER) {
    sex = random() < 0.5 ? 'F' : 'M';
    foreigner(run, person, expired, documents);
  } else if (kind < P_FOREIGNER + P_PERMIT) {
    sex = permitHolder(run, person, expired, documents);
  } else {
    sex = citizen(run, person, expired, documents);
  }
  if (random() < P_INVALIDATED) invalidate(run, person, sex, documents);
  const deceased = random() < (person.age >= 60 ? P_DECEASED_60_PLUS : P_DECEASED_UNDER_60);
  const [name, namePinyin] = kind < P_FOREIGNER ? foreignName(random, sex) : chineseName(random, sex);
  return { personId, name, namePinyin, birthdate: person.birthdate, sex, photoRef, deceased, documents };
}

function* residents(count: number, run: Run): Generator<SyntheticResident> {
  for (let i = 0; i < count; i++) yield resident(run, i);
}

/** Today in China Standard Time (UTC+8, no daylight saving) as 'YYYY-MM-DD'. */
function chinaToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Earliest `today`: every card type generated here must already exist. */
const EARLIEST_TODAY = '2020-01-01';

function checkToday(today: unknown): number {
  const match = typeof today === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(today) : null;
  if (!match) return fail('ERR_MALFORMED', 'today must be a date YYYY-MM-DD');
  const day = dayOf(Number(match[1]), Number(match[2]), Number(match[3]));
  if (isoOf(day) !== today) fail('ERR_MALFORMED', 'today is not a calendar date');
  if (today < EARLIEST_TODAY || today > chinaToday()) {
    fail('ERR_MALFORMED', `today must lie between ${EARLIEST_TODAY} and today`);
  }
  return day;
}

/**
 * Yields `count` synthetic residents (lazily: a million need no more memory than the ~8 MB of the
 * number set). Options are checked at the call, not at the first `next()`. Throws NetidError
 * ERR_MALFORMED (bad options) or ERR_INPUT_TOO_LARGE (count above MAX_SYNTHETIC_RESIDENTS).
 */
export function generateResidents(options: GenerateResidentsOptions): Generator<SyntheticResident> {
  if (typeof options !== 'object' || options === null) fail('ERR_MALFORMED', 'options must be an object');
  const { count, seed } = options;
  if (!Number.isSafeInteger(count) || count < 0)
    fail('ERR_MALFORMED', 'count must be a non-negative integer');
  if (count > MAX_SYNTHETIC_RESIDENTS) {
    fail('ERR_INPUT_TOO_LARGE', `count must be at most ${MAX_SYNTHETIC_RESIDENTS}`);
  }
  if (!Number.isSafeInteger(seed)) fail('ERR_MALFORMED', 'seed must be an integer');
  const today = checkToday(options.today ?? chinaToday());
  const random = seededRandom(seed);
  const run: Run = {
    random,
    today,
    todayYmd: ymdFromDays(today),
    seen: createNumberSet(),
    personKey: random32(random),
    photoKey: random32(random),
  };
  return residents(count, run);
}
