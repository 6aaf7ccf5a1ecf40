import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEnrollmentStore, sqlSmsOutbox } from '../sql/enrollment.ts';
import { backends } from '../testing/backends.ts';
import type { EnrollmentStore } from './store.ts';

const T0 = new Date('2025-07-15T02:00:00Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const STATES = { from: 'otp', verified: 'password', locked: 'locked' };

describe.each(backends)('enrollment store on $name', (backend) => {
  describe.skipIf(!backend.available)('store', () => {
    let store: EnrollmentStore;
    let opened: Awaited<ReturnType<typeof backend.open>>;
    beforeAll(async () => {
      opened = await backend.open();
      store = sqlEnrollmentStore(opened.database.db);
    });
    afterAll(() => opened.cleanup());

    async function session(state = 'document') {
      const idHash = randomBytes(32);
      await store.create({ idHash, state, createdAt: T0, expiresAt: later(1800) });
      return idHash;
    }

    async function awaitingOtp(otpHash = 'right') {
      const idHash = await session('phone');
      const moved = await store.transition(
        idHash,
        { state: 'phone', otpSends: 0 },
        'otp',
        { otpHash, otpExpiresAt: later(300), otpSentAt: T0, otpSends: 1, phoneHash: randomBytes(32) },
        T0,
      );
      expect(moved).toBe(true);
      return idHash;
    }

    it('creates and finds a session by its hash, bytes as Buffers', async () => {
      const idHash = await session();
      const found = await store.find(idHash);
      expect(found).toMatchObject({ state: 'document', expiresAt: later(1800), otpSends: 0, otpAttempts: 0 });
      expect(Buffer.isBuffer(found!.idHash) && found!.idHash.equals(idHash)).toBe(true);
      expect(await store.find(randomBytes(32))).toBeUndefined();
    });

    it('applies a transition only while its guard holds and the session lives', async () => {
      const idHash = await session();
      const data = randomBytes(40);
      expect(await store.transition(idHash, { state: 'phone' }, 'otp', {}, T0)).toBe(false);
      expect(
        await store.transition(idHash, { state: 'document' }, 'phone', { dataSealed: data }, later(1800)),
      ).toBe(false);
      expect(await store.transition(idHash, { state: 'document' }, 'phone', { dataSealed: data }, T0)).toBe(
        true,
      );
      expect(await store.transition(idHash, { state: 'document' }, 'phone', {}, T0)).toBe(false);
      const found = await store.find(idHash);
      expect(found!.state).toBe('phone');
      expect(Buffer.from(found!.dataSealed!)).toEqual(data);
      // Guards on the send counter and the current OTP hash.
      expect(
        await store.transition(idHash, { state: 'phone', otpSends: 1 }, 'otp', { otpHash: 'x' }, T0),
      ).toBe(false);
      expect(
        await store.transition(idHash, { state: 'phone', otpSends: 0 }, 'otp', { otpHash: 'x' }, T0),
      ).toBe(true);
      expect(
        await store.transition(idHash, { state: 'otp', otpHash: 'y' }, 'phone', { otpHash: null }, T0),
      ).toBe(false);
      expect(
        await store.transition(idHash, { state: 'otp', otpHash: 'x' }, 'phone', { otpHash: null }, T0),
      ).toBe(true);
      // null clears a column, undefined leaves it.
      const after = await store.find(idHash);
      expect(after).toMatchObject({ state: 'phone', otpHash: null });
      expect(Buffer.from(after!.dataSealed!)).toEqual(data);
    });

    it('lets only one of many concurrent transitions from the same state win', async () => {
      const idHash = await session();
      const wins = await Promise.all(
        Array.from({ length: 8 }, () => store.transition(idHash, { state: 'document' }, 'phone', {}, T0)),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it('decides an OTP attempt in one update: right, wrong, and locked at the limit', async () => {
      const ok = await awaitingOtp();
      expect(await store.checkOtp(ok, 'wrong', { maxAttempts: 5, now: T0, states: STATES })).toEqual({
        state: 'otp',
        attempts: 1,
      });
      expect(await store.checkOtp(ok, 'right', { maxAttempts: 5, now: T0, states: STATES })).toEqual({
        state: 'password',
        attempts: 1,
      });
      expect((await store.find(ok))!.otpHash).toBeNull();
      expect(await store.checkOtp(ok, 'right', { maxAttempts: 5, now: T0, states: STATES })).toBeUndefined();

      const bad = await awaitingOtp();
      for (let i = 1; i <= 4; i++) {
        expect(await store.checkOtp(bad, 'wrong', { maxAttempts: 5, now: T0, states: STATES })).toEqual({
          state: 'otp',
          attempts: i,
        });
      }
      expect(await store.checkOtp(bad, 'wrong', { maxAttempts: 5, now: T0, states: STATES })).toEqual({
        state: 'locked',
        attempts: 5,
      });
      expect(await store.checkOtp(bad, 'right', { maxAttempts: 5, now: T0, states: STATES })).toBeUndefined();
    });

    it('does not check an expired code, and counts concurrent guesses exactly', async () => {
      const expired = await awaitingOtp();
      expect(
        await store.checkOtp(expired, 'right', { maxAttempts: 5, now: later(300), states: STATES }),
      ).toBeUndefined();
      expect((await store.find(expired))!.otpAttempts).toBe(0);

      const raced = await awaitingOtp();
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          store.checkOtp(raced, 'wrong', { maxAttempts: 5, now: T0, states: STATES }),
        ),
      );
      expect(answers.filter((a) => a !== undefined)).toHaveLength(5);
      expect(await store.find(raced)).toMatchObject({ state: 'locked', otpAttempts: 5 });
    });

    it('keeps the dev outbox newest first, filtered by masked number', async () => {
      const outbox = sqlSmsOutbox(opened.database.db);
      await outbox.append({ to: '138****0001', message: 'first', sentAt: T0 });
      await outbox.append({ to: '138****0002', message: 'second', sentAt: later(1) });
      await outbox.append({ to: '138****0001', message: 'third', sentAt: later(2) });
      expect((await outbox.latest({ limit: 10 })).map((m) => m.message)).toEqual([
        'third',
        'second',
        'first',
      ]);
      expect(await outbox.latest({ limit: 1, to: '138****0001' })).toEqual([
        { to: '138****0001', message: 'third', sentAt: later(2) },
      ]);
    });
  });
});
