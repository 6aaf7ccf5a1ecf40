import { createHmac, randomInt } from 'node:crypto';

/**
 * Keyed hashes of the enrollment's bearer values and one-time codes, all under the session secret,
 * each with its own label so a value of one kind can never stand for another.
 *
 * One-time codes (SMS OTP, tx_code) are HMACs, not argon2id: a 6-digit code has a million values, so
 * a slow hash adds little against someone holding a database copy, while a keyed hash makes that
 * copy useless without the secret (kept sealed under the KEK). It also costs nothing per attempt —
 * no CPU to exhaust by sending wrong codes — and lets the database compare it inside the UPDATE that
 * counts the attempt. Attempts are limited and codes live minutes.
 */
export function sessionIdHash(secret: Buffer, token: string): Buffer {
  return createHmac('sha256', secret).update(`enrollment-session:${token}`).digest();
}

/** Bound to the session: an OTP hash copied into another session's row does not verify there. */
export function otpHash(secret: Buffer, idHash: Buffer, code: string): string {
  return createHmac('sha256', secret)
    .update(`otp:${idHash.toString('hex')}:${code}`)
    .digest('base64url');
}

/** The hand-off format `issuance/tx-code.ts` verifies: base64url HMAC over `tx-code:<code>`. */
export function txCodeHash(secret: Buffer, code: string): string {
  return createHmac('sha256', secret).update(`tx-code:${code}`).digest('base64url');
}

/** The verified phone number, kept only as this keyed hash (never for finding a person). */
export function phoneHash(phoneSecret: Buffer, phone: string): Buffer {
  return createHmac('sha256', phoneSecret).update(phone).digest();
}

/** A uniformly random 6-digit code, leading zeros kept. */
export function sixDigitCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}
