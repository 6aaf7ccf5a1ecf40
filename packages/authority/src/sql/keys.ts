import type { Db } from '../db/database.ts';
import type { KeyStore, StoredIssuerKey } from '../keys/store.ts';

export function sqlKeyStore(db: Db): KeyStore {
  return {
    async listIssuerKeys() {
      const rows = await db.selectFrom('issuer_keys').selectAll().orderBy('created_at').execute();
      return rows.map(
        (r): StoredIssuerKey => ({
          kid: r.kid,
          alg: r.alg,
          publicJwk: typeof r.public_jwk === 'string' ? JSON.parse(r.public_jwk) : r.public_jwk,
          privateKeySealed: r.private_key_enc,
          createdAt: r.created_at,
          activatedAt: r.activated_at,
          retiredAt: r.retired_at,
          unpublishAfter: r.unpublish_after,
        }),
      );
    },
    async insertIssuerKey(k) {
      await db
        .insertInto('issuer_keys')
        .values({
          kid: k.kid,
          alg: k.alg,
          public_jwk: JSON.stringify(k.publicJwk),
          private_key_enc: k.privateKeySealed,
          created_at: k.createdAt,
          activated_at: k.activatedAt,
          retired_at: k.retiredAt,
          unpublish_after: k.unpublishAfter,
        })
        .execute();
    },
    async retireOthers(keepKid, at, unpublishAfter) {
      await db
        .updateTable('issuer_keys')
        .set({ retired_at: at, unpublish_after: unpublishAfter })
        .where('kid', '!=', keepKid)
        .where('retired_at', 'is', null)
        .execute();
    },
    async getOrInsertSecret(name, sealed) {
      await db
        .insertInto('secrets')
        .values({ name, value_enc: sealed, created_at: new Date() })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = await db
        .selectFrom('secrets')
        .select('value_enc')
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      return row.value_enc;
    },
  };
}
