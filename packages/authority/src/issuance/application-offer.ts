import type { Context } from 'hono';
import { z } from 'zod';
import type { AuthorityContext } from '../context.ts';
import { NO_STORE } from '../http/no-store.ts';
import { Problem } from '../http/problem.ts';
import { readBody } from '../http/validate.ts';
import { openPersonAttributes } from '../persons/attributes.ts';
import { applicationIdentifier } from '../platforms/app-id.ts';
import { approvedPlatform } from '../platforms/approved.ts';
import { authenticateHolder } from '../selfservice/authenticate.ts';
import type { SelfServiceStore } from '../selfservice/store.ts';
import { applicationClaims } from './application-credential.ts';
import { APPLICATION_OFFER_SECONDS, type ApplicationGrants } from './application-grant.ts';
import type { Oid4vc } from './metadata.ts';
import { createApplicationOffer } from './offer.ts';
import { preAuthorizedCodeHash, randomToken } from './secrets.ts';
import type { ApplicationCredentialStore } from './store.ts';

const offerBody = z.object({ client_id: z.string().min(1).max(128) });

export interface ApplicationOfferDeps {
  ctx: AuthorityContext;
  oid4vc: Oid4vc;
  selfService: SelfServiceStore;
  store: ApplicationCredentialStore;
  grants: ApplicationGrants;
}

/**
 * POST /application-credentials/offer (DESIGN.md flow 3): the holder, authenticated exactly as for
 * self-service (a fresh certificate presentation over a challenge), asks for an application
 * credential for one platform. Everything the credential will say is decided here and kept, sealed,
 * in the transient table for five minutes; the answer is an OID4VCI offer the wallet redeems at
 * once. No durable row records that this person asked for this platform (guarantee 2).
 */
export function applicationOfferHandler(deps: ApplicationOfferDeps) {
  const { ctx } = deps;
  return async (c: Context): Promise<Response> => {
    // The body first: a malformed request must not spend the holder's challenge.
    const body = await readBody(c, offerBody);
    const holder = await authenticateHolder(ctx, deps.selfService, c);
    const platform = approvedPlatform(await deps.store.findPlatform(body.client_id));
    const sealed = await deps.store.personAttributesSealed(holder.netNumber);
    if (!sealed) throw new Problem(401, 'person_inactive', 'this network number is cancelled');
    const now = new Date(ctx.now());
    const attributes = openPersonAttributes(ctx.sealer, holder.netNumber, sealed);

    const code = randomToken();
    await deps.grants.putOffer(
      preAuthorizedCodeHash(ctx.secrets.session, code),
      {
        appId: applicationIdentifier(ctx.secrets.appId, platform.sector, holder.netNumber),
        clientId: platform.clientId,
        deviceThumbprint: holder.certificate.deviceThumbprint,
        claims: applicationClaims(platform, { netNumber: holder.netNumber, attributes }, now),
        certificateExpiresAt: holder.certificate.expiresAt.getTime(),
      },
      new Date(now.getTime() + APPLICATION_OFFER_SECONDS * 1000),
    );
    const offer = await createApplicationOffer(deps.oid4vc, code);
    return c.json(offer, 200, NO_STORE);
  };
}
