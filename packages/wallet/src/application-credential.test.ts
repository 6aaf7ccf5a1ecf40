// DESIGN.md flow 3 end to end, over real HTTP: a wallet enrolled through the real flow obtains an
// application credential from the authority and presents it to a platform's @netid/verifier, which
// verifies it offline — guarantee 3: zero requests to the authority per presentation.
import {
  APPLICATION_VCT,
  decodeSdJwt,
  generateSigningKey,
  presentSdJwt,
  type SigningKey,
} from '@netid/protocol';
import { createRequest, createVerifier, type DirectRequest, type Verifier } from '@netid/verifier';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  enrollToIssuable,
  overHttp,
  seedResidents,
  testResident,
} from '../../authority/src/enrollment/test-support.ts';
import { type ServedAuthority, serveTestAuthority } from '../../authority/src/issuance/test-support.ts';
import { applicationIdentifier } from '../../authority/src/platforms/app-id.ts';
import type { Platform } from '../../authority/src/platforms/platform.ts';
import { platformRecord } from '../../authority/src/platforms/test-support.ts';
import { sqlPlatformStore } from '../../authority/src/sql/platforms.ts';
import { backends } from '../../authority/src/testing/backends.ts';
import { type CountingServer, startCountingServer } from '../../verifier/src/testing/index.ts';
import { obtainApplicationCredential, presentApplicationCredential } from './application-credential.ts';
import { allowHttpIfLoopback, redeemOffer } from './issuance.ts';
import { resolveRequest } from './present/request.ts';
import { SelfServiceRefusedError } from './selfservice-problems.ts';
import { deviceKeyPem, type OpenedWallet } from './wallet.ts';

interface TestPlatform {
  platform: Platform;
  key: SigningKey;
  responseUri: string;
}

let served: ServedAuthority;
let wallet: OpenedWallet;
let netNumber: string;
let proxy: CountingServer;
/** Every URL any verifier fetched, whichever host. */
const verifierFetches: string[] = [];
let forum: TestPlatform;
let government: TestPlatform;

/** An approved platform with a key of its own, registered by writing its row. */
async function register(name: string, overrides: Partial<Platform> = {}): Promise<TestPlatform> {
  const key = generateSigningKey('ES256');
  const responseUri = `https://${name}.example/netid/response`;
  const platform = platformRecord({
    clientId: `${name}-${process.pid}`,
    sector: `${name}.example`,
    kind: 'internet',
    redirectUris: [responseUri],
    postLogoutRedirectUris: [],
    jwks: { keys: [{ ...key.publicJwk, kid: key.kid }] },
    allowedClaims: ['age_over_18', 'name'],
    mayRequestNetNumber: false,
    state: 'approved',
    ...overrides,
  });
  await sqlPlatformStore(served.ctx.db).insert(platform);
  return { platform, key, responseUri };
}

/**
 * A platform's verifier. Its requests go to the counting server, which forwards them to the
 * authority: the server's count is the number of requests the authority received from it.
 */
async function verifierFor(): Promise<Verifier> {
  const verifier = createVerifier({
    issuer: served.url,
    now: () => served.clock.now,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      verifierFetches.push(url);
      return fetch(url.replace(served.url, proxy.url), init);
    }) as typeof fetch,
  });
  await verifier.ready();
  return verifier;
}

function request(p: TestPlatform, claims: string[]): DirectRequest {
  return createRequest({
    clientId: p.platform.clientId,
    responseUri: p.responseUri,
    signingKey: p.key,
    claims,
    now: () => served.clock.now,
  });
}

/** The `direct_post` form a wallet sends for `presentation`. */
const form = (r: DirectRequest, presentation: string, state = r.state) => ({
  vp_token: JSON.stringify({ application: [presentation] }),
  state,
});

const expected = (p: TestPlatform, r: DirectRequest) => ({
  nonce: r.nonce,
  state: r.state,
  clientId: p.platform.clientId,
  expiresAt: r.expiresAt,
});

beforeAll(async () => {
  served = await serveTestAuthority(backends[0]!);
  served.clock.now = Date.now();
  // A wallet enrolled through the real flow: enrollment API, then OID4VCI with the texted tx_code.
  const resident = testResident({ name: '赵敏', birthdate: '1992-04-18' });
  await seedResidents(served.ctx, [resident]);
  const enrolled = await enrollToIssuable(overHttp(served.url), resident, { phone: '13512340001' });
  allowHttpIfLoopback(served.url);
  const deviceKey = generateSigningKey('ES256');
  const { credential, issuer } = await redeemOffer(
    deviceKey,
    enrolled.answer.credentialOfferUri,
    enrolled.txCode,
  );
  wallet = {
    deviceKey,
    contents: {
      deviceKeyPem: deviceKeyPem(deviceKey),
      credentials: [{ format: 'dc+sd-jwt', credential, issuer, receivedAt: new Date().toISOString() }],
    },
  };
  netNumber = decodeSdJwt(credential).disclosures.find((d) => d.name === 'net_number')!.value as string;

  proxy = await startCountingServer();
  const forward = (path: string) => async () => {
    const res = await fetch(served.url + path);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'cache-control', 'etag']) {
      const value = res.headers.get(name);
      if (value) headers[name] = value;
    }
    return { status: res.status, headers, body: await res.text() };
  };
  const metadata = (await (await fetch(`${served.url}/.well-known/jwt-vc-issuer`)).json()) as {
    status_lists: string[];
  };
  expect(metadata.status_lists.length).toBeGreaterThan(0);
  for (const path of [
    '/.well-known/jwt-vc-issuer',
    ...metadata.status_lists.map((u) => new URL(u).pathname),
  ]) {
    proxy.setRoute(path, forward(path));
  }

  forum = await register('forum');
  government = await register('county', {
    kind: 'government',
    allowedClaims: ['net_number', 'name'],
    mayRequestNetNumber: true,
  });
});
afterAll(async () => {
  await proxy?.close();
  await served?.close();
});
// The wallet dates its KB-JWTs by the real clock; the authority's test clock must agree.
beforeEach(() => {
  served.clock.now = Date.now();
});

describe('direct verification (flow 3), wallet → platform, over HTTP', () => {
  it('the wallet obtains a credential for the platform, which verifies it without asking the authority', async () => {
    const verifier = await verifierFor();
    try {
      const r = request(forum, ['age_over_18', 'name']);
      // What the wallet shows the person: the platform's request, checked against the public register.
      const view = await resolveRequest(r.uri, { authority: served.url, now: () => served.clock.now });
      expect(view).toMatchObject({
        kind: 'direct',
        clientId: forum.platform.clientId,
        claims: ['age_over_18', 'name'],
        verificationCode: r.verificationCode,
        nonce: r.nonce,
        state: r.state,
        responseUri: forum.responseUri,
        queryId: 'application',
        vct: APPLICATION_VCT,
      });

      const walletCalls: string[] = [];
      const obtained = await obtainApplicationCredential({
        authorityUrl: served.url,
        walletData: wallet,
        clientId: forum.platform.clientId,
        fetch: (async (input: string | URL | Request, init?: RequestInit) => {
          walletCalls.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
          return fetch(input, init);
        }) as typeof fetch,
      });
      // Challenge and offer, then the OID4VCI steps; every one through the fetch the caller gave.
      expect(walletCalls).toEqual([
        'POST /selfservice/challenge',
        'POST /application-credentials/offer',
        'GET /.well-known/openid-credential-issuer',
        'GET /.well-known/oauth-authorization-server',
        'POST /token',
        'POST /nonce',
        'POST /credential',
      ]);
      const { payload } = decodeSdJwt(obtained.credential);
      expect(obtained.expiresAt).toBe(payload.exp);
      expect(obtained.expiresAt - Math.floor(served.clock.now / 1000)).toBeLessThanOrEqual(86_400);

      // The person agrees to the age only.
      const presentation = presentApplicationCredential(obtained.credential, wallet.deviceKey, {
        clientId: forum.platform.clientId,
        nonce: r.nonce,
        claims: ['age_over_18'],
      });
      const before = { proxied: proxy.count(), fetched: verifierFetches.length };
      expect(before.proxied).toBeGreaterThan(0); // the cache was warmed through the proxy
      const verified = await verifier.verifyResponse(form(r, presentation), expected(forum, r));
      expect(verified).toEqual({
        appId: applicationIdentifier(served.ctx.secrets.appId, forum.platform.sector, netNumber),
        claims: { age_over_18: true },
        mode: 'cert',
        expiresAt: obtained.expiresAt,
      });
      // Guarantee 3: not one request, to the authority or anywhere, for the presentation.
      expect({ proxied: proxy.count(), fetched: verifierFetches.length }).toEqual(before);
    } finally {
      verifier.close();
    }
  });

  it('gives each platform its own appId, and a credential for one platform is refused at another', async () => {
    const verifier = await verifierFor();
    try {
      const atForum = await obtainApplicationCredential({
        authorityUrl: served.url,
        walletData: wallet,
        clientId: forum.platform.clientId,
      });
      const atCounty = await obtainApplicationCredential({
        authorityUrl: served.url,
        walletData: wallet,
        clientId: government.platform.clientId,
      });
      const r = request(government, ['net_number', 'name']);
      const verified = await verifier.verifyResponse(
        form(
          r,
          presentApplicationCredential(atCounty.credential, wallet.deviceKey, {
            clientId: government.platform.clientId,
            nonce: r.nonce,
            claims: ['net_number', 'name'],
          }),
        ),
        expected(government, r),
      );
      const forumAppId = decodeSdJwt(atForum.credential).payload.sub;
      expect(verified.appId).toBe(
        applicationIdentifier(served.ctx.secrets.appId, government.platform.sector, netNumber),
      );
      expect(verified.appId).not.toBe(forumAppId);
      expect(verified.claims).toEqual({ net_number: netNumber, name: '赵敏' });

      // The wallet will not present the forum's credential to the county …
      expect(() =>
        presentApplicationCredential(atForum.credential, wallet.deviceKey, {
          clientId: government.platform.clientId,
          nonce: r.nonce,
          claims: [],
        }),
      ).toThrow(expect.objectContaining({ code: 'ERR_WRONG_PLATFORM' }));
      // … and a wallet that does anyway, key-bound to the county and its nonce, is refused there.
      const s = request(government, ['name']);
      const misused = presentSdJwt(atForum.credential, {
        disclose: { name: true },
        keyBinding: { key: wallet.deviceKey, audience: government.platform.clientId, nonce: s.nonce },
      });
      await expect(verifier.verifyResponse(form(s, misused), expected(government, s))).rejects.toMatchObject({
        code: 'ERR_WRONG_PLATFORM',
      });
    } finally {
      verifier.close();
    }
  });

  it('refuses a wrong nonce, a wrong state and answers to a tampered request, with typed errors', async () => {
    const verifier = await verifierFor();
    try {
      const { credential } = await obtainApplicationCredential({
        authorityUrl: served.url,
        walletData: wallet,
        clientId: forum.platform.clientId,
      });
      const present = (nonce: string) =>
        presentApplicationCredential(credential, wallet.deviceKey, {
          clientId: forum.platform.clientId,
          nonce,
          claims: ['age_over_18'],
        });
      const r = request(forum, ['age_over_18']);
      const other = request(forum, ['age_over_18']);
      const refusal = (body: Record<string, string>) =>
        verifier.verifyResponse(body, expected(forum, r)).catch((e: { code?: string }) => e.code);
      expect(await refusal(form(r, present(other.nonce)))).toBe('ERR_KB_NONCE_MISMATCH');
      expect(await refusal(form(r, present(r.nonce), other.state))).toBe('ERR_STATE_MISMATCH');

      // A request someone altered on its way (here: their own nonce) no longer carries the platform's
      // signature: the wallet refuses it, and an answer to it fails at the platform all the same.
      const [h, p, sig] = r.requestObject.split('.') as [string, string, string];
      const altered = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), nonce: 'attacker-nonce' };
      const tampered = `${h}.${Buffer.from(JSON.stringify(altered)).toString('base64url')}.${sig}`;
      const tamperedUri = `openid4vp://?${new URLSearchParams({ client_id: forum.platform.clientId, request: tampered })}`;
      await expect(
        resolveRequest(tamperedUri, { authority: served.url, now: () => served.clock.now }),
      ).rejects.toMatchObject({ code: 'ERR_REQUEST_UNTRUSTED' });
      expect(await refusal(form(r, present('attacker-nonce')))).toBe('ERR_KB_NONCE_MISMATCH');
    } finally {
      verifier.close();
    }
  });

  it('refuses the credential once it has expired (the clock moves a day)', async () => {
    const verifier = await verifierFor();
    try {
      const { credential, expiresAt } = await obtainApplicationCredential({
        authorityUrl: served.url,
        walletData: wallet,
        clientId: forum.platform.clientId,
      });
      served.clock.now = expiresAt * 1000 + 120_000;
      const r = request(forum, ['age_over_18']);
      const presentation = presentApplicationCredential(credential, wallet.deviceKey, {
        clientId: forum.platform.clientId,
        nonce: r.nonce,
        claims: ['age_over_18'],
        now: served.clock.now,
      });
      await expect(verifier.verifyResponse(form(r, presentation), expected(forum, r))).rejects.toMatchObject({
        code: 'ERR_JWT_EXPIRED',
      });
    } finally {
      verifier.close();
    }
  });

  it('gets no offer for a suspended or a pending platform', async () => {
    const suspended = await register('suspended', { state: 'suspended' });
    const pending = await register('pending', { state: 'pending' });
    for (const [p, code] of [
      [suspended, 'platform_suspended'],
      [pending, 'platform_not_found'],
    ] as const) {
      const error = await obtainApplicationCredential({
        authorityUrl: served.url,
        walletData: wallet,
        clientId: p.platform.clientId,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SelfServiceRefusedError);
      expect((error as SelfServiceRefusedError).code).toBe('ERR_AUTHORITY_REFUSED');
      expect((error as SelfServiceRefusedError).problem.code).toBe(code);
    }
  });
});
