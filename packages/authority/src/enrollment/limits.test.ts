import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeServed } from '../issuance/test-support.ts';
import { maskPhone } from '../sms/mask.ts';
import { sqlRateLimits } from '../sql/enrollment.ts';
import { type Backend, backends } from '../testing/backends.ts';
import { LIMITS } from './limits.ts';
import { normalizePhone } from './phone.ts';
import { documentOf, seedResidents, testResident } from './test-support.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(backends)('rate-limit counters on $name', (backend: Backend) => {
  describe.skipIf(!backend.available)('store', () => {
    let storage: Awaited<ReturnType<Backend['open']>>;
    beforeAll(async () => {
      storage = await backend.open();
    });
    afterAll(() => storage?.cleanup());
    const window = (startMs: number, ms: number) => ({
      start: new Date(startMs),
      end: new Date(startMs + ms),
    });

    it('counts up to the limit, then refuses until a use is given back', async () => {
      const limits = sqlRateLimits(storage.database.db);
      const key = randomBytes(32);
      const w = window(Date.UTC(2030, 0, 1), HOUR);
      const now = new Date(w.start.getTime() + 1000);
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await limits.take(key, w, 3, now));
      expect(answers).toEqual([true, true, true, false]);
      // Another key, or the next window, counts on its own.
      expect(await limits.take(randomBytes(32), w, 3, now)).toBe(true);
      await limits.release(key, w.start);
      expect(await limits.take(key, w, 3, now)).toBe(true);
      expect(await limits.take(key, w, 3, now)).toBe(false);
    });

    it('never lets parallel requests past the limit', async () => {
      const limits = sqlRateLimits(storage.database.db);
      const key = randomBytes(32);
      const w = window(Date.UTC(2030, 0, 2), HOUR);
      const answers = await Promise.all(Array.from({ length: 12 }, () => limits.take(key, w, 5, w.start)));
      expect(answers.filter(Boolean)).toHaveLength(5);
    });

    it('deletes a window once it has ended, and keeps nothing but hash, window and count', async () => {
      const { db } = storage.database;
      const limits = sqlRateLimits(db);
      const key = randomBytes(32);
      const w = window(Date.UTC(2030, 0, 3), HOUR);
      await limits.take(key, w, 5, w.start);
      const row = await db
        .selectFrom('rate_limits')
        .selectAll()
        .where('key_hash', '=', key)
        .executeTakeFirst();
      expect(Object.keys(row!).sort()).toEqual(['count', 'expires_at', 'key_hash', 'window_start']);
      await limits.take(randomBytes(32), window(w.end.getTime(), HOUR), 5, w.end);
      const left = await db
        .selectFrom('rate_limits')
        .select('key_hash')
        .where('expires_at', '<=', w.end)
        .execute();
      expect(left).toEqual([]);
    });
  });
});

describeServed('enrollment abuse limits', (served) => {
  const resident = testResident();
  beforeAll(async () => {
    await seedResidents(served.ctx, [resident]);
  });
  // Each test starts at 01:00 UTC of a day of its own, so fixed windows do not carry over between tests.
  let day = Math.ceil(Date.now() / DAY) + 1;
  const startOfTestDay = () => {
    // A week apart: a test may move its clock a day or more on.
    day += 7;
    served.clock.now = day * DAY + HOUR;
  };

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await served.authority.app.request(path, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  const sessionAtPhoneStep = async () => {
    const created = await call('POST', '/enrollment/sessions');
    expect(created.status).toBe(201);
    const session: string = created.body.session;
    expect(
      (await call('POST', `/enrollment/sessions/${session}/document`, documentOf(resident))).status,
    ).toBe(200);
    return session;
  };
  const text = (session: string, phone: string) =>
    call('POST', `/enrollment/sessions/${session}/phone`, { phone });
  const outbox = async (phone: string) =>
    (
      await call(
        'GET',
        `/dev/sms-outbox?limit=100&to=${encodeURIComponent(maskPhone(normalizePhone(phone)))}`,
      )
    ).body.messages as unknown[];

  it('texts one number at most 5 times an hour and 10 times a day, whatever the sessions', async () => {
    startOfTestDay();
    const phone = '13912340001';
    for (let hour = 0; hour < 2; hour++) {
      for (let i = 0; i < LIMITS.smsPerPhoneHour.max; i++) {
        expect((await text(await sessionAtPhoneStep(), phone)).status).toBe(200);
      }
      served.clock.now += 60_000;
      const refused = await text(await sessionAtPhoneStep(), phone);
      expect(refused).toMatchObject({ status: 429, body: { code: 'too_many_requests' } });
      // The hour window ends at the top of the hour: 59 minutes from now.
      expect(refused.headers.get('retry-after')).toBe(String(59 * 60));
      served.clock.now += HOUR - 60_000;
    }
    // Both hours used up the day's 10; the wait is until midnight UTC (now 03:00).
    const refused = await text(await sessionAtPhoneStep(), phone);
    expect(refused).toMatchObject({ status: 429, body: { code: 'too_many_requests' } });
    expect(refused.headers.get('retry-after')).toBe(String(21 * 3600));
    expect(await outbox(phone)).toHaveLength(10);
    // Another number is not affected.
    expect((await text(await sessionAtPhoneStep(), '13912340002')).status).toBe(200);
    // A new day starts a new count.
    served.clock.now += 21 * HOUR;
    expect((await text(await sessionAtPhoneStep(), phone)).status).toBe(200);
    expect(await outbox(phone)).toHaveLength(11);
  });

  it('keeps no phone hash or number in the counters, and drops ended windows', async () => {
    startOfTestDay();
    const phone = '13912340003';
    expect((await text(await sessionAtPhoneStep(), phone)).status).toBe(200);
    const rows = await served.ctx.db.selectFrom('rate_limits').selectAll().execute();
    const phoneHashes = await served.ctx.db
      .selectFrom('enrollment_sessions')
      .select('phone_hash')
      .where('phone_hash', 'is not', null)
      .execute();
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const stored = new Set(phoneHashes.map((r) => hex(r.phone_hash!)));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(stored.has(hex(row.key_hash))).toBe(false);
      expect(hex(row.key_hash)).not.toContain(Buffer.from(phone).toString('hex'));
      // Every counter left is of a window that has not ended.
      expect(row.expires_at.getTime()).toBeGreaterThan(served.clock.now);
    }
    served.clock.now += DAY;
    await call('POST', '/enrollment/sessions');
    const left = await served.ctx.db.selectFrom('rate_limits').select('expires_at').execute();
    expect(left.every((r) => r.expires_at.getTime() > served.clock.now)).toBe(true);
    expect(left).toHaveLength(1);
  });

  it('limits sessions per client address to 20 in 10 minutes', async () => {
    startOfTestDay();
    for (let i = 0; i < LIMITS.sessionsPerClient.max; i++) {
      expect((await call('POST', '/enrollment/sessions')).status).toBe(201);
    }
    served.clock.now += 30_000;
    const refused = await call('POST', '/enrollment/sessions');
    expect(refused).toMatchObject({ status: 429, body: { code: 'too_many_requests' } });
    expect(refused.headers.get('retry-after')).toBe('570');
    served.clock.now += 570_000;
    expect((await call('POST', '/enrollment/sessions')).status).toBe(201);
  });

  it('limits document attempts per client address to 30 in 10 minutes, before the registry is asked', async () => {
    startOfTestDay();
    const created = await call('POST', '/enrollment/sessions');
    const path = `/enrollment/sessions/${created.body.session}/document`;
    const wrong = { ...documentOf(resident), name: '李四' };
    for (let i = 0; i < LIMITS.documentsPerClient.max; i++) {
      expect((await call('POST', path, wrong)).body.code).toBe('registry_mismatch');
    }
    const refused = await call('POST', path, documentOf(resident));
    expect(refused).toMatchObject({ status: 429, body: { code: 'too_many_requests' } });
    expect(refused.headers.get('retry-after')).toBe('600');
    served.clock.now += 600_000;
    expect((await call('POST', path, documentOf(resident))).status).toBe(200);
  });
});
