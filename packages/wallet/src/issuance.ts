import { createHash, randomBytes } from 'node:crypto';
import { fail, isNetidError, type SigningKey, signJws } from '@netid/protocol';
import {
  type CallbackContext,
  clientAuthenticationAnonymous,
  HashAlgorithm,
  Oauth2ClientErrorResponseError,
  Oauth2Error,
  type SignJwtCallback,
} from '@openid4vc/oauth2';
import {
  type CredentialOfferObject,
  Openid4vciClient,
  Openid4vciRetrieveCredentialsError,
  setGlobalConfig,
} from '@openid4vc/openid4vci';
import { AuthorityRefusedError, problemFrom } from './problems.ts';

/** The one credential configuration the authority offers (its metadata names it). */
export const CERTIFICATE_CONFIGURATION_ID = 'netid_certificate';

const HASHES: Record<HashAlgorithm, string> = {
  [HashAlgorithm.Sha256]: 'sha256',
  [HashAlgorithm.Sha384]: 'sha384',
  [HashAlgorithm.Sha512]: 'sha512',
};

/** The wallet's crypto for the OpenID4VCI client: proofs are signed with the device key by @netid/protocol. */
export function walletCallbacks(
  deviceKey: SigningKey,
): Omit<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'encryptJwe'> {
  const signJwt: SignJwtCallback = (_signer, { header, payload }) => {
    const { alg, ...rest } = header;
    if (alg !== deviceKey.alg) throw new Oauth2Error(`the device key signs ${deviceKey.alg}, not ${alg}`);
    return { jwt: signJws(rest, payload, deviceKey), signerJwk: deviceKey.publicJwk };
  };
  return {
    hash: (data, alg) =>
      createHash(HASHES[alg] ?? 'unsupported')
        .update(data)
        .digest(),
    generateRandom: (n) => randomBytes(n),
    signJwt,
    clientAuthentication: clientAuthenticationAnonymous(),
  };
}

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
 * The OpenID4VCI pre-authorized code flow: resolve the offer, choose the certificate among what it
 * names, and redeem it with the texted tx_code. Returns the compact SD-JWT VC and the issuer identifier.
 */
export async function redeemOffer(
  deviceKey: SigningKey,
  credentialOffer: string,
  txCode: string,
): Promise<{ credential: string; issuer: string }> {
  const client = new Openid4vciClient({ callbacks: walletCallbacks(deviceKey) });
  try {
    const offer = await client.resolveCredentialOffer(credentialOffer);
    const configurationId = offer.credential_configuration_ids.includes(CERTIFICATE_CONFIGURATION_ID)
      ? CERTIFICATE_CONFIGURATION_ID
      : offer.credential_configuration_ids[0];
    if (!configurationId) return fail('ERR_MALFORMED', 'the credential offer names no credential');
    const credential = await redeemResolvedOffer(client, offer, deviceKey, { configurationId, txCode });
    return { credential, issuer: offer.credential_issuer };
  } catch (error) {
    throw asNetidError(error);
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
  deviceKey: SigningKey,
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
