import { fail } from '../errors.ts';
import { randomInt } from './random.ts';
import type { RandomSource } from './types.ts';

/** GB 11643-1999 §5.2 refers to GB/T 7408: a Gregorian date. We also refuse anything before 1900. */
export const EARLIEST_BIRTH_YEAR = 1900;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

/**
 * Today's date in China Standard Time (UTC+8, no daylight saving since 1991) as YYYYMMDD. The numbers
 * are issued in China: a baby born at 02:00 Beijing time is already "today" there while UTC is still on
 * the previous day, and must not be refused as born in the future.
 */
export function chinaToday(now: Date = new Date()): number {
  const shifted = new Date(now.getTime() + 8 * 3600_000);
  return shifted.getUTCFullYear() * 10000 + (shifted.getUTCMonth() + 1) * 100 + shifted.getUTCDate();
}

/** Checks an 8-digit YYYYMMDD birthdate and returns it as 'YYYY-MM-DD'. */
export function checkBirthdate(yyyymmdd: string, today: number, what: string): string {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (!isRealDate(y, m, d)) fail('ERR_DOCUMENT_BIRTHDATE', `${what}: the birthdate is not a calendar date`);
  if (y < EARLIEST_BIRTH_YEAR)
    fail('ERR_DOCUMENT_BIRTHDATE', `${what}: the birthdate is before ${EARLIEST_BIRTH_YEAR}`);
  if (y * 10000 + m * 100 + d > today)
    fail('ERR_DOCUMENT_BIRTHDATE', `${what}: the birthdate is in the future`);
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/** Generator side: 'YYYY-MM-DD' → 'YYYYMMDD', refusing what the validator would refuse. */
export function birthdateDigits(birthdate: string, today: number): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthdate);
  if (!match) fail('ERR_DOCUMENT_BIRTHDATE', 'birthdate must be YYYY-MM-DD');
  const digits = match[1]! + match[2]! + match[3]!;
  checkBirthdate(digits, today, 'birthdate');
  return digits;
}

// Days since 1970-01-01 of the bounds of generated birthdates. Fixed, not relative to today, so that a
// seeded run gives the same numbers next year.
const FIRST_DAY = -14610; // 1930-01-01
const LAST_DAY = 18261; // 2019-12-31

/** A uniformly random birthdate in 1930–2019 as YYYYMMDD, without allocating a Date. */
export function randomBirthdateDigits(random: RandomSource): string {
  const days = FIRST_DAY + randomInt(random, LAST_DAY - FIRST_DAY + 1);
  return String(ymdFromDays(days));
}

/** The generator's birthdate: the caller's, checked, or a random one from the injected source. */
export function resolveBirthDigits(birthdate: string | undefined, random: RandomSource): string {
  return birthdate === undefined ? randomBirthdateDigits(random) : birthdateDigits(birthdate, chinaToday());
}

/**
 * Days since 1970-01-01 → the civil date as one integer YYYYMMDD, without allocating a Date (Howard
 * Hinnant's civil_from_days, http://howardhinnant.github.io/date_algorithms.html). Integer dates make
 * comparisons and whole years plain arithmetic, which the registry seeder relies on for speed.
 */
export function ymdFromDays(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return (yoe + era * 400 + (m <= 2 ? 1 : 0)) * 10000 + m * 100 + d;
}
