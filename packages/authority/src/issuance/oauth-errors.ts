import { isNetidError } from '@netid/protocol';
import {
  type Oauth2ErrorCodes,
  Oauth2ResourceUnauthorizedError,
  Oauth2ServerErrorResponseError,
} from '@openid4vc/oauth2';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The token, nonce and credential endpoints answer errors the way OAuth clients and wallets parse
 * them — `{error, error_description}` (RFC 6749 §5.2, OID4VCI 1.0 §8.3.1.2), 401 with
 * `WWW-Authenticate` for a bad access token (RFC 6750 §3) — not as problem+json. The library's own
 * error classes carry them, so errors raised by the library and by our code take one path.
 */

export function oauthError(
  error: `${Oauth2ErrorCodes}`,
  description: string,
  status = 400,
): Oauth2ServerErrorResponseError {
  return new Oauth2ServerErrorResponseError({ error, error_description: description }, { status });
}

/** RFC 6750 §3.1: a missing token gets a bare challenge, a bad one `invalid_token`. */
export function bearerError(description?: string): Oauth2ResourceUnauthorizedError {
  return new Oauth2ResourceUnauthorizedError(
    description,
    description
      ? { scheme: 'Bearer', error: 'invalid_token', error_description: clean(description) }
      : { scheme: 'Bearer' },
  );
}

/**
 * RFC 6749 §5.2 allows only printable ASCII without `"` and `\` in `error_description`; library
 * messages carry newlines and zod paths. Never the request's values: descriptions name parameters.
 */
function clean(description: string): string {
  return description
    .replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

/** RFC 6749 §5.1 (tokens), OID4VCI 1.0 §7.2 (nonces): never cached. */
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** Runs a handler and turns OAuth errors (and our NetidErrors) into OAuth error responses. */
export function withOauthErrors(
  handler: (c: Context) => Promise<Response>,
  netidErrorCode: `${Oauth2ErrorCodes}` = 'invalid_request',
): (c: Context) => Promise<Response> {
  return async (c) => {
    try {
      return await handler(c);
    } catch (error) {
      if (error instanceof Oauth2ResourceUnauthorizedError) {
        const challenge = error.wwwAuthenticateHeaders[0];
        return c.json(
          challenge?.error
            ? { error: challenge.error, error_description: challenge.error_description }
            : { error: 'invalid_token', error_description: 'an access token is required' },
          401,
          { ...NO_STORE, 'www-authenticate': error.toHeaderValue() },
        );
      }
      const response =
        error instanceof Oauth2ServerErrorResponseError
          ? error
          : isNetidError(error)
            ? oauthError(netidErrorCode, error.message)
            : undefined;
      if (!response) throw error;
      const { error: code, error_description } = response.errorResponse;
      return c.json(
        { error: code, ...(error_description ? { error_description: clean(error_description) } : {}) },
        response.status as ContentfulStatusCode,
        NO_STORE,
      );
    }
  };
}
