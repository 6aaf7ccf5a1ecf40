/**
 * The 8-digit enrollment password (DESIGN.md assurance mode `cert+password`). With only 10^8 values
 * the guessable ones matter: runs, repeats and the holder's own birthdate are what people pick first.
 */
export type WeakPasswordRule = 'eight_digits' | 'repeat' | 'sequence' | 'birthdate';

export const WEAK_PASSWORD_DETAIL: Record<WeakPasswordRule, string> = {
  eight_digits: 'the password must be exactly 8 digits',
  repeat: 'the password repeats a short pattern of digits',
  sequence: 'the password is a run of consecutive digits, ascending or descending',
  birthdate: 'the password contains your date of birth',
};

/** Longest repeating unit refused: 4 covers 11111111, 12121212, 12312312 and 12341234. */
const MAX_PERIOD = 4;

/** The first rule `password` breaks, or undefined when it is acceptable. `birthdate` is YYYY-MM-DD. */
export function weakPasswordRule(password: string, birthdate: string): WeakPasswordRule | undefined {
  if (!/^\d{8}$/.test(password)) return 'eight_digits';
  if (hasShortPeriod(password)) return 'repeat';
  if (isRun(password, 1) || isRun(password, 9)) return 'sequence';
  if (containsBirthdate(password, birthdate)) return 'birthdate';
  return undefined;
}

function hasShortPeriod(digits: string): boolean {
  for (let p = 1; p <= MAX_PERIOD; p++) {
    let periodic = true;
    for (let i = p; i < digits.length && periodic; i++) periodic = digits[i] === digits[i - p];
    if (periodic) return true;
  }
  return false;
}

/** Each digit is the previous plus `step` (mod 10): step 1 ascends (…8901…), step 9 descends. */
function isRun(digits: string, step: number): boolean {
  for (let i = 1; i < digits.length; i++) {
    if (Number(digits[i]) !== (Number(digits[i - 1]) + step) % 10) return false;
  }
  return true;
}

/**
 * YYYYMMDD, and the month-day (MMDD, so also YYMMDD) or day-month (DDMM, so also DDMMYYYY) anywhere in
 * the password.
 */
function containsBirthdate(password: string, birthdate: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthdate);
  if (!match) return false;
  const [, , mm, dd] = match as unknown as [string, string, string, string];
  return password.includes(mm + dd) || password.includes(dd + mm);
}
