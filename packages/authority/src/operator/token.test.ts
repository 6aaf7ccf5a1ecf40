import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AuthorityContext } from '../context.ts';
import { respondProblem, toProblem } from '../http/problem.ts';
import { operatorGuard } from './token.ts';

function guarded(config: { env: 'development' | 'production'; operatorToken?: string }) {
  const logs: string[] = [];
  const ctx = { config, log: (line: string) => logs.push(line) } as unknown as AuthorityContext;
  const app = new Hono();
  app.use('/operator/*', operatorGuard(ctx));
  app.get('/operator/ping', (c) => c.json({ ok: true }));
  app.onError((error, c) =>
    respondProblem(
      c,
      toProblem(error, () => {}),
    ),
  );
  const ping = (authorization?: string) =>
    app.request('/operator/ping', authorization ? { headers: { authorization } } : {});
  return { logs, ping };
}

describe('the operator token', () => {
  it('accepts the configured token only, and says nothing about it in the log', async () => {
    const token = 'k'.repeat(40);
    const { logs, ping } = guarded({ env: 'production', operatorToken: token });
    expect((await ping(`Bearer ${token}`)).status).toBe(200);
    expect((await ping(`bearer ${token}`)).status).toBe(200);
    expect((await ping(`Bearer ${token}k`)).status).toBe(401);
    expect((await ping()).status).toBe(401);
    expect(logs).toEqual([]);
  });

  it('in development without one, generates a token and prints it once', async () => {
    const { logs, ping } = guarded({ env: 'development' });
    expect(logs).toHaveLength(1);
    const token = /token \(development, generated at start\): (\S+)$/.exec(logs[0]!)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await ping(`Bearer ${token}`)).status).toBe(200);
    expect((await ping('Bearer ')).status).toBe(401);
    // Another start, another token.
    expect(guarded({ env: 'development' }).logs[0]).not.toBe(logs[0]);
  });

  it('keeps the API closed in production without one', async () => {
    const { logs, ping } = guarded({ env: 'production' });
    expect(logs).toEqual([]);
    const res = await ping('Bearer anything');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'operator_api_disabled' });
  });
});
