import { randomBytes } from 'node:crypto';
import { generateSigningKey, type SigningKey } from '@netid/protocol';
import * as oidc from 'openid-client';
import { answerRequest, type Decision } from '../../../wallet/src/present/answer.ts';
import { resolveRequest } from '../../../wallet/src/present/request.ts';
import type { ServedAuthority } from '../issuance/test-support.ts';
import type { Mode, Platform, PlatformClaim } from '../platforms/platform.ts';
import type { Device } from '../selfservice/test-support.ts';
import { sqlPlatformStore } from '../sql/platforms.ts';

export interface TestPlatform {
  clientId: string;
  key: SigningKey;
  redirectUri: string;
  config: oidc.Configuration;
}

/** Registers (approved) a platform with a fresh ES256 key and discovers the provider as it would. */
export async function addPlatform(
  served: ServedAuthority,
  options: {
    kind?: Platform['kind'];
    claims?: PlatformClaim[];
    modes?: Mode[];
    netNumber?: boolean;
    postLogout?: boolean;
    /** Where the platform receives answers (a loopback server for direct verification). */
    redirectUri?: string;
  } = {},
): Promise<TestPlatform> {
  const clientId = `p_${randomBytes(6).toString('hex')}`;
  const key = generateSigningKey('ES256');
  const redirectUri = options.redirectUri ?? `https://${clientId}.example/callback`;
  const now = new Date(served.clock.now);
  await sqlPlatformStore(served.ctx.db).insert({
    clientId,
    kind: options.kind ?? 'internet',
    sector: clientId,
    name: { zh: `论坛 ${clientId}`, en: `Forum ${clientId}` },
    purpose: { zh: '注册账号', en: 'Create an account' },
    redirectUris: [redirectUri],
    postLogoutRedirectUris: options.postLogout ? [`https://${clientId}.example/bye`] : [],
    jwks: { keys: [key.publicJwk as unknown as Record<string, unknown>] },
    clientSecretEnc: null,
    allowedClaims: options.claims ?? ['age_over_18'],
    allowedModes: options.modes ?? ['cert', 'cert+password'],
    mayRequestNetNumber: options.netNumber ?? false,
    state: 'approved',
    createdAt: now,
    updatedAt: now,
  });
  return { clientId, key, redirectUri, config: await discover(served, clientId, key) };
}

export async function discover(served: ServedAuthority, clientId: string, key: SigningKey) {
  const jwk = key.privateKey.export({ format: 'jwk' });
  const cryptoKey = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
  ]);
  return oidc.discovery(
    new URL(`${served.url}/oidc`),
    clientId,
    { token_endpoint_auth_method: 'private_key_jwt' },
    oidc.PrivateKeyJwt({ key: cryptoKey, kid: key.kid }),
    { execute: [oidc.allowInsecureRequests] },
  );
}

/** A browser: follows nothing by itself, keeps cookies per origin path as a browser would. */
export class Browser {
  private cookies = new Map<string, string>();
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(url: string): Promise<Response> {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: this.cookieHeader() } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

export interface StartedSignIn {
  browser: Browser;
  page: string;
  pageUrl: string;
  requestUri: string;
  verifier: string;
  state: string;
}

/** The platform pushes its request (PAR + PKCE) and the browser lands on the authorization page. */
export async function startSignIn(
  served: ServedAuthority,
  platform: TestPlatform,
  params: Record<string, string> = {},
): Promise<StartedSignIn> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = await oidc.buildAuthorizationUrlWithPAR(platform.config, {
    redirect_uri: platform.redirectUri,
    scope: 'openid age',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...params,
  });
  const browser = new Browser();
  const first = await browser.get(url.href);
  const location = first.headers.get('location');
  if (first.status !== 303 || !location) {
    throw new Error(`authorize: ${first.status} ${location ?? (await first.text()).slice(0, 300)}`);
  }
  const pageUrl = new URL(location, served.url).href;
  if (!pageUrl.includes('/oidc/interaction/'))
    return { browser, page: '', pageUrl, requestUri: '', verifier, state };
  const res = await browser.get(pageUrl);
  const page = await res.text();
  if (res.status !== 200) return { browser, page, pageUrl, requestUri: '', verifier, state };
  const href = /id="open-wallet" href="([^"]+)"/.exec(page)?.[1] ?? '';
  return { browser, page, pageUrl, requestUri: href.replaceAll('&amp;', '&'), verifier, state };
}

/** The wallet scans, and answers as the person decided. */
export async function walletAnswers(
  served: ServedAuthority,
  started: StartedSignIn,
  device: Device,
  decision: Decision,
) {
  const view = await resolveRequest(started.requestUri, {
    authority: served.url,
    now: () => served.clock.now,
  });
  return { view, answer: await answerRequest(view, device.credential, device.key, decision) };
}

/** The browser's page sees the answer and continues; the platform redeems the code. */
export async function finishSignIn(served: ServedAuthority, platform: TestPlatform, started: StartedSignIn) {
  const status = (await (await started.browser.get(`${started.pageUrl}/status`)).json()) as {
    status: string;
    returnTo?: string;
  };
  if (!status.returnTo) throw new Error(`status: ${status.status}`);
  let res = await started.browser.get(status.returnTo);
  let location = res.headers.get('location');
  // oidc-provider may hop through its own resume URL before the platform's redirect_uri.
  while (location && !location.startsWith(platform.redirectUri)) {
    res = await started.browser.get(new URL(location, served.url).href);
    location = res.headers.get('location');
  }
  if (!location)
    throw new Error(`no redirect to the platform: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return new URL(location);
}

export async function redeem(platform: TestPlatform, callback: URL, started: StartedSignIn) {
  return oidc.authorizationCodeGrant(platform.config, callback, {
    pkceCodeVerifier: started.verifier,
    expectedState: started.state,
  });
}
