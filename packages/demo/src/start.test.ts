import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { describeServed } from '../../authority/src/issuance/test-support.ts';
import { freePort } from '../../authority/src/testing/free-port.ts';
import { demoClientId, loadOrCreateSigningKey, startDemo } from './index.ts';
import { OPERATOR_TOKEN, startTestDemo, tempDataDir } from './test-support.ts';

describeServed('startDemo', (served) => {
  beforeEach(() => {
    served.clock.now = Date.now();
  });

  async function registered(clientId: string) {
    const res = await fetch(`${served.url}/operator/platforms/${clientId}`, {
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  async function platformCount() {
    const res = await fetch(`${served.url}/operator/platforms`, {
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
    });
    return ((await res.json()) as { platforms: unknown[] }).platforms.length;
  }

  it('registers both platforms once, approved; a second start reuses the keys and the registrations', async () => {
    const dataDir = tempDataDir();
    const ports = { forumPort: await freePort(), counterPort: await freePort() };
    const first = await startTestDemo(served, { dataDir, ...ports });
    const keyFile = join(dataDir, 'demo', 'forum.jwk.json');
    const key = readFileSync(keyFile, 'utf8');
    try {
      expect(first.forum.registration).toBe('registered');
      expect(first.counter.registration).toBe('registered');
      expect(statSync(keyFile).mode & 0o077).toBe(0);
      expect(JSON.parse(key)).toHaveProperty('d');

      const forum = await registered(first.forum.clientId);
      expect(forum.status).toBe(200);
      expect(forum.body).toMatchObject({
        kind: 'internet',
        state: 'approved',
        allowed_claims: ['age_over_18'],
        allowed_modes: ['cert', 'cert+password'],
        redirect_uris: [`http://127.0.0.1:${ports.forumPort}/callback`],
        post_logout_redirect_uris: [`http://127.0.0.1:${ports.forumPort}/`],
        may_request_net_number: false,
      });
      const counter = await registered(first.counter.clientId);
      expect(counter.body).toMatchObject({
        kind: 'government',
        state: 'approved',
        allowed_claims: ['name', 'net_number'],
        may_request_net_number: true,
        redirect_uris: [`http://127.0.0.1:${ports.counterPort}/response`],
      });
      // Only public keys reach the register.
      expect(JSON.stringify([forum.body.jwks, counter.body.jwks])).not.toContain('"d"');
    } finally {
      await first.close();
    }
    const count = await platformCount();

    const second = await startTestDemo(served, { dataDir, ...ports });
    try {
      expect([second.forum.clientId, second.counter.clientId]).toEqual([
        first.forum.clientId,
        first.counter.clientId,
      ]);
      expect([second.forum.registration, second.counter.registration]).toEqual(['existing', 'existing']);
      expect(readFileSync(keyFile, 'utf8')).toBe(key);
      expect(await platformCount()).toBe(count);
      expect((await fetch(`${second.forum.url}/`)).status).toBe(200);
      expect((await fetch(`${second.counter.url}/`)).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('approves its own registration left pending', async () => {
    const dataDir = tempDataDir();
    const ports = { forumPort: await freePort(), counterPort: await freePort() };
    const key = loadOrCreateSigningKey(join(dataDir, 'demo', 'forum.jwk.json'));
    const origin = `http://127.0.0.1:${ports.forumPort}`;
    const clientId = demoClientId('forum', key, origin);
    const created = await fetch(`${served.url}/operator/platforms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: clientId,
        kind: 'internet',
        name: { zh: '论坛', en: 'Forum' },
        purpose: { zh: '登录', en: 'Sign in' },
        redirect_uris: [`${origin}/callback`],
        jwks: { keys: [key.publicJwk] },
        allowed_claims: ['age_over_18'],
        allowed_modes: ['cert'],
      }),
    });
    expect(created.status).toBe(201);
    expect((await registered(clientId)).body.state).toBe('pending');
    const demo = await startTestDemo(served, { dataDir, ...ports });
    await demo.close();
    expect(demo.forum.clientId).toBe(clientId);
    expect(demo.forum.registration).toBe('approved');
    expect((await registered(clientId)).body.state).toBe('approved');
  });

  it('refuses to run a platform the operator suspended, and lets go of its ports', async () => {
    const dataDir = tempDataDir();
    const ports = { forumPort: await freePort(), counterPort: await freePort() };
    const first = await startTestDemo(served, { dataDir, ...ports });
    await first.close();
    const auth = { authorization: `Bearer ${OPERATOR_TOKEN}` };
    await fetch(`${served.url}/operator/platforms/${first.forum.clientId}/suspend`, {
      method: 'POST',
      headers: auth,
    });
    await expect(startTestDemo(served, { dataDir, ...ports })).rejects.toMatchObject({
      code: 'ERR_AUTHORITY_REFUSED',
      message: expect.stringContaining('suspended'),
    });
    // The failed start let go of its ports: the next one can listen on them.
    await fetch(`${served.url}/operator/platforms/${first.forum.clientId}/approve`, {
      method: 'POST',
      headers: auth,
    });
    const again = await startTestDemo(served, { dataDir, ...ports });
    expect(again.forum.registration).toBe('existing');
    await again.close();
  });

  it('fails clearly with a wrong operator token, leaving nothing registered', async () => {
    const count = await platformCount();
    await expect(
      startDemo({
        authorityUrl: served.url,
        forumPort: 0,
        counterPort: 0,
        dataDir: tempDataDir(),
        operatorToken: 'not-the-token-not-the-token-not-the-token',
      }),
    ).rejects.toMatchObject({ code: 'ERR_AUTHORITY_REFUSED', message: expect.stringContaining('401') });
    expect(await platformCount()).toBe(count);
  });
});
