import type { AuthorityContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import type { ApplicationCredentialStore, IssuanceStore, IssuanceTransaction } from '../issuance/store.ts';
import { allocateStatusSlot, isUniqueViolation } from '../status/allocate.ts';
import { sqlPersonStore } from './persons.ts';
import { sqlPlatformStore } from './platforms.ts';

/** Whole-transaction retries on a unique violation: each one means a random draw collided. */
const MAX_TRANSACTION_ATTEMPTS = 5;

// PGlite hands bytea back as a plain Uint8Array, pg as a Buffer.
const toBuffer = (bytes: Uint8Array) =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function sqlIssuanceStore(ctx: AuthorityContext): IssuanceStore {
  const { db } = ctx;
  return {
    async findSessionByCodeHash(codeHash) {
      const row = await db
        .selectFrom('enrollment_sessions')
        .select(['session_id_hash', 'state', 'expires_at', 'tx_code_hash', 'tx_code_attempts'])
        .where('pre_authorized_code_hash', '=', codeHash)
        .executeTakeFirst();
      return (
        row && {
          sessionIdHash: toBuffer(row.session_id_hash),
          state: row.state,
          expiresAt: row.expires_at,
          txCodeHash: row.tx_code_hash,
          txCodeAttempts: row.tx_code_attempts,
        }
      );
    },
    async reserveTxCodeAttempt(sessionIdHash, maxAttempts, now) {
      const result = await db
        .updateTable('enrollment_sessions')
        .set((eb) => ({ tx_code_attempts: eb('tx_code_attempts', '+', 1) }))
        .where('session_id_hash', '=', sessionIdHash)
        .where('state', '=', 'issuable')
        .where('expires_at', '>', now)
        .where('tx_code_attempts', '<', maxAttempts)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
    async redeemCode(sessionIdHash, now, accessToken) {
      const result = await db
        .updateTable('enrollment_sessions')
        .set({
          state: 'token_issued',
          access_token_hash: accessToken.hash,
          access_token_expires_at: accessToken.expiresAt,
        })
        .where('session_id_hash', '=', sessionIdHash)
        .where('state', '=', 'issuable')
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
    async isAccessTokenLive(accessTokenHash, now) {
      const row = await db
        .selectFrom('enrollment_sessions')
        .select('session_id_hash')
        .where('access_token_hash', '=', accessTokenHash)
        .where('state', '=', 'token_issued')
        .where('access_token_expires_at', '>', now)
        .executeTakeFirst();
      return row !== undefined;
    },
    async insertNonce(nonce, purpose, expiresAt) {
      await db.insertInto('nonces').values({ nonce, purpose, expires_at: expiresAt }).execute();
    },
    async consumeNonce(nonce, purpose, now) {
      const result = await db
        .deleteFrom('nonces')
        .where('nonce', '=', nonce)
        .where('purpose', '=', purpose)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return result.numDeletedRows === 1n;
    },
    async transaction(work) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute((trx) => {
            const tx: IssuanceTransaction = {
              persons: sqlPersonStore(trx),
              async spendAccessToken(accessTokenHash, now) {
                // The guarded update is the lock: a second request with the same token waits here,
                // then finds the state changed and gets nothing.
                const row = await trx
                  .updateTable('enrollment_sessions')
                  .set({ state: 'issued', access_token_hash: null, access_token_expires_at: null })
                  .where('access_token_hash', '=', accessTokenHash)
                  .where('state', '=', 'token_issued')
                  .where('access_token_expires_at', '>', now)
                  .returning(['session_id_hash', 'data_enc', 'password_hash'])
                  .executeTakeFirst();
                if (!row?.data_enc) return undefined;
                return {
                  sessionIdHash: toBuffer(row.session_id_hash),
                  dataSealed: row.data_enc,
                  passwordHash: row.password_hash,
                };
              },
              allocateStatusSlot: () => allocateStatusSlot(trx, ctx),
              async insertCertificate(c) {
                await trx
                  .insertInto('certificates')
                  .values({
                    certificate_id: c.certificateId,
                    net_number: c.netNumber,
                    device_thumbprint: c.deviceThumbprint,
                    status_shard: c.slot.shard,
                    status_index: c.slot.index,
                    issued_at: c.issuedAt,
                    expires_at: c.expiresAt,
                  })
                  .execute();
              },
              async finishSession(sessionIdHash, netNumber) {
                await trx
                  .updateTable('enrollment_sessions')
                  .set({ net_number: netNumber, data_enc: null, password_hash: null })
                  .where('session_id_hash', '=', sessionIdHash)
                  .execute();
              },
            };
            return work(tx);
          });
        } catch (error) {
          if (attempt >= MAX_TRANSACTION_ATTEMPTS || !isUniqueViolation(error)) throw error;
        }
      }
    },
  };
}

export function sqlApplicationCredentialStore(db: Db): ApplicationCredentialStore {
  const platforms = sqlPlatformStore(db);
  return {
    findPlatform: (clientId) => platforms.find(clientId),
    async personAttributesSealed(netNumber) {
      const row = await db
        .selectFrom('persons')
        .select('attributes_enc')
        .where('net_number', '=', netNumber)
        .executeTakeFirst();
      return row?.attributes_enc ?? undefined;
    },
  };
}
