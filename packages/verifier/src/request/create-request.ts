import { randomBytes, randomInt } from 'node:crypto';
import {
  APPLICATION_CLAIMS,
  APPLICATION_QUERY_ID,
  APPLICATION_VCT,
  fail,
  type SigningKey,
  signJws,
} from '@netid/protocol';
import { type PrivateJwk, requestSigningKey } from './signing-key.ts';

export interface CreateRequestOptions {
  /** Your client id, as registered (pre-registered) at the authority. */
  clientId: string;
  /** Where the wallet posts its answer (`direct_post`); one of your registered redirect URIs. */
  responseUri: string;
  /** Your private key, whose public half (same `kid`) you registered: ES256 or EdDSA. */
  signingKey: SigningKey | PrivateJwk;
  /** The application-credential claims you ask for, by name (`age_over_18`, `name` …). */
  claims: readonly string[];
  /** Why you ask, in your words: wallets may show it beside the purpose you registered. */
  purpose?: string;
  /** How long the request may be answered (default 300 s, at most 3600 s). */
  ttlSeconds?: number;
  /** For tests and replays: the clock, in milliseconds. */
  now?: () => number;
}

export interface DirectRequest {
  /** The signed request object (JAR, `typ: oauth-authz-req+jwt`). */
  requestObject: string;
  /** `openid4vp://?client_id=…&request=…`: the QR code, or the same-device link. */
  uri: string;
  /** Keep these three server-side, with the request: `verifyResponse` needs them. */
  nonce: string;
  state: string;
  /** Four digits shown beside the QR code; the wallet shows the same, so the person can compare. */
  verificationCode: string;
  /** When the request stops being answerable (seconds since the epoch). */
  expiresAt: number;
}

/** OpenID4VP 1.0 §5.8: the audience of a request object when wallets are known statically. */
const STATIC_WALLET_AUDIENCE = 'https://self-issued.me/v2';
const MAX_TTL_SECONDS = 3600;
const KNOWN_CLAIMS = new Set<string>(APPLICATION_CLAIMS);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const invalid = (message: string): never => fail('ERR_REQUEST_INVALID', message);

function checkResponseUri(uri: unknown): string {
  if (typeof uri !== 'string') return invalid('responseUri must be a URL');
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return invalid('responseUri must be an absolute URL');
  }
  // Presentations travel to it: https, or plain http only on this machine for development.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    invalid('responseUri must be https (http only on loopback)');
  }
  if (url.hash) invalid('responseUri must not have a fragment');
  return uri;
}

function checkClaims(claims: unknown): string[] {
  if (!Array.isArray(claims)) return invalid('claims must be an array of claim names');
  for (const claim of claims) {
    if (typeof claim !== 'string' || !KNOWN_CLAIMS.has(claim)) {
      invalid(`unknown claim ${String(claim)}: ask for ${APPLICATION_CLAIMS.join(', ')}`);
    }
  }
  if (new Set(claims).size !== claims.length) invalid('claims must not repeat');
  return claims as string[];
}

/**
 * Creates a direct-verification request (DESIGN.md flow 3; OpenID4VP 1.0): a request object signed
 * with your key, passed by value, that asks the person's wallet for your application credential by
 * DCQL and for an answer by `direct_post` to your `responseUri`. Nothing is sent anywhere: show the
 * `uri` (QR code or link) and keep `nonce`, `state` and `expiresAt` for `verifier.verifyResponse`.
 */
export function createRequest(options: CreateRequestOptions): DirectRequest {
  const { clientId, purpose } = options;
  // §5.9.1: a pre-registered client id carries no client identifier prefix, so no ':'.
  if (typeof clientId !== 'string' || clientId === '' || clientId.includes(':')) {
    invalid('clientId must be your registered client id (no ":")');
  }
  const responseUri = checkResponseUri(options.responseUri);
  const claims = checkClaims(options.claims);
  if (purpose !== undefined && (typeof purpose !== 'string' || purpose.length > 500)) {
    invalid('purpose must be a string of at most 500 characters');
  }
  const ttl = options.ttlSeconds ?? 300;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
    invalid(`ttlSeconds must be a whole number from 1 to ${MAX_TTL_SECONDS}`);
  }
  const key = requestSigningKey(options.signingKey);

  const iat = Math.floor((options.now ?? Date.now)() / 1000);
  const nonce = randomBytes(16).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const verificationCode = String(randomInt(0, 10_000)).padStart(4, '0');
  const payload = {
    // OpenID4VP 1.0 §5.2 and §5.8 (JAR, RFC 9101 §4).
    iss: clientId,
    aud: STATIC_WALLET_AUDIENCE,
    iat,
    exp: iat + ttl,
    client_id: clientId,
    response_type: 'vp_token',
    response_mode: 'direct_post',
    response_uri: responseUri,
    nonce,
    state,
    // §6 (DCQL): one SD-JWT VC of the application-credential type, with the claims asked for; a
    // claims query is a non-empty array when present (§6.1), so none at all asks for the subject only.
    dcql_query: {
      credentials: [
        {
          id: APPLICATION_QUERY_ID,
          format: 'dc+sd-jwt',
          meta: { vct_values: [APPLICATION_VCT] },
          ...(claims.length ? { claims: claims.map((name) => ({ path: [name] })) } : {}),
        },
      ],
    },
    // §11.1: the formats and algorithms this verifier accepts.
    client_metadata: {
      vp_formats_supported: {
        'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256', 'EdDSA'], 'kb-jwt_alg_values': ['ES256', 'EdDSA'] },
      },
    },
    netid_verification_code: verificationCode,
    ...(purpose !== undefined ? { netid_purpose: purpose } : {}),
  };
  const requestObject = signJws({ typ: 'oauth-authz-req+jwt', kid: key.kid }, payload, key);
  const query = new URLSearchParams({ client_id: clientId, request: requestObject });
  return {
    requestObject,
    uri: `openid4vp://?${query.toString()}`,
    nonce,
    state,
    verificationCode,
    expiresAt: iat + ttl,
  };
}
