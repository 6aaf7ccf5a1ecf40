import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/**
 * What the web wallet, served from its own origin, calls: enrollment, OID4VCI issuance, status
 * lists, self-service, the platform directory and the OpenID4VP request/response of a sign-in.
 */
const EXACT = new Set([
  '/.well-known/openid-credential-issuer',
  '/.well-known/oauth-authorization-server',
  '/.well-known/jwt-vc-issuer',
  '/jwks',
  '/token',
  '/nonce',
  '/credential',
  '/platforms',
]);
const PREFIXES = [
  '/enrollment/',
  '/status/',
  '/selfservice/',
  '/application-credentials/',
  '/platforms/',
  '/oidc/vp/request/',
  '/oidc/vp/response/',
];

export function isBrowserWalletPath(path: string): boolean {
  return EXACT.has(path) || PREFIXES.some((prefix) => path.startsWith(prefix));
}

/**
 * Cross-origin access for the browser wallet's endpoints, and only those: the operator API, the
 * development outbox and the OpenID Provider (its pages and cookies) stay same-origin.
 *
 * Any origin, never with credentials: these endpoints authenticate each call by what it carries
 * (enrollment session tokens, DPoP and key proofs signed by the device key, bearer tokens bound to
 * them), never by a cookie, so another origin's page gains nothing a direct request would not.
 * A preflight is answered here, before the body limit and before oidc-provider would see it.
 */
export function browserWalletCors(): MiddlewareHandler {
  const handler = cors({
    origin: '*',
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['authorization', 'content-type', 'dpop', 'accept'],
    exposeHeaders: ['www-authenticate', 'dpop-nonce'],
    maxAge: 600,
  });
  return (c, next) => (isBrowserWalletPath(c.req.path) ? handler(c, next) : next());
}
