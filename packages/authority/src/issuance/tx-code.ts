import { createHmac, timingSafeEqual } from 'node:crypto';

/** OID4VCI 1.0 §6.1: the tx_code may be guessed this many times, then the pre-authorized code is dead. */
export const MAX_TX_CODE_ATTEMPTS = 5;

/**
 * Checks a tx_code against the hash enrollment stored (`enrollment/secrets.ts` `txCodeHash`):
 * base64url HMAC-SHA256 under the session secret over `tx-code:<code>`. Never throws on garbage: a
 * malformed stored hash simply does not match.
 */
export function verifyTxCode(storedHash: string, code: string, sessionSecret: Buffer): boolean {
  const expected = Buffer.from(storedHash, 'base64url');
  const actual = createHmac('sha256', sessionSecret).update(`tx-code:${code}`).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
