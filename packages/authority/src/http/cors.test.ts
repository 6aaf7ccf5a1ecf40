import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedAuthority, serveTestAuthority } from '../issuance/test-support.ts';
import { backends } from '../testing/backends.ts';
import { isBrowserWalletPath } from './cors.ts';

const WALLET_ORIGIN = 'http://127.0.0.1:8473';

describe('isBrowserWalletPath', () => {
  it('names the wallet endpoints and nothing else', () => {
    for (const path of [
      '/enrollment/sessions',
      '/.well-known/openid-credential-issuer',
      '/.well-known/oauth-authorization-server',
      '/.well-known/jwt-vc-issuer',
      '/jwks',
      '/token',
      '/nonce',
      '/credential',
      '/status/0',
      '/selfservice/devices',
      '/application-credentials/x',
      '/platforms',
      '/platforms/forum',
      '/oidc/vp/request/abc',
      '/oidc/vp/response/abc',
    ]) {
      expect(isBrowserWalletPath(path), path).toBe(true);
    }
    for (const path of [
      '/',
      '/health',
      '/operator/platforms',
      '/dev/sms-outbox',
      '/oidc/auth',
      '/oidc/token',
      '/oidc/interaction/abc',
      '/oidc/vp/other',
      '/platformsx',
      '/tokens',
      '/enrollment',
    ]) {
      expect(isBrowserWalletPath(path), path).toBe(false);
    }
  });
});

// Over real HTTP: the OpenID Provider only answers on Node's request/response, and a preflight for
// /oidc/vp/* must be answered by the app before it could reach the provider.
describe('CORS for the browser wallet, over HTTP', () => {
  let served: ServedAuthority;
  beforeAll(async () => {
    served = await serveTestAuthority(backends[0]!);
  });
  afterAll(() => served?.close());

  const preflight = (path: string, method = 'POST') =>
    fetch(served.url + path, {
      method: 'OPTIONS',
      headers: {
        origin: WALLET_ORIGIN,
        'access-control-request-method': method,
        'access-control-request-headers': 'content-type,dpop',
      },
    });

  it('answers preflights of the wallet endpoints with 204 and the allowed methods and headers', async () => {
    for (const path of [
      '/enrollment/sessions',
      '/token',
      '/credential',
      '/platforms',
      '/oidc/vp/request/abc',
      '/oidc/vp/response/abc',
    ]) {
      const res = await preflight(path);
      expect(res.status, path).toBe(204);
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(res.headers.get('access-control-allow-methods'), path).toBe('GET,POST');
      expect(res.headers.get('access-control-allow-headers'), path).toBe(
        'authorization,content-type,dpop,accept',
      );
      expect(res.headers.get('access-control-max-age'), path).toBe('600');
      expect(res.headers.get('access-control-allow-credentials'), path).toBeNull();
      expect(await res.text(), path).toBe('');
    }
  });

  it('lets the wallet read real answers, errors included, and their DPoP headers', async () => {
    const metadata = await fetch(`${served.url}/.well-known/openid-credential-issuer`, {
      headers: { origin: WALLET_ORIGIN },
    });
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('access-control-allow-origin')).toBe('*');
    expect(metadata.headers.get('access-control-expose-headers')).toBe('www-authenticate,dpop-nonce');

    const missing = await fetch(`${served.url}/platforms/nobody-here`, {
      headers: { origin: WALLET_ORIGIN },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');

    const expired = await fetch(`${served.url}/oidc/vp/request/nothing`, {
      headers: { origin: WALLET_ORIGIN },
    });
    expect(expired.status).toBe(404);
    expect(expired.headers.get('access-control-allow-origin')).toBe('*');

    const tooLarge = await fetch(`${served.url}/enrollment/sessions`, {
      method: 'POST',
      headers: { origin: WALLET_ORIGIN, 'content-type': 'application/json' },
      body: 'x'.repeat(100_000),
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('leaves the operator API, the development outbox and the OpenID Provider same-origin', async () => {
    for (const path of ['/operator/platforms', '/dev/sms-outbox', '/oidc/auth', '/oidc/interaction/abc']) {
      const pre = await preflight(path, 'GET');
      expect(pre.headers.get('access-control-allow-origin'), `OPTIONS ${path}`).toBeNull();
      expect(pre.headers.get('access-control-allow-methods'), `OPTIONS ${path}`).toBeNull();
      const res = await fetch(served.url + path, { headers: { origin: WALLET_ORIGIN } });
      await res.arrayBuffer();
      expect(res.headers.get('access-control-allow-origin'), `GET ${path}`).toBeNull();
    }
  });
});
