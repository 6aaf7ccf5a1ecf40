import type { Db } from '../db/database.ts';
import type { DeviceCertificate, SelfServiceStore } from '../selfservice/store.ts';
import { sqlStatusStore } from './status.ts';

export const SELFSERVICE_NONCE_PURPOSE = 'selfservice';

const CERTIFICATE_COLUMNS = [
  'certificate_id',
  'net_number',
  'device_thumbprint',
  'issued_at',
  'expires_at',
  'revoked_at',
  'revocation_reason',
] as const;

type CertificateRecord = {
  certificate_id: string;
  net_number: string;
  device_thumbprint: string;
  issued_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revocation_reason: string | null;
};

const toCertificate = (r: CertificateRecord): DeviceCertificate => ({
  certificateId: r.certificate_id,
  netNumber: r.net_number,
  deviceThumbprint: r.device_thumbprint,
  issuedAt: r.issued_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  revocationReason: r.revocation_reason,
});

export function sqlSelfServiceStore(db: Db): SelfServiceStore {
  return {
    async insertChallenge(nonce, expiresAt, now) {
      await db
        .deleteFrom('nonces')
        .where('purpose', '=', SELFSERVICE_NONCE_PURPOSE)
        .where('expires_at', '<=', now)
        .execute();
      await db
        .insertInto('nonces')
        .values({ nonce, purpose: SELFSERVICE_NONCE_PURPOSE, expires_at: expiresAt })
        .execute();
    },
    async consumeChallenge(nonce, now) {
      const result = await db
        .deleteFrom('nonces')
        .where('nonce', '=', nonce)
        .where('purpose', '=', SELFSERVICE_NONCE_PURPOSE)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return result.numDeletedRows === 1n;
    },
    async findCertificateBySlot(shard, index) {
      const row = await db
        .selectFrom('certificates')
        .select(CERTIFICATE_COLUMNS)
        .where('status_shard', '=', shard)
        .where('status_index', '=', index)
        .executeTakeFirst();
      return row && toCertificate(row);
    },
    async findCertificate(certificateId) {
      const row = await db
        .selectFrom('certificates')
        .select(CERTIFICATE_COLUMNS)
        .where('certificate_id', '=', certificateId)
        .executeTakeFirst();
      return row && toCertificate(row);
    },
    async personState(netNumber) {
      const row = await db
        .selectFrom('persons')
        .select('state')
        .where('net_number', '=', netNumber)
        .executeTakeFirst();
      return row?.state;
    },
    async listCertificates(netNumber) {
      const rows = await db
        .selectFrom('certificates')
        .select(CERTIFICATE_COLUMNS)
        .where('net_number', '=', netNumber)
        .orderBy('issued_at')
        .orderBy('certificate_id')
        .execute();
      return rows.map(toCertificate);
    },
    async reservePasswordAttempt(netNumber, now, policy) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('persons')
          .select(['password_hash', 'password_failures', 'password_locked_until'])
          .where('net_number', '=', netNumber)
          .where('state', '=', 'active')
          .forUpdate()
          .executeTakeFirst();
        if (!row?.password_hash) return { kind: 'no_password' as const };
        const lockedUntil = row.password_locked_until;
        if (lockedUntil && lockedUntil.getTime() > now.getTime())
          return { kind: 'locked' as const, until: lockedUntil };
        const failures = (lockedUntil ? 0 : row.password_failures) + 1;
        const newLock = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMs) : null;
        await trx
          .updateTable('persons')
          .set({ password_failures: failures, password_locked_until: newLock })
          .where('net_number', '=', netNumber)
          .execute();
        return { kind: 'reserved' as const, passwordHash: row.password_hash, failures, lockedUntil: newLock };
      });
    },
    async clearPasswordFailures(netNumber) {
      await db
        .updateTable('persons')
        .set({ password_failures: 0, password_locked_until: null })
        .where('net_number', '=', netNumber)
        .execute();
    },
    async cancel(netNumber, reason, at) {
      return db.transaction().execute(async (trx) => {
        // The guarded update is the lock: a concurrent cancel waits here and then finds nothing to do.
        const person = await trx
          .updateTable('persons')
          .set({
            state: 'cancelled',
            cancelled_at: at,
            attributes_enc: null,
            password_hash: null,
            password_failures: 0,
            password_locked_until: null,
          })
          .where('net_number', '=', netNumber)
          .where('state', '=', 'active')
          .returning('net_number')
          .executeTakeFirst();
        if (!person) return undefined;
        const live = await trx
          .selectFrom('certificates')
          .select('certificate_id')
          .where('net_number', '=', netNumber)
          .where('revoked_at', 'is', null)
          .execute();
        const status = sqlStatusStore(trx);
        let revoked = 0;
        for (const { certificate_id } of live) {
          const result = await status.revoke(certificate_id, reason, at);
          if (result && !result.alreadyRevoked) revoked++;
        }
        return revoked;
      });
    },
    async accessLog(netNumber) {
      const rows = await db
        .selectFrom('access_log')
        .select(['at', 'actor', 'reason', 'detail'])
        .where('net_number', '=', netNumber)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows;
    },
  };
}
