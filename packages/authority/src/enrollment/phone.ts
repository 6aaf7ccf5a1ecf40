import { Problem } from '../http/problem.ts';

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/**
 * A mainland mobile number in its 11-digit form. Accepts what people type: spaces, hyphens, and the
 * +86 (or 0086) country prefix. The refusal never echoes the input.
 */
export function normalizePhone(input: string): string {
  const compact = input.replace(/[\s-]/g, '');
  const national = compact.replace(/^(\+86|0086)/, '');
  if (!MAINLAND_MOBILE.test(national)) {
    throw new Problem(
      400,
      'invalid_phone',
      'the phone number is not a mainland mobile number',
      'expected 11 digits starting with 13–19, optionally prefixed by +86',
    );
  }
  return national;
}
