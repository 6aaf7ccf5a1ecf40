import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerRequest } from '../../src/present/answer.ts';
import { resolveRequest } from '../../src/present/request.ts';
import { type Lang, useBrowser, watchErrors } from './browser.ts';
import { enrollHolder, type Holder } from './holder.ts';
import { qrFromScreenshot, qrOfElement } from './qr.ts';
import { shot } from './screenshots.ts';
import { type Stack, startStack } from './stack.ts';

// Sign in at the forum from a desktop browser with a wallet on "another device": the wallet reads
// the QR code off the screen — from the screenshot's pixels, never from the page's markup.

const browsers = useBrowser();
let stack: Stack;
let holder: Holder;
beforeAll(async () => {
  stack = await startStack();
  holder = await enrollHolder(stack);
});
afterAll(() => stack?.close());

const TEXT: Record<Lang, { signIn: string; signedIn: string }> = {
  'zh-CN': { signIn: '使用网络身份登录', signedIn: '您已登录' },
  en: { signIn: 'Sign in with netid', signedIn: 'You are signed in' },
};

describe.each(['zh-CN', 'en'] as const)('forum sign-in by QR code (%s)', (lang) => {
  it('the authorization page shows a QR code the wallet answers; the page continues to the signed-in forum', async () => {
    const context = await browsers.desktop(lang);
    const page = await context.newPage();
    const errors = watchErrors(page);

    await page.goto(`${stack.forumUrl}/`);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    await shot(page, 'forum-home', lang);

    await page.getByRole('link', { name: TEXT[lang].signIn }).click();
    await page.waitForURL(`${stack.authorityUrl}/oidc/interaction/**`);
    await page.locator('#qr svg').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    const uri = qrFromScreenshot(await shot(page, 'authorization-desktop', lang));
    expect(uri).toMatch(/^openid4vp:\/\/\?/);
    expect(await qrOfElement(page, '#qr')).toBe(uri);
    // On this device the same request opens the web wallet instead.
    expect(await page.getAttribute('#open-wallet', 'href')).toBe(
      `${stack.walletUrl}#request=${encodeURIComponent(uri)}`,
    );

    // The wallet shows the same verification code as the page; the person approves.
    const view = await resolveRequest(uri, { authority: stack.authorityUrl });
    expect(view.kind).toBe('signin');
    expect(view.claims).toEqual(['age_over_18']);
    expect(view.verificationCode).toBe((await page.locator('#verification-code').textContent())?.trim());
    await answerRequest(view, holder.credential, holder.deviceKey, { approve: true, disclose: view.claims });

    // The authorization page notices by itself and continues the sign-in at the forum.
    await page.waitForURL(`${stack.forumUrl}/**`);
    await page.getByRole('heading', { name: TEXT[lang].signedIn }).waitFor();
    expect(await page.getAttribute('#age-over-18', 'data-value')).toBe('true');
    expect(await page.locator('#sub').textContent()).toMatch(/\S{16,}/);
    await shot(page, 'forum-signed-in', lang);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('on a phone the QR code reads from 2× pixels too; declined in the wallet, the forum says so', async () => {
    const context = await browsers.phone(lang);
    const page = await context.newPage();
    const errors = watchErrors(page);

    await page.goto(`${stack.forumUrl}/`);
    await page.getByRole('link', { name: TEXT[lang].signIn }).tap();
    await page.waitForURL(`${stack.authorityUrl}/oidc/interaction/**`);
    await page.locator('#qr svg').waitFor();
    const uri = qrFromScreenshot(await shot(page, 'authorization-phone', lang));

    const view = await resolveRequest(uri, { authority: stack.authorityUrl });
    await answerRequest(view, holder.credential, holder.deviceKey, { approve: false, disclose: [] });
    await page.waitForURL(`${stack.forumUrl}/**`);
    await page.locator('#problem[data-problem="access_denied"]').waitFor();
    await shot(page, 'forum-declined-phone', lang);

    expect(errors).toEqual([]);
    await context.close();
  });
});
