import { Hono } from 'hono';
import type { AuthorityContext } from '../context.ts';

/**
 * Where verifiers find the authority's keys: SD-JWT VC issuer metadata (draft-ietf-oauth-sd-jwt-vc
 * §5) with the JWKS inline, and the JWKS on its own for other clients.
 */
export function issuerRoutes(ctx: AuthorityContext): Hono {
  const app = new Hono();
  const cache = 'public, max-age=300';
  app.get('/.well-known/jwt-vc-issuer', (c) =>
    c.json({ issuer: ctx.config.publicUrl, jwks: ctx.issuerKeys.jwks() }, 200, { 'cache-control': cache }),
  );
  app.get('/jwks', (c) =>
    c.body(JSON.stringify(ctx.issuerKeys.jwks()), 200, {
      'content-type': 'application/jwk-set+json',
      'cache-control': cache,
    }),
  );
  return app;
}
