import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { fail } from '../errors.ts';
import { decodeBase64url, decodeJsonObject, encodeBase64url } from './base64url.ts';
import { ALLOWED_ALGS, isAllowedAlg, type JwsAlg } from './jwk.ts';
import type { SigningKey } from './keys.ts';

export interface JwsHeader {
  alg: JwsAlg;
  typ?: string;
  kid?: string;
  [other: string]: unknown;
}

export interface ParsedJws {
  header: JwsHeader;
  payload: Record<string, unknown>;
  /** `base64url(header).base64url(payload)`: the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

export function signJws(header: Omit<JwsHeader, 'alg'>, payload: object, key: SigningKey): string {
  const protectedHeader = { alg: key.alg, ...header };
  const signingInput = `${encodeBase64url(JSON.stringify(protectedHeader))}.${encodeBase64url(JSON.stringify(payload))}`;
  const signature =
    key.alg === 'ES256'
      ? cryptoSign('sha256', Buffer.from(signingInput), { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
      : cryptoSign(null, Buffer.from(signingInput), key.privateKey);
  return `${signingInput}.${encodeBase64url(signature)}`;
}

/** Splits and decodes a compact JWS and checks `alg` is allowed. The signature is not checked here. */
export function parseJws(token: string, what = 'JWS'): ParsedJws {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second <= first + 1 || token.indexOf('.', second + 1) !== -1) {
    fail('ERR_MALFORMED', `${what} is not a compact JWS`);
  }
  const header = decodeJsonObject(token.slice(0, first), `${what} header`);
  if (!isAllowedAlg(header.alg)) {
    fail('ERR_JWS_ALG_NOT_ALLOWED', `${what} alg must be one of ${ALLOWED_ALGS.join(', ')}`);
  }
  if ('crit' in header) fail('ERR_MALFORMED', `${what} has unsupported critical header parameters`);
  return {
    header: header as JwsHeader,
    payload: decodeJsonObject(token.slice(first + 1, second), `${what} payload`),
    signingInput: token.slice(0, second),
    signature: decodeBase64url(token.slice(second + 1), `${what} signature`),
  };
}

/** True when `signature` is valid over `signingInput` for `alg` with `key`. */
export function verifySignature(
  alg: JwsAlg,
  signingInput: string,
  signature: Buffer,
  key: KeyObject,
): boolean {
  try {
    return alg === 'ES256'
      ? signature.length === 64 &&
          cryptoVerify('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' }, signature)
      : cryptoVerify(null, Buffer.from(signingInput), key, signature);
  } catch {
    return false;
  }
}
