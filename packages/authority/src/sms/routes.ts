import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthorityContext } from '../context.ts';
import { Problem } from '../http/problem.ts';
import { sqlSmsOutbox } from '../sql/enrollment.ts';

const query = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  to: z.string().max(20).optional(),
});

/**
 * GET /dev/sms-outbox — the development outbox, newest first, for tests and the CLI wallet to read
 * one-time codes. It exists only in development: elsewhere the path is an ordinary 404.
 */
export function smsOutboxRoutes(ctx: AuthorityContext): Hono {
  const app = new Hono();
  const outbox = sqlSmsOutbox(ctx.db);
  app.get('/dev/sms-outbox', async (c) => {
    if (ctx.config.env !== 'development') throw new Problem(404, 'not_found', 'no such resource');
    const { limit, to } = query.parse(c.req.query());
    const messages = await outbox.latest({ limit, ...(to ? { to } : {}) });
    return c.json(
      { messages: messages.map((m) => ({ to: m.to, message: m.message, sentAt: m.sentAt.toISOString() })) },
      200,
      { 'cache-control': 'no-store' },
    );
  });
  return app;
}
