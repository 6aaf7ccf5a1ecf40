/**
 * Failures of the test suite's PostgreSQL harness. They are not netid protocol errors (nothing
 * outside the test run ever sees them), so they carry their own stable codes instead of widening
 * the product's ERROR_CODES.
 */
export type TestPostgresCode =
  /** No PostgreSQL binaries, no `postgres` OS user, or no TEST_DATABASE_URL to work against. */
  | 'ERR_TEST_PG_UNAVAILABLE'
  /** initdb or the server failed, or the server did not accept connections in time. */
  | 'ERR_TEST_PG_START';

export class TestPostgresError extends Error {
  override readonly name = 'TestPostgresError';
  readonly code: TestPostgresCode;

  constructor(code: TestPostgresCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
