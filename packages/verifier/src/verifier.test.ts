// The platform SDK against a real issuer on loopback that counts requests (privacy guarantee 3:
// direct verification makes zero requests to the authority per presentation).
import {
  exportPublicJwk,
  generateSigningKey,
  issueSdJwt,
  presentSdJwt,
  type SigningKey,
  StatusList,
  signStatusListJwt,
} from '@netid/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type CountingServer, startCountingServer } from './testing/index.ts';
import { createVerifier, type Verifier } from './verifier.ts';

const AUD = 'https://forum.example.com';

interface Issuer {
  server: CountingServer;
  key: SigningKey;
  list: StatusList;
  publishList(maxAge?: number): void;
  credential(idx: number, holder: SigningKey, extra?: Record<string, unknown>): string;
}

async function startIssuer(options: { listMaxAge?: number } = {}): Promise<Issuer> {
  const server = await startCountingServer();
  const key = generateSigningKey();
  const list = new StatusList(2, 1024);
  const issuer: Issuer = {
    server,
    key,
    list,
    publishList(maxAge = options.listMaxAge ?? 300) {
      const token = signStatusListJwt(
        { uri: `${server.url}/status/0`, list, exp: Math.floor(Date.now() / 1000) + 86400, ttl: maxAge },
        key,
      );
      server.setRoute('/status/0', () => ({
        headers: { 'content-type': 'application/statuslist+jwt', 'cache-control': `max-age=${maxAge}` },
        body: token,
      }));
    },
    credential(idx, holder, extra = {}) {
      const now = Math.floor(Date.now() / 1000);
      return issueSdJwt(
        {
          payload: {
            iss: server.url,
            iat: now,
            exp: now + 3600,
            vct: 'urn:netid:certificate:1',
            cnf: { jwk: exportPublicJwk(holder.privateKey) },
            status: { status_list: { idx, uri: `${server.url}/status/0` } },
            name: '张伟',
            age_over_18: true,
            ...extra,
          },
          frame: { _sd: ['name', 'age_over_18'] },
        },
        key,
      );
    },
  };
  server.setRoute('/.well-known/jwt-vc-issuer', () => ({
    headers: { 'content-type': 'application/json', 'cache-control': 'max-age=300' },
    body: JSON.stringify({
      issuer: server.url,
      jwks_uri: `${server.url}/jwks`,
      status_lists: [`${server.url}/status/0`],
    }),
  }));
  server.setRoute('/jwks', () => ({
    headers: { 'content-type': 'application/jwk-set+json', 'cache-control': 'max-age=300' },
    body: JSON.stringify({ keys: [key.publicJwk] }),
  }));
  issuer.publishList();
  return issuer;
}

function present(
  sdJwt: string,
  holder: SigningKey,
  nonce: string,
  disclose: Record<string, boolean> = { age_over_18: true },
) {
  return presentSdJwt(sdJwt, { disclose, keyBinding: { key: holder, audience: AUD, nonce } });
}

const open: { verifier?: Verifier; issuer?: Issuer }[] = [];
afterEach(async () => {
  for (const { verifier, issuer } of open.splice(0)) {
    verifier?.close();
    await issuer?.server.close();
  }
});

async function setup(options: { listMaxAge?: number; minRefreshSeconds?: number } = {}) {
  const issuer = await startIssuer(options);
  const verifier = createVerifier({
    issuer: issuer.server.url,
    cache: { minRefreshSeconds: options.minRefreshSeconds ?? 30 },
  });
  open.push({ verifier, issuer });
  await verifier.ready();
  return { issuer, verifier, holder: generateSigningKey() };
}

describe('createVerifier', () => {
  it('verifies presentations from memory: zero requests to the issuer per presentation', async () => {
    const { issuer, verifier, holder } = await setup();
    const sdJwt = issuer.credential(5, holder);
    const before = issuer.server.count();
    expect(before).toBe(3); // metadata, JWKS, the one status list shard
    for (let i = 0; i < 200; i++) {
      const nonce = `nonce-${i}`;
      const result = await verifier.verify(present(sdJwt, holder, nonce), { audience: AUD, nonce });
      expect(result.claims.age_over_18).toBe(true);
      expect(result.claims).not.toHaveProperty('name');
    }
    expect(issuer.server.count()).toBe(before);
  });

  it('returns claims, subject and expiry, and enforces required claims', async () => {
    const { issuer, verifier, holder } = await setup();
    const sdJwt = issuer.credential(6, holder, { sub: 'APPID123' });
    const result = await verifier.verify(present(sdJwt, holder, 'n1', { name: true }), {
      audience: AUD,
      nonce: 'n1',
      requiredClaims: ['name'],
    });
    expect(result).toMatchObject({
      subject: 'APPID123',
      vct: 'urn:netid:certificate:1',
      claims: { name: '张伟' },
    });
    expect(result.expiresAt).toBeGreaterThan(Date.now() / 1000);
    await expect(
      verifier.verify(present(sdJwt, holder, 'n2'), { audience: AUD, nonce: 'n2', requiredClaims: ['name'] }),
    ).rejects.toMatchObject({ code: 'ERR_CLAIM_MISSING' });
  });

  it('refuses a revoked certificate, and sees a new revocation after its background refresh', async () => {
    const { issuer, verifier, holder } = await setup({ listMaxAge: 1, minRefreshSeconds: 1 });
    issuer.list.set(7, 1);
    issuer.publishList(1);
    const revoked = issuer.credential(7, holder);
    const valid = issuer.credential(8, holder);
    await verifier.verify(present(valid, holder, 'a'), { audience: AUD, nonce: 'a' });
    // The list fetched at start-up did not yet have index 7 revoked; wait for the refresh.
    await expect
      .poll(
        () =>
          verifier.verify(present(revoked, holder, 'b'), { audience: AUD, nonce: 'b' }).catch((e) => e.code),
        { timeout: 15_000, interval: 200 },
      )
      .toBe('ERR_STATUS_REVOKED');
    issuer.list.set(8, 2);
    issuer.publishList(1);
    await expect
      .poll(
        () =>
          verifier.verify(present(valid, holder, 'c'), { audience: AUD, nonce: 'c' }).catch((e) => e.code),
        { timeout: 15_000, interval: 200 },
      )
      .toBe('ERR_STATUS_SUSPENDED');
  });

  it('keeps verifying from cache when the issuer is unreachable', async () => {
    const { issuer, verifier, holder } = await setup();
    const sdJwt = issuer.credential(9, holder);
    await issuer.server.close();
    const result = await verifier.verify(present(sdJwt, holder, 'x'), { audience: AUD, nonce: 'x' });
    expect(result.claims.age_over_18).toBe(true);
  });

  it('never fetches a status list from an origin the presentation chose', async () => {
    const { issuer, verifier, holder } = await setup();
    const elsewhere = await startCountingServer();
    try {
      const sdJwt = issuer.credential(1, holder, {
        status: { status_list: { idx: 1, uri: `${elsewhere.url}/status/0` } },
      });
      await expect(
        verifier.verify(present(sdJwt, holder, 'e'), { audience: AUD, nonce: 'e' }),
      ).rejects.toMatchObject({
        code: 'ERR_STATUS_LIST_UNAVAILABLE',
      });
      await new Promise((r) => setTimeout(r, 100));
      expect(elsewhere.count()).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('checks issuer, audience, nonce and signature', async () => {
    const { issuer, verifier, holder } = await setup();
    const sdJwt = issuer.credential(2, holder);
    const p = present(sdJwt, holder, 'good');
    await expect(verifier.verify(p, { audience: AUD, nonce: 'bad' })).rejects.toMatchObject({
      code: 'ERR_KB_NONCE_MISMATCH',
    });
    await expect(
      verifier.verify(p, { audience: 'https://other.example', nonce: 'good' }),
    ).rejects.toMatchObject({
      code: 'ERR_KB_AUD_MISMATCH',
    });
    const foreign = issuer.credential(2, holder, { iss: 'https://impostor.example' });
    await expect(
      verifier.verify(present(foreign, holder, 'f'), { audience: AUD, nonce: 'f' }),
    ).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
    });
    const rogue = issueSdJwt({ payload: { iss: issuer.server.url, vct: 'x' } }, generateSigningKey());
    await expect(verifier.verify(`${rogue}`, { audience: AUD, nonce: 'g' })).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  });

  it('with pinned keys fetches no metadata or keys at all', async () => {
    const issuer = await startIssuer();
    const verifier = createVerifier({
      issuer: issuer.server.url,
      jwks: { keys: [issuer.key.publicJwk] },
      statusLists: [`${issuer.server.url}/status/0`],
    });
    open.push({ verifier, issuer });
    await verifier.ready();
    const holder = generateSigningKey();
    await verifier.verify(present(issuer.credential(3, holder), holder, 'p'), { audience: AUD, nonce: 'p' });
    expect(issuer.server.count('/.well-known/jwt-vc-issuer')).toBe(0);
    expect(issuer.server.count('/jwks')).toBe(0);
    expect(issuer.server.count()).toBe(1);
  });
});
