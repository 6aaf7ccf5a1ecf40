import { verify as argon2Verify } from '@node-rs/argon2';
import { Problem } from '../http/problem.ts';
import type { PasswordPolicy, SelfServiceStore } from './store.ts';

/** Five wrong passwords lock the password for fifteen minutes (DESIGN.md, `cert+password`). */
export const PASSWORD_POLICY: PasswordPolicy = { maxFailures: 5, lockMs: 15 * 60_000 };

const locked = (until: Date) =>
  new Problem(423, 'password_locked', 'too many wrong passwords', `try again after ${until.toISOString()}`, {
    locked_until: until.toISOString(),
  });

/**
 * Checks the holder's password for a sensitive action. The attempt is counted before argon2 runs,
 * so a burst of parallel guesses cannot get past the limit; the right password resets the count.
 */
export async function checkPassword(
  store: SelfServiceStore,
  netNumber: string,
  password: string,
  now: Date,
): Promise<void> {
  const reservation = await store.reservePasswordAttempt(netNumber, now, PASSWORD_POLICY);
  if (reservation.kind === 'locked') throw locked(reservation.until);
  if (reservation.kind === 'no_password') {
    throw new Problem(403, 'no_password', 'this network number has no password to confirm with');
  }
  let right = false;
  try {
    right = await argon2Verify(reservation.passwordHash, password);
  } catch {
    // A hash the library cannot read is the server's fault, not the holder's: say nothing about it.
    right = false;
  }
  if (right) {
    await store.clearPasswordFailures(netNumber);
    return;
  }
  if (reservation.lockedUntil) throw locked(reservation.lockedUntil);
  const left = PASSWORD_POLICY.maxFailures - reservation.failures;
  throw new Problem(401, 'wrong_password', 'the password is wrong', `${left} attempts left`, {
    attempts_left: left,
  });
}
