import * as oidc from 'openid-client';
import { expect, it } from 'vitest';
import { describeServed } from '../issuance/test-support.ts';
import { enrollDevice } from '../selfservice/test-support.ts';
import { addPlatform, finishSignIn, redeem, startSignIn, walletAnswers } from './test-support.ts';

describeServed('The authorization page', (served) => {
  it('speaks Chinese by default, English by Accept-Language, and switches with ?lang', async () => {
    const platform = await addPlatform(served, { claims: ['age_over_18', 'name'] });
    const started = await startSignIn(served, platform, { scope: 'openid age name' });
    expect(started.page).toContain('<html lang="zh-CN"');
    expect(started.page).toContain(`论坛 ${platform.clientId}`);
    expect(started.page).toContain('是否年满18周岁');
    expect(started.page).toContain('互联网平台');
    const en = await (
      await fetch(started.pageUrl, {
        headers: { cookie: cookieOf(started), 'accept-language': 'en-GB,en;q=0.9' },
      })
    ).text();
    expect(en).toContain('<html lang="en"');
    expect(en).toContain(`Forum ${platform.clientId}`);
    expect(en).toContain('Whether you are over 18');
    expect(en).toContain('Create an account');
    const switched = await (
      await fetch(`${started.pageUrl}?lang=zh`, {
        headers: { cookie: cookieOf(started), 'accept-language': 'en' },
      })
    ).text();
    expect(switched).toContain('<html lang="zh-CN"');
    // A reload shows the same request and code until it expires.
    expect(/id="verification-code" class="digits">(\d{4})</.exec(en)![1]).toBe(
      /id="verification-code" class="digits">(\d{4})</.exec(started.page)![1],
    );
  });

  it('shows no page without the browser’s interaction cookie', async () => {
    const platform = await addPlatform(served);
    const started = await startSignIn(served, platform);
    const res = await fetch(started.pageUrl);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_request' });
  });

  it('ends the session at the provider (RP-initiated logout) back to the platform', async () => {
    const platform = await addPlatform(served, { postLogout: true });
    const device = await enrollDevice(served, 'P-PAGE-LOGOUT');
    const started = await startSignIn(served, platform);
    await walletAnswers(served, started, device, { approve: true, disclose: [] });
    const tokens = await redeem(platform, await finishSignIn(served, platform, started), started);
    const end = oidc.buildEndSessionUrl(platform.config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: `${platform.redirectUri.replace('/callback', '/bye')}`,
    });
    const confirm = await started.browser.get(end.href);
    expect(confirm.status).toBe(200);
    const form = await confirm.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1];
    expect(xsrf).toBeDefined();
    const res = await fetch(`${served.url}/oidc/session/end/confirm`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(started) },
      body: new URLSearchParams({ xsrf: xsrf!, logout: 'yes' }).toString(),
    });
    expect(res.status, await res.clone().text()).toBe(303);
    expect(res.headers.get('location')).toContain('/bye');
  });
});

function cookieOf(started: { browser: unknown }): string {
  return (started.browser as { cookieHeader(): string }).cookieHeader();
}
