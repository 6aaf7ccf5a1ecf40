import { sql, type Updateable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Schema } from '../db/schema.ts';
import type { EnrollmentStore, RateLimitStore, SessionChanges } from '../enrollment/store.ts';
import type { SmsOutbox } from '../sms/store.ts';

// PGlite hands bytea back as a plain Uint8Array, pg as a Buffer.
const toBuffer = (bytes: Uint8Array) =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function columns(changes: SessionChanges): Updateable<Schema['enrollment_sessions']> {
  const set: Updateable<Schema['enrollment_sessions']> = {};
  if (changes.dataSealed !== undefined) set.data_enc = changes.dataSealed;
  if (changes.phoneHash !== undefined) set.phone_hash = changes.phoneHash;
  if (changes.otpHash !== undefined) set.otp_hash = changes.otpHash;
  if (changes.otpExpiresAt !== undefined) set.otp_expires_at = changes.otpExpiresAt;
  if (changes.otpSentAt !== undefined) set.otp_sent_at = changes.otpSentAt;
  if (changes.otpSends !== undefined) set.otp_sends = changes.otpSends;
  if (changes.passwordHash !== undefined) set.password_hash = changes.passwordHash;
  if (changes.preAuthorizedCodeHash !== undefined)
    set.pre_authorized_code_hash = changes.preAuthorizedCodeHash;
  if (changes.txCodeHash !== undefined) set.tx_code_hash = changes.txCodeHash;
  return set;
}

export function sqlEnrollmentStore(db: Db): EnrollmentStore {
  return {
    async create(s) {
      await db
        .insertInto('enrollment_sessions')
        .values({
          session_id_hash: s.idHash,
          state: s.state,
          expires_at: s.expiresAt,
          created_at: s.createdAt,
        })
        .execute();
    },

    async find(idHash) {
      const row = await db
        .selectFrom('enrollment_sessions')
        .select([
          'session_id_hash',
          'state',
          'expires_at',
          'data_enc',
          'phone_hash',
          'otp_hash',
          'otp_expires_at',
          'otp_sent_at',
          'otp_sends',
          'otp_attempts',
        ])
        .where('session_id_hash', '=', idHash)
        .executeTakeFirst();
      return (
        row && {
          idHash: toBuffer(row.session_id_hash),
          state: row.state,
          expiresAt: row.expires_at,
          dataSealed: row.data_enc,
          phoneHash: row.phone_hash,
          otpHash: row.otp_hash,
          otpExpiresAt: row.otp_expires_at,
          otpSentAt: row.otp_sent_at,
          otpSends: row.otp_sends,
          otpAttempts: row.otp_attempts,
        }
      );
    },

    async transition(idHash, guard, to, changes, now) {
      let query = db
        .updateTable('enrollment_sessions')
        .set({ ...columns(changes), state: to })
        .where('session_id_hash', '=', idHash)
        .where('state', '=', guard.state)
        .where('expires_at', '>', now);
      if (guard.otpSends !== undefined) query = query.where('otp_sends', '=', guard.otpSends);
      if (guard.otpHash !== undefined) query = query.where('otp_hash', '=', guard.otpHash);
      const result = await query.executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async checkOtp(idHash, candidateHash, { maxAttempts, now, states }) {
      // Every SET expression sees the row as it was: the attempt is counted, the code compared and the
      // state decided atomically, so parallel guesses cannot exceed the limit.
      const matches = sql<boolean>`otp_hash = ${candidateHash}`;
      const row = await db
        .updateTable('enrollment_sessions')
        .set({
          otp_attempts: sql`CASE WHEN ${matches} THEN otp_attempts ELSE otp_attempts + 1 END`,
          state: sql`CASE WHEN ${matches} THEN ${states.verified}
                          WHEN otp_attempts + 1 >= ${maxAttempts} THEN ${states.locked}
                          ELSE state END`,
          otp_hash: sql`CASE WHEN ${matches} THEN NULL ELSE otp_hash END`,
        })
        .where('session_id_hash', '=', idHash)
        .where('state', '=', states.from)
        .where('expires_at', '>', now)
        .where('otp_expires_at', '>', now)
        .where('otp_attempts', '<', maxAttempts)
        .returning(['state', 'otp_attempts'])
        .executeTakeFirst();
      return row && { state: row.state, attempts: row.otp_attempts };
    },
  };
}

/** The enrollment abuse-limit counters: an upsert whose conflict branch counts only under the limit. */
export function sqlRateLimits(db: Db): RateLimitStore {
  return {
    async take(keyHash, window, limit, now) {
      // Opportunistic clean-up: ended windows go at once, so no counter outlives its window for long.
      await db.deleteFrom('rate_limits').where('expires_at', '<=', now).execute();
      const row = await db
        .insertInto('rate_limits')
        .values({ key_hash: keyHash, window_start: window.start, expires_at: window.end, count: 1 })
        .onConflict((oc) =>
          oc
            .columns(['key_hash', 'window_start'])
            .doUpdateSet({ count: sql`rate_limits.count + 1` })
            .where(sql<boolean>`rate_limits.count < ${limit}`),
        )
        .returning('count')
        .executeTakeFirst();
      return row !== undefined && row.count <= limit;
    },
    async release(keyHash, windowStart) {
      await db
        .updateTable('rate_limits')
        .set({ count: sql`count - 1` })
        .where('key_hash', '=', keyHash)
        .where('window_start', '=', windowStart)
        .where('count', '>', 0)
        .execute();
    },
  };
}

/** The development SMS outbox (the `sms` domain's only table). */
export function sqlSmsOutbox(db: Db): SmsOutbox {
  return {
    async append(m) {
      await db
        .insertInto('sms_outbox')
        .values({ to_masked: m.to, message: m.message, sent_at: m.sentAt })
        .execute();
    },
    async latest({ limit, to }) {
      let query = db
        .selectFrom('sms_outbox')
        .select(['to_masked', 'message', 'sent_at'])
        .orderBy('id', 'desc')
        .limit(limit);
      if (to !== undefined) query = query.where('to_masked', '=', to);
      const rows = await query.execute();
      return rows.map((r) => ({ to: r.to_masked, message: r.message, sentAt: r.sent_at }));
    },
  };
}
