import {
  APPLICATION_CLAIMS,
  APPLICATION_MAX_SECONDS,
  APPLICATION_QUERY_ID,
  fail,
  isPlainObject,
} from '@netid/protocol';

/** The `direct_post` form the wallet sent (OpenID4VP 1.0 §8.2), as parsed fields or the raw form. */
export type DirectPostBody = Record<string, unknown> | URLSearchParams;

export interface VerifyResponseOptions {
  /** The `nonce`, `state` and your client id of the request this answers (from `createRequest`). */
  nonce: string;
  state: string;
  clientId: string;
  /** The request's `expiresAt` (seconds): an answer after it is refused with ERR_REQUEST_EXPIRED. */
  expiresAt?: number;
  /** Claims that must have been disclosed; the person may decline any of those you asked for. */
  requiredClaims?: string[];
  /** Maximum age of the holder's key-binding signature, in seconds (default 300). */
  maxKeyBindingAgeSeconds?: number;
}

export interface VerifiedApplication {
  /** The application identifier: this person at your platform, and at no other. */
  appId: string;
  /** The claims the person disclosed, by name. */
  claims: Record<string, unknown>;
  /** The assurance mode: a direct verification proves the device key. */
  mode: 'cert';
  /** When the credential expires (seconds since the epoch). */
  expiresAt: number;
}

/** What the verifier core checks for us: signature, key binding, expiry, accepted `vct`. */
export type PresentationCheck = (
  presentation: string,
  options: {
    audience: string;
    nonce: string;
    requiredClaims?: string[];
    maxKeyBindingAgeSeconds?: number;
  },
) => Promise<{ claims: Record<string, unknown> }>;

const MAX_FIELD_CHARS = 64 * 1024;

function fieldsOf(body: DirectPostBody): Record<string, unknown> {
  if (body instanceof URLSearchParams) {
    const fields: Record<string, unknown> = {};
    for (const [name, value] of body) {
      if (name in fields) fail('ERR_MALFORMED', `the response repeats ${name}`);
      fields[name] = value;
    }
    return fields;
  }
  if (!isPlainObject(body)) return fail('ERR_MALFORMED', 'the response must be the posted form fields');
  return body;
}

/** OpenID4VP 1.0 §8.1: `{"<query id>": [<presentation>]}`, JSON-encoded in the form field. */
function presentationOf(vpToken: unknown): string {
  let token = vpToken;
  if (typeof token === 'string') {
    if (token.length > MAX_FIELD_CHARS) fail('ERR_INPUT_TOO_LARGE', 'vp_token is larger than allowed');
    try {
      token = JSON.parse(token);
    } catch {
      return fail('ERR_MALFORMED', 'vp_token is not JSON');
    }
  }
  if (!isPlainObject(token)) return fail('ERR_MALFORMED', 'vp_token must be an object keyed by query id');
  const keys = Object.keys(token);
  if (keys.length !== 1 || keys[0] !== APPLICATION_QUERY_ID) {
    fail('ERR_MALFORMED', `vp_token must answer the one query ${APPLICATION_QUERY_ID}, and nothing else`);
  }
  const entries = token[APPLICATION_QUERY_ID];
  if (!Array.isArray(entries) || entries.length !== 1 || typeof entries[0] !== 'string') {
    return fail('ERR_MALFORMED', 'vp_token must carry exactly one presentation');
  }
  return entries[0];
}

/** The disclosed application claims, and nothing of the credential's machinery. */
function disclosedClaims(claims: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of APPLICATION_CLAIMS) if (claims[name] !== undefined) out[name] = claims[name];
  return out;
}

/**
 * Verifies a direct-verification answer, offline: the state first (is this an answer to my
 * request?), a refusal by the person, the request's expiry, then the presentation — issuer
 * signature, `vct`, expiry and key binding to this client and nonce (by `check`) — and last that
 * the credential was made for this platform: one issued for another is refused with
 * ERR_WRONG_PLATFORM even though everything else about it holds.
 */
export async function verifyDirectResponse(
  check: PresentationCheck,
  body: DirectPostBody,
  options: VerifyResponseOptions,
  context: { now: () => number; clockSkew: number },
): Promise<VerifiedApplication> {
  const fields = fieldsOf(body);
  if (typeof fields.state !== 'string' || fields.state !== options.state) {
    fail('ERR_STATE_MISMATCH', 'the response does not answer this request (state differs)');
  }
  if (fields.error !== undefined) {
    // OpenID4VP 1.0 §8.5: `access_denied` and friends. The code is the wallet's word, not ours.
    const code = typeof fields.error === 'string' ? fields.error.slice(0, 64) : 'error';
    fail('ERR_HOLDER_DECLINED', `the wallet answered ${code} instead of a presentation`);
  }
  const nowSeconds = context.now() / 1000;
  if (options.expiresAt !== undefined && nowSeconds > options.expiresAt + context.clockSkew) {
    fail('ERR_REQUEST_EXPIRED', 'the request expired before this answer arrived');
  }
  const { claims } = await check(presentationOf(fields.vp_token), {
    audience: options.clientId,
    nonce: options.nonce,
    requiredClaims: options.requiredClaims,
    maxKeyBindingAgeSeconds: options.maxKeyBindingAgeSeconds,
  });
  if (claims.client_id !== options.clientId) {
    fail('ERR_WRONG_PLATFORM', 'this application credential was issued for another platform');
  }
  const { sub, iat, exp } = claims;
  if (typeof sub !== 'string' || sub === '') fail('ERR_JWT_CLAIM_INVALID', 'the credential has no subject');
  // Never revoked, so it must be short-lived (DESIGN.md): a longer one is not an application credential.
  if (typeof exp !== 'number' || typeof iat !== 'number' || exp - iat > APPLICATION_MAX_SECONDS) {
    fail('ERR_JWT_CLAIM_INVALID', 'an application credential lives at most 24 hours');
  }
  if (claims.status !== undefined) fail('ERR_JWT_CLAIM_INVALID', 'an application credential has no status');
  return { appId: sub as string, claims: disclosedClaims(claims), mode: 'cert', expiresAt: exp as number };
}
