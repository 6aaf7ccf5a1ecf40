import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ShardState, StatusStore } from '../status/store.ts';

/**
 * `allocated < size · fill`, with the fraction sent as float8: an untyped parameter next to an
 * integer column would be read as an integer, and `allocated · 1000` could overflow int4.
 */
const hasRoom = (fill: number) => sql<boolean>`allocated < size * cast(${fill} as double precision)`;

const SHARD_COLUMNS = [
  'shard',
  'bits',
  'size',
  'allocated',
  'version',
  'published_version',
  'etag',
  'published_at',
  'expires_at',
] as const;

type ShardRecord = {
  shard: number;
  bits: number;
  size: number;
  allocated: number;
  version: number;
  published_version: number;
  etag: string | null;
  published_at: Date | null;
  expires_at: Date | null;
};

const toShardState = (r: ShardRecord): ShardState => ({
  shard: r.shard,
  bits: r.bits,
  size: r.size,
  allocated: r.allocated,
  version: Number(r.version),
  publishedVersion: Number(r.published_version),
  etag: r.etag,
  publishedAt: r.published_at,
  expiresAt: r.expires_at,
});

/** `db` may be a transaction: allocation and revocation run inside the caller's. */
export function sqlStatusStore(db: Db): StatusStore {
  return {
    async takeShardWithRoom(fill) {
      return (
        db
          .updateTable('status_shards')
          .set((eb) => ({ allocated: eb('allocated', '+', 1) }))
          .where('shard', '=', (eb) =>
            eb.selectFrom('status_shards').select('shard').where(hasRoom(fill)).orderBy('shard').limit(1),
          )
          // Re-checked on the locked row: a racer may have filled the shard while we waited for it.
          .where(hasRoom(fill))
          .returning(['shard', 'size', 'allocated'])
          .executeTakeFirst()
      );
    },
    async createNextShard(size, bits, fill) {
      // Only when no shard has room: a racer may have opened the next one since we looked.
      await sql`
        insert into status_shards (shard, bits, size)
        select coalesce(max(shard) + 1, 0), cast(${bits} as integer), cast(${size} as integer)
        from status_shards
        having not exists (
          select 1 from status_shards open where open.allocated < open.size * cast(${fill} as double precision)
        )
        on conflict (shard) do nothing`.execute(db);
    },
    async ensureShard(shard, size, bits) {
      await db
        .insertInto('status_shards')
        .values({ shard, size, bits })
        .onConflict((oc) => oc.column('shard').doNothing())
        .execute();
    },
    async takenIndexes(shard, candidates) {
      if (candidates.length === 0) return new Set();
      const rows = await db
        .selectFrom('certificates')
        .select('status_index')
        .where('status_shard', '=', shard)
        .where('status_index', 'in', candidates)
        .execute();
      return new Set(rows.map((r) => r.status_index));
    },
    async revoke(certificateId, reason, at) {
      const updated = await db
        .updateTable('certificates')
        .set({ revoked_at: at, revocation_reason: reason })
        .where('certificate_id', '=', certificateId)
        .where('revoked_at', 'is', null)
        .returning(['status_shard', 'status_index', 'revoked_at', 'revocation_reason'])
        .executeTakeFirst();
      if (updated) {
        await db
          .updateTable('status_shards')
          .set((eb) => ({ version: eb('version', '+', 1) }))
          .where('shard', '=', updated.status_shard)
          .execute();
        return { ...revocation(certificateId, updated), alreadyRevoked: false };
      }
      // Unknown, or revoked before (possibly by a concurrent call that just committed).
      const existing = await db
        .selectFrom('certificates')
        .select(['status_shard', 'status_index', 'revoked_at', 'revocation_reason'])
        .where('certificate_id', '=', certificateId)
        .executeTakeFirst();
      if (!existing) return undefined;
      return { ...revocation(certificateId, existing), alreadyRevoked: true };
    },
    async listShards() {
      const rows = await db.selectFrom('status_shards').select(SHARD_COLUMNS).orderBy('shard').execute();
      return rows.map(toShardState);
    },
    async findShard(shard) {
      const row = await db
        .selectFrom('status_shards')
        .select([...SHARD_COLUMNS, 'token'])
        .where('shard', '=', shard)
        .executeTakeFirst();
      return row && { ...toShardState(row), token: row.token };
    },
    async revokedIndexes(shard) {
      const rows = await db
        .selectFrom('certificates')
        .select('status_index')
        .where('status_shard', '=', shard)
        .where('revoked_at', 'is not', null)
        .execute();
      return rows.map((r) => r.status_index);
    },
    async savePublication(shard, expected, p) {
      const result = await db
        .updateTable('status_shards')
        .set({
          published_version: p.version,
          token: p.token,
          etag: p.etag,
          published_at: p.publishedAt,
          expires_at: p.expiresAt,
        })
        .where('shard', '=', shard)
        .where('published_version', '=', expected.publishedVersion)
        .where('etag', 'is not distinct from', expected.etag)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
  };
}

function revocation(
  certificateId: string,
  row: {
    status_shard: number;
    status_index: number;
    revoked_at: Date | null;
    revocation_reason: string | null;
  },
) {
  return {
    certificateId,
    shard: row.status_shard,
    index: row.status_index,
    revokedAt: row.revoked_at!,
    reason: row.revocation_reason!,
  };
}
