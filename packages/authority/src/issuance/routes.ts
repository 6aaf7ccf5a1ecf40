import { Hono } from 'hono';
import type { AuthorityContext } from '../context.ts';
import { sqlApplicationCredentialStore, sqlIssuanceStore } from '../sql/issuance.ts';
import { sqlSelfServiceStore } from '../sql/selfservice.ts';
import { sqlTransientStore } from '../sql/transient.ts';
import { applicationGrants } from './application-grant.ts';
import { applicationOfferHandler } from './application-offer.ts';
import { credentialHandler } from './credential.ts';
import { createOid4vc } from './metadata.ts';
import { oid4vciMetadataRoutes } from './metadata-routes.ts';
import { nonceHandler } from './nonce.ts';
import { withOauthErrors } from './oauth-errors.ts';
import { tokenHandler } from './token.ts';

/**
 * OID4VCI 1.0, pre-authorized code flow: the metadata, and the token (§6), nonce (§7) and credential
 * (§8) endpoints; and the offer of application credentials (DESIGN.md flow 3), whose state lives in
 * the transient table only.
 */
export function issuanceRoutes(ctx: AuthorityContext): Hono {
  const oid4vc = createOid4vc(ctx.config);
  const store = sqlIssuanceStore(ctx);
  const grants = applicationGrants(ctx, sqlTransientStore(ctx.db));
  const app = new Hono();
  app.route('/', oid4vciMetadataRoutes(oid4vc));
  app.post(
    '/application-credentials/offer',
    applicationOfferHandler({
      ctx,
      oid4vc,
      selfService: sqlSelfServiceStore(ctx.db),
      store: sqlApplicationCredentialStore(ctx.db),
      grants,
    }),
  );
  app.post('/token', withOauthErrors(tokenHandler(ctx, oid4vc, store, grants)));
  app.post('/nonce', withOauthErrors(nonceHandler(ctx, oid4vc, store)));
  app.post('/credential', withOauthErrors(credentialHandler(ctx, oid4vc, store, grants), 'invalid_proof'));
  return app;
}
