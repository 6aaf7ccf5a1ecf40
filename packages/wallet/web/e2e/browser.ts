import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** The two languages every page is reviewed in. */
export type Lang = 'zh-CN' | 'en';

// The machine reaches nothing but loopback: without the background-networking flags Chromium keeps
// trying update and sync servers and floods the log with refused connections.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const ACCEPT_LANGUAGE: Record<Lang, string> = { 'zh-CN': 'zh-CN,zh;q=0.9', en: 'en-US,en;q=0.9' };

export interface Browsers {
  /** A desktop browser window (1280×800). */
  desktop(lang: Lang): Promise<BrowserContext>;
  /** A phone (390×844, touch, 2× pixels). */
  phone(lang: Lang): Promise<BrowserContext>;
}

/**
 * One headless Chromium for the test file that calls this (at its top level): launched before the
 * first test, closed with every context after the last. Each context reports its pages' console
 * errors and uncaught errors to the test output.
 */
export function useBrowser(extraArgs: string[] = []): Browsers {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [...ARGS, ...extraArgs],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function context(lang: Lang, device: Parameters<Browser['newContext']>[0]) {
    if (!browser) throw new Error('useBrowser(): make contexts inside tests or hooks');
    const ctx = await browser.newContext({
      ...device,
      locale: lang,
      extraHTTPHeaders: { 'accept-language': ACCEPT_LANGUAGE[lang] },
    });
    ctx.on('page', reportProblems);
    return ctx;
  }
  return {
    desktop: (lang) => context(lang, { viewport: { width: 1280, height: 800 } }),
    phone: (lang) =>
      context(lang, {
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2,
      }),
  };
}

/** Console errors and uncaught errors of a page, shown beside the test that caused them. */
function reportProblems(page: Page): void {
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // A failed load names the resource in its location; other errors the script that logged them.
    const where = message.location().url || page.url();
    // Chromium asks every origin for a favicon on its own; none of ours has one.
    if (new URL(where, page.url()).pathname === '/favicon.ico') return;
    console.error(`[page console] ${where}: ${message.text()}`);
  });
  page.on('pageerror', (error) => {
    console.error(`[page error] ${page.url()}: ${error.message}`);
  });
}

/**
 * The uncaught errors `page` throws from now on, as messages: a test asserts the list empty at its
 * end, so a script that breaks fails the test even when the page looks right.
 */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  return errors;
}
