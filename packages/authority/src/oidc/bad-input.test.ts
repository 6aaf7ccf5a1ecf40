import { presentSdJwt } from '@netid/protocol';
import * as oidc from 'openid-client';
import { expect, it } from 'vitest';
import { resolveRequest } from '../../../wallet/src/present/request.ts';
import { describeServed, signRawJwt } from '../issuance/test-support.ts';
import { enrollDevice } from '../selfservice/test-support.ts';
import { addPlatform, finishSignIn, redeem, startSignIn, walletAnswers } from './test-support.ts';

let people = 0;
const nextPerson = () => `P-OIDC-BAD-${++people}`;

/** What the wallet's direct_post would carry, built by hand so each field can be wrong on purpose. */
async function postAnswer(url: string, fields: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describeServed('OpenID Provider bad input', (served) => {
  it('refuses an unregistered redirect_uri at the pushed request (invalid_redirect_uri)', async () => {
    const platform = await addPlatform(served);
    const error = await startSignIn(served, platform, {
      redirect_uri: 'https://evil.example/callback',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ error: 'invalid_request' });
    expect((error as { error_description: string }).error_description).toMatch(/redirect_uri/);
  });

  it('refuses a request without PKCE, and one that is not pushed', async () => {
    const platform = await addPlatform(served);
    const withoutPkce = await oidc
      .buildAuthorizationUrlWithPAR(platform.config, { redirect_uri: platform.redirectUri, scope: 'openid' })
      .catch((e: unknown) => e);
    expect(withoutPkce).toMatchObject({ error: 'invalid_request' });
    expect(String((withoutPkce as { error_description: string }).error_description)).toMatch(/PKCE/);
    const direct = oidc.buildAuthorizationUrl(platform.config, {
      redirect_uri: platform.redirectUri,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const res = await fetch(direct, { redirect: 'manual' });
    expect(res.status).toBeLessThan(500);
    const location = new URL(res.headers.get('location') ?? 'http://x/');
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a pushed request object signed by another key (invalid_request_object)', async () => {
    const platform = await addPlatform(served);
    const other = await addPlatform(served);
    const meta = platform.config.serverMetadata();
    const now = Math.floor(Date.now() / 1000);
    const requestObject = signRawJwt(
      other.key,
      { typ: 'oauth-authz-req+jwt', kid: platform.key.kid },
      {
        iss: platform.clientId,
        aud: meta.issuer,
        client_id: platform.clientId,
        response_type: 'code',
        redirect_uri: platform.redirectUri,
        scope: 'openid',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        iat: now,
        exp: now + 60,
      },
    );
    const error = await oidc
      .buildAuthorizationUrlWithPAR(platform.config, { request: requestObject, client_id: platform.clientId })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ error: 'invalid_request_object' });
  });

  it('redeems a code once: a replayed code is invalid_grant', async () => {
    const platform = await addPlatform(served);
    const device = await enrollDevice(served, nextPerson());
    const started = await startSignIn(served, platform);
    await walletAnswers(served, started, device, { approve: true, disclose: [] });
    const callback = await finishSignIn(served, platform, started);
    await redeem(platform, callback, started);
    await expect(redeem(platform, callback, started)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a replayed presentation, a wrong state, a wrong nonce and a wrong audience', async () => {
    const platform = await addPlatform(served);
    const device = await enrollDevice(served, nextPerson());
    const started = await startSignIn(served, platform);
    const view = await resolveRequest(started.requestUri, {
      authority: served.url,
      now: () => served.clock.now,
    });
    const present = (nonce: string, audience = served.url) =>
      JSON.stringify({
        certificate: [
          presentSdJwt(device.credential, {
            disclose: () => false,
            keyBinding: { key: device.key, audience, nonce },
          }),
        ],
      });
    const wrongState = await postAnswer(view.responseUri, { vp_token: present(view.nonce), state: 'nope' });
    expect(wrongState).toMatchObject({ status: 400, body: { code: 'invalid_state' } });
    const wrongNonce = await postAnswer(view.responseUri, {
      vp_token: present('other-nonce'),
      state: view.state!,
    });
    expect(wrongNonce).toMatchObject({
      status: 400,
      body: { code: 'invalid_presentation', detail: 'ERR_KB_NONCE_MISMATCH' },
    });
    const wrongAudience = await postAnswer(view.responseUri, {
      vp_token: present(view.nonce, 'https://platform.example'),
      state: view.state!,
    });
    expect(wrongAudience).toMatchObject({
      status: 400,
      body: { code: 'invalid_presentation', detail: 'ERR_KB_AUD_MISMATCH' },
    });
    const answer = { vp_token: present(view.nonce), state: view.state! };
    expect((await postAnswer(view.responseUri, answer)).status).toBe(200);
    expect(await postAnswer(view.responseUri, answer)).toMatchObject({
      status: 400,
      body: { code: 'request_expired' },
    });
  });

  it('refuses an expired request, in the wallet and at the response URI', async () => {
    const platform = await addPlatform(served);
    const device = await enrollDevice(served, nextPerson());
    const started = await startSignIn(served, platform);
    const view = await resolveRequest(started.requestUri, {
      authority: served.url,
      now: () => served.clock.now,
    });
    served.clock.now += 301_000;
    try {
      await expect(
        walletAnswers(served, started, device, { approve: true, disclose: [] }),
      ).rejects.toMatchObject({
        code: 'ERR_REQUEST_EXPIRED',
      });
      const presentation = presentSdJwt(device.credential, {
        disclose: () => false,
        keyBinding: { key: device.key, audience: served.url, nonce: view.nonce },
      });
      const late = await postAnswer(view.responseUri, {
        vp_token: JSON.stringify({ certificate: [presentation] }),
        state: view.state!,
      });
      expect(late).toMatchObject({ status: 400, body: { code: 'request_expired' } });
    } finally {
      served.clock.now -= 301_000;
    }
  });

  it('the wallet refuses a tampered request object', async () => {
    const platform = await addPlatform(served);
    const started = await startSignIn(served, platform);
    const jwt = await (await fetch(new URL(started.requestUri).searchParams.get('request_uri')!)).text();
    const [h, p, s] = jwt.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    payload.netid_platform.name.en = 'Your Bank';
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const link = `openid4vp://?client_id=${encodeURIComponent(served.url)}&request=${tampered}`;
    await expect(resolveRequest(link, { authority: served.url })).rejects.toMatchObject({
      code: 'ERR_REQUEST_UNTRUSTED',
    });
  });

  it('answers garbage with 4xx, never a 500', async () => {
    const platform = await addPlatform(served);
    const started = await startSignIn(served, platform);
    const view = await resolveRequest(started.requestUri, {
      authority: served.url,
      now: () => served.clock.now,
    });
    const bodies: Record<string, string>[] = [
      {},
      { state: view.state! },
      { state: view.state!, vp_token: 'not json' },
      { state: view.state!, vp_token: '{"certificate":"x"}' },
      { state: view.state!, vp_token: '{"other":["a~b~"]}' },
      { state: view.state!, vp_token: JSON.stringify({ certificate: ['x'.repeat(10_000)] }) },
      { state: view.state!, vp_token: '[]' },
    ];
    for (const body of bodies) {
      const { status } = await postAnswer(view.responseUri, body);
      expect(status, JSON.stringify(body).slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    }
    for (const path of [
      '/oidc/vp/request/nope',
      '/oidc/interaction/nope',
      '/oidc/interaction/nope/status',
      '/oidc/auth/nope',
      '/oidc/token',
    ]) {
      const res = await fetch(`${served.url}${path}`, { method: path.endsWith('token') ? 'POST' : 'GET' });
      expect(res.status, path).toBeLessThan(500);
    }
  });
});
