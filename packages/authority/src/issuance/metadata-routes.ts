import { Hono } from 'hono';
import type { AuthorityContext } from '../context.ts';
import { listStatusListUris } from '../status/routes.ts';
import type { Oid4vc } from './metadata.ts';

/**
 * Where verifiers find the authority's keys: SD-JWT VC issuer metadata (draft-ietf-oauth-sd-jwt-vc
 * §5) with the JWKS inline, and the JWKS on its own for other clients.
 */
export function issuerRoutes(ctx: AuthorityContext): Hono {
  const app = new Hono();
  const cache = 'public, max-age=300';
  // `status_lists` (a netid extension): every shard, so verifiers preload them all.
  app.get('/.well-known/jwt-vc-issuer', async (c) =>
    c.json(
      {
        issuer: ctx.config.publicUrl,
        jwks: ctx.issuerKeys.jwks(),
        status_lists: await listStatusListUris(ctx),
      },
      200,
      { 'cache-control': cache },
    ),
  );
  app.get('/jwks', (c) =>
    c.body(JSON.stringify(ctx.issuerKeys.jwks()), 200, {
      'content-type': 'application/jwk-set+json',
      'cache-control': cache,
    }),
  );
  return app;
}

/**
 * Where wallets find the credential issuer (OID4VCI 1.0 §12.2.2) and its authorization server
 * (RFC 8414 §3; the issuer is its own). Both documents are validated by the library when built.
 */
export function oid4vciMetadataRoutes(oid4vc: Oid4vc): Hono {
  const app = new Hono();
  const cache = 'public, max-age=300';
  app.get('/.well-known/openid-credential-issuer', (c) =>
    c.json(oid4vc.credentialIssuerMetadata, 200, { 'cache-control': cache }),
  );
  app.get('/.well-known/oauth-authorization-server', (c) =>
    c.json(oid4vc.authorizationServerMetadata, 200, { 'cache-control': cache }),
  );
  return app;
}
