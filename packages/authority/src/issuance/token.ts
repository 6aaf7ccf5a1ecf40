import { preAuthorizedCodeGrantIdentifier } from '@openid4vc/oauth2';
import type { Context } from 'hono';
import type { AuthorityContext } from '../context.ts';
import type { ApplicationGrants } from './application-grant.ts';
import type { Oid4vc } from './metadata.ts';
import { NO_STORE, oauthError } from './oauth-errors.ts';
import { accessTokenHash, preAuthorizedCodeHash, randomToken } from './secrets.ts';
import type { IssuanceStore } from './store.ts';
import { MAX_TX_CODE_ATTEMPTS, verifyTxCode } from './tx-code.ts';

/** Long enough to fetch a nonce and ask for the credential; a leaked token is soon worthless. */
export const ACCESS_TOKEN_SECONDS = 300;

/**
 * POST /token — the pre-authorized code grant (OID4VCI 1.0 §6). The code is single use (a guarded
 * update moves the session on), the tx_code has a bounded number of tries, and the access token is
 * opaque: 32 random bytes of which only a keyed hash is stored. A code that belongs to no enrollment
 * may be an application-credential offer's, redeemed from the transient table alone.
 */
export function tokenHandler(
  ctx: AuthorityContext,
  oid4vc: Oid4vc,
  store: IssuanceStore,
  grants: ApplicationGrants,
) {
  return async (c: Context): Promise<Response> => {
    const form = await readForm(c);
    const request = { headers: c.req.raw.headers, method: 'POST' as const, url: c.req.url };
    // The library validates the request shape and names the grant; unsupported grants end here.
    const parsed = oid4vc.authorizationServer.parseAccessTokenRequest({ request, accessTokenRequest: form });
    const { grant } = parsed;
    if (grant.grantType !== preAuthorizedCodeGrantIdentifier) {
      throw oauthError('unsupported_grant_type', 'only the pre-authorized code grant is supported');
    }
    const now = new Date(ctx.now());
    const verifyGrant = (expiresAt: Date, expectedTxCode?: string) =>
      oid4vc.authorizationServer.verifyPreAuthorizedCodeAccessTokenRequest({
        authorizationServerMetadata: oid4vc.authorizationServerMetadata,
        grant,
        accessTokenRequest: parsed.accessTokenRequest,
        request,
        expectedPreAuthorizedCode: grant.preAuthorizedCode,
        expectedTxCode,
        preAuthorizedCodeExpiresAt: expiresAt,
        now,
      });
    const codeHash = preAuthorizedCodeHash(ctx.secrets.session, grant.preAuthorizedCode);
    const session = await store.findSessionByCodeHash(codeHash);
    if (session === undefined) {
      const expiresAt = await grants.offerExpiry(codeHash, now);
      if (expiresAt) {
        // No tx_code: the holder proved the device key when the offer was made.
        await verifyGrant(expiresAt);
        return c.json(await redeemApplicationOffer(ctx, grants, codeHash, now), 200, NO_STORE);
      }
    }
    if (session?.state !== 'issuable') {
      throw oauthError('invalid_grant', 'the pre-authorized_code is unknown or already used');
    }
    // The library checks expiry and whether a tx_code is present when (and only when) one is
    // expected. We store hashes, so the code itself was already matched by the lookup above, and the
    // tx_code value is checked below against its hash: the library is told to expect what was sent.
    await verifyGrant(
      session.expiresAt,
      session.txCodeHash === null ? undefined : (grant.txCode ?? 'required'),
    );
    if (session.txCodeHash !== null) await checkTxCode(ctx, store, session, grant.txCode ?? '', now);

    const accessToken = randomToken();
    const redeemed = await store.redeemCode(session.sessionIdHash, now, {
      hash: accessTokenHash(ctx.secrets.session, accessToken),
      expiresAt: new Date(now.getTime() + ACCESS_TOKEN_SECONDS * 1000),
    });
    if (!redeemed) throw oauthError('invalid_grant', 'the pre-authorized_code is unknown or already used');
    return c.json(
      { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS },
      200,
      NO_STORE,
    );
  };
}

/** Takes the offer (single use) and moves its grant under the new access token's hash. */
async function redeemApplicationOffer(
  ctx: AuthorityContext,
  grants: ApplicationGrants,
  codeHash: Buffer,
  now: Date,
) {
  const grant = await grants.takeOffer(codeHash, now);
  if (!grant) throw oauthError('invalid_grant', 'the pre-authorized_code is unknown or already used');
  const accessToken = randomToken();
  await grants.putToken(
    accessTokenHash(ctx.secrets.session, accessToken),
    grant,
    new Date(now.getTime() + ACCESS_TOKEN_SECONDS * 1000),
  );
  return { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS };
}

async function checkTxCode(
  ctx: AuthorityContext,
  store: IssuanceStore,
  session: { sessionIdHash: Buffer; txCodeHash: string | null; txCodeAttempts: number },
  txCode: string,
  now: Date,
): Promise<void> {
  if (!(await store.reserveTxCodeAttempt(session.sessionIdHash, MAX_TX_CODE_ATTEMPTS, now))) {
    throw oauthError(
      'invalid_grant',
      'too many wrong tx_code attempts: the pre-authorized_code is no longer valid',
    );
  }
  if (!verifyTxCode(session.txCodeHash!, txCode, ctx.secrets.session)) {
    throw oauthError('invalid_grant', 'the tx_code is wrong');
  }
}

/** RFC 6749 §4.1.3 / §3.2: form-encoded, and no parameter more than once. */
async function readForm(c: Context): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw oauthError('invalid_request', 'the token request must be application/x-www-form-urlencoded');
  }
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    throw oauthError('invalid_request', 'the token request body is not valid form data');
  }
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string')
      throw oauthError('invalid_request', `parameter ${name} is repeated or not text`);
    form[name] = value;
  }
  return form;
}
