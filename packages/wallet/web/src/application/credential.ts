import { APPLICATION_CONFIGURATION_ID, APPLICATION_VCT } from '@netid/protocol/application';
import { fail } from '@netid/protocol/errors';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { requestApplicationOffer } from '../../../src/holder-proof.ts';
import type { Holder } from '../holder/holder.ts';
import { redeemOffer } from '../holder/issuance.ts';
import { credentialClaims } from '../holder/sdjwt.ts';
import type { VaultContents } from '../vault/contents.ts';

/** An application credential is reused until this long before it expires. */
const RENEW_BEFORE_SECONDS = 5 * 60;

/**
 * An application credential for one platform (DESIGN.md flow 3): authenticate with the certificate,
 * take the authority's offer, redeem it with a proof by the same device key. The authority keeps no
 * record; the wallet keeps it (sealed) for reuse.
 */
async function obtain(holder: Holder, clientId: string): Promise<{ credential: string; expiresAt: number }> {
  const credentialOfferUri = await requestApplicationOffer(holder, clientId);
  const { credential } = await redeemOffer(
    holder.key,
    holder.authority,
    credentialOfferUri,
    APPLICATION_CONFIGURATION_ID,
  );
  const claims = await credentialClaims(credential);
  const cnf = (claims.cnf as { jwk?: JWK } | undefined)?.jwk;
  if (claims.vct !== APPLICATION_VCT || claims.client_id !== clientId || typeof claims.exp !== 'number') {
    fail('ERR_MALFORMED', 'the authority issued something other than a credential for this platform');
  }
  if (!cnf || (await calculateJwkThumbprint(cnf)) !== holder.key.thumbprint) {
    fail('ERR_MALFORMED', "the application credential is not bound to this wallet's device key");
  }
  return { credential, expiresAt: claims.exp as number };
}

/** The cached credential for `clientId`, or a fresh one; returns it and the contents to save. */
export async function applicationCredentialFor(
  holder: Holder,
  contents: VaultContents,
  clientId: string,
): Promise<{ credential: string; contents: VaultContents | undefined }> {
  const cached = contents.applicationCredentials[clientId];
  if (cached && cached.expiresAt - RENEW_BEFORE_SECONDS > Date.now() / 1000) {
    return { credential: cached.credential, contents: undefined };
  }
  const fresh = await obtain(holder, clientId);
  return {
    credential: fresh.credential,
    contents: {
      ...contents,
      applicationCredentials: { ...contents.applicationCredentials, [clientId]: fresh },
    },
  };
}
