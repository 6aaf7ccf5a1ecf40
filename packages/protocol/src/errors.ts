/**
 * Every failure netid reports carries a stable string `code` (as `jose` does), so callers branch on
 * the code, never on message text. Messages are for people and may change; codes may not.
 */
export const ERROR_CODES = [
  // input shape
  'ERR_INPUT_TOO_LARGE',
  'ERR_MALFORMED',
  // JWS / JWT
  'ERR_JWS_ALG_NOT_ALLOWED',
  'ERR_JWS_TYP_INVALID',
  'ERR_JWS_SIGNATURE_INVALID',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWK_INVALID',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_NOT_YET_VALID',
  'ERR_JWT_IAT_IN_FUTURE',
  'ERR_JWT_CLAIM_INVALID',
  // SD-JWT (RFC 9901)
  'ERR_SD_ALG_UNSUPPORTED',
  'ERR_SD_DISCLOSURE_MALFORMED',
  'ERR_SD_DISCLOSURE_DUPLICATE',
  'ERR_SD_DISCLOSURE_UNREFERENCED',
  'ERR_SD_DIGEST_DUPLICATE',
  'ERR_SD_CLAIM_COLLISION',
  // key binding
  'ERR_KB_MISSING',
  'ERR_KB_UNEXPECTED',
  'ERR_KB_CNF_MISSING',
  'ERR_KB_TYP_INVALID',
  'ERR_KB_SIGNATURE_INVALID',
  'ERR_KB_NONCE_MISMATCH',
  'ERR_KB_AUD_MISMATCH',
  'ERR_KB_IAT_INVALID',
  'ERR_KB_SD_HASH_MISMATCH',
  // status list
  'ERR_STATUS_REVOKED',
  'ERR_STATUS_SUSPENDED',
  'ERR_STATUS_INVALID',
  'ERR_STATUS_LIST_UNAVAILABLE',
  'ERR_STATUS_INDEX_OUT_OF_RANGE',
  'ERR_STATUS_LIST_INVALID',
  // claims requested by a verifier
  'ERR_CLAIM_MISSING',
  // direct verification: OpenID4VP responses as a platform receives them
  'ERR_WRONG_PLATFORM',
  'ERR_STATE_MISMATCH',
  'ERR_HOLDER_DECLINED',
  // network number
  'ERR_NETNUMBER_LENGTH',
  'ERR_NETNUMBER_CHARACTER',
  'ERR_NETNUMBER_CHECK',
  // document numbers
  'ERR_DOCUMENT_TYPE_UNKNOWN',
  'ERR_DOCUMENT_FORMAT',
  'ERR_DOCUMENT_CHECKSUM',
  'ERR_DOCUMENT_BIRTHDATE',
  'ERR_DOCUMENT_REGION',
  // fetching
  'ERR_FETCH_FAILED',
  // holder wallet (packages/wallet)
  'ERR_WALLET_NOT_FOUND',
  'ERR_WALLET_EXISTS',
  'ERR_WALLET_PASSPHRASE',
  'ERR_WALLET_CORRUPT',
  'ERR_AUTHORITY_REFUSED',
  // OpenID4VP requests as a wallet meets them
  'ERR_REQUEST_INVALID',
  'ERR_REQUEST_UNTRUSTED',
  'ERR_REQUEST_EXPIRED',
  'ERR_VERIFIER_REFUSED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN = new Set<string>(ERROR_CODES);

export class NetidError extends Error {
  override readonly name = 'NetidError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  toJSON(): { error: ErrorCode; message: string } {
    return { error: this.code, message: this.message };
  }
}

export function isNetidError(value: unknown): value is NetidError {
  return value instanceof NetidError && KNOWN.has(value.code);
}

/** Shorthand used at validation sites: `if (!ok) fail('ERR_…', 'why')`. */
export function fail(code: ErrorCode, message: string, cause?: unknown): never {
  throw new NetidError(code, message, cause === undefined ? undefined : { cause });
}
