import { generateSigningKey, type SigningKey } from '@netid/protocol';
import { describe, expect, it } from 'vitest';
import { describeServed, insertIssuableSession, signRawJwt } from './test-support.ts';
import { ACCESS_TOKEN_SECONDS } from './token.ts';

const PRE_AUTH = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** Every error below must be a client error with an OAuth body — never a 500. */
async function oauthFailure(res: Response, status: number, error: string) {
  const body = (await res.json()) as { error?: string; error_description?: string };
  expect({ status: res.status, error: body.error }).toEqual({ status, error });
  // RFC 6749 §5.2: error_description is printable ASCII without " or \.
  if (body.error_description !== undefined)
    expect(body.error_description).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return body;
}

describeServed('the issuance endpoints refuse bad input', (served) => {
  function postToken(params: Record<string, string>, init: RequestInit = {}) {
    return fetch(`${served.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
      ...init,
    });
  }

  async function accessToken(session?: { code: string; txCode: string }): Promise<string> {
    const s = session ?? (await insertIssuableSession(served.ctx, { personId: `R-9${Math.random()}` }));
    const res = await postToken({ grant_type: PRE_AUTH, 'pre-authorized_code': s.code, tx_code: s.txCode });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  async function cNonce(): Promise<string> {
    const res = await fetch(`${served.url}/nonce`, { method: 'POST' });
    return ((await res.json()) as { c_nonce: string }).c_nonce;
  }

  const seconds = () => Math.floor(served.clock.now / 1000);

  /** A proof as OID4VCI 1.0 Appendix F.1 describes it; each field can be broken on purpose. */
  function proof(
    key: SigningKey,
    nonce: string,
    change: { header?: Record<string, unknown>; payload?: Record<string, unknown> } = {},
  ): string {
    const header = { alg: key.alg, typ: 'openid4vci-proof+jwt', jwk: key.publicJwk, ...change.header };
    const payload = { aud: served.url, iat: seconds(), nonce, ...change.payload };
    return signRawJwt(key, header, payload);
  }

  function postCredential(token: string | undefined, body: unknown, contentType = 'application/json') {
    return fetch(`${served.url}/credential`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** Header and payload of a proof with no signature: what `alg: none` attacks send. */
  function unsigned(header: Record<string, unknown>, nonce: string): string {
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    return `${b64({ typ: 'openid4vci-proof+jwt', jwk: generateSigningKey('ES256').publicJwk, ...header })}.${b64({ aud: served.url, iat: seconds(), nonce })}`;
  }

  const request = (jwt: string | string[]) => ({
    credential_configuration_id: 'netid_certificate',
    proofs: { jwt: Array.isArray(jwt) ? jwt : [jwt] },
  });

  describe('POST /token refuses (RFC 6749 §5.2, OID4VCI 1.0 §6.3)', () => {
    it('a wrong tx_code, counting attempts: after 5 the code is dead even with the right tx_code', async () => {
      const s = await insertIssuableSession(served.ctx, { personId: 'R-300001' });
      for (let i = 0; i < 5; i++) {
        await oauthFailure(
          await postToken({ grant_type: PRE_AUTH, 'pre-authorized_code': s.code, tx_code: '000000' }),
          400,
          'invalid_grant',
        );
      }
      const row = await served.ctx.db
        .selectFrom('enrollment_sessions')
        .select('tx_code_attempts')
        .where('session_id_hash', '=', s.sessionIdHash)
        .executeTakeFirstOrThrow();
      expect(row.tx_code_attempts).toBe(5);
      const dead = await oauthFailure(
        await postToken({ grant_type: PRE_AUTH, 'pre-authorized_code': s.code, tx_code: s.txCode }),
        400,
        'invalid_grant',
      );
      expect(dead.error_description).toMatch(/too many/);
    });

    it('the right tx_code after a wrong one', async () => {
      const s = await insertIssuableSession(served.ctx, { personId: 'R-300002' });
      await oauthFailure(
        await postToken({ grant_type: PRE_AUTH, 'pre-authorized_code': s.code, tx_code: '111111' }),
        400,
        'invalid_grant',
      );
      expect(await accessToken(s)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('a reused code: single use', async () => {
      const s = await insertIssuableSession(served.ctx, { personId: 'R-300003' });
      await accessToken(s);
      await oauthFailure(
        await postToken({ grant_type: PRE_AUTH, 'pre-authorized_code': s.code, tx_code: s.txCode }),
        400,
        'invalid_grant',
      );
    });

    it('an unknown code and an expired code', async () => {
      await oauthFailure(
        await postToken({ grant_type: PRE_AUTH, 'pre-authorized_code': 'nope', tx_code: '123456' }),
        400,
        'invalid_grant',
      );
      const s = await insertIssuableSession(served.ctx, { personId: 'R-300004', expiresInSeconds: 1 });
      served.clock.now += 2000;
      try {
        await oauthFailure(
          await postToken({ grant_type: PRE_AUTH, 'pre-authorized_code': s.code, tx_code: s.txCode }),
          400,
          'invalid_grant',
        );
      } finally {
        served.clock.now -= 2000;
      }
    });

    it('a missing tx_code, another grant type, JSON, and a repeated parameter', async () => {
      const s = await insertIssuableSession(served.ctx, { personId: 'R-300005' });
      await oauthFailure(
        await postToken({ grant_type: PRE_AUTH, 'pre-authorized_code': s.code }),
        400,
        'invalid_request',
      );
      await oauthFailure(
        await postToken({
          grant_type: 'authorization_code',
          code: 'x',
          redirect_uri: 'https://a.example/cb',
        }),
        400,
        'unsupported_grant_type',
      );
      await oauthFailure(
        await postToken({ grant_type: 'client_credentials' }),
        400,
        'unsupported_grant_type',
      );
      await oauthFailure(
        await fetch(`${served.url}/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: PRE_AUTH, 'pre-authorized_code': s.code, tx_code: s.txCode }),
        }),
        400,
        'invalid_request',
      );
      await oauthFailure(
        await fetch(`${served.url}/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `grant_type=${encodeURIComponent(PRE_AUTH)}&pre-authorized_code=${s.code}&pre-authorized_code=x&tx_code=${s.txCode}`,
        }),
        400,
        'invalid_request',
      );
      // None of that used up the code's attempts.
      expect(await accessToken(s)).toBeTruthy();
    });

    it('answers a success with no-store and a 5-minute opaque Bearer token (RFC 6749 §5.1)', async () => {
      const s = await insertIssuableSession(served.ctx, { personId: 'R-300006' });
      const res = await postToken({ grant_type: PRE_AUTH, 'pre-authorized_code': s.code, tx_code: s.txCode });
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: ACCESS_TOKEN_SECONDS,
      });
      // Only a keyed hash is stored.
      const stored = await served.ctx.db
        .selectFrom('enrollment_sessions')
        .select(['access_token_hash', 'state'])
        .where('session_id_hash', '=', s.sessionIdHash)
        .executeTakeFirstOrThrow();
      expect(stored.state).toBe('token_issued');
      expect(Buffer.from(stored.access_token_hash!).toString('base64url')).not.toBe(body.access_token);
    });
  });

  describe('POST /nonce (OID4VCI 1.0 §7)', () => {
    it('hands out a fresh uncacheable c_nonce, stored for 5 minutes', async () => {
      const res = await fetch(`${served.url}/nonce`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const { c_nonce } = (await res.json()) as { c_nonce: string };
      const row = await served.ctx.db
        .selectFrom('nonces')
        .selectAll()
        .where('nonce', '=', c_nonce)
        .executeTakeFirstOrThrow();
      expect(row.purpose).toBe('c_nonce');
      expect(row.expires_at.getTime() - served.clock.now).toBe(300_000);
      expect(await cNonce()).not.toBe(c_nonce);
    });
  });

  describe('POST /credential refuses (OID4VCI 1.0 §8.3.1, RFC 6750 §3)', () => {
    const device = generateSigningKey('ES256');

    it('a missing or unknown bearer token with 401 and a Bearer challenge', async () => {
      const body = request(proof(device, await cNonce()));
      const missing = await postCredential(undefined, body);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const unknown = await postCredential('not-a-token', body);
      expect(unknown.status).toBe(401);
      expect(unknown.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(((await unknown.json()) as { error: string }).error).toBe('invalid_token');
    });

    it('proofs that are forged, misaddressed, stale or keyless — and burns neither token nor nonce', async () => {
      const token = await accessToken();
      const nonce = await cNonce();
      const other = generateSigningKey('ES256');
      const bad: Array<[string, string]> = [
        ['wrong aud', proof(device, nonce, { payload: { aud: 'https://elsewhere.example' } })],
        [
          'signed by another key than its jwk',
          signRawJwt(
            other,
            { alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: device.publicJwk },
            { aud: served.url, iat: seconds(), nonce },
          ),
        ],
        ['alg none, with a signature part', `${unsigned({ alg: 'none' }, nonce)}.c2ln`],
        ['alg HS256', proof(device, nonce, { header: { alg: 'HS256' } })],
        ['alg not matching the key', proof(device, nonce, { header: { alg: 'EdDSA' } })],
        ['wrong typ', proof(device, nonce, { header: { typ: 'JWT' } })],
        ['iat too old', proof(device, nonce, { payload: { iat: seconds() - 3600 } })],
        ['iat in the future', proof(device, nonce, { payload: { iat: seconds() + 3600 } })],
        ['expired', proof(device, nonce, { payload: { exp: seconds() - 10 } })],
        ['kid instead of jwk', proof(device, nonce, { header: { jwk: undefined, kid: 'device-1' } })],
        [
          'private key in jwk',
          proof(device, nonce, { header: { jwk: device.privateKey.export({ format: 'jwk' }) } }),
        ],
        ['garbage', 'a.b.c'],
      ];
      for (const [what, jwt] of bad) {
        const res = await postCredential(token, request(jwt));
        expect({ what, status: res.status }).toEqual({ what, status: 400 });
        expect({ what, error: ((await res.json()) as { error: string }).error }).toEqual({
          what,
          error: 'invalid_proof',
        });
      }
      // An unsecured JWT (RFC 7519 §6, empty signature) is not even a compact JWS: a malformed request.
      await oauthFailure(
        await postCredential(token, request(`${unsigned({ alg: 'none' }, nonce)}.`)),
        400,
        'invalid_credential_request',
      );
      await oauthFailure(
        await postCredential(token, request([proof(device, nonce), proof(device, nonce)])),
        400,
        'invalid_proof',
      );
      await oauthFailure(
        await postCredential(token, { credential_configuration_id: 'netid_certificate' }),
        400,
        'invalid_proof',
      );
      // The token and the nonce survived all of it.
      const ok = await postCredential(token, request(proof(device, nonce)));
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { credentials: unknown[] }).credentials).toHaveLength(1);
    });

    it('a replayed proof or nonce with invalid_nonce, and a spent token with invalid_token', async () => {
      const nonce = await cNonce();
      const jwt = proof(device, nonce);
      const first = await accessToken();
      expect((await postCredential(first, request(jwt))).status).toBe(200);
      // The same token again: spent.
      const spent = await postCredential(first, request(proof(device, await cNonce())));
      expect(spent.status).toBe(401);
      // The same proof (same nonce) with a fresh token: the nonce was consumed.
      await oauthFailure(await postCredential(await accessToken(), request(jwt)), 400, 'invalid_nonce');
      // A nonce the issuer never gave, and no nonce at all.
      await oauthFailure(
        await postCredential(await accessToken(), request(proof(device, 'made-up'))),
        400,
        'invalid_nonce',
      );
      await oauthFailure(
        await postCredential(
          await accessToken(),
          request(proof(device, '', { payload: { nonce: undefined } })),
        ),
        400,
        'invalid_nonce',
      );
    });

    it('an expired access token and an expired nonce', async () => {
      const token = await accessToken();
      const nonce = await cNonce();
      served.clock.now += (ACCESS_TOKEN_SECONDS + 1) * 1000;
      try {
        expect((await postCredential(token, request(proof(device, nonce)))).status).toBe(401);
        await oauthFailure(
          await postCredential(await accessToken(), request(proof(device, nonce))),
          400,
          'invalid_nonce',
        );
      } finally {
        served.clock.now -= (ACCESS_TOKEN_SECONDS + 1) * 1000;
      }
    });

    it('requests of the wrong shape', async () => {
      const token = await accessToken();
      const jwt = proof(device, await cNonce());
      await oauthFailure(
        await postCredential(token, { credential_configuration_id: 'other', proofs: { jwt: [jwt] } }),
        400,
        'unknown_credential_configuration',
      );
      await oauthFailure(
        await postCredential(token, {
          credential_configuration_id: 'netid_certificate',
          proof: { proof_type: 'jwt', jwt },
        }),
        400,
        'invalid_credential_request',
      );
      await oauthFailure(
        await postCredential(token, { proofs: { jwt: [jwt] } }),
        400,
        'invalid_credential_request',
      );
      await oauthFailure(
        await postCredential(token, '{not json', 'application/json'),
        400,
        'invalid_credential_request',
      );
      await oauthFailure(await postCredential(token, '[1,2]'), 400, 'invalid_credential_request');
      await oauthFailure(
        await postCredential(token, 'a=b', 'application/x-www-form-urlencoded'),
        400,
        'invalid_credential_request',
      );
    });

    it('a person whose network number was cancelled, with credential_request_denied and no row written', async () => {
      const first = await insertIssuableSession(served.ctx, { personId: 'R-300100' });
      const ok = await postCredential(await accessToken(first), request(proof(device, await cNonce())));
      expect(ok.status).toBe(200);
      await served.ctx.db
        .updateTable('persons')
        .set({ state: 'cancelled' })
        .where('state', '=', 'active')
        .execute();
      const again = await insertIssuableSession(served.ctx, { personId: 'R-300100' });
      const before = await served.ctx.db.selectFrom('certificates').select('certificate_id').execute();
      await oauthFailure(
        await postCredential(await accessToken(again), request(proof(device, await cNonce()))),
        400,
        'credential_request_denied',
      );
      expect(await served.ctx.db.selectFrom('certificates').select('certificate_id').execute()).toEqual(
        before,
      );
      await served.ctx.db
        .updateTable('persons')
        .set({ state: 'active' })
        .where('state', '=', 'cancelled')
        .execute();
    });

    it('an oversized body with 413 before reading it', async () => {
      const res = await postCredential(await accessToken(), { padding: 'x'.repeat(100_000) });
      expect(res.status).toBe(413);
      const token = await postToken({ grant_type: PRE_AUTH, 'pre-authorized_code': 'x'.repeat(100_000) });
      expect(token.status).toBe(413);
    });
  });
});
