import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { TransientRecord, TransientStore } from '../transient/store.ts';

type Row = { id: string; payload: Record<string, unknown>; expires_at: Date; consumed_at: Date | null };

const toRecord = (r: Row): TransientRecord & { id: string } => ({
  id: r.id,
  payload: r.payload,
  expiresAt: r.expires_at,
  consumedAt: r.consumed_at,
});

const COLUMNS = ['id', 'payload', 'expires_at', 'consumed_at'] as const;

/** An unexpired record of one kind, found by one of its keys. */
async function findBy(db: Db, kind: string, column: 'id' | 'uid' | 'user_code', value: string, now: Date) {
  const row = await db
    .selectFrom('transient')
    .select(COLUMNS)
    .where('kind', '=', kind)
    .where(column, '=', value)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row && toRecord(row);
}

export function sqlTransientStore(db: Db): TransientStore {
  return {
    async upsert(kind, id, payload, expiresAt, keys = {}) {
      const values = {
        payload: JSON.stringify(payload),
        expires_at: expiresAt,
        grant_id: keys.grantId ?? null,
        uid: keys.uid ?? null,
        user_code: keys.userCode ?? null,
      };
      await db
        .insertInto('transient')
        .values({ kind, id, ...values, consumed_at: null })
        .onConflict((oc) => oc.columns(['kind', 'id']).doUpdateSet(values))
        .execute();
    },
    find: (kind, id, now) => findBy(db, kind, 'id', id, now),
    findByUid: (kind, uid, now) => findBy(db, kind, 'uid', uid, now),
    findByUserCode: (kind, userCode, now) => findBy(db, kind, 'user_code', userCode, now),
    async consume(kind, id, now) {
      await db
        .updateTable('transient')
        .set({ consumed_at: now })
        .where('kind', '=', kind)
        .where('id', '=', id)
        .execute();
    },
    async take(kind, id, now) {
      const row = await db
        .deleteFrom('transient')
        .where('kind', '=', kind)
        .where('id', '=', id)
        .where('expires_at', '>', now)
        .where('consumed_at', 'is', null)
        .returning('payload')
        .executeTakeFirst();
      return row?.payload;
    },
    async destroy(kind, id) {
      await db.deleteFrom('transient').where('kind', '=', kind).where('id', '=', id).execute();
    },
    async revokeByGrantId(grantId) {
      await db.deleteFrom('transient').where('grant_id', '=', grantId).execute();
    },
    async purgeExpired(now) {
      const result = await db.deleteFrom('transient').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** Used by tests to prove the table is UNLOGGED on both backends. */
export async function transientIsUnlogged(db: Db): Promise<boolean> {
  const row = await sql<{
    p: string;
  }>`select relpersistence as p from pg_class where relname = 'transient'`.execute(db);
  return row.rows[0]?.p === 'u';
}
