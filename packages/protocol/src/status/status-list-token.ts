import { fail } from '../errors.ts';
import { checkTimes, nowSeconds, type TimeOptions } from '../jose/claims.ts';
import { parseJws, signJws, verifySignature } from '../jose/jws.ts';
import type { SigningKey } from '../jose/keys.ts';
import type { KeySet } from '../jose/keyset.ts';
import { isUri } from './reference.ts';
import { StatusList, type StatusListDecodeOptions } from './status-list.ts';

export const STATUS_LIST_JWT_TYP = 'statuslist+jwt';

export interface StatusListTokenInput {
  /** The list's URI: the `sub` of the token and the `uri` Referenced Tokens point at (§5.1). */
  uri: string;
  list: StatusList;
  /** Defaults to now. */
  iat?: number;
  exp?: number;
  /** Seconds a consumer may cache the token before fetching a fresh copy (§5.1, §13.7). */
  ttl?: number;
}

export interface VerifiedStatusListToken {
  uri: string;
  list: StatusList;
  iat: number;
  exp?: number;
  ttl?: number;
}

export type VerifyStatusListOptions = {
  /** The `uri` of the Referenced Token; §8.3 step 4a requires `sub` to equal it. */
  uri?: string;
} & TimeOptions &
  StatusListDecodeOptions;

/** A Status List Token in JWT format (§5.1). */
export function signStatusListJwt(input: StatusListTokenInput, key: SigningKey): string {
  const { uri, list, exp, ttl } = input;
  const iat = input.iat ?? nowSeconds();
  if (!isUri(uri)) fail('ERR_STATUS_LIST_INVALID', 'status list uri must be an absolute URI');
  if (!(list instanceof StatusList)) fail('ERR_STATUS_LIST_INVALID', 'list must be a StatusList');
  if (!isNumericDate(iat) || (exp !== undefined && !isNumericDate(exp))) {
    fail('ERR_STATUS_LIST_INVALID', 'iat and exp must be NumericDates');
  }
  if (ttl !== undefined && !isPositive(ttl)) fail('ERR_STATUS_LIST_INVALID', 'ttl must be a positive number');
  const payload = { sub: uri, iat, exp, ttl, status_list: list.encode() };
  return signJws({ typ: STATUS_LIST_JWT_TYP, kid: key.kid }, payload, key);
}

/**
 * Verifies a Status List Token following §8.3 step 3–5: header type, signature, required claims,
 * times, subject, and only then decompression, so unauthenticated input is never inflated.
 */
export function verifyStatusListJwt(
  token: string,
  keys: KeySet,
  options: VerifyStatusListOptions = {},
): VerifiedStatusListToken {
  if (typeof token !== 'string') fail('ERR_MALFORMED', 'Status List Token must be a string');
  const jws = parseJws(token, 'Status List Token');
  // §5.1: typ MUST be statuslist+jwt; RFC 7515 §4.1.9 makes the "application/" prefix equivalent.
  if (!isStatusListTyp(jws.header.typ)) {
    fail('ERR_JWS_TYP_INVALID', `Status List Token typ must be ${STATUS_LIST_JWT_TYP}`);
  }
  const key = keys.select(jws.header.kid, jws.header.alg);
  // §5.1 rule 2: Relying Parties MUST reject JWTs with an invalid signature.
  if (!verifySignature(jws.header.alg, jws.signingInput, jws.signature, key)) {
    fail('ERR_JWS_SIGNATURE_INVALID', 'Status List Token signature is invalid');
  }
  const { payload } = jws;
  // §8.3 step 3b: sub and iat are REQUIRED (§5.1).
  if (typeof payload.sub !== 'string') fail('ERR_JWT_CLAIM_INVALID', 'Status List Token has no sub');
  if (payload.iat === undefined) fail('ERR_JWT_CLAIM_INVALID', 'Status List Token has no iat');
  // §8.3 step 4c (and RFC 7519 via §5.1 rule 3): exp, nbf and iat are checked against the clock.
  checkTimes(payload, 'Status List Token', options);
  const { sub, iat, exp, ttl } = payload as { sub: string; iat: number; exp?: number; ttl?: unknown };
  // §5.1: ttl, if present, MUST be a positive number.
  if (ttl !== undefined && !isPositive(ttl)) {
    fail('ERR_JWT_CLAIM_INVALID', 'Status List Token ttl must be positive');
  }
  // §8.3 step 4a: the subject MUST equal the uri of the Referenced Token.
  if (options.uri !== undefined && sub !== options.uri) {
    fail('ERR_STATUS_LIST_INVALID', 'Status List Token sub does not match the referenced uri');
  }
  // §8.3 step 5, with the decompression cap of StatusListDecodeOptions.
  const list = StatusList.decode(payload.status_list, options);
  return { uri: sub, list, iat, exp, ttl };
}

function isStatusListTyp(typ: unknown): boolean {
  if (typeof typ !== 'string') return false;
  const lower = typ.toLowerCase();
  return lower === STATUS_LIST_JWT_TYP || lower === `application/${STATUS_LIST_JWT_TYP}`;
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
