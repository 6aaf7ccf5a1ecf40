import { KeySet, STATUS, verifyStatusListJwt } from '@netid/protocol';
import { expect, it } from 'vitest';
import { describeServed, type ServedAuthority } from '../issuance/test-support.ts';
import { publishStatusLists } from '../status/publisher.ts';
import { call, challenge, enrollDevice, holderAuth, TEST_PASSWORD } from './test-support.ts';

let people = 0;
/** A registry person id no other test in this authority uses. */
const nextPerson = () => `R-55${String(++people).padStart(4, '0')}`;

async function statusOf(served: ServedAuthority, certificateId: string): Promise<number> {
  const row = await served.ctx.db
    .selectFrom('certificates')
    .select(['status_shard', 'status_index'])
    .where('certificate_id', '=', certificateId)
    .executeTakeFirstOrThrow();
  const res = await served.authority.app.request(`/status/${row.status_shard}`);
  const verified = verifyStatusListJwt(await res.text(), new KeySet(served.ctx.issuerKeys.jwks()), {
    uri: `${served.url}/status/${row.status_shard}`,
    now: Math.floor(served.clock.now / 1000),
  });
  return verified.list.get(row.status_index);
}

async function rowCounts(served: ServedAuthority): Promise<Record<string, number>> {
  const tables = [
    'persons',
    'certificates',
    'status_shards',
    'enrollment_sessions',
    'nonces',
    'access_log',
    'sms_outbox',
    'secrets',
    'issuer_keys',
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await served.ctx.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

const revoke = (served: ServedAuthority, auth: string, id: string, body: unknown) =>
  call(served, 'POST', `/selfservice/certificates/${id}/revoke`, { authorization: auth, body });

describeServed('holder self-service', (served) => {
  it('lists my devices, marks the one presenting, and shows nobody else’s', async () => {
    const person = nextPerson();
    const phone = await enrollDevice(served, person);
    const laptop = await enrollDevice(served, person);
    const stranger = await enrollDevice(served, nextPerson());
    expect(laptop.netNumber).toBe(phone.netNumber);

    const res = await call(served, 'GET', '/selfservice/devices', {
      authorization: await holderAuth(served, laptop),
    });
    expect(res.status).toBe(200);
    const devices = res.body.devices as { id: string; this_device: boolean; revoked: boolean }[];
    expect(devices.map((d) => d.id).sort()).toEqual([phone.certificateId, laptop.certificateId].sort());
    expect(devices.find((d) => d.this_device)?.id).toBe(laptop.certificateId);
    expect(devices.filter((d) => d.this_device)).toHaveLength(1);
    expect(devices.every((d) => !d.revoked)).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain(stranger.certificateId);
  });

  it('revokes my lost device with the password; the published list marks it, the other stays valid', async () => {
    const person = nextPerson();
    const lost = await enrollDevice(served, person);
    const kept = await enrollDevice(served, person);
    await publishStatusLists(served.ctx);
    expect(await statusOf(served, lost.certificateId)).toBe(STATUS.VALID);

    const res = await revoke(served, await holderAuth(served, kept), lost.certificateId, {
      password: TEST_PASSWORD,
      reason: 'lost_device',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: lost.certificateId, revocation_reason: 'lost_device' });

    await publishStatusLists(served.ctx);
    expect(await statusOf(served, lost.certificateId)).toBe(STATUS.INVALID);
    expect(await statusOf(served, kept.certificateId)).toBe(STATUS.VALID);
    // Guarantee 5: each revocation is shown to the holder with its reason.
    const list = await call(served, 'GET', '/selfservice/devices', {
      authorization: await holderAuth(served, kept),
    });
    expect(list.body.devices).toContainEqual(
      expect.objectContaining({ id: lost.certificateId, revoked: true, revocation_reason: 'lost_device' }),
    );
  });

  it('answers 404 for another person’s certificate and leaves it alone', async () => {
    const me = await enrollDevice(served, nextPerson());
    const other = await enrollDevice(served, nextPerson());
    for (const id of [other.certificateId, 'no-such-certificate', 'bad id!']) {
      const res = await revoke(served, await holderAuth(served, me), encodeURIComponent(id), {
        password: TEST_PASSWORD,
        reason: 'holder_request',
      });
      expect({ id, status: res.status, code: res.body.code }).toEqual({
        id,
        status: 404,
        code: 'certificate_not_found',
      });
    }
    const row = await served.ctx.db
      .selectFrom('certificates')
      .select('revoked_at')
      .where('certificate_id', '=', other.certificateId)
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeNull();
  });

  it('locks the password for 15 minutes after 5 wrong ones', async () => {
    const person = nextPerson();
    const device = await enrollDevice(served, person);
    const target = await enrollDevice(served, person);
    for (let attempt = 1; attempt <= 4; attempt++) {
      const res = await revoke(served, await holderAuth(served, device), target.certificateId, {
        password: '11111111',
        reason: 'lost_device',
      });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'wrong_password', attempts_left: 5 - attempt });
    }
    const fifth = await revoke(served, await holderAuth(served, device), target.certificateId, {
      password: '11111111',
      reason: 'lost_device',
    });
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('password_locked');
    const until = Date.parse(fifth.body.locked_until as string);
    expect(until).toBe(served.clock.now + 15 * 60_000);

    // Locked: even the right password does nothing.
    const right = await revoke(served, await holderAuth(served, device), target.certificateId, {
      password: TEST_PASSWORD,
      reason: 'lost_device',
    });
    expect(right.status).toBe(423);
    const row = () =>
      served.ctx.db
        .selectFrom('certificates')
        .select('revoked_at')
        .where('certificate_id', '=', target.certificateId)
        .executeTakeFirstOrThrow();
    expect((await row()).revoked_at).toBeNull();

    const start = served.clock.now;
    try {
      served.clock.now = until + 1000;
      const after = await revoke(served, await holderAuth(served, device), target.certificateId, {
        password: TEST_PASSWORD,
        reason: 'lost_device',
      });
      expect(after.status).toBe(200);
      expect((await row()).revoked_at).not.toBeNull();
      const person_ = await served.ctx.db
        .selectFrom('persons')
        .select(['password_failures', 'password_locked_until'])
        .where('net_number', '=', device.netNumber)
        .executeTakeFirstOrThrow();
      expect(person_).toEqual({ password_failures: 0, password_locked_until: null });
    } finally {
      served.clock.now = start;
    }
  });

  it('refuses a replayed challenge and one it never issued', async () => {
    const device = await enrollDevice(served, nextPerson());
    const auth = await holderAuth(served, device);
    expect((await call(served, 'GET', '/selfservice/devices', { authorization: auth })).status).toBe(200);
    const replay = await call(served, 'GET', '/selfservice/devices', { authorization: auth });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('challenge_invalid');
    const forged = await call(served, 'GET', '/selfservice/devices', {
      authorization: await holderAuth(served, device, { nonce: 'made-up-by-the-client' }),
    });
    expect(forged.body.code).toBe('challenge_invalid');
  });

  it('refuses an expired challenge', async () => {
    const device = await enrollDevice(served, nextPerson());
    const nonce = await challenge(served);
    const start = served.clock.now;
    try {
      served.clock.now += 121_000;
      const res = await call(served, 'GET', '/selfservice/devices', {
        authorization: await holderAuth(served, device, { nonce }),
      });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('challenge_invalid');
    } finally {
      served.clock.now = start;
    }
  });

  it('refuses presentations without key binding, for another audience, or without net_number', async () => {
    const device = await enrollDevice(served, nextPerson());
    const cases: [string, string | undefined, string][] = [
      ['no header', undefined, 'authentication_required'],
      ['other scheme', 'Bearer abc', 'authentication_required'],
      ['garbage', 'NetID !!!', 'authentication_required'],
      ['not a JWT', 'NetID abc~def', 'invalid_presentation'],
      ['no KB-JWT', await holderAuth(served, device, { keyBinding: false }), 'invalid_presentation'],
      [
        'wrong audience',
        await holderAuth(served, device, { audience: 'https://forum.example' }),
        'invalid_presentation',
      ],
      ['net_number hidden', await holderAuth(served, device, { disclose: {} }), 'invalid_presentation'],
    ];
    for (const [what, authorization, code] of cases) {
      const res = await call(served, 'GET', '/selfservice/devices', authorization ? { authorization } : {});
      expect({ what, status: res.status, type: res.type, code: res.body.code }).toEqual({
        what,
        status: 401,
        type: 'application/problem+json',
        code,
      });
    }
  });

  it('no longer lets a revoked certificate authenticate', async () => {
    const person = nextPerson();
    const device = await enrollDevice(served, person);
    const other = await enrollDevice(served, person);
    const res = await revoke(served, await holderAuth(served, other), device.certificateId, {
      password: TEST_PASSWORD,
      reason: 'holder_request',
    });
    expect(res.status).toBe(200);
    const refused = await call(served, 'GET', '/selfservice/devices', {
      authorization: await holderAuth(served, device),
    });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('certificate_revoked');
    // Guarantee 5: the holder is shown the reason.
    expect(refused.body.revocation_reason).toBe('holder_request');
  });

  it('stores nothing about an authentication (guarantee 2)', async () => {
    const device = await enrollDevice(served, nextPerson());
    const before = await rowCounts(served);
    const auth = await holderAuth(served, device);
    expect((await call(served, 'GET', '/selfservice/devices', { authorization: auth })).status).toBe(200);
    expect(
      (
        await call(served, 'GET', '/selfservice/access-log', {
          authorization: await holderAuth(served, device),
        })
      ).status,
    ).toBe(200);
    expect(await rowCounts(served)).toEqual(before);
  });

  it('cancels the network number: every certificate revoked, personal data gone, dedupe hash kept', async () => {
    const person = nextPerson();
    const a = await enrollDevice(served, person);
    const b = await enrollDevice(served, person);
    const before = await served.ctx.db
      .selectFrom('persons')
      .select('dedupe_hash')
      .where('net_number', '=', a.netNumber)
      .executeTakeFirstOrThrow();

    const wrong = await call(served, 'POST', '/selfservice/cancel', {
      authorization: await holderAuth(served, a),
      body: { password: '99999999' },
    });
    expect(wrong.status).toBe(401);
    expect(
      (
        await served.ctx.db
          .selectFrom('persons')
          .select('state')
          .where('net_number', '=', a.netNumber)
          .executeTakeFirstOrThrow()
      ).state,
    ).toBe('active');

    const res = await call(served, 'POST', '/selfservice/cancel', {
      authorization: await holderAuth(served, a),
      body: { password: TEST_PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ state: 'cancelled', revoked_certificates: 2 });

    const row = await served.ctx.db
      .selectFrom('persons')
      .selectAll()
      .where('net_number', '=', a.netNumber)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'cancelled', attributes_enc: null, password_hash: null });
    expect(row.cancelled_at).not.toBeNull();
    expect(Buffer.from(row.dedupe_hash).equals(Buffer.from(before.dedupe_hash))).toBe(true);
    const certificates = await served.ctx.db
      .selectFrom('certificates')
      .select(['revoked_at', 'revocation_reason'])
      .where('net_number', '=', a.netNumber)
      .execute();
    expect(certificates).toHaveLength(2);
    for (const c of certificates) expect(c.revocation_reason).toBe('holder_request');

    await publishStatusLists(served.ctx);
    expect(await statusOf(served, b.certificateId)).toBe(STATUS.INVALID);
    const again = await call(served, 'GET', '/selfservice/devices', {
      authorization: await holderAuth(served, b),
    });
    expect(again.status).toBe(401);
  });

  it('answers bad input with a 4xx problem, never a 500', async () => {
    const person = nextPerson();
    const device = await enrollDevice(served, person);
    const target = await enrollDevice(served, person);
    const bodies: { rawBody?: string; body?: unknown }[] = [
      { rawBody: '{' },
      { rawBody: 'null' },
      { body: [] },
      { body: {} },
      { body: { password: 12345678, reason: 'lost_device' } },
      { body: { password: TEST_PASSWORD, reason: 'platform_report' } },
      { body: { password: TEST_PASSWORD, reason: ['lost_device'] } },
      { body: { password: TEST_PASSWORD } },
      { body: { password: 'x'.repeat(10_000), reason: 'lost_device' } },
    ];
    for (const input of bodies) {
      // A cancel with the right password is not bad input: it would cancel.
      const rightPassword = (input.body as { password?: unknown } | undefined)?.password === TEST_PASSWORD;
      const paths = [`/selfservice/certificates/${target.certificateId}/revoke`];
      if (!rightPassword) paths.push('/selfservice/cancel');
      for (const path of paths) {
        const res = await call(served, 'POST', path, {
          authorization: await holderAuth(served, device),
          ...input,
        });
        expect({ input, path, status: res.status >= 400 && res.status < 500, type: res.type }).toEqual({
          input,
          path,
          status: true,
          type: 'application/problem+json',
        });
      }
    }
    const reason = await revoke(served, await holderAuth(served, device), target.certificateId, {
      password: TEST_PASSWORD,
      reason: 'enrollment_fraud',
    });
    expect(reason.body.code).toBe('invalid_reason');
    const row = await served.ctx.db
      .selectFrom('persons')
      .select(['state', 'password_failures'])
      .where('net_number', '=', device.netNumber)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('active');
  });
});
