import { type Kysely, sql } from 'kysely';

// One migration set for PGlite and PostgreSQL: plain PostgreSQL types only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('issuer_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'jsonb', (c) => c.notNull())
    .addColumn('private_key_enc', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('activated_at', 'timestamptz')
    .addColumn('retired_at', 'timestamptz')
    .addColumn('unpublish_after', 'timestamptz')
    .execute();
  await db.schema
    .createTable('secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value_enc', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('registry_persons')
    .addColumn('person_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_pinyin', 'text', (c) => c.notNull())
    .addColumn('birthdate', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('photo_ref', 'text', (c) => c.notNull())
    .addColumn('deceased', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema
    .createTable('registry_documents')
    .addColumn('lookup_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('registry_persons.person_id'))
    .addColumn('document_type', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('persons')
    .addColumn('net_number', 'text', (c) => c.primaryKey())
    .addColumn('dedupe_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('attributes_enc', 'bytea')
    .addColumn('password_hash', 'text')
    .addColumn('password_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('password_locked_until', 'timestamptz')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('cancelled_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('status_shards')
    .addColumn('shard', 'integer', (c) => c.primaryKey())
    .addColumn('bits', 'integer', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('allocated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('published_version', 'bigint', (c) => c.notNull().defaultTo(-1))
    .addColumn('token', 'text')
    .addColumn('etag', 'text')
    .addColumn('published_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('certificates')
    .addColumn('certificate_id', 'text', (c) => c.primaryKey())
    .addColumn('net_number', 'text', (c) => c.notNull().references('persons.net_number'))
    .addColumn('device_thumbprint', 'text', (c) => c.notNull())
    .addColumn('status_shard', 'integer', (c) => c.notNull().references('status_shards.shard'))
    .addColumn('status_index', 'integer', (c) => c.notNull())
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revocation_reason', 'text')
    // A status index is given once, ever: the crash-safety invariant the database enforces.
    .addUniqueConstraint('certificates_status_slot', ['status_shard', 'status_index'])
    .execute();
  await db.schema.createIndex('certificates_by_person').on('certificates').column('net_number').execute();
  // The status publisher reads only the revoked slots of a shard: a small scan at any shard size.
  await db.schema
    .createIndex('certificates_revoked_by_shard')
    .on('certificates')
    .columns(['status_shard', 'status_index'])
    .where(sql.ref('revoked_at'), 'is not', null)
    .execute();
  await db.schema
    .createTable('enrollment_sessions')
    .addColumn('session_id_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('data_enc', 'bytea')
    .addColumn('phone_hash', 'bytea')
    .addColumn('otp_hash', 'text')
    .addColumn('otp_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('otp_expires_at', 'timestamptz')
    .addColumn('otp_sent_at', 'timestamptz')
    .addColumn('otp_sends', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('password_hash', 'text')
    .addColumn('pre_authorized_code_hash', 'bytea', (c) => c.unique())
    .addColumn('tx_code_hash', 'text')
    .addColumn('tx_code_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // OID4VCI access token (hash only): one per redeemed pre-authorized code, spent on one credential.
    .addColumn('access_token_hash', 'bytea', (c) => c.unique())
    .addColumn('access_token_expires_at', 'timestamptz')
    .addColumn('net_number', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('nonces')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('access_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('net_number', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('access_log_by_person')
    .on('access_log')
    .columns(['net_number', 'at'])
    .execute();
  await db.schema
    .createTable('rate_limits')
    .addColumn('key_hash', 'bytea', (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limits_pkey', ['key_hash', 'window_start'])
    .execute();
  await db.schema.createIndex('rate_limits_by_expiry').on('rate_limits').column('expires_at').execute();
  await db.schema
    .createTable('sms_outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('to_masked', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'sms_outbox',
    'rate_limits',
    'access_log',
    'nonces',
    'enrollment_sessions',
    'certificates',
    'status_shards',
    'persons',
    'registry_documents',
    'registry_persons',
    'secrets',
    'issuer_keys',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
