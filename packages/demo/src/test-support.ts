import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServedAuthority } from '../../authority/src/issuance/test-support.ts';
import type { Device } from '../../authority/src/selfservice/test-support.ts';
import { obtainApplicationCredential } from '../../wallet/src/application-credential.ts';
import type { WalletContents } from '../../wallet/src/wallet.ts';
import { type Demo, startDemo } from './index.ts';

export const OPERATOR_TOKEN = 'demo-test-operator-token-0123456789abcdef';

/**
 * A browser: follows redirects itself so a test sees every hop, and keeps cookies by name for the
 * whole host — as a real browser does across the ports of 127.0.0.1, where authority, forum and
 * counter all live.
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly headers: Record<string, string> = {}) {}

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const res = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        ...this.headers,
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get = (url: string) => this.request(url);

  /** Follows redirects (GET after each) to the first answer that is not one; returns it and its URL. */
  async follow(url: string, init: { form?: Record<string, string> } = {}) {
    let res = await this.request(url, init);
    let at = url;
    for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
      if (hops > 10) throw new Error(`too many redirects from ${url}`);
      at = new URL(res.headers.get('location')!, at).href;
      res = await this.request(at);
    }
    return { res, url: at, text: await res.text() };
  }
}

/** The first `href` of the element with this id, HTML entities undone. */
export function hrefOf(html: string, id: string): string {
  const href = new RegExp(`id="${id}"[^>]*href="([^"]+)"`).exec(html)?.[1] ?? '';
  return href.replaceAll('&amp;', '&');
}

/** The text of the element with this id. */
export function textOf(html: string, id: string): string {
  return new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1] ?? '';
}

export const tempDataDir = () => mkdtempSync(join(tmpdir(), 'netid-demo-'));

/** A fetch that counts what it is asked to fetch, by URL. */
export function countingFetch() {
  const urls: string[] = [];
  const f: typeof fetch = (input, init) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  };
  return { fetch: f, urls };
}

/** Both demo platforms, registered with the served authority, on ports the OS picks. */
export async function startTestDemo(
  served: ServedAuthority,
  options: { dataDir?: string; fetch?: typeof fetch; forumPort?: number; counterPort?: number } = {},
): Promise<Demo> {
  served.ctx.config.operatorToken = OPERATOR_TOKEN;
  return startDemo({
    authorityUrl: served.url,
    forumPort: options.forumPort ?? 0,
    counterPort: options.counterPort ?? 0,
    dataDir: options.dataDir ?? tempDataDir(),
    operatorToken: OPERATOR_TOKEN,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** What the wallet does before a direct verification: fetch an application credential for that platform. */
export async function applicationCredentialFor(served: ServedAuthority, device: Device, clientId: string) {
  const walletData = {
    deviceKey: device.key,
    contents: { credentials: [{ credential: device.credential }] } as unknown as WalletContents,
  };
  const { credential } = await obtainApplicationCredential({
    authorityUrl: served.url,
    walletData,
    clientId,
  });
  return credential;
}
