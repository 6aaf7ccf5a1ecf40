import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Config } from '../config.ts';
import { migrateToLatest } from './migrate.ts';
import type { Schema } from './schema.ts';

export type Db = Kysely<Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(config: Pick<Config, 'database'>): Promise<Database> {
  const source = config.database;
  let db: Db;
  if (source.kind === 'postgres') {
    // int8 (bigint) columns are counters and ids well inside 2^53: read them as numbers.
    pg.types.setTypeParser(20, (v) => Number(v));
    const pool = new pg.Pool({ connectionString: source.url, max: 10 });
    // An idle connection dropped by the server (restart, failover, an administrator's terminate) is
    // an 'error' on the pool; unhandled it would crash the process. The pool has already discarded
    // that client and the next query opens a new one, so there is nothing else to do.
    pool.on('error', () => {});
    db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  } else {
    mkdirSync(source.dataDir, { recursive: true });
    const pglite = new PGlite(source.dataDir, { parsers: { 20: (v: string) => Number(v) } });
    db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite) });
  }
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, kind: source.kind, close: () => db.destroy() };
}
