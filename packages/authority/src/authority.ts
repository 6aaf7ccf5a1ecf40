import type { Hono } from 'hono';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import type { AuthorityContext } from './context.ts';
import { openDatabase } from './db/database.ts';
import { loadIssuerKeys } from './keys/issuer-keys.ts';
import { createSealer, loadKek } from './keys/kek.ts';
import { loadSecret } from './keys/secrets.ts';
import { sqlKeyStore } from './sql/keys.ts';
import { startStatusPublisher } from './status/publisher.ts';
import { startTransientPurge } from './transient/purge.ts';

export interface Authority {
  ctx: AuthorityContext;
  app: Hono;
  close(): Promise<void>;
}

/** Opens storage, loads keys and secrets, and builds the HTTP app. Serving it is the caller's job. */
export async function createAuthority(
  config: Config,
  options: {
    log?: (line: string) => void;
    now?: () => number;
    /** Re-sign changed status lists this often (default 10 s; `false`: only on demand). */
    publishIntervalMs?: number | false;
  } = {},
): Promise<Authority> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const database = await openDatabase(config);
  try {
    const sealer = createSealer(loadKek(config, log));
    const keyStore = sqlKeyStore(database.db);
    const secret = (name: Parameters<typeof loadSecret>[2]) => loadSecret(keyStore, sealer, name);
    const ctx: AuthorityContext = {
      config,
      db: database.db,
      sealer,
      issuerKeys: await loadIssuerKeys(keyStore, sealer),
      secrets: {
        dedupe: await secret('dedupe'),
        appId: await secret('app-id'),
        registryLookup: await secret('registry-lookup'),
        phone: await secret('phone'),
        session: await secret('session'),
      },
      now: options.now ?? Date.now,
      log,
    };
    // Revocations reach the published lists within this interval plus the lists' 30 s max-age.
    const publisher =
      options.publishIntervalMs === false
        ? undefined
        : startStatusPublisher(ctx, { intervalMs: options.publishIntervalMs ?? 10_000 });
    const purge = startTransientPurge(ctx);
    return {
      ctx,
      app: createApp(ctx),
      async close() {
        await purge.stop();
        await publisher?.stop();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
