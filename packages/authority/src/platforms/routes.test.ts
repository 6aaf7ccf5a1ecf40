import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAuthority, type TestAuthority } from '../enrollment/test-support.ts';
import { describeServed } from '../issuance/test-support.ts';
import { findPlaintext } from '../testing/scan-plaintext.ts';
import { platformFinder } from './finder.ts';
import { publicJwks, validRegistration } from './test-support.ts';

const TOKEN = randomBytes(32).toString('base64url');

describeServed('the platform register', (served) => {
  beforeAll(() => {
    served.ctx.config.operatorToken = TOKEN;
  });
  const call = async (method: string, path: string, body?: unknown, token: string | null = TOKEN) => {
    const res = await fetch(served.url + path, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as any };
  };
  const directory = (clientId: string) => call('GET', `/platforms/${clientId}`, undefined, null);

  it('lets nobody without the operator token near the register', async () => {
    const registered = await call('POST', '/operator/platforms', validRegistration());
    const id = registered.body.client_id;
    const attempts = [
      ['POST', '/operator/platforms', validRegistration()],
      ['GET', '/operator/platforms'],
      ['GET', `/operator/platforms/${id}`],
      ['POST', `/operator/platforms/${id}/approve`],
      ['POST', `/operator/platforms/${id}/suspend`],
    ] as const;
    for (const [method, path, body] of attempts) {
      for (const token of [null, 'wrong']) {
        const res = await call(method, path, body, token);
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body.code).toBe('operator_unauthorized');
      }
    }
    expect((await call('GET', `/operator/platforms/${id}`)).body.state).toBe('pending');
  });

  it('returns a development client secret once, and keeps it only sealed', async () => {
    const input = validRegistration({ jwks: undefined, client_secret: true });
    const created = await call('POST', '/operator/platforms', input);
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const secret = created.body.client_secret as string;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({
      client_id: input.client_id,
      state: 'pending',
      has_client_secret: true,
    });

    const shown = await call('GET', `/operator/platforms/${input.client_id}`);
    const listed = await call('GET', '/operator/platforms');
    for (const view of [
      shown.body,
      listed.body.platforms.find((p: { client_id: string }) => p.client_id === input.client_id),
    ]) {
      expect(view).toMatchObject({ has_client_secret: true });
      expect(view).not.toHaveProperty('client_secret');
      expect(view).not.toHaveProperty('client_secret_enc');
      expect(JSON.stringify(view)).not.toContain(secret);
    }
    // Nowhere in the database in the clear, in any table or column.
    expect(await findPlaintext(served.ctx.db, [secret])).toEqual([]);
    // … yet the provider can open it.
    const finder = platformFinder(served.ctx);
    expect(finder.clientSecret((await finder.find(input.client_id!))!)).toBe(secret);
  });

  it('moves a platform pending → approved → suspended → approved, and the directory follows', async () => {
    const input = validRegistration({ post_logout_redirect_uris: ['https://forum.example/bye'] });
    const created = await call('POST', '/operator/platforms', input);
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('client_secret');
    const id = input.client_id!;

    // Pending: unknown to everyone but the operator.
    expect(await directory(id)).toMatchObject({ status: 404, body: { code: 'platform_not_found' } });
    const early = await call('POST', `/operator/platforms/${id}/suspend`);
    expect(early).toMatchObject({ status: 409, body: { code: 'invalid_transition' } });

    served.clock.now += 60_000;
    const approvedAt = served.clock.now;
    const approved = await call('POST', `/operator/platforms/${id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      state: 'approved',
      updated_at: new Date(approvedAt).toISOString(),
    });
    const listed = await directory(id);
    expect(listed.status).toBe(200);
    expect(listed.headers.get('cache-control')).toBe('public, max-age=60');
    expect(listed.body).toEqual({
      client_id: id,
      kind: 'internet',
      name: input.name,
      purpose: input.purpose,
      allowed_claims: ['age_over_18'],
      allowed_modes: ['cert'],
      may_request_net_number: false,
      redirect_uris: input.redirect_uris,
      jwks: { keys: [{ ...(input.jwks as { keys: object[] }).keys[0], alg: 'ES256' }] },
      state: 'approved',
    });
    // Approving twice is no error.
    expect((await call('POST', `/operator/platforms/${id}/approve`)).status).toBe(200);

    const suspended = await call('POST', `/operator/platforms/${id}/suspend`);
    expect(suspended).toMatchObject({ status: 200, body: { state: 'suspended' } });
    const refused = await directory(id);
    expect(refused).toMatchObject({ status: 403, body: { code: 'platform_suspended' } });
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await call('POST', `/operator/platforms/${id}/suspend`)).status).toBe(200);

    expect((await call('POST', `/operator/platforms/${id}/approve`)).body.state).toBe('approved');
    expect((await directory(id)).status).toBe(200);
    expect((await call('GET', `/operator/platforms/${id}`)).body).toMatchObject({
      state: 'approved',
      sector: id,
      post_logout_redirect_uris: ['https://forum.example/bye'],
      has_client_secret: false,
    });
  });

  it('answers platform_not_found for an unknown platform everywhere', async () => {
    for (const id of ['no-such-platform', 'NOT%20VALID', 'x'.repeat(65)]) {
      for (const [method, path] of [
        ['GET', `/operator/platforms/${id}`],
        ['POST', `/operator/platforms/${id}/approve`],
        ['POST', `/operator/platforms/${id}/suspend`],
        ['GET', `/platforms/${id}`],
      ] as const) {
        const res = await call(method, path);
        expect(res, `${method} ${path}`).toMatchObject({ status: 404, body: { code: 'platform_not_found' } });
      }
    }
  });

  it('answers a refused registration with its problem code and stores nothing', async () => {
    const before = (await call('GET', '/operator/platforms')).body.platforms.length;
    const cases = [
      [validRegistration({ allowed_modes: ['cert+face'] }), 'mode_unavailable'],
      [validRegistration({ allowed_claims: ['net_number'] }), 'net_number_not_allowed'],
      [validRegistration({ jwks: { keys: [{ ...publicJwks().keys[0], d: 'AAAA' }] } }), 'jwks_private_key'],
      [{ kind: 'internet' }, 'invalid_request'],
    ] as const;
    for (const [body, code] of cases) {
      const res = await call('POST', '/operator/platforms', body);
      expect(res).toMatchObject({ status: 400, body: { code } });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const malformed = await fetch(`${served.url}/operator/platforms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(malformed.status).toBe(400);
    expect((await call('GET', '/operator/platforms')).body.platforms).toHaveLength(before);
    const taken = validRegistration();
    expect((await call('POST', '/operator/platforms', taken)).status).toBe(201);
    expect(await call('POST', '/operator/platforms', taken)).toMatchObject({
      status: 409,
      body: { code: 'platform_exists' },
    });
  });

  it('logs nothing when the directory is read', async () => {
    const input = validRegistration({ approve: true });
    await call('POST', '/operator/platforms', input);
    const original = served.ctx.log;
    const lines: string[] = [];
    served.ctx.log = (line) => lines.push(line);
    try {
      expect((await directory(input.client_id!)).status).toBe(200);
      expect((await directory('no-such-platform')).status).toBe(404);
    } finally {
      served.ctx.log = original;
    }
    expect(lines).toEqual([]);
  });
});

describe('the development operator token', () => {
  let t: TestAuthority;
  beforeAll(async () => {
    t = await startTestAuthority();
  });
  afterAll(() => t?.close());

  it('is generated once and opens the platform register as well as the rest of the operator API', async () => {
    const printed = t.logs.filter((l) => l.includes('operator API token'));
    expect(printed).toHaveLength(1);
    const token = /: (\S+)$/.exec(printed[0]!)![1]!;
    const res = await t.authority.app.request('/operator/platforms', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(validRegistration()),
    });
    expect(res.status).toBe(201);
    const rotate = await t.authority.app.request('/operator/keys/rotate', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ overlapDays: 1 }),
    });
    expect(rotate.status).toBe(200);
  });
});
