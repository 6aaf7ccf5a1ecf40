import { afterEach, describe, expect, it, vi } from 'vitest';
import { provideTestDatabase } from './global-setup.ts';

describe('provideTestDatabase', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('fails the run in CI when PostgreSQL is not installed', async () => {
    vi.stubEnv('TEST_DATABASE_URL', undefined);
    vi.stubEnv('CI', 'true');
    await expect(provideTestDatabase(undefined)).rejects.toMatchObject({
      code: 'ERR_TEST_PG_UNAVAILABLE',
      message: 'PostgreSQL is required in CI; .ci/run installs it',
    });
  });

  it('outside CI, warns once and leaves TEST_DATABASE_URL unset so PostgreSQL tests skip', async () => {
    vi.stubEnv('TEST_DATABASE_URL', undefined);
    vi.stubEnv('CI', undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await expect(provideTestDatabase(undefined)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledOnce();
    expect(process.env.TEST_DATABASE_URL).toBeUndefined();
  });

  it('uses a TEST_DATABASE_URL given by the caller instead of starting a server', async () => {
    vi.stubEnv('TEST_DATABASE_URL', 'postgres://someone@127.0.0.1:5999/theirs');
    // A bin directory that does not exist: starting a server from it would throw.
    await expect(provideTestDatabase('/nonexistent/bin')).resolves.toBeUndefined();
    expect(process.env.TEST_DATABASE_URL).toBe('postgres://someone@127.0.0.1:5999/theirs');
  });
});
