import { createHmac, randomBytes } from 'node:crypto';

/**
 * Bearer values (pre-authorized code, access token) are stored only as keyed hashes: a copy of the
 * database does not let anyone redeem them. The pre-authorized code hash is the enrollment module's
 * hand-off format: HMAC-SHA256 under the session secret, over the code itself.
 */
export function preAuthorizedCodeHash(sessionSecret: Buffer, code: string): Buffer {
  return createHmac('sha256', sessionSecret).update(code).digest();
}

export function accessTokenHash(sessionSecret: Buffer, token: string): Buffer {
  return createHmac('sha256', sessionSecret).update(`access-token:${token}`).digest();
}

/** 32 random bytes, base64url: an opaque value with nothing to decode. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
