import { type Kysely, sql } from 'kysely';

/**
 * Platforms (relying parties) and the short-lived state of sign-ins.
 *
 * `platforms` is durable: it is the operator's register. `transient` is UNLOGGED on purpose: it
 * holds only what a sign-in or an application-credential offer needs for minutes (pushed requests,
 * interactions, codes, wallet requests), so it is not written to the WAL, not replicated and is
 * emptied by a crash — which costs in-flight sign-ins a retry and nothing else. That keeps a
 * sign-in at zero durable writes, and no durable table ever holds who signed in where (guarantee 2).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('platforms')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    // One sector per platform: the pairwise application identifier is keyed by it, so two
    // platforms can never be given the same identifier for a person (guarantee 1).
    .addColumn('sector', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('purpose_zh', 'text', (c) => c.notNull())
    .addColumn('purpose_en', 'text', (c) => c.notNull())
    .addColumn('redirect_uris', 'jsonb', (c) => c.notNull())
    .addColumn('post_logout_redirect_uris', 'jsonb', (c) => c.notNull())
    .addColumn('jwks', 'jsonb')
    .addColumn('client_secret_enc', 'bytea')
    .addColumn('allowed_claims', 'jsonb', (c) => c.notNull())
    .addColumn('allowed_modes', 'jsonb', (c) => c.notNull())
    .addColumn('may_request_net_number', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`
    create unlogged table transient (
      kind text not null,
      id text not null,
      payload jsonb not null,
      grant_id text,
      uid text,
      user_code text,
      expires_at timestamptz not null,
      consumed_at timestamptz,
      primary key (kind, id)
    )`.execute(db);
  await db.schema.createIndex('transient_by_uid').on('transient').columns(['kind', 'uid']).execute();
  await db.schema.createIndex('transient_by_grant').on('transient').column('grant_id').execute();
  await db.schema.createIndex('transient_by_expiry').on('transient').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('transient').execute();
  await db.schema.dropTable('platforms').execute();
}
