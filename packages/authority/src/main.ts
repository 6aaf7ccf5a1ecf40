import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { createAuthority } from './authority.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { seedRegistry } from './registry/seed.ts';

export interface StartOptions {
  /** Seed the stand-in population registry with this many synthetic residents first (idempotent). */
  seedResidents?: number;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  /** Resolves when the service should stop (default: SIGINT or SIGTERM). */
  until?: Promise<void>;
  /**
   * Started once the authority listens, stopped before it (the demo platforms of `--demo`). Its
   * config always has an operator token: one is made up for this run in development if none is set.
   */
  alongside?: (config: Config) => Promise<{ close(): Promise<void> }>;
}

/** `netid authority`: configuration from the environment, then serve until told to stop. */
export async function startAuthority(env = process.env, options: StartOptions = {}): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      err.write(`netid authority: configuration error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  if (options.alongside && !config.operatorToken && config.env === 'development') {
    config = { ...config, operatorToken: randomBytes(32).toString('base64url') };
    err.write(`operator API token (development, generated at start): ${config.operatorToken}\n`);
  }
  const authority = await createAuthority(config, { log: (line) => err.write(`${line}\n`) });
  let sample: { type: string; number: string; name: string; birthdate: string } | undefined;
  if (options.seedResidents) {
    const seeded = await seedRegistry(authority.ctx, { count: options.seedResidents, seed: 1 });
    sample = seeded.samples.find((s) => s.type === 'resident_id') ?? seeded.samples[0];
  }
  const server = serve({ fetch: authority.app.fetch, hostname: config.host, port: config.port });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const where = config.database.kind === 'pglite' ? `PGlite in ${config.database.dataDir}` : 'PostgreSQL';
  out.write(`netid authority listening on ${config.publicUrl} (${where})\n`);
  if (sample) {
    out.write(
      [
        `population registry: ${options.seedResidents} synthetic residents. One to enroll as (test data):`,
        `  ${sample.type}  ${sample.number}  ${sample.name}  born ${sample.birthdate}`,
        'enroll from another terminal with the CLI wallet:',
        `  npx netid wallet enroll --authority ${config.publicUrl} --document-type ${sample.type} --number ${sample.number} \\`,
        `    --name '${sample.name}' --birthdate ${sample.birthdate} --phone 13800138000`,
        `SMS codes appear on this console (development SMS outbox); stop with Ctrl-C.`,
        '',
      ].join('\n'),
    );
  }
  let alongside: { close(): Promise<void> } | undefined;
  try {
    alongside = await options.alongside?.(config);
  } catch (error) {
    err.write(`netid authority: ${(error as Error).message}\n`);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await authority.close();
    return 1;
  }
  await (options.until ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    }));
  await alongside?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await authority.close();
  return 0;
}
