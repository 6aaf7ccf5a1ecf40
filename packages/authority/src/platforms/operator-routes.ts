import { Hono } from 'hono';
import type { AuthorityContext } from '../context.ts';
import { NO_STORE } from '../http/no-store.ts';
import { Problem } from '../http/problem.ts';
import { readBody } from '../http/validate.ts';
import { operatorGuard } from '../operator/token.ts';
import { sqlPlatformStore } from '../sql/platforms.ts';
import type { Platform, PlatformState, PlatformStore } from './platform.ts';
import { CLIENT_ID_PATTERN, registerPlatform, registrationSchema } from './registration.ts';

/** What the operator sees of a platform. Never the sealed secret: only whether there is one. */
export function operatorPlatformView(p: Platform): Record<string, unknown> {
  return {
    client_id: p.clientId,
    kind: p.kind,
    sector: p.sector,
    name: p.name,
    purpose: p.purpose,
    redirect_uris: p.redirectUris,
    post_logout_redirect_uris: p.postLogoutRedirectUris,
    jwks: p.jwks,
    has_client_secret: p.clientSecretEnc !== null,
    allowed_claims: p.allowedClaims,
    allowed_modes: p.allowedModes,
    may_request_net_number: p.mayRequestNetNumber,
    state: p.state,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

/** pending → approved ⇄ suspended. Repeating a transition is a no-op, not an error. */
const TRANSITIONS: Record<'approve' | 'suspend', { to: PlatformState; from: PlatformState[] }> = {
  approve: { to: 'approved', from: ['pending', 'suspended', 'approved'] },
  suspend: { to: 'suspended', from: ['approved', 'suspended'] },
};

const notFound = () => new Problem(404, 'platform_not_found', 'no such platform');

async function transition(
  store: PlatformStore,
  clientId: string,
  action: keyof typeof TRANSITIONS,
  now: Date,
): Promise<Platform> {
  if (!CLIENT_ID_PATTERN.test(clientId)) throw notFound();
  const { to, from } = TRANSITIONS[action];
  const updated = await store.setState(clientId, to, now, from);
  if (updated) return updated;
  const current = await store.find(clientId);
  if (!current) throw notFound();
  throw new Problem(
    409,
    'invalid_transition',
    `a ${current.state} platform cannot be told to ${action}`,
    'a pending platform is approved first',
  );
}

/**
 * The platform register (flow 5) on the operator API, behind the operator token. Only the
 * operator registers, approves and suspends platforms; a platform never changes its own entry.
 */
export function platformOperatorRoutes(ctx: AuthorityContext): Hono {
  const app = new Hono();
  const store = sqlPlatformStore(ctx.db);
  // Also matches `/operator/platforms` itself.
  app.use('/operator/platforms/*', operatorGuard(ctx));

  app.post('/operator/platforms', async (c) => {
    const { platform, clientSecret } = await registerPlatform(
      ctx,
      store,
      await readBody(c, registrationSchema),
    );
    const view = operatorPlatformView(platform);
    return c.json(clientSecret ? { ...view, client_secret: clientSecret } : view, 201, NO_STORE);
  });

  app.get('/operator/platforms', async (c) => {
    const platforms = await store.list();
    return c.json({ platforms: platforms.map(operatorPlatformView) }, 200, NO_STORE);
  });

  app.get('/operator/platforms/:clientId', async (c) => {
    const clientId = c.req.param('clientId');
    const platform = CLIENT_ID_PATTERN.test(clientId) ? await store.find(clientId) : undefined;
    if (!platform) throw notFound();
    return c.json(operatorPlatformView(platform), 200, NO_STORE);
  });

  for (const action of ['approve', 'suspend'] as const) {
    app.post(`/operator/platforms/:clientId/${action}`, async (c) => {
      const platform = await transition(store, c.req.param('clientId'), action, new Date(ctx.now()));
      return c.json(operatorPlatformView(platform), 200, NO_STORE);
    });
  }

  return app;
}
