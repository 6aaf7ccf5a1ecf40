/**
 * Vitest globalSetup: one throwaway PostgreSQL server for the whole run, handed to the test workers
 * as TEST_DATABASE_URL. Vitest builds each worker's environment from `process.env` when it starts
 * the workers, which is after globalSetup, so setting it here reaches every test file (and is
 * readable at collection time, which `describe.skipIf` needs).
 *
 * A TEST_DATABASE_URL set by the caller wins: no server is started and that one is used.
 */
import { findPostgresBin, startThrowawayCluster } from './cluster.ts';
import { TestPostgresError } from './errors.ts';

type Teardown = () => Promise<void>;

export default function setup(): Promise<Teardown | undefined> {
  return provideTestDatabase(findPostgresBin());
}

/** `bin`: the PostgreSQL binaries to use, undefined when none are installed. */
export async function provideTestDatabase(bin: string | undefined): Promise<Teardown | undefined> {
  if (process.env.TEST_DATABASE_URL) return undefined;
  if (!bin) {
    if (process.env.CI) {
      throw new TestPostgresError(
        'ERR_TEST_PG_UNAVAILABLE',
        'PostgreSQL is required in CI; .ci/run installs it',
      );
    }
    console.warn(
      'No PostgreSQL in /usr/lib/postgresql/*/bin: PostgreSQL storage tests are skipped (apt-get install postgresql, or set TEST_DATABASE_URL).',
    );
    return undefined;
  }
  // The suite's server is throwaway, so it runs with fsync off; benchmarks start their own with it on.
  const cluster = await startThrowawayCluster({ bin, fsync: false });
  process.env.TEST_DATABASE_URL = cluster.url;
  return async () => {
    delete process.env.TEST_DATABASE_URL;
    await cluster.stop();
  };
}
