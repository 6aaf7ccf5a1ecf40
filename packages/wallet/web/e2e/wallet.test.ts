import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser, watchErrors } from './browser.ts';
import { writeCameraFrame } from './camera.ts';
import { qrFromScreenshot, qrOfElement } from './qr.ts';
import { shot } from './screenshots.ts';
import { type Resident, type Stack, startStack } from './stack.ts';

// The web wallet as a person uses it, in Chromium: a phone-size browser holds the wallet; a desktop
// browser shows the platforms. QR codes travel only as pixels (screenshots), never through the DOM.

// The phone's camera is Chromium's fake one, playing a file each test writes before scanning.
const CAMERA = join(tmpdir(), `netid-e2e-camera-${process.pid}.y4m`);
writeCameraFrame(undefined, CAMERA);
const browsers = useBrowser([
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-video-capture=${CAMERA}`,
]);
const PASSPHRASE = 'correct horse battery staple';
const PASSWORD = '27491638';

let stack: Stack;
let resident: Resident;
let phone: BrowserContext;
let wallet: Page;
let walletErrors: string[];
let forumSub: string;
/** A request the wallet has already answered. */
let answeredUri: string;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
  rmSync(CAMERA, { force: true });
});

/** Moves inside the open wallet the way a person does (a reload would lock it: the key is in memory). */
const go = (label: string) => wallet.getByRole('navigation').getByRole('link', { name: label }).click();

/** The platform page's QR code, as a screenshot, fed to the wallet's picture picker. */
async function scanInWallet(
  platformPage: Page,
  name: string,
  lang: 'zh-CN' | 'en',
  walletLang: 'zh-CN' | 'en' = 'zh-CN',
) {
  const screenshot = await shot(platformPage, name, lang);
  const uri = qrFromScreenshot(screenshot);
  expect(uri).toMatch(/^openid4vp:\/\/\?/);
  await go(walletLang === 'en' ? 'Scan a request' : '扫码认证');
  await wallet
    .getByLabel(walletLang === 'en' ? 'Or choose a picture of the QR code' : '或选择一张二维码图片')
    .setInputFiles({ name: `${name}.png`, mimeType: 'image/png', buffer: screenshot });
  await wallet.getByTestId('consent-platform').waitFor();
  return uri;
}

/** Approves the open consent screen; fails with the wallet's own words when it shows an error. */
async function approve(page: Page = wallet) {
  await page.getByRole('button', { name: '同意并认证' }).click();
  const settled = page.getByTestId('consent-outcome').or(page.getByTestId('error'));
  await settled.first().waitFor();
  if (await page.getByTestId('error').isVisible()) {
    throw new Error(`the wallet refused: ${await page.getByTestId('error').textContent()}`);
  }
}

async function startForumSignIn(context: BrowserContext, signIn: string): Promise<Page> {
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${stack.forumUrl}/`);
  await page.getByRole('link', { name: signIn }).click();
  await page.waitForURL(`${stack.authorityUrl}/oidc/interaction/**`);
  await page.locator('#qr svg').waitFor();
  return page;
}

// Runs in the page (a string: this file is type-checked as Node code): what IndexedDB and
// localStorage hold after enrollment.
const READ_STORAGE = `async (name) => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('netid-wallet');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const get = (store, key) => new Promise((resolve, reject) => {
    const r = db.transaction(store).objectStore(store).get(key);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const pair = await get('device', 'key');
  const vault = await get('vault', 'vault');
  let exported = 'refused';
  try { await crypto.subtle.exportKey('jwk', pair.privateKey); exported = 'exported'; } catch {}
  const sealed = new TextDecoder('utf-8', { fatal: false }).decode(vault.ciphertext);
  return {
    extractable: pair.privateKey.extractable,
    exported,
    algorithm: { name: pair.privateKey.algorithm.name, namedCurve: pair.privateKey.algorithm.namedCurve },
    sealedShowsName: sealed.includes(name) || sealed.includes('dc+sd-jwt'),
    sealedBytes: vault.ciphertext.length,
    localStorage: JSON.stringify({ ...localStorage }),
  };
}`;

describe.sequential('the web wallet, end to end', () => {
  it('enrolls from an empty browser profile: document, SMS code, password, certificate', async () => {
    resident = await stack.resident();
    phone = await browsers.phone('zh-CN');
    // Fail at the step that hangs, not at the test's time limit.
    phone.setDefaultTimeout(10_000);
    wallet = await phone.newPage();
    walletErrors = watchErrors(wallet);
    await wallet.goto(stack.walletUrl);

    await wallet.getByLabel(/设置钱包密码/).fill(PASSPHRASE);
    await wallet.getByLabel('再次输入钱包密码').fill(PASSPHRASE);
    await shot(wallet, 'welcome', 'zh-CN');
    await wallet.getByRole('button', { name: '创建钱包' }).click();

    await wallet.getByLabel('证件号码').fill(resident.number);
    await wallet.getByLabel(/姓名/).fill(resident.name);
    await wallet.getByLabel('出生日期').fill(resident.birthdate);
    await shot(wallet, 'enroll-document', 'zh-CN');
    await wallet.getByRole('button', { name: '下一步' }).click();
    await wallet.getByLabel('手机号码').fill(resident.phone);
    await shot(wallet, 'enroll-phone', 'zh-CN');
    await wallet.getByRole('button', { name: '发送验证码' }).click();
    await wallet.getByLabel(/短信验证码/).waitFor();
    const sms = await stack.smsCode(resident.phone);
    // A wrong code first: the person is told, and stays on this step.
    await wallet.getByLabel(/短信验证码/).fill(sms.code === '000000' ? '111111' : '000000');
    await wallet.getByRole('button', { name: '下一步' }).click();
    await expect.poll(() => wallet.getByTestId('error').textContent()).toContain('短信验证码不正确');
    await wallet.getByLabel(/短信验证码/).fill(sms.code);
    await shot(wallet, 'enroll-otp', 'zh-CN');
    await wallet.getByRole('button', { name: '下一步' }).click();
    await wallet.getByLabel(/设置网证口令/).fill(PASSWORD);
    await wallet.getByLabel('再次输入网证口令').fill(PASSWORD);
    await shot(wallet, 'enroll-password', 'zh-CN');
    await wallet.getByRole('button', { name: '设置口令' }).click();
    await wallet.getByLabel(/领取码/).waitFor();
    const txCode = await stack.smsCode(resident.phone, sms.seen);
    await wallet.getByLabel(/领取码/).fill(txCode.code);
    await shot(wallet, 'enroll-wallet-code', 'zh-CN');
    await wallet.getByRole('button', { name: '领取网证' }).click();
    await wallet.getByRole('heading', { name: '网证已领取' }).waitFor();
    await shot(wallet, 'enroll-done', 'zh-CN');
    await wallet.getByRole('button', { name: '查看我的网证' }).click();

    const card = wallet.getByTestId('network-id-card');
    await card.waitFor();
    expect(await card.textContent()).toContain(resident.name);
    expect(await wallet.getByTestId('masked-net-number').textContent()).toMatch(/^\S{2}•{4,}\S{2}$/);
    await shot(wallet, 'card', 'zh-CN');

    // What the browser keeps: a non-extractable P-256 key, and a vault that is ciphertext only.
    const kept = (await wallet.evaluate(`(${READ_STORAGE})(${JSON.stringify(resident.name)})`)) as {
      extractable: boolean;
      exported: string;
      algorithm: unknown;
      sealedShowsName: boolean;
      sealedBytes: number;
      localStorage: string;
    };
    expect(kept).toMatchObject({
      extractable: false,
      exported: 'refused',
      algorithm: { name: 'ECDSA', namedCurve: 'P-256' },
      sealedShowsName: false,
    });
    expect(kept.sealedBytes).toBeGreaterThan(500);
    expect(kept.localStorage).not.toContain(resident.name);
  });

  it('signs in at the forum across devices: the QR code read from a screenshot of the forum page', async () => {
    const desktop = await browsers.desktop('en');
    const forum = await startForumSignIn(desktop, 'Sign in with netid');
    const forumErrors = watchErrors(forum);
    answeredUri = await scanInWallet(forum, 'forum-authorization', 'en');

    // The same verification code on both screens; the platform described from the authority's register.
    expect(await wallet.getByTestId('verification-code').textContent()).toBe(
      (await forum.locator('#verification-code').textContent())?.trim(),
    );
    expect(await wallet.getByTestId('consent-platform').textContent()).toContain('互联网平台');
    await shot(wallet, 'consent-signin', 'zh-CN');
    await wallet.getByRole('button', { name: '同意并认证' }).click();
    expect(await wallet.getByTestId('consent-outcome').textContent()).toContain('认证完成');

    // The desktop page notices by itself and continues to the signed-in forum.
    await forum.waitForURL(`${stack.forumUrl}/**`);
    await forum.getByRole('heading', { name: 'You are signed in' }).waitFor();
    expect(await forum.getAttribute('#age-over-18', 'data-value')).toBe('true');
    forumSub = (await forum.locator('#sub').textContent())!.trim();
    expect(forumSub).toMatch(/^\S{16,}$/);
    await shot(forum, 'forum-signed-in', 'en');
    expect(forumErrors).toEqual([]);
    await desktop.close();
  });

  it('signs in on the same device by the "open wallet" link, as the same person at that forum', async () => {
    const forum = await startForumSignIn(phone, '使用网络身份登录');
    await forum.locator('#open-wallet').click();
    // A new page of the wallet starts locked: the vault key lives in one page's memory only.
    await forum.getByLabel('钱包密码').fill(PASSPHRASE);
    await shot(forum, 'unlock', 'zh-CN');
    await forum.getByRole('button', { name: '解锁' }).click();
    await forum.getByTestId('consent-platform').waitFor();
    await forum.getByRole('button', { name: '同意并认证' }).click();
    // Same device: the wallet hands the browser back to the forum at once.
    await forum.waitForURL(`${stack.forumUrl}/**`);
    await forum.getByRole('heading', { name: '您已登录' }).waitFor();
    expect((await forum.locator('#sub').textContent())?.trim()).toBe(forumSub);
    await forum.close();
  });

  it('verifies directly at the service counter: name and network number, the authority not involved', async () => {
    const desktop = await browsers.desktop('en');
    const counter = await desktop.newPage();
    await counter.goto(`${stack.counterUrl}/?lang=en`);
    await counter.locator('#start').click();
    await counter.locator('#qr svg').waitFor();
    await scanInWallet(counter, 'counter-request', 'en');
    expect(await wallet.getByTestId('consent-platform').textContent()).toContain('认证机构不知情');
    await shot(wallet, 'consent-direct', 'zh-CN');
    await approve();
    await counter.locator('#status[data-status="verified"]').waitFor();
    expect(await counter.locator('#name').textContent()).toBe(resident.name);
    await shot(counter, 'counter-verified', 'en');
    await desktop.close();
  });

  it("the counter verifies the wallet's dynamic QR code, once", async () => {
    await go('我的网证');
    await wallet.getByRole('button', { name: '出示动态码' }).click();
    await wallet.getByTestId('onsite-qr').waitFor();
    await shot(wallet, 'card-onsite-code', 'zh-CN');
    const presentation = await qrOfElement(wallet, '[data-testid="onsite-qr"]');
    expect(presentation.split('~').length).toBeGreaterThan(2);

    const desktop = await browsers.desktop('en');
    const counter = await desktop.newPage();
    const check = async () => {
      await counter.goto(`${stack.counterUrl}/onsite?lang=en`);
      await counter.locator('#presentation').fill(presentation);
      await counter.locator('form button[type="submit"]').click();
      return counter.locator('#status').getAttribute('data-status');
    };
    expect(await check()).toBe('verified');
    expect(await counter.locator('#name').textContent()).toBe(resident.name);
    await shot(counter, 'counter-onsite-verified', 'en');
    // A photo of the screen is good for one check only.
    expect(await check()).toBe('refused');
    await desktop.close();
    await wallet.getByRole('button', { name: '停止出示' }).click();
  });

  it('history shows every approval, filters, and exports JSON and CSV', async () => {
    await go('认证记录');
    const entries = wallet.getByTestId('history-entry');
    await expect.poll(() => entries.count()).toBe(4);
    await shot(wallet, 'history', 'zh-CN');

    // Filters: by platform name, by how the check was made; back to everything for the exports.
    await wallet.getByLabel('平台名称').fill('论坛');
    await expect.poll(() => entries.count()).toBe(2);
    await wallet.getByLabel('平台名称').fill('');
    await wallet.getByLabel('认证方式').selectOption('onsite');
    await expect.poll(() => entries.count()).toBe(1);
    await wallet.getByLabel('认证方式').selectOption('all');
    await expect.poll(() => entries.count()).toBe(4);

    const [json] = await Promise.all([
      wallet.waitForEvent('download'),
      wallet.getByRole('button', { name: '导出 JSON' }).click(),
    ]);
    const exported = JSON.parse(await readFile((await json.path())!, 'utf8')) as {
      kind: string;
      result: string;
      disclosed: string[];
    }[];
    expect(exported.map((e) => e.kind).sort()).toEqual(['direct', 'onsite', 'signin', 'signin']);
    expect(exported.every((e) => e.result === 'approved')).toBe(true);
    expect(exported.find((e) => e.kind === 'direct')?.disclosed.sort()).toEqual(['name', 'net_number']);

    const [csv] = await Promise.all([
      wallet.waitForEvent('download'),
      wallet.getByRole('button', { name: '导出 CSV' }).click(),
    ]);
    const lines = (await readFile((await csv.path())!, 'utf8')).trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^at,platform_client_id,/);
    expect(lines).toHaveLength(5);
  });

  it('every screen in Chinese and in English, saved for review; a decline is recorded too', async () => {
    const screens: [string, string, string][] = [
      ['我的网证', 'My network ID', 'card'],
      ['扫码认证', 'Scan a request', 'scan'],
      ['认证记录', 'History', 'history'],
      ['已连接平台', 'Connected platforms', 'platforms'],
      ['设备与网证', 'Devices & certificates', 'devices'],
      ['查询记录', 'Access log', 'access-log'],
      ['注销网号', 'Cancel network number', 'cancel'],
    ];
    for (const lang of ['zh-CN', 'en'] as const) {
      if (lang === 'en') await wallet.getByRole('button', { name: 'Switch to English' }).click();
      expect(await wallet.getAttribute('html', 'lang')).toBe(lang);
      for (const [zh, en, name] of screens) {
        await go(lang === 'en' ? en : zh);
        await wallet.getByRole('heading', { level: 1 }).waitFor();
        // Screens that ask the authority say so while they wait: shoot what comes after.
        await expect.poll(() => wallet.locator('[aria-busy="true"]').count()).toBe(0);
        await shot(wallet, name, lang);
      }
    }

    // The consent screen in English, answered with a decline.
    const desktop = await browsers.desktop('zh-CN');
    const forum = await startForumSignIn(desktop, '使用网络身份登录');
    await scanInWallet(forum, 'forum-authorization', 'zh-CN', 'en');
    await shot(wallet, 'consent-signin', 'en');
    await wallet.getByRole('button', { name: 'Decline' }).click();
    expect(await wallet.getByTestId('consent-outcome').textContent()).toContain('Declined');
    await forum.waitForURL(`${stack.forumUrl}/**`);
    await desktop.close();
    await wallet.getByRole('button', { name: 'Back to my network ID' }).click();
    await wallet.getByRole('button', { name: '切换到中文' }).click();
    await go('认证记录');
    await expect.poll(() => wallet.getByTestId('history-entry').count()).toBe(5);
  });

  it("scans the forum's QR code with the phone's camera", async () => {
    const desktop = await browsers.desktop('en');
    const forum = await startForumSignIn(desktop, 'Sign in with netid');
    // What the camera sees: the QR code as the screen shows it, pixels only.
    writeCameraFrame(await forum.locator('#qr').screenshot(), CAMERA);
    await go('扫码认证');
    await wallet.getByRole('button', { name: '打开摄像头扫码' }).click();
    await wallet.getByTestId('consent-platform').waitFor();
    expect(await wallet.getByTestId('verification-code').textContent()).toBe(
      (await forum.locator('#verification-code').textContent())?.trim(),
    );
    await approve();
    await forum.waitForURL(`${stack.forumUrl}/**`);
    await forum.getByRole('heading', { name: 'You are signed in' }).waitFor();
    expect((await forum.locator('#sub').textContent())?.trim()).toBe(forumSub);
    await desktop.close();
    await wallet.getByRole('button', { name: '返回我的网证' }).click();
  });

  it('a new browser in English: welcome, enrollment and unlock screens', async () => {
    const context = await browsers.phone('en');
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(stack.walletUrl);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByLabel(/Choose a wallet passphrase/).fill(PASSPHRASE);
    await page.getByLabel('The wallet passphrase again').fill(`${PASSPHRASE}!`);
    await page.getByRole('button', { name: 'Create the wallet' }).click();
    await expect.poll(() => page.getByTestId('error').textContent()).toContain('passphrases differ');
    await shot(page, 'welcome', 'en');
    await page.getByLabel(/Choose a wallet passphrase/).fill(PASSPHRASE);
    await page.getByLabel('The wallet passphrase again').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create the wallet' }).click();
    await page.getByLabel('Document number').waitFor();
    await shot(page, 'enroll-document', 'en');
    // A document the registry does not know: refused without saying which field.
    await page.getByLabel('Document number').fill('11010519491231002X');
    await page.getByLabel(/^Name/).fill('Nobody');
    await page.getByLabel('Date of birth').fill('1949-12-31');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('error').waitFor();
    await shot(page, 'enroll-document-refused', 'en');
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByLabel('Wallet passphrase').fill('not the passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.getByTestId('error').textContent()).toContain('passphrase is not right');
    await shot(page, 'unlock', 'en');
    await context.close();
  });

  it('explains an expired request and being offline, in words a person can act on', async () => {
    const desktop = await browsers.desktop('en');
    const forum = await startForumSignIn(desktop, 'Sign in with netid');
    const uri = qrFromScreenshot(await forum.screenshot());
    await desktop.close();

    await go('扫码认证');
    await phone.setOffline(true);
    await wallet.getByLabel('请求链接').fill(uri);
    await wallet.getByRole('button', { name: '打开请求' }).click();
    await expect.poll(() => wallet.getByTestId('error').textContent()).toContain('您已离线');
    await shot(wallet, 'error-offline', 'zh-CN');
    await phone.setOffline(false);
    await wallet.getByRole('button', { name: '返回我的网证' }).click();

    // Online, but the platform's server does not answer: the wallet names which one.
    await go('扫码认证');
    await wallet
      .getByLabel('请求链接')
      .fill(
        `openid4vp://?client_id=${encodeURIComponent(stack.authorityUrl)}&request_uri=http%3A%2F%2F127.0.0.1%3A1%2Fr`,
      );
    await wallet.getByRole('button', { name: '打开请求' }).click();
    await expect
      .poll(() => wallet.getByTestId('error').textContent())
      .toContain('无法连接 http://127.0.0.1:1');
    await wallet.getByRole('button', { name: '返回我的网证' }).click();

    // A request answered once cannot be answered again: the wallet says to start over. (Pasted
    // as the page's "open wallet" link: the wallet unwraps the request from its fragment.)
    await go('扫码认证');
    await wallet.getByLabel('请求链接').fill(`${stack.walletUrl}#request=${encodeURIComponent(answeredUri)}`);
    await wallet.getByRole('button', { name: '打开请求' }).click();
    await expect.poll(() => wallet.getByTestId('error').textContent()).toContain('已过期或已被使用');
    await shot(wallet, 'error-expired', 'zh-CN');
    await wallet.getByRole('button', { name: '返回我的网证' }).click();
  });

  it('revoking this device makes the next sign-in fail with a clear message', async () => {
    await go('设备与网证');
    const revoke = wallet.getByRole('button', { name: /注销此设备网证/ }).first();
    await revoke.click();
    await wallet.getByLabel(/网证口令/).fill(PASSWORD);
    await shot(wallet, 'devices-revoke', 'zh-CN');
    await wallet.getByRole('button', { name: /确认/ }).click();
    await expect.poll(() => wallet.locator('.notice').first().textContent()).toMatch(/重新申领|enroll again/);
    await shot(wallet, 'devices-revoked', 'zh-CN');

    const desktop = await browsers.desktop('en');
    const forum = await startForumSignIn(desktop, 'Sign in with netid');
    await scanInWallet(forum, 'forum-authorization-after-revocation', 'en');
    await wallet.getByRole('button', { name: '同意并认证' }).click();
    await expect.poll(() => wallet.getByTestId('error').textContent()).toContain('网证已被注销');
    await shot(wallet, 'error-revoked', 'zh-CN');
    await desktop.close();
    expect(walletErrors).toEqual([]);
  });
});
