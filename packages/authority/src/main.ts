import { serve } from '@hono/node-server';
import { createAuthority } from './authority.ts';
import { ConfigError, loadConfig } from './config.ts';

/** `netid authority`: configuration from the environment, then serve until SIGINT/SIGTERM. */
export async function startAuthority(env = process.env): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`netid authority: configuration error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const authority = await createAuthority(config);
  const server = serve({ fetch: authority.app.fetch, hostname: config.host, port: config.port });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const db = config.database.kind === 'pglite' ? `PGlite in ${config.database.dataDir}` : 'PostgreSQL';
  process.stdout.write(`netid authority listening on ${config.publicUrl} (${db})\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await authority.close();
  return 0;
}
