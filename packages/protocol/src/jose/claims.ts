import { fail } from '../errors.ts';

export interface TimeOptions {
  /** Seconds since the epoch; defaults to the system clock. Frozen clocks make old vectors testable. */
  now?: number;
  /** Tolerated clock difference between issuer and verifier, in seconds (default 60). */
  clockSkew?: number;
}

export function nowSeconds(options?: TimeOptions): number {
  return options?.now ?? Math.floor(Date.now() / 1000);
}

function numericDate(payload: Record<string, unknown>, name: string, what: string): number | undefined {
  const value = payload[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail('ERR_JWT_CLAIM_INVALID', `${what} ${name} is not a number`);
  return value;
}

/** RFC 7519 §4.1.4–4.1.6 with a bounded skew. `iat` far in the future is refused as well. */
export function checkTimes(payload: Record<string, unknown>, what: string, options?: TimeOptions): void {
  const now = nowSeconds(options);
  const skew = options?.clockSkew ?? 60;
  const exp = numericDate(payload, 'exp', what);
  const nbf = numericDate(payload, 'nbf', what);
  const iat = numericDate(payload, 'iat', what);
  if (exp !== undefined && now - skew >= exp) fail('ERR_JWT_EXPIRED', `${what} has expired`);
  if (nbf !== undefined && now + skew < nbf) fail('ERR_JWT_NOT_YET_VALID', `${what} is not yet valid`);
  if (iat !== undefined && now + skew < iat)
    fail('ERR_JWT_IAT_IN_FUTURE', `${what} was issued in the future`);
}
