import {
  APPLICATION_CONFIGURATION_ID,
  APPLICATION_VCT,
  decodeSdJwt,
  fail,
  isPlainObject,
  jwkThumbprint,
  type PublicJwk,
  presentSdJwt,
  type SigningKey,
} from '@netid/protocol';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { holderOf } from './holder-client.ts';
import { requestApplicationOffer } from './holder-proof.ts';
import { allowHttpIfLoopback, asNetidError, redeemResolvedOffer, walletCallbacks } from './issuance.ts';
import type { OpenedWallet } from './wallet.ts';

export interface ObtainApplicationCredentialOptions {
  /** The authority that issued the wallet's network certificate (its `iss`). */
  authorityUrl: string;
  /** The opened wallet: its device key and the network certificate bound to it. */
  walletData: Pick<OpenedWallet, 'deviceKey' | 'contents'>;
  /** The platform the credential is for, as registered at the authority. */
  clientId: string;
  fetch?: typeof fetch;
}

export interface ApplicationCredential {
  /** The compact SD-JWT VC, as issued: every claim still disclosable. */
  credential: string;
  /** Seconds since the epoch; at most a day after issuance. */
  expiresAt: number;
}

/** OID4VCI pre-authorized code flow without tx_code, the proof signed by the same device key. */
async function redeem(f: typeof fetch, deviceKey: SigningKey, offerUri: string, authority: string) {
  const client = new Openid4vciClient({ callbacks: { ...walletCallbacks(deviceKey), fetch: f } });
  try {
    const offer = await client.resolveCredentialOffer(offerUri);
    // The offer came from the authority we authenticated to; an offer naming another issuer is not it.
    if (offer.credential_issuer !== authority) {
      return fail('ERR_MALFORMED', 'the offer names another credential issuer');
    }
    if (!offer.credential_configuration_ids.includes(APPLICATION_CONFIGURATION_ID)) {
      return fail('ERR_MALFORMED', 'the offer is not for an application credential');
    }
    return await redeemResolvedOffer(client, offer, deviceKey, {
      configurationId: APPLICATION_CONFIGURATION_ID,
    });
  } catch (error) {
    throw asNetidError(error);
  }
}

/** What the wallet checks before keeping a credential: its type, its platform, its key, its life. */
function checkIssued(credential: string, clientId: string, deviceKey: SigningKey): number {
  const { payload } = decodeSdJwt(credential);
  const cnf = isPlainObject(payload.cnf) ? payload.cnf.jwk : undefined;
  if (payload.vct !== APPLICATION_VCT || payload.client_id !== clientId) {
    fail(
      'ERR_MALFORMED',
      'the authority issued something other than an application credential for this platform',
    );
  }
  if (!isPlainObject(cnf) || jwkThumbprint(cnf as PublicJwk) !== jwkThumbprint(deviceKey.publicJwk)) {
    fail('ERR_MALFORMED', "the application credential is not bound to this wallet's device key");
  }
  if (typeof payload.exp !== 'number')
    return fail('ERR_MALFORMED', 'the application credential has no expiry');
  return payload.exp;
}

/**
 * Obtains an application credential for one platform (DESIGN.md flow 3): authenticate with the
 * network certificate, take the authority's offer, redeem it by OID4VCI with a proof by the same
 * device key. The authority keeps no record of it; the wallet decides whether to.
 */
export async function obtainApplicationCredential(
  options: ObtainApplicationCredentialOptions,
): Promise<ApplicationCredential> {
  const f = options.fetch ?? fetch;
  const authority = options.authorityUrl.replace(/\/+$/, '');
  const holder = holderOf(options.walletData);
  allowHttpIfLoopback(authority);
  const offerUri = await requestApplicationOffer({ ...holder, authority, fetch: f }, options.clientId);
  const credential = await redeem(f, holder.deviceKey, offerUri, authority);
  return { credential, expiresAt: checkIssued(credential, options.clientId, holder.deviceKey) };
}

export interface PresentApplicationOptions {
  /** The platform asking: the KB-JWT audience, and the platform the credential must be for. */
  clientId: string;
  /** The request's nonce. */
  nonce: string;
  /** The claims the person agreed to disclose; nothing else is. */
  claims: readonly string[];
  /** For tests: the KB-JWT's time, in milliseconds. */
  now?: number;
}

/**
 * The presentation for a direct-verification answer: the credential with exactly the chosen
 * top-level claims disclosed and a KB-JWT by the device key for this platform and nonce. A
 * credential made for another platform is not presented at all (it would be refused there anyway,
 * and would show that platform this person's identifier elsewhere).
 */
export function presentApplicationCredential(
  credential: string,
  deviceKey: SigningKey,
  options: PresentApplicationOptions,
): string {
  const { payload } = decodeSdJwt(credential);
  if (payload.vct !== APPLICATION_VCT) fail('ERR_MALFORMED', 'this is not an application credential');
  if (payload.client_id !== options.clientId) {
    fail('ERR_WRONG_PLATFORM', 'this application credential is for another platform');
  }
  const chosen = new Set(options.claims);
  return presentSdJwt(credential, {
    disclose: (path) => path.length === 1 && chosen.has(String(path[0])),
    keyBinding: {
      key: deviceKey,
      audience: options.clientId,
      nonce: options.nonce,
      iat: Math.floor((options.now ?? Date.now()) / 1000),
    },
  });
}
