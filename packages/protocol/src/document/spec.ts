import type { RandomSource } from './types.ts';

/** What one document type provides; validate.ts dispatches on the type id. */
export interface DocumentSpec {
  /** Human name for messages. Messages never echo the number itself: it is personal data. */
  what: string;
  /** Whether the number carries the birthdate, so the generator needs one. */
  encodesBirthdate: boolean;
  /** `n` is already normalised (upper case, no separators); `today` is YYYYMMDD in China time. */
  validate(n: string, today: number): { number: string; birthdate?: string };
  /** `birth` is YYYYMMDD when `encodesBirthdate`, otherwise ''. */
  generate(random: RandomSource, birth: string): string;
}
