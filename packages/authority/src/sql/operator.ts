import type { Db } from '../db/database.ts';
import type { OperatorStore } from '../operator/store.ts';

export function sqlOperatorStore(db: Db): OperatorStore {
  return {
    async readPersonLogged(netNumber, entry) {
      return db.transaction().execute(async (trx) => {
        const person = await trx
          .selectFrom('persons')
          .select(['net_number', 'state', 'created_at', 'cancelled_at'])
          .where('net_number', '=', netNumber)
          .executeTakeFirst();
        if (!person) return undefined;
        const certificates = await trx
          .selectFrom('certificates')
          .select(['certificate_id', 'issued_at', 'expires_at', 'revoked_at', 'revocation_reason'])
          .where('net_number', '=', netNumber)
          .orderBy('issued_at')
          .orderBy('certificate_id')
          .execute();
        await trx
          .insertInto('access_log')
          .values({
            net_number: netNumber,
            actor: entry.actor,
            reason: entry.reason,
            detail: entry.detail,
            at: entry.at,
          })
          .execute();
        return {
          netNumber: person.net_number,
          state: person.state,
          createdAt: person.created_at,
          cancelledAt: person.cancelled_at,
          certificates: certificates.map((c) => ({
            certificateId: c.certificate_id,
            issuedAt: c.issued_at,
            expiresAt: c.expires_at,
            revokedAt: c.revoked_at,
            revocationReason: c.revocation_reason,
          })),
        };
      });
    },
  };
}
