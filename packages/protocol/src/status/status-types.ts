import { fail } from '../errors.ts';

/** Status Type values of draft-ietf-oauth-status-list §7.1. */
export const STATUS = { VALID: 0, INVALID: 1, SUSPENDED: 2 } as const;

/**
 * Throws unless `value` is VALID. §7.1 leaves 0x03 and 0x0C–0x0F to applications and reserves the
 * rest; netid defines none of them, so anything but 0 must not pass as valid (fail closed).
 */
export function checkStatusValue(value: number): void {
  if (value === STATUS.VALID) return;
  if (value === STATUS.INVALID) fail('ERR_STATUS_REVOKED', 'the token has been revoked');
  if (value === STATUS.SUSPENDED) fail('ERR_STATUS_SUSPENDED', 'the token is suspended');
  fail(
    'ERR_STATUS_INVALID',
    `the token has status ${typeof value === 'number' ? value : typeof value}, which is not valid`,
  );
}
