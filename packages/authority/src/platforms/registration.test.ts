import { randomBytes } from 'node:crypto';
import { generateSigningKey } from '@netid/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../config.ts';
import { Problem } from '../http/problem.ts';
import { createSealer } from '../keys/kek.ts';
import { sqlPlatformStore } from '../sql/platforms.ts';
import { type Backend, backends } from '../testing/backends.ts';
import { platformFinder } from './finder.ts';
import type { PlatformStore } from './platform.ts';
import { type RegistrationInput, registerPlatform } from './registration.ts';
import { publicJwks, validRegistration } from './test-support.ts';

const pglite = backends.find((b) => b.name === 'pglite')!;
const sealer = createSealer(randomBytes(32));
const NOW = Date.parse('2026-05-01T08:00:00Z');
const ctxFor = (env: Config['env']) => ({ config: { env } as Config, sealer, now: () => NOW });
const dev = ctxFor('development');
const prod = ctxFor('production');

const privateJwk = () => {
  const key = generateSigningKey('ES256');
  return { ...(key.privateKey.export({ format: 'jwk' }) as object), kid: key.kid };
};
const edPrivateJwk = () => {
  const key = generateSigningKey('EdDSA');
  return { ...(key.privateKey.export({ format: 'jwk' }) as object), kid: key.kid };
};

let opened: Awaited<ReturnType<Backend['open']>>;
let store: PlatformStore;
beforeAll(async () => {
  opened = await pglite.open();
  store = sqlPlatformStore(opened.database.db);
});
afterAll(() => opened?.cleanup());

describe('registering a platform', () => {
  it('stores a valid registration as pending, with defaults filled in', async () => {
    const input = validRegistration({ name: { zh: ' 示例论坛 ', en: 'Example Forum' } });
    const { platform, clientSecret } = await registerPlatform(dev, store, input);
    expect(clientSecret).toBeUndefined();
    expect(platform).toMatchObject({
      clientId: input.client_id,
      sector: input.client_id,
      kind: 'internet',
      name: { zh: '示例论坛', en: 'Example Forum' },
      postLogoutRedirectUris: [],
      clientSecretEnc: null,
      allowedClaims: ['age_over_18'],
      allowedModes: ['cert'],
      mayRequestNetNumber: false,
      state: 'pending',
      createdAt: new Date(NOW),
    });
    expect(await store.find(platform.clientId)).toEqual(platform);
  });

  it('makes up a client id when none is given', async () => {
    const { client_id: _, ...input } = validRegistration();
    const { platform } = await registerPlatform(dev, store, input);
    expect(platform.clientId).toMatch(/^p_[a-z2-7]{16}$/);
    expect(platform.sector).toBe(platform.clientId);
  });

  it('keeps only the public members of each key, and accepts Ed25519', async () => {
    const ed = publicJwks('EdDSA').keys[0]!;
    const input = validRegistration({ jwks: { keys: [{ ...ed, x5c: ['MIIB…'], note: 'hi' }] } });
    const { platform } = await registerPlatform(dev, store, input);
    expect(platform.jwks).toEqual({
      keys: [{ kty: 'OKP', crv: 'Ed25519', x: ed.x, kid: ed.kid, use: 'sig', alg: 'EdDSA' }],
    });
  });

  it('registers a government platform that may request the network number, approved when asked', async () => {
    const { platform } = await registerPlatform(
      prod,
      store,
      validRegistration({
        kind: 'government',
        allowed_claims: ['name', 'net_number', 'name'],
        allowed_modes: ['cert+password', 'cert'],
        may_request_net_number: true,
        sector: 'gov.example:tax',
        approve: true,
      }),
    );
    expect(platform).toMatchObject({
      allowedClaims: ['name', 'net_number'],
      allowedModes: ['cert+password', 'cert'],
      mayRequestNetNumber: true,
      sector: 'gov.example:tax',
      state: 'approved',
    });
  });

  it('in development, generates a client secret, returns it once and stores it only sealed', async () => {
    const input = validRegistration({ jwks: undefined, client_secret: true });
    const { platform, clientSecret } = await registerPlatform(dev, store, input);
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = (await store.find(platform.clientId))!;
    expect(stored.clientSecretEnc?.includes(Buffer.from(clientSecret!))).toBe(false);
    expect(
      sealer.open(stored.clientSecretEnc!, `platform-secret:${platform.clientId}`).toString('base64url'),
    ).toBe(clientSecret);
    // Bound to its platform: the seal does not open under another client id.
    expect(() => sealer.open(stored.clientSecretEnc!, 'platform-secret:other')).toThrow();

    const finder = platformFinder({ config: dev.config, sealer, db: opened.database.db });
    expect(finder.clientSecret((await finder.find(platform.clientId))!)).toBe(clientSecret);
    // A development database carried into production does not make secrets usable there.
    const prodFinder = platformFinder({ config: prod.config, sealer, db: opened.database.db });
    expect(prodFinder.clientSecret(stored)).toBeUndefined();
    expect(
      finder.clientSecret((await registerPlatform(dev, store, validRegistration())).platform),
    ).toBeUndefined();
  });

  const loopback = ['http://127.0.0.1:3000/cb', 'http://localhost/cb', 'http://[::1]:8080/cb'];
  it.each(loopback)('accepts the loopback http redirect %s in development only', async (uri) => {
    await expect(
      registerPlatform(dev, store, validRegistration({ redirect_uris: [uri] })),
    ).resolves.toBeDefined();
    await expect(
      registerPlatform(prod, store, validRegistration({ redirect_uris: [uri] })),
    ).rejects.toMatchObject({
      code: 'invalid_redirect_uri',
    });
  });

  type Case = [string, Partial<RegistrationInput> | ((input: RegistrationInput) => unknown), string];
  const refusals: Case[] = [
    ['not an object', () => 'platform', 'invalid_request'],
    ['an unknown member', (i) => ({ ...i, redirect_uri: 'https://x.example/cb' }), 'invalid_request'],
    ['an unknown kind', (i) => ({ ...i, kind: 'commercial' }), 'invalid_request'],
    ['an empty name', { name: { zh: ' ', en: 'Forum' } }, 'invalid_request'],
    ['a name without its English form', (i) => ({ ...i, name: { zh: '论坛' } }), 'invalid_request'],
    ['a purpose over 200 characters', { purpose: { zh: '用途', en: 'x'.repeat(201) } }, 'invalid_request'],
    ['no redirect URI', { redirect_uris: [] }, 'invalid_request'],
    ['no allowed_modes', (i) => ({ ...i, allowed_modes: undefined }), 'invalid_request'],
    ['an upper-case client id', { client_id: 'Forum' }, 'invalid_client_id'],
    ['a two-character client id', { client_id: 'ab' }, 'invalid_client_id'],
    ['a client id with a slash', { client_id: 'a/b/c' }, 'invalid_client_id'],
    ['a 65-character client id', { client_id: 'a'.repeat(65) }, 'invalid_client_id'],
    ['a sector with spaces', { sector: 'my sector' }, 'invalid_sector'],
    ['a relative redirect URI', { redirect_uris: ['/callback'] }, 'invalid_redirect_uri'],
    [
      'redirect URIs on two hosts (pairwise subjects are per host)',
      { redirect_uris: ['https://a.example/cb', 'https://b.example/cb'] },
      'invalid_redirect_uri',
    ],
    [
      'an http redirect to a public host',
      { redirect_uris: ['http://forum.example/cb'] },
      'invalid_redirect_uri',
    ],
    [
      'a redirect URI with a fragment',
      { redirect_uris: ['https://forum.example/cb#x'] },
      'invalid_redirect_uri',
    ],
    [
      'a redirect URI with an empty fragment',
      { redirect_uris: ['https://forum.example/cb#'] },
      'invalid_redirect_uri',
    ],
    [
      'a redirect URI with user info',
      { redirect_uris: ['https://u:p@forum.example/cb'] },
      'invalid_redirect_uri',
    ],
    ['a custom-scheme redirect URI', { redirect_uris: ['forum://cb'] }, 'invalid_redirect_uri'],
    ['a javascript: redirect URI', { redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri'],
    [
      'a bad post-logout URI',
      { post_logout_redirect_uris: ['http://forum.example/'] },
      'invalid_redirect_uri',
    ],
    ['a JWKS that is a bare key', () => validRegistration({ jwks: publicJwks().keys[0] }), 'invalid_jwks'],
    ['an empty JWKS', { jwks: { keys: [] } }, 'invalid_jwks'],
    ['a key without kid', { jwks: { keys: [{ ...publicJwks().keys[0], kid: undefined }] } }, 'invalid_jwks'],
    ['two keys with one kid', () => twoKeysOneKid(), 'invalid_jwks'],
    ['an RSA key', { jwks: { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'r' }] } }, 'invalid_jwks'],
    [
      'a P-384 key',
      { jwks: { keys: [{ kty: 'EC', crv: 'P-384', x: 'AA', y: 'AA', kid: 'e' }] } },
      'invalid_jwks',
    ],
    ['a point off the curve', () => offCurve(), 'invalid_jwks'],
    ['a key whose alg disagrees', () => withMember({ alg: 'EdDSA' }), 'invalid_jwks'],
    ['an encryption key', () => withMember({ use: 'enc' }), 'invalid_jwks'],
    ['a private EC key', () => validRegistration({ jwks: { keys: [privateJwk()] } }), 'jwks_private_key'],
    [
      'a private Ed25519 key',
      () => validRegistration({ jwks: { keys: [edPrivateJwk()] } }),
      'jwks_private_key',
    ],
    ['a symmetric key', { jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 's' }] } }, 'jwks_private_key'],
    ['an RSA private member', () => withMember({ dp: 'AA' }), 'jwks_private_key'],
    ['neither keys nor secret', { jwks: undefined }, 'client_authentication_required'],
    [
      'client_secret false and no keys',
      { jwks: undefined, client_secret: false },
      'client_authentication_required',
    ],
    ['an unknown claim', { allowed_claims: ['email'] }, 'unknown_claim'],
    ['net_number for an internet platform', { allowed_claims: ['net_number'] }, 'net_number_not_allowed'],
    [
      'may_request_net_number for an internet platform',
      { may_request_net_number: true, allowed_claims: ['net_number'] },
      'net_number_not_allowed',
    ],
    [
      'net_number without may_request_net_number',
      { kind: 'government', allowed_claims: ['net_number'] },
      'net_number_mismatch',
    ],
    [
      'may_request_net_number without the claim',
      { kind: 'government', may_request_net_number: true, allowed_claims: ['name'] },
      'net_number_mismatch',
    ],
    ['an empty mode list', { allowed_modes: [] }, 'modes_required'],
    ['an unknown mode', { allowed_modes: ['password'] }, 'unknown_mode'],
    ['a face mode', { allowed_modes: ['cert', 'cert+face'] }, 'mode_unavailable'],
    ['the password-and-face mode', { allowed_modes: ['cert+password+face'] }, 'mode_unavailable'],
  ];

  const table = refusals.map(([what, change, code]) => ({ what, change, code }));
  it.each(table)('refuses $what → $code, and stores nothing', async ({ change, code }) => {
    const before = await store.list();
    const base = validRegistration();
    const input = typeof change === 'function' ? change(base) : { ...base, ...change };
    const attempt = registerPlatform(dev, store, input);
    await expect(attempt).rejects.toBeInstanceOf(Problem);
    await expect(attempt).rejects.toMatchObject({ status: 400, code });
    expect(await store.list()).toEqual(before);
  });

  it('refuses a client secret in production, with keys or without, and stores nothing', async () => {
    const before = await store.list();
    for (const jwks of [undefined, publicJwks()]) {
      await expect(
        registerPlatform(prod, store, validRegistration({ jwks, client_secret: true })),
      ).rejects.toMatchObject({ status: 400, code: 'client_secret_not_allowed' });
    }
    expect(await store.list()).toEqual(before);
  });

  it('refuses a taken client id or sector with 409', async () => {
    const { platform } = await registerPlatform(dev, store, validRegistration());
    await expect(
      registerPlatform(
        dev,
        store,
        validRegistration({ client_id: platform.clientId, sector: 'another-sector' }),
      ),
    ).rejects.toMatchObject({ status: 409, code: 'platform_exists' });
    // The default sector is the client id, so a platform named like another's sector is refused too.
    await expect(
      registerPlatform(dev, store, validRegistration({ sector: platform.sector })),
    ).rejects.toMatchObject({ status: 409, code: 'sector_taken' });
  });
});

function twoKeysOneKid(): RegistrationInput {
  const [a, b] = [publicJwks().keys[0]!, publicJwks().keys[0]!];
  return validRegistration({ jwks: { keys: [a, { ...b, kid: a.kid }] } });
}

function withMember(member: Record<string, unknown>): RegistrationInput {
  return validRegistration({ jwks: { keys: [{ ...publicJwks().keys[0], ...member }] } });
}

function offCurve(): RegistrationInput {
  const key = publicJwks().keys[0]!;
  const y = Buffer.from(key.y as string, 'base64url');
  y[31] = (y[31] ?? 0) ^ 1;
  return validRegistration({ jwks: { keys: [{ ...key, y: y.toString('base64url') }] } });
}
