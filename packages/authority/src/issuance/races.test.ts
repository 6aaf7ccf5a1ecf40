import { decodeSdJwt, generateSigningKey } from '@netid/protocol';
import { expect, it } from 'vitest';
import { describeServed, insertIssuableSession, type ServedAuthority, signRawJwt } from './test-support.ts';

const PRE_AUTH = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

const redeem = (served: ServedAuthority, s: { code: string; txCode: string }) =>
  fetch(`${served.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: PRE_AUTH, 'pre-authorized_code': s.code, tx_code: s.txCode }),
  });

async function credentialRequest(served: ServedAuthority, token: string) {
  const { url } = served;
  const device = generateSigningKey('ES256');
  const nonce = ((await (await fetch(`${url}/nonce`, { method: 'POST' })).json()) as { c_nonce: string })
    .c_nonce;
  const jwt = signRawJwt(
    device,
    { alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: device.publicJwk },
    { aud: url, iat: Math.floor(served.clock.now / 1000), nonce },
  );
  return () =>
    fetch(`${url}/credential`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ credential_configuration_id: 'netid_certificate', proofs: { jwt: [jwt] } }),
    });
}

describeServed('single use under concurrency (the guarded updates)', (served) => {
  it('redeems one pre-authorized code once when two token requests race', async () => {
    const s = await insertIssuableSession(served.ctx, { personId: 'R-400001' });
    const statuses = (await Promise.all([redeem(served, s), redeem(served, s), redeem(served, s)]))
      .map((r) => r.status)
      .sort();
    expect(statuses).toEqual([200, 400, 400]);
  });

  it('spends one access token on one certificate when two credential requests race', async () => {
    const s = await insertIssuableSession(served.ctx, { personId: 'R-400002' });
    const token = ((await (await redeem(served, s)).json()) as { access_token: string }).access_token;
    const [a, b] = await Promise.all([credentialRequest(served, token), credentialRequest(served, token)]);
    const statuses = (await Promise.all([a(), b()])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401]);
    const certificates = await served.ctx.db.selectFrom('certificates').select('net_number').execute();
    const persons = await served.ctx.db.selectFrom('persons').select('net_number').execute();
    expect(certificates).toHaveLength(1);
    expect(persons).toHaveLength(1);
  });

  it('gives one number to one person when two of their enrollments issue at once', async () => {
    const sessions = await Promise.all(
      ['phone', 'tablet', 'laptop'].map(() => insertIssuableSession(served.ctx, { personId: 'R-400003' })),
    );
    const tokens = await Promise.all(
      sessions.map(
        async (s) => ((await (await redeem(served, s)).json()) as { access_token: string }).access_token,
      ),
    );
    const requests = await Promise.all(tokens.map((token) => credentialRequest(served, token)));
    const responses = await Promise.all(requests.map((send) => send()));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const numbers = await Promise.all(
      responses.map(async (r) => {
        const { credentials } = (await r.json()) as { credentials: Array<{ credential: string }> };
        return decodeSdJwt(credentials[0]!.credential).disclosures.find((d) => d.name === 'net_number')!
          .value;
      }),
    );
    expect(new Set(numbers).size).toBe(1);
  });
});
