import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TestPostgresError } from './errors.ts';

export interface TestDatabase {
  /** Connection URL of the new database (same server and credentials as TEST_DATABASE_URL). */
  url: string;
  /** Drops the database, terminating any connection still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * A fresh, uniquely named database on the TEST_DATABASE_URL server, so test files running in
 * parallel never share tables or migrations. Needs PostgreSQL 13+ (DROP ... WITH (FORCE)).
 *
 * TEST_DATABASE_URL is unset when PostgreSQL is not installed (outside CI), so guard the suite:
 *
 *   describe.skipIf(!process.env.TEST_DATABASE_URL)('store on PostgreSQL', () => {
 *     let database: TestDatabase;
 *     beforeAll(async () => { database = await createTestDatabase(); });
 *     afterAll(() => database.drop());
 *     // openDatabase({ database: { kind: 'postgres', url: database.url } }) …
 *   });
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    throw new TestPostgresError(
      'ERR_TEST_PG_UNAVAILABLE',
      'TEST_DATABASE_URL is not set; guard PostgreSQL tests with describe.skipIf(!process.env.TEST_DATABASE_URL)',
    );
  }
  // Lower-case letters and digits only: needs no quoting and stays within the 63-byte name limit.
  const name = `netid_t${process.pid}_${randomBytes(6).toString('hex')}`;
  await asAdmin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;

  let dropped: Promise<void> | undefined;
  const drop = () => {
    // FORCE terminates the sessions a test forgot to close (a pool that was never destroyed).
    dropped ??= asAdmin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    return dropped;
  };
  return { url: url.toString(), drop };
}

async function asAdmin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(sql);
  } catch (cause) {
    throw new TestPostgresError('ERR_TEST_PG_UNAVAILABLE', `${sql} failed on TEST_DATABASE_URL: ${cause}`, {
      cause,
    });
  } finally {
    await client.end().catch(() => {});
  }
}
