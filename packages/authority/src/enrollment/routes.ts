import { type Context, Hono } from 'hono';
import type { AuthorityContext } from '../context.ts';
import { NO_STORE } from '../http/no-store.ts';
import { Problem } from '../http/problem.ts';
import { readBody } from '../http/validate.ts';
import { createSmsSender } from '../sms/create.ts';
import { smsOutboxRoutes } from '../sms/routes.ts';
import { sqlEnrollmentStore, sqlRateLimits } from '../sql/enrollment.ts';
import { sqlPopulationRegistry } from '../sql/registry.ts';
import { documentBody, documentStep } from './document-step.ts';
import { clientAddress, LIMITS, takeLimits } from './limits.ts';
import { otpBody, otpStep } from './otp-step.ts';
import { passwordBody, passwordStep } from './password-step.ts';
import { phoneBody, phoneStep } from './phone-step.ts';
import { respondWithRetryAfter } from './problems.ts';
import { createSession, type Enrollment, findSession } from './session.ts';
import { nextStep } from './states.ts';

/**
 * The enrollment API (DESIGN.md flow 1, up to the credential offer):
 *
 *   POST /enrollment/sessions                      → 201 { session, expiresAt, next: 'document' }
 *   GET  /enrollment/sessions/:session             → { state, next, expiresAt }
 *   POST /enrollment/sessions/:session/document    { type, number, name, birthdate }
 *   POST /enrollment/sessions/:session/phone       { phone }       (also the resend)
 *   POST /enrollment/sessions/:session/otp         { code }
 *   POST /enrollment/sessions/:session/password    { password }    → { next: 'issue', credentialOffer, … }
 *
 * Also mounts the development SMS outbox (`GET /dev/sms-outbox`).
 */
export function enrollmentRoutes(ctx: AuthorityContext, overrides: Partial<Enrollment> = {}): Hono {
  const e: Enrollment = {
    ctx,
    store: sqlEnrollmentStore(ctx.db),
    limits: sqlRateLimits(ctx.db),
    registry: sqlPopulationRegistry(ctx),
    sms: createSmsSender(ctx),
    ...overrides,
  };
  const app = new Hono();

  app.post('/enrollment/sessions', (c) =>
    step(c, 201, async () => {
      await takeLimits(e, [LIMITS.sessionsPerClient], clientAddress(c));
      const { token, expiresAt } = await createSession(e);
      return { session: token, expiresAt: expiresAt.toISOString(), next: 'document' };
    }),
  );

  app.get('/enrollment/sessions/:session', async (c) => {
    const session = await findSession(e, c.req.param('session'));
    return c.json(
      { state: session.state, next: nextStep(session.state), expiresAt: session.expiresAt.toISOString() },
      200,
      NO_STORE,
    );
  });

  app.post('/enrollment/sessions/:session/document', (c) =>
    step(c, 200, async () => {
      // Counted per client before anything else: this is what bounds probing the registry.
      await takeLimits(e, [LIMITS.documentsPerClient], clientAddress(c));
      return documentStep(e, c.req.param('session'), await readBody(c, documentBody));
    }),
  );
  app.post('/enrollment/sessions/:session/phone', (c) =>
    step(c, 200, async () => phoneStep(e, c.req.param('session'), await readBody(c, phoneBody))),
  );
  app.post('/enrollment/sessions/:session/otp', (c) =>
    step(c, 200, async () => otpStep(e, c.req.param('session'), await readBody(c, otpBody))),
  );
  app.post('/enrollment/sessions/:session/password', (c) =>
    step(c, 200, async () => passwordStep(e, c.req.param('session'), await readBody(c, passwordBody))),
  );

  app.route('/', smsOutboxRoutes(ctx));
  return app;
}

/** Runs a step; a 429 gets its `Retry-After` header here, every other problem goes to the app's handler. */
async function step(c: Context, status: 200 | 201, run: () => Promise<object>): Promise<Response> {
  try {
    return c.json(await run(), status, NO_STORE);
  } catch (error) {
    if (error instanceof Problem && error.status === 429) return respondWithRetryAfter(c, error);
    throw error;
  }
}
