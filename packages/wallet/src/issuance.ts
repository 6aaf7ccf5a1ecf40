import { createHash, randomBytes } from 'node:crypto';
import { fail, type SigningKey, signJws } from '@netid/protocol';
import {
  type CallbackContext,
  clientAuthenticationAnonymous,
  HashAlgorithm,
  Oauth2Error,
  type SignJwtCallback,
} from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { asNetidError, redeemResolvedOffer } from './offer-redemption.ts';

export { allowHttpIfLoopback, asNetidError, redeemResolvedOffer } from './offer-redemption.ts';

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
