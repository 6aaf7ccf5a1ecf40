import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { PersonStore } from '../persons/store.ts';

/** Works on the database or inside a transaction (`trx` is a Kysely too). */
export function sqlPersonStore(db: Kysely<Schema>): PersonStore {
  return {
    async findByDedupeHash(dedupeHash) {
      const row = await db
        .selectFrom('persons')
        .select(['net_number', 'state'])
        .where('dedupe_hash', '=', dedupeHash)
        .executeTakeFirst();
      return row && { netNumber: row.net_number, state: row.state };
    },
    async insertIfAbsent(person) {
      // No conflict target: either unique key (number or dedupe hash) turns the insert into a no-op
      // instead of an error, which in PostgreSQL would abort the whole transaction.
      const inserted = await db
        .insertInto('persons')
        .values({
          net_number: person.netNumber,
          dedupe_hash: person.dedupeHash,
          created_at: person.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('net_number')
        .executeTakeFirst();
      return inserted !== undefined;
    },
    async updateEnrollment(netNumber, update) {
      await db
        .updateTable('persons')
        .set({
          attributes_enc: update.attributesSealed,
          // A new password re-proven by a whole enrollment also clears a lockout of the old one.
          ...(update.passwordHash === null
            ? {}
            : { password_hash: update.passwordHash, password_failures: 0, password_locked_until: null }),
        })
        .where('net_number', '=', netNumber)
        .execute();
    },
  };
}
