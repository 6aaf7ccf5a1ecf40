import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebWallet, WEB_WALLET_CSP, type WebWallet } from './web-server.ts';

const AUTHORITY = 'http://127.0.0.1:59999';

describe('the web wallet server', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'netid-web-wallet-'));
  let wallet: WebWallet;
  beforeAll(async () => {
    wallet = await startWebWallet({ host: '127.0.0.1', port: 0, authority: `${AUTHORITY}/`, outDir });
  }, 120_000);
  afterAll(async () => {
    await wallet?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  const expectSecurityHeaders = (res: Response) => {
    expect(res.headers.get('content-security-policy')).toBe(WEB_WALLET_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('permissions-policy')).toBe('camera=(self)');
  };

  it('serves the built page at its URL, never cached without a check', async () => {
    expect(wallet.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(wallet.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expectSecurityHeaders(res);
    const html = await res.text();
    expect(html).toMatch(/<script[^>]* type="module"[^>]* src="\/assets\/[^"]+\.js"/);

    const again = await fetch(wallet.url, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('names the one authority the wallet trusts in /config.json', async () => {
    const res = await fetch(`${wallet.url}config.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expectSecurityHeaders(res);
    expect(await res.json()).toEqual({ authority: AUTHORITY });
  });

  it('serves the hashed assets as immutable, with their content type', async () => {
    const html = await (await fetch(wallet.url)).text();
    const script = /<script[^>]* type="module"[^>]* src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const res = await fetch(new URL(script, wallet.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expectSecurityHeaders(res);
    expect((await res.text()).length).toBeGreaterThan(0);
  });

  it('answers 404 in plain text for anything not in the build', async () => {
    for (const path of ['nothing-here', 'assets/nope.js', '..%2fpackage.json', 'src/main.tsx']) {
      const res = await fetch(`${wallet.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/plain/);
      expectSecurityHeaders(res);
      expect(await res.text(), path).toBe('not found');
    }
  });
});
