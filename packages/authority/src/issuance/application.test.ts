// Application credentials (DESIGN.md flow 3) from the authority's side, over real HTTP: the offer
// after a self-service authentication, OID4VCI issuance with the library's wallet client, the
// credential's contents, and guarantee 2 — nothing durable is written for it.
import {
  APPLICATION_VCT,
  decodeSdJwt,
  generateSigningKey,
  KeySet,
  presentSdJwt,
  type SigningKey,
  verifySdJwt,
} from '@netid/protocol';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { digest, ES256 } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { redeemResolvedOffer } from '../../../wallet/src/issuance.ts';
import { applicationIdentifier } from '../platforms/app-id.ts';
import type { Platform } from '../platforms/platform.ts';
import { platformRecord } from '../platforms/test-support.ts';
import { type Device, enrollDevice } from '../selfservice/test-support.ts';
import { sqlPlatformStore } from '../sql/platforms.ts';
import { applicationClaims, applicationExpiry, applicationPayload } from './application-credential.ts';
import { ENROLLMENT_LEVEL } from './certificate.ts';
import { APPLICATION_CONFIGURATION_ID } from './metadata.ts';
import { describeServed, type ServedAuthority, signRawJwt, walletCallbacks } from './test-support.ts';

const PRE_AUTH = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const DAY = 86_400;

let people = 0;
const nextPerson = () => `R-77${String(++people).padStart(4, '0')}`;

async function register(served: ServedAuthority, overrides: Partial<Platform> = {}): Promise<Platform> {
  const platform = platformRecord({
    kind: 'internet',
    allowedClaims: ['age_over_18', 'name'],
    mayRequestNetNumber: false,
    state: 'approved',
    ...overrides,
  });
  await sqlPlatformStore(served.ctx.db).insert(platform);
  return platform;
}

/** `Authorization: NetID …` over a challenge fetched over HTTP, as a wallet sends it. */
async function holderAuthorization(served: ServedAuthority, device: Device): Promise<string> {
  const res = await fetch(`${served.url}/selfservice/challenge`, { method: 'POST' });
  const { nonce } = (await res.json()) as { nonce: string };
  const presentation = presentSdJwt(device.credential, {
    disclose: { net_number: true },
    keyBinding: {
      key: device.key,
      audience: served.url,
      nonce,
      iat: Math.floor(served.clock.now / 1000),
    },
  });
  return `NetID ${presentation}`;
}

async function postOffer(served: ServedAuthority, device: Device | undefined, body: unknown) {
  const res = await fetch(`${served.url}/application-credentials/offer`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(device ? { authorization: await holderAuthorization(served, device) } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
}

async function offerUri(served: ServedAuthority, device: Device, clientId: string): Promise<string> {
  const res = await postOffer(served, device, { client_id: clientId });
  expect(res.status).toBe(200);
  return res.body.credentialOfferUri as string;
}

const codeOf = (uri: string): string =>
  JSON.parse(new URL(uri).searchParams.get('credential_offer')!).grants[PRE_AUTH]['pre-authorized_code'];

/** The OpenID4VCI library's wallet client, with our offer, metadata and endpoints; the proof by `proofKey`. */
async function libraryRedeems(uri: string, proofKey: SigningKey): Promise<string> {
  const client = new Openid4vciClient({ callbacks: walletCallbacks(proofKey) });
  const offer = await client.resolveCredentialOffer(uri);
  return redeemResolvedOffer(client, offer, proofKey, { configurationId: APPLICATION_CONFIGURATION_ID });
}

/** Token, nonce and credential by hand, so a test can break one step and read the OAuth error. */
function rawFlow(served: ServedAuthority) {
  return {
    async token(code: string, extra: Record<string, string> = {}) {
      const res = await fetch(`${served.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: PRE_AUTH, 'pre-authorized_code': code, ...extra }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    },
    async nonce() {
      const res = await fetch(`${served.url}/nonce`, { method: 'POST' });
      return ((await res.json()) as { c_nonce: string }).c_nonce;
    },
    proof(key: SigningKey, nonce: string) {
      return signRawJwt(
        key,
        { alg: key.alg, typ: 'openid4vci-proof+jwt', jwk: key.publicJwk },
        { aud: served.url, iat: Math.floor(served.clock.now / 1000), nonce },
      );
    },
    async credential(accessToken: string, configurationId: string, proof: string) {
      const res = await fetch(`${served.url}/credential`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ credential_configuration_id: configurationId, proofs: { jwt: [proof] } }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
  };
}

const transientRows = async (served: ServedAuthority) =>
  Number(
    (
      await served.ctx.db
        .selectFrom('transient')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describeServed('application credentials, over HTTP', (served) => {
  it('are issued to the library wallet client: for one platform, the appId as subject, bound to the device', async () => {
    const device = await enrollDevice(served, nextPerson());
    const platform = await register(served, { allowedClaims: ['age_over_18', 'name', 'birthdate'] });
    const credential = await libraryRedeems(await offerUri(served, device, platform.clientId), device.key);

    const { header, payload, disclosures } = decodeSdJwt(credential);
    // draft-ietf-oauth-sd-jwt-vc §3.2.1: the media type; §3.2.2: iss, vct, cnf, iat, exp in the clear.
    expect(header.typ).toBe('dc+sd-jwt');
    expect(header.kid).toBe(served.ctx.issuerKeys.signing().kid);
    const appId = applicationIdentifier(served.ctx.secrets.appId, platform.sector, device.netNumber);
    expect(payload).toMatchObject({
      iss: served.url,
      vct: APPLICATION_VCT,
      sub: appId,
      client_id: platform.clientId,
    });
    const { kty, crv, x, y } = device.key.publicJwk;
    expect(payload.cnf).toEqual({ jwk: { kty, crv, x, y } });
    expect((payload.exp as number) - (payload.iat as number)).toBe(DAY);
    // Never revoked, so no status reference; and nothing but the platform's claims to disclose.
    expect(payload.status).toBeUndefined();
    expect(Object.fromEntries(disclosures.map((d) => [d.name, d.value]))).toEqual({
      age_over_18: true,
      name: '张三',
      birthdate: '1990-03-07',
    });
    expect(payload._sd).toHaveLength(3);
    expect(JSON.stringify(payload)).not.toContain(device.netNumber);
    // The offer and the token were taken when used.
    expect(await transientRows(served)).toBe(0);
  });

  it('give a person one appId per platform, the same each time, and net_number only where registered', async () => {
    const person = nextPerson();
    const phone = await enrollDevice(served, person);
    const laptop = await enrollDevice(served, person);
    const forum = await register(served, { allowedClaims: ['net_number', 'age_over_18'] });
    const government = await register(served, {
      kind: 'government',
      allowedClaims: ['net_number', 'name'],
      mayRequestNetNumber: true,
    });
    const subjectAt = async (device: Device, p: Platform) => {
      const c = await libraryRedeems(await offerUri(served, device, p.clientId), device.key);
      return { payload: decodeSdJwt(c).payload, disclosed: decodeSdJwt(c).disclosures.map((d) => d.name) };
    };
    const atForum = await subjectAt(phone, forum);
    const atGovernment = await subjectAt(phone, government);
    const againAtForum = await subjectAt(laptop, forum);
    expect(atForum.payload.sub).toBe(
      applicationIdentifier(served.ctx.secrets.appId, forum.sector, phone.netNumber),
    );
    expect(atGovernment.payload.sub).not.toBe(atForum.payload.sub);
    expect(againAtForum.payload.sub).toBe(atForum.payload.sub);
    // Guarantee 1: allowed_claims alone does not release the number; the registration must allow it.
    expect(atForum.disclosed).toEqual(['age_over_18']);
    expect(atGovernment.disclosed.sort()).toEqual(['name', 'net_number']);
  });

  it('refuse suspended (403), pending and unknown (404) platforms, and write no offer', async () => {
    const device = await enrollDevice(served, nextPerson());
    const suspended = await register(served, { state: 'suspended' });
    const pending = await register(served, { state: 'pending' });
    const cases = [
      [suspended.clientId, 403, 'platform_suspended'],
      [pending.clientId, 404, 'platform_not_found'],
      ['no-such-platform', 404, 'platform_not_found'],
    ] as const;
    for (const [clientId, status, code] of cases) {
      const res = await postOffer(served, device, { client_id: clientId });
      expect({ clientId, status: res.status, code: res.body.code }).toEqual({ clientId, status, code });
      expect(res.type).toMatch(/^application\/problem\+json/);
    }
    expect(await transientRows(served)).toBe(0);
  });

  it('need the self-service authentication; a malformed body does not spend the challenge', async () => {
    const platform = await register(served);
    const anonymous = await postOffer(served, undefined, { client_id: platform.clientId });
    expect({ status: anonymous.status, code: anonymous.body.code }).toEqual({
      status: 401,
      code: 'authentication_required',
    });
    const device = await enrollDevice(served, nextPerson());
    const authorization = await holderAuthorization(served, device);
    const send = (body: string) =>
      fetch(`${served.url}/application-credentials/offer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body,
      });
    expect((await send('{"client_id": 7}')).status).toBe(400);
    expect((await send(JSON.stringify({ client_id: platform.clientId }))).status).toBe(200);
    // … but the one request it authenticated did.
    expect((await send(JSON.stringify({ client_id: platform.clientId }))).status).toBe(401);
  });

  it('refuse a proof by another key (invalid_proof) without burning the token or the nonce', async () => {
    const device = await enrollDevice(served, nextPerson());
    const platform = await register(served);
    const flow = rawFlow(served);
    const token = await flow.token(codeOf(await offerUri(served, device, platform.clientId)));
    expect(token.status).toBe(200);
    const nonce = await flow.nonce();
    const stranger = generateSigningKey('ES256');
    const refused = await flow.credential(
      token.body.access_token!,
      APPLICATION_CONFIGURATION_ID,
      flow.proof(stranger, nonce),
    );
    expect({ status: refused.status, error: refused.body.error }).toEqual({
      status: 400,
      error: 'invalid_proof',
    });
    const issued = await flow.credential(
      token.body.access_token!,
      APPLICATION_CONFIGURATION_ID,
      flow.proof(device.key, nonce),
    );
    expect(issued.status).toBe(200);
  });

  it('use the code once and the token once, and only for the application credential', async () => {
    const device = await enrollDevice(served, nextPerson());
    const platform = await register(served);
    const flow = rawFlow(served);
    const code = codeOf(await offerUri(served, device, platform.clientId));
    // OID4VCI 1.0 §6.1: no tx_code was offered, so one sent is an error, and it spends nothing.
    expect((await flow.token(code, { tx_code: '123456' })).body.error).toBe('invalid_request');
    const token = (await flow.token(code)).body.access_token!;
    expect((await flow.token(code)).body.error).toBe('invalid_grant');
    const asCertificate = await flow.credential(
      token,
      'netid_certificate',
      flow.proof(device.key, await flow.nonce()),
    );
    expect(asCertificate.body.error).toBe('invalid_credential_request');
    const proof = flow.proof(device.key, await flow.nonce());
    expect((await flow.credential(token, APPLICATION_CONFIGURATION_ID, proof)).status).toBe(200);
    const again = await flow.credential(
      token,
      APPLICATION_CONFIGURATION_ID,
      flow.proof(device.key, await flow.nonce()),
    );
    expect(again.status).toBe(401);
  });

  it('expire with the offer: a code not redeemed within five minutes is refused', async () => {
    const device = await enrollDevice(served, nextPerson());
    const platform = await register(served);
    const code = codeOf(await offerUri(served, device, platform.clientId));
    served.clock.now += 301_000;
    try {
      expect((await rawFlow(served).token(code)).body.error).toBe('invalid_grant');
    } finally {
      served.clock.now -= 301_000;
    }
  });

  it('are verified by @sd-jwt/sd-jwt-vc 0.19.0 after a key-bound presentation, as by our codec', async () => {
    const device = await enrollDevice(served, nextPerson());
    const platform = await register(served);
    const credential = await libraryRedeems(await offerUri(served, device, platform.clientId), device.key);
    const presentation = presentSdJwt(credential, {
      disclose: { age_over_18: true },
      keyBinding: {
        key: device.key,
        audience: platform.clientId,
        nonce: 'n-1',
        iat: Math.floor(Date.now() / 1000),
      },
    });
    const issuer = served.ctx.issuerKeys.signing();
    expect(issuer.alg).toBe('ES256');
    const reference = new SDJwtVcInstance({
      hasher: digest,
      hashAlg: 'sha-256',
      verifier: await ES256.getVerifier(issuer.publicJwk),
      kbVerifier: async (data: string, sig: string, payload: Record<string, unknown>) =>
        (await ES256.getVerifier((payload.cnf as { jwk: object }).jwk))(data, sig),
    });
    const theirs = await reference.verify(presentation, {
      keyBindingNonce: 'n-1',
      requiredClaimKeys: ['sub'],
    });
    const ours = verifySdJwt(presentation, {
      keys: new KeySet(served.ctx.issuerKeys.jwks()),
      keyBinding: { audience: platform.clientId, nonce: 'n-1' },
    });
    expect(theirs.payload).toEqual(ours.claims);
    expect(theirs.payload).toMatchObject({
      vct: APPLICATION_VCT,
      client_id: platform.clientId,
      age_over_18: true,
    });
    expect(theirs.payload.name).toBeUndefined();
    expect(theirs.kb?.payload).toMatchObject({ aud: platform.clientId, nonce: 'n-1' });
  });
});

/** Rows and content of every durable (logged) table in the schema, whichever tables exist by then. */
async function durableTables<DB>(db: Kysely<DB>): Promise<Record<string, { rows: number; digest: string }>> {
  const tables = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relpersistence = 'p'
     ORDER BY 1`.execute(db);
  const out: Record<string, { rows: number; digest: string }> = {};
  for (const { name } of tables.rows) {
    const row = await sql<{ rows: string; digest: string }>`
      SELECT count(*)::text AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest
        FROM ${sql.table(name)} t`.execute(db);
    out[name] = { rows: Number(row.rows[0]!.rows), digest: row.rows[0]!.digest };
  }
  return out;
}

describeServed('guarantee 2 for application credentials', (served) => {
  it('obtaining one changes no durable table, and leaves the transient table empty', async () => {
    const device = await enrollDevice(served, nextPerson());
    const platform = await register(served);
    const before = await durableTables(served.ctx.db);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(['persons', 'certificates', 'nonces', 'platforms']),
    );
    expect(Object.keys(before)).not.toContain('transient');

    const credential = await libraryRedeems(await offerUri(served, device, platform.clientId), device.key);
    expect(decodeSdJwt(credential).payload.client_id).toBe(platform.clientId);

    const after = await durableTables(served.ctx.db);
    // Row counts of every durable table, and the content of all but the status shards, which the
    // background publisher re-signs on its own schedule (they name nobody).
    const counts = (t: typeof before) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.rows]));
    const contents = (t: typeof before) =>
      Object.fromEntries(
        Object.entries(t).flatMap(([k, v]) => (k === 'status_shards' ? [] : [[k, v.digest]])),
      );
    expect(counts(after)).toEqual(counts(before));
    expect(contents(after)).toEqual(contents(before));
    expect(await transientRows(served)).toBe(0);
  });
});

describe('application credential contents', () => {
  const platform = { allowedClaims: ['age_over_16', 'net_number', 'name'] as Platform['allowedClaims'] };
  const person = {
    netNumber: 'ABCDEFGHJ0',
    attributes: { name: '李四', birthdate: '2008-06-01', documentType: 'resident_id' },
  };

  it('carry the allowed claims the person has, ages on the day of the offer (UTC+8)', () => {
    const claims = applicationClaims(
      { ...platform, mayRequestNetNumber: true },
      person,
      new Date('2024-05-31T16:00:00Z'),
    );
    expect(claims).toEqual({ net_number: 'ABCDEFGHJ0', name: '李四', age_over_16: true });
    const dayBefore = applicationClaims(
      { ...platform, mayRequestNetNumber: false },
      person,
      new Date('2024-05-31T15:59:59Z'),
    );
    expect(dayBefore).toEqual({ name: '李四', age_over_16: false });
    expect(
      applicationClaims(
        { allowedClaims: ['enrollment_level'], mayRequestNetNumber: false },
        person,
        new Date(),
      ),
    ).toEqual({
      enrollment_level: ENROLLMENT_LEVEL,
    });
  });

  it('live a day, or less when the certificate expires sooner', () => {
    const issuedAt = new Date('2030-01-01T00:00:00Z');
    expect(applicationExpiry(issuedAt, new Date('2031-01-01T00:00:00Z'))).toEqual(
      new Date('2030-01-02T00:00:00Z'),
    );
    const soon = new Date('2030-01-01T05:00:00Z');
    expect(applicationExpiry(issuedAt, soon)).toEqual(soon);
    const payload = applicationPayload({
      issuer: 'https://netid.example',
      appId: 'APP',
      clientId: 'forum',
      claims: {},
      deviceJwk: { ...generateSigningKey('EdDSA').publicJwk, kid: 'k', use: 'sig' },
      issuedAt,
      certificateExpiresAt: soon,
    });
    expect(payload.exp).toBe(soon.getTime() / 1000);
    // Only the key's defining members are signed.
    expect(Object.keys((payload.cnf as { jwk: object }).jwk).sort()).toEqual(['crv', 'kty', 'x']);
  });
});
