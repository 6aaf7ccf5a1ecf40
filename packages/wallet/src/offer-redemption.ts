import { fail, isNetidError } from '@netid/protocol/errors';
import { type Jwk, Oauth2ClientErrorResponseError } from '@openid4vc/oauth2';
import {
  type CredentialOfferObject,
  type Openid4vciClient,
  Openid4vciRetrieveCredentialsError,
  setGlobalConfig,
} from '@openid4vc/openid4vci';
import { AuthorityRefusedError, problemFrom } from './problems.ts';

// The OpenID4VCI steps every netid wallet takes, whatever holds its device key: Node's KeyObject in
// the CLI wallet, a non-extractable WebCrypto key in the web wallet (web/). Browser-safe.

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The OpenID4VCI libraries accept only https URLs unless a process-wide switch is on. The wallet turns
 * it on only when the holder named a development authority on plain http on this machine's loopback;
 * anywhere else an http issuer stays refused.
 */
export function allowHttpIfLoopback(authority: string): void {
  const url = new URL(authority);
  if (url.protocol === 'http:' && (LOOPBACK.has(url.hostname) || url.hostname.startsWith('127.'))) {
    setGlobalConfig({ allowInsecureUrls: true });
  }
}

/**
 * Redeems a resolved pre-authorized offer: the issuer metadata, an access token for the offer's code
 * (and the tx_code, when the offer asks for one), a nonce, a proof of possession of `deviceKey`, the
 * credential. Returns the compact credential. The client's own errors pass through unchanged; the
 * caller decides what they become.
 */
export async function redeemResolvedOffer(
  client: Openid4vciClient,
  offer: CredentialOfferObject,
  deviceKey: { alg: string; publicJwk: Jwk },
  options: { configurationId: string; txCode?: string },
): Promise<string> {
  const { configurationId, txCode } = options;
  const issuerMetadata = await client.resolveIssuerMetadata(offer.credential_issuer);
  const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer: offer,
    issuerMetadata,
    ...(txCode === undefined ? {} : { txCode }),
  });
  const { c_nonce } = await client.requestNonce({ issuerMetadata });
  const { jwt } = await client.createCredentialRequestJwtProof({
    issuerMetadata,
    credentialConfigurationId: configurationId,
    nonce: c_nonce,
    signer: { method: 'jwk', alg: deviceKey.alg, publicJwk: deviceKey.publicJwk },
  });
  const { credentialResponse } = await client.retrieveCredentials({
    issuerMetadata,
    accessToken: accessTokenResponse.access_token,
    credentialConfigurationId: configurationId,
    proofs: { jwt: [jwt] },
  });
  const entry = credentialResponse.credentials?.[0];
  if (!entry || typeof entry !== 'object' || typeof entry.credential !== 'string') {
    return fail('ERR_MALFORMED', 'the authority answered without a credential');
  }
  return entry.credential;
}

/**
 * The library's errors, as the wallet's: OAuth error responses keep their `error` code; anything else
 * the flow throws (schema validation of the offer or metadata, fetch failures) is a failed issuance.
 */
export function asNetidError(error: unknown): unknown {
  if (isNetidError(error)) return error;
  if (error instanceof Oauth2ClientErrorResponseError) {
    return new AuthorityRefusedError(problemFrom(error.response.status, error.errorResponse));
  }
  if (error instanceof Openid4vciRetrieveCredentialsError) {
    return new AuthorityRefusedError(
      problemFrom(error.response.response.status, error.response.credentialErrorResponseResult?.data),
    );
  }
  return new AuthorityRefusedError({
    status: 0,
    code: 'issuance_failed',
    title: 'the certificate could not be obtained',
    detail: firstLine(error instanceof Error ? error.message : String(error)),
    extra: {},
  });
}

const firstLine = (text: string) => text.split('\n')[0]!.slice(0, 300);
