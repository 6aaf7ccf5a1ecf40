import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to development on PGlite with the development KEK', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 8470,
      publicUrl: 'http://127.0.0.1:8470',
      database: { kind: 'pglite' },
      kek: { source: 'development-default' },
      sms: { kind: 'dev' },
      statusShardSize: 2 ** 20,
    });
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/netid' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@127.0.0.1/netid',
    });
  });

  it('takes the web wallet URL as given, and has none by default', () => {
    expect(loadConfig({}).walletUrl).toBeUndefined();
    expect(loadConfig({ NETID_WALLET_URL: 'https://wallet.example/app/' }).walletUrl).toBe(
      'https://wallet.example/app/',
    );
  });

  for (const [env, variable] of [
    [{ NETID_PORT: 'eighty' }, 'NETID_PORT'],
    [{ NETID_PORT: '70000' }, 'NETID_PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ NETID_KEK: 'short' }, 'NETID_KEK'],
    [{ NETID_PUBLIC_URL: 'not a url' }, 'NETID_PUBLIC_URL'],
    [{ NETID_WALLET_URL: 'wallet.example' }, 'NETID_WALLET_URL'],
    [{ NETID_WALLET_URL: 'javascript:alert(1)' }, 'NETID_WALLET_URL'],
    [{ NETID_WALLET_URL: 'https://wallet.example/#home' }, 'NETID_WALLET_URL'],
    [{ NETID_SMS: 'webhook' }, 'NETID_SMS_WEBHOOK_URL'],
    [{ NETID_ENV: 'production' }, 'NETID_KEK'],
    [{ NETID_ENV: 'production', NETID_KEK: 'A'.repeat(43) }, 'NETID_SMS'],
    [{ NETID_ENV: 'staging' }, 'NETID_ENV'],
  ] as const) {
    it(`names ${variable} when ${JSON.stringify(env)}`, () => {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as ConfigError).message).toMatch(new RegExp(`^${variable}: `));
    });
  }
});
