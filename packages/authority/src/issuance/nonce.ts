import type { Context } from 'hono';
import type { AuthorityContext } from '../context.ts';
import type { Oid4vc } from './metadata.ts';
import { NO_STORE } from './oauth-errors.ts';
import { randomToken } from './secrets.ts';
import type { IssuanceStore } from './store.ts';

export const C_NONCE_PURPOSE = 'c_nonce';
export const C_NONCE_SECONDS = 300;

/**
 * POST /nonce (OID4VCI 1.0 §7): a fresh single-use c_nonce for the proof of possession. It is linked
 * to nothing — no session, no person — so handing it out needs no access token.
 */
export function nonceHandler(ctx: AuthorityContext, oid4vc: Oid4vc, store: IssuanceStore) {
  return async (c: Context): Promise<Response> => {
    const nonce = randomToken();
    await store.insertNonce(nonce, C_NONCE_PURPOSE, new Date(ctx.now() + C_NONCE_SECONDS * 1000));
    // §7.2: the response MUST NOT be cached.
    return c.json(oid4vc.issuer.createNonceResponse({ cNonce: nonce }), 200, NO_STORE);
  };
}
