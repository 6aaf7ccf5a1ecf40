import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AuthorityContext } from './context.ts';
import { enrollmentRoutes } from './enrollment/routes.ts';
import { browserWalletCors } from './http/cors.ts';
import { Problem, respondProblem, toProblem } from './http/problem.ts';
import { issuerRoutes } from './issuance/metadata-routes.ts';
import { issuanceRoutes } from './issuance/routes.ts';
import { oidcApp } from './oidc/index.ts';
import { operatorRoutes } from './operator/routes.ts';
import { platformDirectoryRoutes } from './platforms/directory-routes.ts';
import { platformOperatorRoutes } from './platforms/operator-routes.ts';
import { selfServiceRoutes } from './selfservice/routes.ts';
import { statusRoutes } from './status/routes.ts';

/** Every request body is small (forms, proofs, presentations): anything larger is refused unread. */
export const MAX_BODY_BYTES = 64 * 1024;

export function createApp(ctx: AuthorityContext): Hono {
  const app = new Hono();
  // First: a preflight must be answered here, not refused by the body limit nor handed to
  // oidc-provider (which would otherwise get every OPTIONS under /oidc, /oidc/vp/* included).
  app.use(browserWalletCors());
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => respondProblem(c, new Problem(413, 'body_too_large', 'the request body is too large')),
  });
  // oidc-provider reads Node's request stream itself, with its own limit; Hono's limiter would start
  // draining that stream into a web stream and leave the provider an empty form.
  app.use(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return c.req.path.startsWith('/oidc/') && !c.req.path.startsWith('/oidc/vp/') ? next() : limit(c, next);
  });
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.route('/', issuerRoutes(ctx));
  app.route('/', issuanceRoutes(ctx));
  app.route('/', enrollmentRoutes(ctx));
  app.route('/', statusRoutes(ctx));
  app.route('/', selfServiceRoutes(ctx));
  app.route('/', operatorRoutes(ctx));
  app.route('/', platformOperatorRoutes(ctx)).route('/', platformDirectoryRoutes(ctx));
  app.route('/', oidcApp(ctx, { walletUrl: ctx.config.walletUrl }));
  app.notFound((c) => respondProblem(c, new Problem(404, 'not_found', 'no such resource')));
  app.onError((error, c) => respondProblem(c, toProblem(error, ctx.log)));
  return app;
}
