import { randomBytes } from 'node:crypto';
import { maskNetNumber, presentSdJwt } from '@netid/protocol';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeServed } from '../../../authority/src/issuance/test-support.ts';
import { applicationIdentifier } from '../../../authority/src/platforms/app-id.ts';
import { enrollDevice } from '../../../authority/src/selfservice/test-support.ts';
import { presentApplicationCredential } from '../../../wallet/src/application-credential.ts';
import { answerRequest, refusalOf } from '../../../wallet/src/present/answer.ts';
import { resolveRequest } from '../../../wallet/src/present/request.ts';
import type { Demo } from '../index.ts';
import {
  applicationCredentialFor,
  Browser,
  countingFetch,
  hrefOf,
  startTestDemo,
  textOf,
} from '../test-support.ts';

let people = 0;
const nextPerson = () => `P-DEMO-COUNTER-${++people}`;

describeServed('Demo service counter: direct verification', (served) => {
  let demo: Demo;
  const counted = countingFetch();
  beforeAll(async () => {
    demo = await startTestDemo(served, { fetch: counted.fetch });
    await demo.counter.verifier.ready();
  });
  afterAll(() => demo?.close());
  beforeEach(() => {
    served.clock.now = Date.now();
  });

  /** The clerk starts a check; the page shows the QR code, the code and the same-device link. */
  async function startCheck(browser: Browser) {
    const page = await browser.follow(`${demo.counter.url}/checks`, { form: {} });
    expect(page.res.status).toBe(200);
    return { url: page.url.split('?')[0]!, html: page.text, uri: hrefOf(page.text, 'open-wallet') };
  }

  async function person() {
    const device = await enrollDevice(served, nextPerson());
    return { device, credential: await applicationCredentialFor(served, device, demo.counter.clientId) };
  }

  it('verifies the wallet’s answer offline and shows the name and the masked network number', async () => {
    const { device, credential } = await person();
    const clerk = new Browser({ 'accept-language': 'en' });
    const check = await startCheck(clerk);
    expect(check.uri.startsWith('openid4vp://?')).toBe(true);
    expect(check.html).toContain('<svg');
    expect(check.html).toMatch(/data-status="pending"/);

    // The wallet checks who asks (signed by the counter's registered key) and shows the same code.
    const view = await resolveRequest(check.uri, { authority: served.url });
    expect(view.kind).toBe('direct');
    expect(view.platform.clientId).toBe(demo.counter.clientId);
    expect(view.platform.kind).toBe('government');
    expect(view.claims).toEqual(['name', 'net_number']);
    expect(textOf(check.html, 'verification-code')).toBe(view.verificationCode);

    const before = counted.urls.length;
    await answerRequest(view, credential, device.key, { approve: true, disclose: ['name', 'net_number'] });
    // Guarantee 3: the counter verified from memory, asking the authority nothing.
    expect(counted.urls.slice(before)).toEqual([]);

    const status = await (await clerk.get(`${check.url}/status`)).json();
    expect(status).toEqual({ status: 'verified' });
    const result = (await clerk.follow(check.url)).text;
    expect(result).toMatch(/id="status" data-status="verified"/);
    expect(textOf(result, 'name')).toBe('张三');
    expect(textOf(result, 'net-number')).toBe(maskNetNumber(device.netNumber));
    expect(result).not.toContain(device.netNumber);
    expect(textOf(result, 'app-id')).toBe(
      applicationIdentifier(served.ctx.secrets.appId, demo.counter.clientId, device.netNumber),
    );
    // The clerk reveals the number only by asking for it.
    const revealed = (await clerk.follow(`${check.url}${hrefOf(result, 'reveal').replace(/^[^?]*/, '')}`))
      .text;
    expect(textOf(revealed, 'net-number')).toBe(device.netNumber);
  });

  it('shows "not disclosed" for a number the person kept back', async () => {
    const { device, credential } = await person();
    const clerk = new Browser({ 'accept-language': 'en' });
    const check = await startCheck(clerk);
    const view = await resolveRequest(check.uri, { authority: served.url });
    await answerRequest(view, credential, device.key, { approve: true, disclose: ['name'] });
    const result = (await clerk.follow(check.url)).text;
    expect(textOf(result, 'name')).toBe('张三');
    expect(textOf(result, 'net-number')).toBe('Not disclosed');
    expect(result).not.toContain('id="reveal"');
  });

  it('refuses a presentation made for another platform, with a clear message to wallet and clerk', async () => {
    const device = await enrollDevice(served, nextPerson());
    const forForum = await applicationCredentialFor(served, device, demo.forum.clientId);
    const clerk = new Browser({ 'accept-language': 'en' });
    const check = await startCheck(clerk);
    const view = await resolveRequest(check.uri, { authority: served.url });
    const error = await answerRequest(view, forForum, device.key, { approve: true, disclose: [] }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'ERR_VERIFIER_REFUSED' });
    expect(refusalOf(error)).toMatchObject({ status: 400, code: 'wrong_platform' });
    const result = (await clerk.follow(check.url)).text;
    expect(result).toMatch(/id="status" data-status="refused"/);
    expect(result).toMatch(/data-reason="wrong_platform">This credential was issued for another platform/);
    expect(result).not.toContain('id="name"');
  });

  it('tells the clerk the person declined, and takes no second answer to the same request', async () => {
    const { device, credential } = await person();
    const clerk = new Browser({ 'accept-language': 'zh-CN' });
    const check = await startCheck(clerk);
    const view = await resolveRequest(check.uri, { authority: served.url });
    await answerRequest(view, credential, device.key, { approve: false, disclose: [] });
    const result = (await clerk.follow(check.url)).text;
    expect(result).toMatch(/data-reason="declined">办事人在钱包中拒绝了本次核验/);
    // The same request answered again (approving now) is not taken: it was answered.
    await expect(
      answerRequest(view, credential, device.key, { approve: true, disclose: ['name'] }),
    ).rejects.toMatchObject({ cause: { code: 'unknown_request' } });
    expect((await clerk.follow(check.url)).text).toMatch(/data-reason="declined"/);
  });

  it('refuses a direct_post for no request of its own', async () => {
    const res = await fetch(`${demo.counter.url}/response`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ state: 'nobody', vp_token: '{}' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request', code: 'unknown_request' });
  });

  it('on-site check: a fresh presentation for the counter passes once; a replay, a certificate, another platform’s do not', async () => {
    const { device, credential } = await person();
    const clerk = new Browser({ 'accept-language': 'en' });
    const paste = async (presentation: string) =>
      (await clerk.follow(`${demo.counter.url}/onsite`, { form: { presentation } })).text;
    // What the wallet's dynamic QR code carries: made for the counter, with a nonce of its own.
    const shown = presentApplicationCredential(credential, device.key, {
      clientId: demo.counter.clientId,
      nonce: randomBytes(16).toString('base64url'),
      claims: ['name', 'net_number'],
    });
    const before = counted.urls.length;
    const ok = await paste(shown);
    expect(counted.urls.slice(before)).toEqual([]);
    expect(ok).toMatch(/data-status="verified"/);
    expect(textOf(ok, 'name')).toBe('张三');
    expect(textOf(ok, 'net-number')).toBe(maskNetNumber(device.netNumber));

    expect(await paste(shown)).toMatch(/data-reason="replayed"/);
    // Also as the vp_token a wallet would post.
    const again = presentApplicationCredential(credential, device.key, {
      clientId: demo.counter.clientId,
      nonce: randomBytes(16).toString('base64url'),
      claims: ['name'],
    });
    expect(await paste(JSON.stringify({ application: [again] }))).toMatch(/data-status="verified"/);

    const certificate = presentSdJwt(device.credential, {
      disclose: { name: true, net_number: true },
      keyBinding: {
        key: device.key,
        audience: demo.counter.clientId,
        nonce: randomBytes(16).toString('hex'),
      },
    });
    expect(await paste(certificate)).toMatch(/data-reason="not_application"/);

    const forForum = await applicationCredentialFor(served, device, demo.forum.clientId);
    const elsewhere = presentSdJwt(forForum, {
      disclose: {},
      keyBinding: {
        key: device.key,
        audience: demo.counter.clientId,
        nonce: randomBytes(16).toString('hex'),
      },
    });
    expect(await paste(elsewhere)).toMatch(/data-reason="wrong_platform"/);
    expect(await paste('not a presentation')).toMatch(/data-reason="malformed"/);
  });

  it('refuses an on-site presentation older than two minutes', async () => {
    const { device, credential } = await person();
    const stale = presentApplicationCredential(credential, device.key, {
      clientId: demo.counter.clientId,
      nonce: randomBytes(16).toString('base64url'),
      claims: ['name'],
      now: Date.now() - 10 * 60 * 1000,
    });
    const page = await new Browser({ 'accept-language': 'en' }).follow(`${demo.counter.url}/onsite`, {
      form: { presentation: stale },
    });
    expect(page.text).toMatch(/data-reason="expired"/);
  });
});
