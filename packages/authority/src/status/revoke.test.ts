import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../http/problem.ts';
import { REVOCATION_REASONS, type RevocationReason, revokeCertificate } from './revoke.ts';
import { insertCertificate, insertPerson, statusBackends, type TestAuthority } from './test-support.ts';

async function problemOf(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Problem);
  const { status, code } = error as Problem;
  return { status, code };
}

for (const backend of statusBackends) {
  describe.skipIf(!backend.available)(`revokeCertificate on ${backend.name}`, () => {
    let authority: TestAuthority;
    let person: string;
    const shardVersion = async (shard: number) =>
      Number(
        (
          await authority.ctx.db
            .selectFrom('status_shards')
            .select('version')
            .where('shard', '=', shard)
            .executeTakeFirstOrThrow()
        ).version,
      );
    const certificateRow = (id: string) =>
      authority.ctx.db
        .selectFrom('certificates')
        .select(['revoked_at', 'revocation_reason'])
        .where('certificate_id', '=', id)
        .executeTakeFirstOrThrow();

    beforeAll(async () => {
      authority = await backend.open();
      person = await insertPerson(authority.ctx.db);
    });
    afterAll(() => authority?.close());

    it('records time and reason and bumps the shard version, once; a second revocation changes nothing', async () => {
      const { certificateId, slot } = await insertCertificate(authority.ctx, person);
      const before = await shardVersion(slot.shard);
      const at = new Date('2031-05-01T08:00:00Z');
      const first = await revokeCertificate(authority.ctx.db, certificateId, 'lost_device', at);
      expect(first).toEqual({
        certificateId,
        shard: slot.shard,
        index: slot.index,
        revokedAt: at,
        reason: 'lost_device',
        alreadyRevoked: false,
      });
      expect(await certificateRow(certificateId)).toEqual({
        revoked_at: at,
        revocation_reason: 'lost_device',
      });
      expect(await shardVersion(slot.shard)).toBe(before + 1);

      const again = await revokeCertificate(
        authority.ctx.db,
        certificateId,
        'deceased',
        new Date('2032-01-01'),
      );
      expect(again).toMatchObject({ revokedAt: at, reason: 'lost_device', alreadyRevoked: true });
      expect(await certificateRow(certificateId)).toEqual({
        revoked_at: at,
        revocation_reason: 'lost_device',
      });
      expect(await shardVersion(slot.shard)).toBe(before + 1);
    });

    it('two concurrent revocations of one certificate bump the version once and agree on the reason', async () => {
      const { certificateId, slot } = await insertCertificate(authority.ctx, person);
      const before = await shardVersion(slot.shard);
      const results = await Promise.all([
        revokeCertificate(authority.ctx.db, certificateId, 'holder_request', new Date('2031-01-01')),
        revokeCertificate(authority.ctx.db, certificateId, 'reissued', new Date('2031-01-02')),
      ]);
      expect(results.map((r) => r.alreadyRevoked).sort()).toEqual([false, true]);
      expect(results[0]!.reason).toBe(results[1]!.reason);
      expect(results[0]!.revokedAt).toEqual(results[1]!.revokedAt);
      expect(await shardVersion(slot.shard)).toBe(before + 1);
    });

    it('joins a transaction it is given: rolled back with it, version and all', async () => {
      const { certificateId, slot } = await insertCertificate(authority.ctx, person);
      const before = await shardVersion(slot.shard);
      const rollback = authority.ctx.db.transaction().execute(async (trx) => {
        await revokeCertificate(trx, certificateId, 'enrollment_fraud', new Date());
        throw new Problem(409, 'test_rollback', 'roll back');
      });
      expect(await problemOf(rollback)).toEqual({ status: 409, code: 'test_rollback' });
      expect(await certificateRow(certificateId)).toEqual({ revoked_at: null, revocation_reason: null });
      expect(await shardVersion(slot.shard)).toBe(before);
    });

    it.each(REVOCATION_REASONS)('accepts the fixed reason %s', async (reason) => {
      const { certificateId } = await insertCertificate(authority.ctx, person);
      await expect(
        revokeCertificate(authority.ctx.db, certificateId, reason, new Date()),
      ).resolves.toMatchObject({
        reason,
      });
    });

    it.each([
      'platform_report',
      'fraud',
      'LOST_DEVICE',
      '',
      ' holder_request',
      'holder_request\u0000',
      undefined,
      7,
    ])('refuses any other reason (%j) with 400 invalid_reason, changing nothing', async (reason) => {
      const { certificateId, slot } = await insertCertificate(authority.ctx, person);
      const before = await shardVersion(slot.shard);
      expect(
        await problemOf(
          revokeCertificate(
            authority.ctx.db,
            certificateId,
            reason as unknown as RevocationReason,
            new Date(),
          ),
        ),
      ).toEqual({ status: 400, code: 'invalid_reason' });
      expect(await certificateRow(certificateId)).toEqual({ revoked_at: null, revocation_reason: null });
      expect(await shardVersion(slot.shard)).toBe(before);
    });

    it('refuses an invalid time with 400', async () => {
      const { certificateId } = await insertCertificate(authority.ctx, person);
      expect(
        await problemOf(
          revokeCertificate(authority.ctx.db, certificateId, 'holder_request', new Date(Number.NaN)),
        ),
      ).toEqual({ status: 400, code: 'invalid_request' });
    });

    it('answers 404 certificate_not_found for an unknown certificate', async () => {
      expect(
        await problemOf(
          revokeCertificate(authority.ctx.db, 'no-such-certificate', 'holder_request', new Date()),
        ),
      ).toEqual({ status: 404, code: 'certificate_not_found' });
    });
  });
}
