// Direct verification (DESIGN.md flow 3) from the platform's side: createRequest() against
// OpenID4VP 1.0 and the OpenID4VP library as the wallet, verifyResponse() against an issuer on
// loopback that counts requests (guarantee 3: none per presentation).
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import {
  APPLICATION_VCT,
  CERTIFICATE_VCT,
  decodeJsonObject,
  exportPublicJwk,
  generateSigningKey,
  issueSdJwt,
  presentSdJwt,
  type SigningKey,
} from '@netid/protocol';
import {
  createOpenid4vpAuthorizationResponse,
  parseOpenid4vpAuthorizationRequest,
  resolveOpenid4vpAuthorizationRequest,
  submitOpenid4vpAuthorizationResponse,
} from '@openid4vc/openid4vp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CountingServer, createManualClock, startCountingServer } from '../testing/index.ts';
import { createVerifier, type Verifier } from '../verifier.ts';
import { createRequest, type DirectRequest } from './create-request.ts';
import type { PrivateJwk } from './signing-key.ts';

const CLIENT = 'forum-example';
const OTHER = 'shop-example';
const RESPONSE_URI = 'https://forum.example/netid/response';
const T0 = Date.UTC(2030, 0, 1);

const platformKey = generateSigningKey('ES256');
const part = (jwt: string, i: number) => decodeJsonObject(jwt.split('.')[i]!, 'test');

/** The signature checked with node:crypto alone, as a wallet with its own JOSE code would. */
function signedBy(jwt: string, key: SigningKey): boolean {
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const pub = createPublicKey(key.privateKey);
  const sig = Buffer.from(s, 'base64url');
  return key.alg === 'ES256'
    ? cryptoVerify('sha256', Buffer.from(`${h}.${p}`), { key: pub, dsaEncoding: 'ieee-p1363' }, sig)
    : cryptoVerify(null, Buffer.from(`${h}.${p}`), pub, sig);
}

describe('createRequest()', () => {
  const now = () => T0;
  const request = () =>
    createRequest({
      clientId: CLIENT,
      responseUri: RESPONSE_URI,
      signingKey: platformKey,
      claims: ['age_over_18', 'name'],
      purpose: 'age check',
      now,
    });

  it('signs an OpenID4VP 1.0 request object and passes it by value', () => {
    const r = request();
    const header = part(r.requestObject, 0);
    // RFC 9101 §10.8 / OpenID4VP 1.0 §5: typ of a request object; the kid picks the registered key.
    expect(header).toEqual({ alg: 'ES256', typ: 'oauth-authz-req+jwt', kid: platformKey.kid });
    expect(signedBy(r.requestObject, platformKey)).toBe(true);
    const payload = part(r.requestObject, 1);
    expect(payload).toEqual({
      iss: CLIENT,
      // §5.8: static discovery.
      aud: 'https://self-issued.me/v2',
      iat: T0 / 1000,
      exp: T0 / 1000 + 300,
      // §5.9.1: a pre-registered client, no prefix.
      client_id: CLIENT,
      // §5.2 / §8.2: vp_token by direct_post to the response URI.
      response_type: 'vp_token',
      response_mode: 'direct_post',
      response_uri: RESPONSE_URI,
      nonce: r.nonce,
      state: r.state,
      // §6: DCQL, one SD-JWT VC of the application-credential type, claims by path.
      dcql_query: {
        credentials: [
          {
            id: 'application',
            format: 'dc+sd-jwt',
            meta: { vct_values: [APPLICATION_VCT] },
            claims: [{ path: ['age_over_18'] }, { path: ['name'] }],
          },
        ],
      },
      client_metadata: {
        vp_formats_supported: {
          'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256', 'EdDSA'], 'kb-jwt_alg_values': ['ES256', 'EdDSA'] },
        },
      },
      netid_verification_code: r.verificationCode,
      netid_purpose: 'age check',
    });
    expect(r.verificationCode).toMatch(/^\d{4}$/);
    expect(r.expiresAt).toBe(T0 / 1000 + 300);
    // RFC 9101 §5.1: the request by value, with client_id beside it.
    const uri = new URL(r.uri);
    expect(uri.protocol).toBe('openid4vp:');
    expect(Object.fromEntries(uri.searchParams)).toEqual({ client_id: CLIENT, request: r.requestObject });
    // Fresh per request: 128 random bits each.
    const again = request();
    expect(again.nonce).not.toBe(r.nonce);
    expect(again.state).not.toBe(r.state);
    expect(r.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('is resolved by the OpenID4VP library as a wallet would: signed, pre-registered, DCQL, version 1.0', async () => {
    const r = request();
    const parsed = parseOpenid4vpAuthorizationRequest({ authorizationRequest: r.uri });
    expect(parsed.type).toBe('jar');
    const seen: string[] = [];
    const resolved = await resolveOpenid4vpAuthorizationRequest({
      authorizationRequestPayload: parsed.params,
      callbacks: {
        // The wallet looks the key up in the platform's registered JWKS by kid.
        verifyJwt: async (signer: { method: string }, jwt: { header: { kid?: string }; compact: string }) => {
          seen.push(signer.method);
          const ok = jwt.header.kid === platformKey.kid && signedBy(jwt.compact, platformKey);
          return ok ? { verified: true, signerJwk: platformKey.publicJwk as never } : { verified: false };
        },
      } as never,
    });
    expect(seen).toEqual(['custom']);
    expect(resolved.client).toMatchObject({ prefix: 'pre-registered', identifier: CLIENT });
    expect(resolved.dcql?.query).toEqual(part(r.requestObject, 1).dcql_query);
    expect(resolved.version).toBe(100);
    expect(resolved.authorizationRequestPayload).toMatchObject({ nonce: r.nonce, state: r.state });

    // The same library refuses it once a byte of the payload changed.
    const [h, p, s] = r.requestObject.split('.') as [string, string, string];
    const forged = { ...part(r.requestObject, 1), nonce: 'attacker' };
    const tampered = `${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${s}`;
    expect(signedBy(`${h}.${p}.${s}`, platformKey)).toBe(true);
    const tamperedUri = `openid4vp://?${new URLSearchParams({ client_id: CLIENT, request: tampered })}`;
    await expect(
      resolveOpenid4vpAuthorizationRequest({
        authorizationRequestPayload: parseOpenid4vpAuthorizationRequest({ authorizationRequest: tamperedUri })
          .params,
        callbacks: {
          verifyJwt: async (_signer: unknown, jwt: { compact: string }) =>
            signedBy(jwt.compact, platformKey)
              ? { verified: true, signerJwk: platformKey.publicJwk as never }
              : { verified: false },
        } as never,
      }),
    ).rejects.toThrow();
  });

  it('signs with a private JWK carrying the registered kid, EdDSA as well', () => {
    const ed = generateSigningKey('EdDSA');
    const jwk = { ...ed.privateKey.export({ format: 'jwk' }), kid: 'platform-2026' } as PrivateJwk;
    const r = createRequest({ clientId: CLIENT, responseUri: RESPONSE_URI, signingKey: jwk, claims: [] });
    expect(part(r.requestObject, 0)).toEqual({
      alg: 'EdDSA',
      typ: 'oauth-authz-req+jwt',
      kid: 'platform-2026',
    });
    expect(signedBy(r.requestObject, ed)).toBe(true);
    // DCQL §6.1: claims, when present, is non-empty; asking for none asks for the subject only.
    const query = (part(r.requestObject, 1).dcql_query as { credentials: Record<string, unknown>[] })
      .credentials[0];
    expect(query).not.toHaveProperty('claims');
  });

  it('refuses keys it cannot sign with, or that no wallet could find, with ERR_JWK_INVALID', () => {
    const privateJwk = platformKey.privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
    const { d: _d, ...publicOnly } = privateJwk;
    const bad: unknown[] = [
      privateJwk, // no kid
      { ...privateJwk, kid: '' },
      { ...publicOnly, kid: 'k' },
      { ...privateJwk, kid: 'k', alg: 'EdDSA' },
      { kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'AQAB', kid: 'k' },
      { ...privateJwk, kid: 'k', d: 'not-a-key' },
      'a string',
      null,
    ];
    for (const signingKey of bad) {
      expect(() =>
        createRequest({
          clientId: CLIENT,
          responseUri: RESPONSE_URI,
          signingKey: signingKey as never,
          claims: [],
        }),
      ).toThrow(expect.objectContaining({ code: 'ERR_JWK_INVALID' }));
    }
  });

  it('refuses requests it cannot make honestly, with ERR_REQUEST_INVALID', () => {
    const base = { clientId: CLIENT, responseUri: RESPONSE_URI, signingKey: platformKey, claims: ['name'] };
    const bad: Record<string, unknown>[] = [
      { clientId: '' },
      { clientId: 'x509_san_dns:forum.example' },
      { responseUri: 'http://forum.example/response' },
      { responseUri: 'forum.example/response' },
      { responseUri: 'https://forum.example/response#frag' },
      { claims: ['face_match'] },
      { claims: ['name', 'name'] },
      { claims: 'name' },
      { ttlSeconds: 0 },
      { ttlSeconds: 3601 },
      { ttlSeconds: 1.5 },
      { purpose: 'x'.repeat(501) },
    ];
    for (const change of bad) {
      expect(() => createRequest({ ...base, ...change } as never), JSON.stringify(change)).toThrow(
        expect.objectContaining({ code: 'ERR_REQUEST_INVALID' }),
      );
    }
    // Plain http is for a platform developing on its own machine.
    expect(() => createRequest({ ...base, responseUri: 'http://localhost:8080/response' })).not.toThrow();
  });
});

interface Issuer {
  server: CountingServer;
  key: SigningKey;
  /** An application credential for `clientId`, issued `ageSeconds` ago, living `lifeSeconds`. */
  credential(
    holder: SigningKey,
    clientId: string,
    change?: { lifeSeconds?: number; extra?: Record<string, unknown> },
  ): string;
}

async function startIssuer(clock: { now: () => number }): Promise<Issuer> {
  const server = await startCountingServer();
  const key = generateSigningKey('ES256');
  server.setRoute('/.well-known/jwt-vc-issuer', () => ({
    headers: { 'content-type': 'application/json', 'cache-control': 'max-age=300' },
    body: JSON.stringify({ issuer: server.url, jwks: { keys: [key.publicJwk] }, status_lists: [] }),
  }));
  return {
    server,
    key,
    credential(holder, clientId, change = {}) {
      const iat = Math.floor(clock.now() / 1000);
      return issueSdJwt(
        {
          payload: {
            iss: server.url,
            sub: `APP-${clientId}`,
            client_id: clientId,
            iat,
            exp: iat + (change.lifeSeconds ?? 86_400),
            vct: APPLICATION_VCT,
            cnf: { jwk: exportPublicJwk(holder.privateKey) },
            age_over_18: true,
            name: '张伟',
            ...change.extra,
          },
          frame: { _sd: ['age_over_18', 'name'] },
        },
        key,
      );
    },
  };
}

describe('verifier.verifyResponse()', () => {
  const clock = createManualClock(T0);
  const holder = generateSigningKey('ES256');
  let issuer: Issuer;
  let verifier: Verifier;
  let warm: number;

  beforeAll(async () => {
    issuer = await startIssuer(clock);
    verifier = createVerifier({ issuer: issuer.server.url, now: clock.now });
    await verifier.ready();
    warm = issuer.server.count();
  });
  afterAll(async () => {
    verifier?.close();
    await issuer?.server.close();
  });

  const newRequest = (clientId = CLIENT, claims = ['age_over_18']) =>
    createRequest({ clientId, responseUri: RESPONSE_URI, signingKey: platformKey, claims, now: clock.now });

  /** What a wallet posts: the credential with `disclose` shown, bound to `aud` and `nonce`. */
  function answer(
    r: DirectRequest,
    change: { credential?: string; aud?: string; nonce?: string; disclose?: string[]; state?: string } = {},
  ): Record<string, string> {
    const presentation = presentSdJwt(change.credential ?? issuer.credential(holder, CLIENT), {
      disclose: Object.fromEntries((change.disclose ?? ['age_over_18']).map((c) => [c, true])),
      keyBinding: {
        key: holder,
        audience: change.aud ?? CLIENT,
        nonce: change.nonce ?? r.nonce,
        iat: Math.floor(clock.now() / 1000),
      },
    });
    return { vp_token: JSON.stringify({ application: [presentation] }), state: change.state ?? r.state };
  }

  const expected = (r: DirectRequest) => ({ nonce: r.nonce, state: r.state, clientId: CLIENT });

  it('returns the appId, the disclosed claims and the mode, from memory alone', async () => {
    const r = newRequest();
    const verified = await verifier.verifyResponse(answer(r), { ...expected(r), expiresAt: r.expiresAt });
    expect(verified).toEqual({
      appId: `APP-${CLIENT}`,
      claims: { age_over_18: true },
      mode: 'cert',
      expiresAt: T0 / 1000 + 86_400,
    });
    // The raw form works as well as parsed fields.
    const s = newRequest();
    expect((await verifier.verifyResponse(new URLSearchParams(answer(s)), expected(s))).appId).toBe(
      `APP-${CLIENT}`,
    );
    expect(issuer.server.count()).toBe(warm);
  });

  it('accepts the answer the OpenID4VP library builds and posts as a wallet', async () => {
    const r = newRequest();
    const parsed = parseOpenid4vpAuthorizationRequest({ authorizationRequest: r.uri });
    const { authorizationRequestPayload } = await resolveOpenid4vpAuthorizationRequest({
      authorizationRequestPayload: parsed.params,
      callbacks: {
        verifyJwt: async () => ({ verified: true, signerJwk: platformKey.publicJwk as never }),
      } as never,
    });
    const presentation = presentSdJwt(issuer.credential(holder, CLIENT), {
      disclose: { age_over_18: true },
      keyBinding: { key: holder, audience: CLIENT, nonce: r.nonce, iat: Math.floor(clock.now() / 1000) },
    });
    const { authorizationResponsePayload } = await createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: authorizationRequestPayload as never,
      authorizationResponsePayload: { vp_token: { application: [presentation] } },
      callbacks: {} as never,
    });
    let posted: { url: string; body: string } | undefined;
    await submitOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: authorizationRequestPayload as never,
      authorizationResponsePayload,
      callbacks: {
        fetch: (async (url: string, init: RequestInit) => {
          posted = { url: String(url), body: String(init.body) };
          return new Response('{}', { headers: { 'content-type': 'application/json' } });
        }) as never,
      },
    });
    expect(posted?.url).toBe(RESPONSE_URI);
    const verified = await verifier.verifyResponse(new URLSearchParams(posted!.body), expected(r));
    expect(verified.claims).toEqual({ age_over_18: true });
    expect(issuer.server.count()).toBe(warm);
  });

  it('refuses each broken answer with its own code, and asks the issuer nothing', async () => {
    const r = newRequest();
    const forOther = issuer.credential(holder, OTHER);
    const cases: Array<[string, Record<string, unknown>, string, Record<string, unknown>?]> = [
      ['another request’s state', answer(r, { state: 'other-state' }), 'ERR_STATE_MISMATCH'],
      ['no state', { vp_token: answer(r).vp_token }, 'ERR_STATE_MISMATCH'],
      ['the person declined', { state: r.state, error: 'access_denied' }, 'ERR_HOLDER_DECLINED'],
      ['another nonce', answer(r, { nonce: 'replayed' }), 'ERR_KB_NONCE_MISMATCH'],
      ['bound to another platform', answer(r, { aud: OTHER }), 'ERR_KB_AUD_MISMATCH'],
      // A credential made for platform B, presented (by a wallet that should not) to platform A.
      ['issued for another platform', answer(r, { credential: forOther }), 'ERR_WRONG_PLATFORM'],
      [
        'a network certificate instead',
        answer(r, { credential: issuer.credential(holder, CLIENT, { extra: { vct: CERTIFICATE_VCT } }) }),
        'ERR_JWT_CLAIM_INVALID',
      ],
      [
        'living longer than a day',
        answer(r, { credential: issuer.credential(holder, CLIENT, { lifeSeconds: 86_401 }) }),
        'ERR_JWT_CLAIM_INVALID',
      ],
      [
        'without a subject',
        answer(r, { credential: issuer.credential(holder, CLIENT, { extra: { sub: undefined } }) }),
        'ERR_JWT_CLAIM_INVALID',
      ],
      ['a required claim withheld', answer(r), 'ERR_CLAIM_MISSING', { requiredClaims: ['name'] }],
      ['after the request expired', answer(r), 'ERR_REQUEST_EXPIRED', { expiresAt: T0 / 1000 - 61 }],
      ['vp_token not JSON', { state: r.state, vp_token: '{' }, 'ERR_MALFORMED'],
      ['vp_token missing', { state: r.state }, 'ERR_MALFORMED'],
      ['another query id', { state: r.state, vp_token: '{"certificate":["x~"]}' }, 'ERR_MALFORMED'],
      [
        'an extra query id',
        { state: r.state, vp_token: JSON.stringify({ application: ['x~'], more: [] }) },
        'ERR_MALFORMED',
      ],
      [
        'two presentations',
        { state: r.state, vp_token: JSON.stringify({ application: ['x~', 'y~'] }) },
        'ERR_MALFORMED',
      ],
      [
        'a presentation that is not one',
        { state: r.state, vp_token: '{"application":["x"]}' },
        'ERR_MALFORMED',
      ],
    ];
    for (const [what, body, code, options] of cases) {
      const error = await verifier
        .verifyResponse(body, { ...expected(r), ...options })
        .catch((e: unknown) => e);
      expect({ what, code: (error as { code?: string }).code }).toEqual({ what, code });
    }
    // The raw form may not repeat a field (which one would count?).
    const repeated = new URLSearchParams(answer(r));
    repeated.append('state', r.state);
    await expect(verifier.verifyResponse(repeated, expected(r))).rejects.toMatchObject({
      code: 'ERR_MALFORMED',
    });
    expect(issuer.server.count()).toBe(warm);
  });

  it('refuses a credential past its expiry (the clock moved a day)', async () => {
    const r = newRequest();
    const credential = issuer.credential(holder, CLIENT);
    clock.advance(86_400_000 + 61_000);
    try {
      await expect(verifier.verifyResponse(answer(r, { credential }), expected(r))).rejects.toMatchObject({
        code: 'ERR_JWT_EXPIRED',
      });
    } finally {
      clock.advance(-(86_400_000 + 61_000));
    }
  });
});
