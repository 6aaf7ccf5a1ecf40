import type { AuthorityContext } from '../context.ts';
import { signApplicationCredential } from './application-credential.ts';
import type { ApplicationGrants } from './application-grant.ts';
import type { IssueRequest } from './issue-certificate.ts';
import { oauthError } from './oauth-errors.ts';

/**
 * Spends the access token (taking its transient record: single use) and signs the application
 * credential its grant describes, bound to the proof's key — which the credential endpoint has
 * checked is the device key that authenticated for the offer. Nothing durable is read or written.
 * Undefined when a concurrent request spent the token first.
 */
export async function issueApplicationCredential(
  ctx: AuthorityContext,
  grants: ApplicationGrants,
  request: IssueRequest,
): Promise<string | undefined> {
  const { now } = request;
  const grant = await grants.takeToken(request.accessTokenHash, now);
  if (!grant) return undefined;
  const certificateExpiresAt = new Date(grant.certificateExpiresAt);
  if (certificateExpiresAt <= now) {
    throw oauthError('credential_request_denied', 'the network certificate it derives from has expired');
  }
  return signApplicationCredential(
    {
      issuer: ctx.config.publicUrl,
      appId: grant.appId,
      clientId: grant.clientId,
      claims: grant.claims,
      deviceJwk: request.deviceJwk,
      issuedAt: now,
      certificateExpiresAt,
    },
    ctx.issuerKeys.signing(),
  );
}
