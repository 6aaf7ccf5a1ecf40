import { generateSigningKey } from '@netid/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeServed } from '../../../authority/src/issuance/test-support.ts';
import { applicationIdentifier } from '../../../authority/src/platforms/app-id.ts';
import { enrollDevice } from '../../../authority/src/selfservice/test-support.ts';
import { freePort } from '../../../authority/src/testing/free-port.ts';
import { answerRequest, type Decision } from '../../../wallet/src/present/answer.ts';
import { resolveRequest } from '../../../wallet/src/present/request.ts';
import type { Demo } from '../index.ts';
import { Browser, hrefOf, startTestDemo, textOf } from '../test-support.ts';
import { createForum } from './app.tsx';

let people = 0;
const nextPerson = () => `P-DEMO-FORUM-${++people}`;

describeServed('Demo forum: Sign in with netid', (served) => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await startTestDemo(served);
  });
  afterAll(() => demo?.close());
  // The authority's test clock starts frozen; keep it with the wall clock the wallet signs by.
  beforeEach(() => {
    served.clock.now = Date.now();
  });

  /** Browser at the forum → authority's page → the wallet decides → browser back at the forum. */
  async function signIn(browser: Browser, decision: Decision) {
    const device = await enrollDevice(served, nextPerson());
    const atAuthority = await browser.follow(`${demo.forum.url}/login`);
    expect(atAuthority.url).toContain(`${served.url}/oidc/interaction/`);
    const view = await resolveRequest(hrefOf(atAuthority.text, 'open-wallet'), { authority: served.url });
    await answerRequest(view, device.credential, device.key, decision);
    const status = (await (await browser.get(`${atAuthority.url}/status`)).json()) as { returnTo?: string };
    const back = await browser.follow(new URL(status.returnTo!, served.url).href);
    return { device, view, back };
  }

  it('shows the sign-in button in Chinese or English by Accept-Language', async () => {
    const zh = await new Browser({ 'accept-language': 'zh-CN,zh;q=0.9' }).follow(`${demo.forum.url}/`);
    expect(zh.text).toContain('使用网络身份登录');
    expect(zh.res.headers.get('content-language')).toBe('zh-CN');
    const en = await new Browser({ 'accept-language': 'en-GB,en;q=0.8' }).follow(`${demo.forum.url}/`);
    expect(en.text).toContain('Sign in with netid');
    expect(en.text).not.toContain('使用网络身份登录');
  });

  it('signs a person in end to end: the sub is their application identifier here, with age_over_18', async () => {
    const browser = new Browser({ 'accept-language': 'en' });
    const { device, view, back } = await signIn(browser, { approve: true, disclose: ['age_over_18'] });
    // The wallet was told who asks and for what: the forum, for the age predicate only.
    expect(view.kind).toBe('signin');
    expect(view.platform.clientId).toBe(demo.forum.clientId);
    expect(view.platform.name.en).toBe('Example Forum');
    expect(view.claims).toEqual(['age_over_18']);
    expect(view.mode).toBe('cert');

    expect(back.res.status).toBe(200);
    expect(back.url).toBe(`${demo.forum.url}/`);
    const sub = textOf(back.text, 'sub');
    expect(sub).toBe(applicationIdentifier(served.ctx.secrets.appId, demo.forum.clientId, device.netNumber));
    expect(sub).not.toContain(device.netNumber);
    expect(back.text).toMatch(/id="age-over-18" data-value="true"/);
    expect(back.text).toMatch(/id="acr" data-value="cert"/);
    expect(back.text).not.toContain('张三');
    // The session is the forum's cookie: a reload still shows the same person.
    expect(textOf((await browser.follow(`${demo.forum.url}/`)).text, 'sub')).toBe(sub);
  });

  it('says "not shared" when the person withholds the age predicate', async () => {
    const browser = new Browser({ 'accept-language': 'en' });
    const { back } = await signIn(browser, { approve: true, disclose: [] });
    expect(back.text).toMatch(/id="age-over-18" data-value="absent">Not shared</);
  });

  it('explains a declined sign-in clearly and signs no one in', async () => {
    const browser = new Browser({ 'accept-language': 'en' });
    const { back } = await signIn(browser, { approve: false, disclose: [] });
    expect(back.url.startsWith(`${demo.forum.url}/callback?`)).toBe(true);
    expect(back.res.status).toBe(400);
    expect(back.text).toMatch(/data-problem="access_denied">You declined in your wallet/);
    const home = await browser.follow(`${demo.forum.url}/`);
    expect(home.text).toContain('id="sign-in"');
    expect(home.text).not.toContain('id="sub"');
  });

  it('refuses a callback it did not start (no sign-in under way in this browser)', async () => {
    const res = await new Browser({ 'accept-language': 'en' }).follow(
      `${demo.forum.url}/callback?code=forged&state=forged`,
    );
    expect(res.res.status).toBe(400);
    expect(res.text).toContain('data-problem="expired"');
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    const browser = new Browser({ 'accept-language': 'en' });
    await browser.follow(`${demo.forum.url}/login`);
    // The flow cookie names the state only; the PKCE verifier never reaches the browser.
    const [flow] = browser.cookies.get('forum_flow')!.split('.');
    expect(Object.keys(JSON.parse(Buffer.from(decodeURIComponent(flow!), 'base64url').toString()))).toEqual([
      'state',
      'exp',
    ]);
    const res = await browser.follow(
      `${demo.forum.url}/callback?code=x&state=someone-elses&iss=${served.url}/oidc`,
    );
    expect(res.res.status).toBe(400);
    expect(res.text).toContain('data-problem="failed"');
    expect(browser.cookies.has('forum_session')).toBe(false);
  });

  it('signs out here and at the provider (RP-initiated logout), back to the forum signed out', async () => {
    const browser = new Browser({ 'accept-language': 'en' });
    await signIn(browser, { approve: true, disclose: ['age_over_18'] });
    const out = await browser.request(`${demo.forum.url}/logout`, { form: {} });
    expect(out.status).toBe(303);
    const endSession = new URL(out.headers.get('location')!);
    expect(`${endSession.origin}${endSession.pathname}`).toBe(`${served.url}/oidc/session/end`);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${demo.forum.url}/`);
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
    expect(browser.cookies.has('forum_session')).toBe(false);

    // The provider asks to confirm; the browser confirms and lands on the forum, signed out.
    const confirm = await browser.follow(endSession.href);
    expect(confirm.res.status).toBe(200);
    const action = /<form[^>]*action="([^"]+)"/.exec(confirm.text)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.text)?.[1];
    expect(action && xsrf).toBeTruthy();
    const landed = await browser.follow(new URL(action!, served.url).href, {
      form: { xsrf: xsrf!, logout: 'yes' },
    });
    expect(landed.url).toBe(`${demo.forum.url}/`);
    expect(landed.text).toContain('id="sign-in"');
  });
});

describe('Demo forum without its authority', () => {
  it('says the netid service cannot be reached, rather than failing blankly', async () => {
    const forum = createForum({
      authorityUrl: `http://127.0.0.1:${await freePort()}`,
      origin: 'http://127.0.0.1:1',
      clientId: 'demo-forum-x',
      key: generateSigningKey('ES256'),
      sessionSecret: 'x'.repeat(43),
    });
    const res = await forum.request('/login', { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('data-problem="unreachable"');
  });
});
