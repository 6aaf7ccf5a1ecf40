import { fail } from '@netid/protocol/errors';
import {
  type CallbackContext,
  clientAuthenticationAnonymous,
  HashAlgorithm,
  type Jwk,
  Oauth2Error,
  type SignJwtCallback,
} from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { type JWTPayload, SignJWT } from 'jose';
import { allowHttpIfLoopback, asNetidError, redeemResolvedOffer } from '../../../src/offer-redemption.ts';
import type { DeviceKey } from '../device/device-key.ts';

const HASHES: Record<HashAlgorithm, string> = {
  [HashAlgorithm.Sha256]: 'SHA-256',
  [HashAlgorithm.Sha384]: 'SHA-384',
  [HashAlgorithm.Sha512]: 'SHA-512',
};

/** The OpenID4VCI client's crypto in the browser: WebCrypto, proofs signed by the device key. */
function browserCallbacks(key: DeviceKey): Omit<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'encryptJwe'> {
  const signJwt: SignJwtCallback = async (_signer, { header, payload }) => {
    if (header.alg !== 'ES256') throw new Oauth2Error(`the device key signs ES256, not ${header.alg}`);
    const jwt = await new SignJWT(payload as JWTPayload)
      .setProtectedHeader({ ...header, alg: 'ES256' })
      .sign(key.privateKey);
    return { jwt, signerJwk: key.publicJwk as Jwk };
  };
  return {
    hash: async (data, alg) =>
      new Uint8Array(await crypto.subtle.digest(HASHES[alg] ?? 'unsupported', data as BufferSource)),
    generateRandom: (n) => crypto.getRandomValues(new Uint8Array(n)),
    signJwt,
    clientAuthentication: clientAuthenticationAnonymous(),
    fetch: (input, init) => fetch(input, init),
  };
}

export interface Redeemed {
  credential: string;
  issuer: string;
}

/**
 * Redeems an OpenID4VCI offer from `authority` (pre-authorized code, with the texted tx_code when
 * the offer asks for one) for `configurationId`, with a proof of possession of the device key.
 */
export async function redeemOffer(
  key: DeviceKey,
  authority: string,
  offerUri: string,
  configurationId: string,
  txCode?: string,
): Promise<Redeemed> {
  allowHttpIfLoopback(authority);
  const client = new Openid4vciClient({ callbacks: browserCallbacks(key) });
  try {
    const offer = await client.resolveCredentialOffer(offerUri);
    // Only the authority this wallet trusts issues to it.
    if (offer.credential_issuer !== authority) fail('ERR_MALFORMED', 'the offer names another issuer');
    if (!offer.credential_configuration_ids.includes(configurationId)) {
      fail('ERR_MALFORMED', `the offer is not for ${configurationId}`);
    }
    const credential = await redeemResolvedOffer(
      client,
      offer,
      { alg: 'ES256', publicJwk: key.publicJwk as Jwk },
      { configurationId, ...(txCode === undefined ? {} : { txCode }) },
    );
    return { credential, issuer: offer.credential_issuer };
  } catch (error) {
    throw asNetidError(error);
  }
}
