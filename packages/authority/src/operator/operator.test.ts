import { randomBytes } from 'node:crypto';
import { generateNetNumber, KeySet } from '@netid/protocol';
import { beforeAll, expect, it } from 'vitest';
import { describeServed, type ServedAuthority } from '../issuance/test-support.ts';
import { call, enrollDevice, holderAuth } from '../selfservice/test-support.ts';
import { REVOCATION_REASONS } from '../status/revoke.ts';
import { LOOKUP_REASONS } from './lookup-reasons.ts';
import { sameToken } from './token.ts';

const TOKEN = randomBytes(32).toString('base64url');
const operator = `Bearer ${TOKEN}`;

let people = 0;
const nextPerson = () => `R-66${String(++people).padStart(4, '0')}`;

const logRows = (served: ServedAuthority, netNumber: string) =>
  served.ctx.db.selectFrom('access_log').selectAll().where('net_number', '=', netNumber).execute();

const certificate = (served: ServedAuthority, id: string) =>
  served.ctx.db
    .selectFrom('certificates')
    .select(['revoked_at', 'revocation_reason', 'status_shard'])
    .where('certificate_id', '=', id)
    .executeTakeFirstOrThrow();

it('compares tokens exactly, whatever their lengths', () => {
  expect(sameToken(TOKEN, TOKEN)).toBe(true);
  expect(sameToken(`${TOKEN}x`, TOKEN)).toBe(false);
  expect(sameToken('', TOKEN)).toBe(false);
  expect(sameToken(TOKEN.slice(0, -1), TOKEN)).toBe(false);
});

describeServed('the operator API', (served) => {
  beforeAll(() => {
    served.ctx.config.operatorToken = TOKEN;
  });

  it('refuses every route without the operator token', async () => {
    const device = await enrollDevice(served, nextPerson());
    const routes: [string, string, unknown][] = [
      ['POST', `/operator/certificates/${device.certificateId}/revoke`, { reason: 'enrollment_fraud' }],
      ['GET', `/operator/persons/${device.netNumber}?reason=court_order`, undefined],
      ['POST', '/operator/keys/rotate', { overlapDays: 30 }],
    ];
    const kid = served.ctx.issuerKeys.signing().kid;
    for (const [method, path, body] of routes) {
      for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, TOKEN, `Basic ${TOKEN}`]) {
        const res = await call(served, method, path, { ...(authorization ? { authorization } : {}), body });
        expect({ path, authorization, status: res.status, code: res.body.code }).toEqual({
          path,
          authorization,
          status: 401,
          code: 'operator_unauthorized',
        });
      }
    }
    expect((await certificate(served, device.certificateId)).revoked_at).toBeNull();
    expect(await logRows(served, device.netNumber)).toEqual([]);
    expect(served.ctx.issuerKeys.signing().kid).toBe(kid);
  });

  it('refuses a lookup without a listed reason, and logs nothing', async () => {
    const device = await enrollDevice(served, nextPerson());
    for (const query of [
      '',
      '?reason=',
      '?reason=curiosity',
      '?reason=COURT_ORDER',
      '?reason=court_order&reason=x',
      '?detail=case%201',
    ]) {
      const res = await call(served, 'GET', `/operator/persons/${device.netNumber}${query}`, {
        authorization: operator,
      });
      expect({ query, status: res.status, code: res.body.code }).toEqual({
        query,
        status: 400,
        code: 'reason_required',
      });
    }
    const phoneInDetail = await call(
      served,
      'GET',
      `/operator/persons/${device.netNumber}?reason=court_order&detail=call%2013812345678`,
      { authorization: operator },
    );
    expect(phoneInDetail.status).toBe(400);
    expect(phoneInDetail.body.code).toBe('invalid_detail');
    expect(await logRows(served, device.netNumber)).toEqual([]);
  });

  it('logs a lookup with its reason in the same step, and the holder sees it', async () => {
    const device = await enrollDevice(served, nextPerson());
    const res = await call(
      served,
      'GET',
      `/operator/persons/${device.netNumber}?reason=holder_support_request&detail=ticket%20%23A-4411`,
      { authorization: operator },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      net_number: device.netNumber,
      state: 'active',
      certificates: [{ id: device.certificateId, revoked_at: null, revocation_reason: null }],
    });
    // There is no document number, name or phone number in the record to hand out.
    expect(Object.keys(res.body).sort()).toEqual(
      ['cancelled_at', 'certificates', 'created_at', 'net_number', 'state'].sort(),
    );
    expect(await logRows(served, device.netNumber)).toHaveLength(1);

    const seen = await call(served, 'GET', '/selfservice/access-log', {
      authorization: await holderAuth(served, device),
    });
    expect(seen.status).toBe(200);
    expect(seen.body.entries).toEqual([
      {
        at: new Date(served.clock.now).toISOString(),
        actor: 'operator',
        reason: 'holder_support_request',
        detail: 'ticket #A-4411',
      },
    ]);
  });

  it('accepts every listed lookup reason', async () => {
    const device = await enrollDevice(served, nextPerson());
    for (const reason of LOOKUP_REASONS) {
      const res = await call(served, 'GET', `/operator/persons/${device.netNumber}?reason=${reason}`, {
        authorization: operator,
      });
      expect({ reason, status: res.status }).toEqual({ reason, status: 200 });
    }
    expect((await logRows(served, device.netNumber)).map((r) => r.reason).sort()).toEqual(
      [...LOOKUP_REASONS].sort(),
    );
  });

  it('answers 404 for an unknown number and 400 for a malformed one, logging neither', async () => {
    const before = await served.ctx.db
      .selectFrom('access_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const unknown = await call(served, 'GET', `/operator/persons/${generateNetNumber()}?reason=court_order`, {
      authorization: operator,
    });
    expect(unknown.status).toBe(404);
    const malformed = await call(served, 'GET', '/operator/persons/not-a-number?reason=court_order', {
      authorization: operator,
    });
    expect(malformed.status).toBe(400);
    const after = await served.ctx.db
      .selectFrom('access_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('revokes only for a listed reason; anything else is a 400 and changes nothing', async () => {
    const device = await enrollDevice(served, nextPerson());
    const shardVersion = async () =>
      (
        await served.ctx.db
          .selectFrom('status_shards')
          .select('version')
          .where('shard', '=', (await certificate(served, device.certificateId)).status_shard)
          .executeTakeFirstOrThrow()
      ).version;
    const version = await shardVersion();
    const path = `/operator/certificates/${device.certificateId}/revoke`;
    for (const body of [
      { reason: 'platform_report' },
      { reason: 'suspended' },
      { reason: '' },
      { reason: ['deceased'] },
      { reason: null },
      {},
    ]) {
      const res = await call(served, 'POST', path, { authorization: operator, body });
      expect({ body, status: res.status, code: res.body.code }).toEqual({
        body,
        status: 400,
        code: 'invalid_reason',
      });
    }
    for (const rawBody of ['{', '[]', 'null']) {
      const res = await call(served, 'POST', path, { authorization: operator, rawBody });
      expect({ rawBody, status: res.status, type: res.type }).toEqual({
        rawBody,
        status: 400,
        type: 'application/problem+json',
      });
    }
    expect(await certificate(served, device.certificateId)).toMatchObject({
      revoked_at: null,
      revocation_reason: null,
    });
    expect(await shardVersion()).toBe(version);

    const unknown = await call(served, 'POST', '/operator/certificates/nope/revoke', {
      authorization: operator,
      body: { reason: 'deceased' },
    });
    expect(unknown.status).toBe(404);

    const res = await call(served, 'POST', path, {
      authorization: operator,
      body: { reason: 'document_invalidated' },
    });
    expect(res.status).toBe(200);
    expect(await certificate(served, device.certificateId)).toMatchObject({
      revocation_reason: 'document_invalidated',
    });
    expect(await shardVersion()).toBe(version + 1);
    expect(REVOCATION_REASONS).toContain('document_invalidated');
  });

  it('rotates the issuer keys, keeping the old key published', async () => {
    const before = served.ctx.issuerKeys.signing().kid;
    for (const body of [
      {},
      { overlapDays: 0 },
      { overlapDays: 1.5 },
      { overlapDays: '30' },
      { overlapDays: 99_999 },
    ]) {
      const res = await call(served, 'POST', '/operator/keys/rotate', { authorization: operator, body });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect(served.ctx.issuerKeys.signing().kid).toBe(before);
    const res = await call(served, 'POST', '/operator/keys/rotate', {
      authorization: operator,
      body: { overlapDays: 400 },
    });
    expect(res.status).toBe(200);
    expect(res.body.kid).toBe(served.ctx.issuerKeys.signing().kid);
    expect(res.body.kid).not.toBe(before);
    const kids = served.ctx.issuerKeys.jwks().keys.map((k) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([before, res.body.kid]));
    expect(new KeySet(served.ctx.issuerKeys.jwks()).size).toBe(kids.length);
  });
});
