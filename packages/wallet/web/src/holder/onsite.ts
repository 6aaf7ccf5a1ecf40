import { base64url } from 'jose';
import { applicationCredentialFor } from '../application/credential.ts';
import type { VaultContents } from '../vault/contents.ts';
import type { Holder } from './holder.ts';
import { credentialClaims, presentCredential } from './sdjwt.ts';

/** How often the on-site code is made anew; a counter accepts one for at most 120 s. */
export const ONSITE_REFRESH_SECONDS = 30;

export interface OnsiteCode {
  /** What the QR carries: a presentation of the platform's application credential. */
  presentation: string;
  /** Claims it discloses: everything the platform's credential holds (what it is allowed). */
  claims: string[];
  /** Contents to save when a fresh application credential was fetched. */
  contents: VaultContents | undefined;
}

const NOT_CLAIMS = new Set([
  'iss',
  'iat',
  'exp',
  'nbf',
  'vct',
  'cnf',
  'client_id',
  'sub',
  'status',
  'app_id',
]);

/**
 * A presentation for an on-site check at one platform's counter: its application credential (so the
 * counter learns its own identifier for this person, never one usable elsewhere), bound to the
 * platform as audience and to a nonce the wallet picks, fresh each time. The counter refuses it
 * after 120 s and refuses a nonce twice, so a photo of the screen is worth little.
 */
export async function onsiteCode(
  holder: Holder,
  contents: VaultContents,
  clientId: string,
): Promise<OnsiteCode> {
  const app = await applicationCredentialFor(holder, contents, clientId);
  const all = await credentialClaims(app.credential);
  const claims = Object.keys(all).filter((c) => !NOT_CLAIMS.has(c));
  const nonce = base64url.encode(crypto.getRandomValues(new Uint8Array(18)));
  const presentation = await presentCredential(app.credential, claims, holder.key, {
    audience: clientId,
    nonce,
  });
  return { presentation, claims, contents: app.contents };
}
