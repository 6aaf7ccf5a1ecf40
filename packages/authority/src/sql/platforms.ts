import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Schema } from '../db/schema.ts';
import { Problem } from '../http/problem.ts';
import type {
  Mode,
  Platform,
  PlatformClaim,
  PlatformKind,
  PlatformState,
  PlatformStore,
} from '../platforms/platform.ts';

type Row = Selectable<Schema['platforms']>;

// PGlite hands bytea back as a plain Uint8Array, pg as a Buffer; the domain type is a Buffer.
const toBuffer = (bytes: Uint8Array) =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function toPlatform(r: Row): Platform {
  return {
    clientId: r.client_id,
    kind: r.kind as PlatformKind,
    sector: r.sector,
    name: { zh: r.name_zh, en: r.name_en },
    purpose: { zh: r.purpose_zh, en: r.purpose_en },
    redirectUris: r.redirect_uris,
    postLogoutRedirectUris: r.post_logout_redirect_uris,
    jwks: r.jwks,
    clientSecretEnc: r.client_secret_enc ? toBuffer(r.client_secret_enc) : null,
    allowedClaims: r.allowed_claims as PlatformClaim[],
    allowedModes: r.allowed_modes as Mode[],
    mayRequestNetNumber: r.may_request_net_number,
    state: r.state as PlatformState,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function sqlPlatformStore(db: Db): PlatformStore {
  return {
    async insert(p) {
      // No conflict target: either unique key (client id or sector) makes the insert a no-op rather
      // than an error, which in PostgreSQL would abort a surrounding transaction.
      const inserted = await db
        .insertInto('platforms')
        .values({
          client_id: p.clientId,
          kind: p.kind,
          sector: p.sector,
          name_zh: p.name.zh,
          name_en: p.name.en,
          purpose_zh: p.purpose.zh,
          purpose_en: p.purpose.en,
          redirect_uris: JSON.stringify(p.redirectUris),
          post_logout_redirect_uris: JSON.stringify(p.postLogoutRedirectUris),
          jwks: p.jwks ? JSON.stringify(p.jwks) : null,
          client_secret_enc: p.clientSecretEnc,
          allowed_claims: JSON.stringify(p.allowedClaims),
          allowed_modes: JSON.stringify(p.allowedModes),
          may_request_net_number: p.mayRequestNetNumber,
          state: p.state,
          created_at: p.createdAt,
          updated_at: p.updatedAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('client_id')
        .executeTakeFirst();
      if (inserted) return;
      const sameId = await db
        .selectFrom('platforms')
        .select('client_id')
        .where('client_id', '=', p.clientId)
        .executeTakeFirst();
      if (sameId) throw new Problem(409, 'platform_exists', 'a platform with this client_id is registered');
      throw new Problem(
        409,
        'sector_taken',
        'another platform has this sector',
        'each platform needs its own sector, so no two share application identifiers',
      );
    },
    async find(clientId) {
      const row = await db
        .selectFrom('platforms')
        .selectAll()
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row && toPlatform(row);
    },
    async list() {
      const rows = await db
        .selectFrom('platforms')
        .selectAll()
        .orderBy('created_at')
        .orderBy('client_id')
        .execute();
      return rows.map(toPlatform);
    },
    async setState(clientId, state, now, from) {
      let update = db
        .updateTable('platforms')
        .set({ state, updated_at: now })
        .where('client_id', '=', clientId);
      if (from) update = update.where('state', 'in', from.length ? [...from] : ['']);
      const row = await update.returningAll().executeTakeFirst();
      return row && toPlatform(row);
    },
  };
}
