import { parseArgs } from 'node:util';
import { ConfigError, createAuthority, loadConfig, seedRegistry } from '@netid/authority';
import type { Command, Io } from '../io.ts';
import { createProgress } from '../progress.ts';

const USAGE = `usage: netid registry seed --count N [--seed S] [--database-url URL] [--data-dir DIR]

  Fills the stand-in population registry with N synthetic residents drawn from seed S (default 1).
  Re-running with the same seed adds nothing. The database is the authority's: DATABASE_URL or
  NETID_DATA_DIR from the environment unless given here. Prints one sample resident per document
  type to try enrollment with; these numbers are synthetic test data, and the registry stores only
  keyed hashes of them.
`;

function usage(io: Io, code: number, problem?: string): number {
  if (problem) io.stderr.write(`netid registry: ${problem}\n`);
  (code === 0 ? io.stdout : io.stderr).write(USAGE);
  return code;
}

const COUNT_LIMIT = 100_000_000;

export const registryCommand: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') return usage(io, 0);
  if (sub !== 'seed') return usage(io, 2, sub === undefined ? undefined : `unknown subcommand ${sub}`);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        count: { type: 'string' },
        seed: { type: 'string', default: '1' },
        'database-url': { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return usage(io, 2, (error as Error).message);
  }
  if (values.help) return usage(io, 0);
  const count = integer(values.count);
  const seed = integer(values.seed);
  if (count === undefined || count < 1 || count > COUNT_LIMIT) {
    return usage(io, 2, `--count must be an integer from 1 to ${COUNT_LIMIT}`);
  }
  if (seed === undefined) return usage(io, 2, '--seed must be an integer');
  if (values['database-url'] && values['data-dir']) {
    return usage(io, 2, 'give --database-url or --data-dir, not both');
  }
  return runSeed(io, {
    count,
    seed,
    databaseUrl: str(values['database-url']),
    dataDir: str(values['data-dir']),
  });
};

async function runSeed(
  io: Io,
  options: { count: number; seed: number; databaseUrl?: string; dataDir?: string },
): Promise<number> {
  const env: Record<string, string | undefined> = { ...process.env };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.dataDir) {
    env.NETID_DATA_DIR = options.dataDir;
    delete env.DATABASE_URL;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`netid registry: ${error.message}\n`);
    return 2;
  }
  const authority = await createAuthority(config, { log: (line) => io.stderr.write(`${line}\n`) });
  try {
    const progress = createProgress({ total: options.count, label: 'seeding', stream: io.stderr });
    const started = performance.now();
    const result = await seedRegistry(authority.ctx, {
      count: options.count,
      seed: options.seed,
      onProgress: (n) => progress.tick(n),
    });
    progress.done();
    const seconds = (performance.now() - started) / 1000;
    io.stdout.write(
      `seeded ${options.count} residents from seed ${options.seed} in ${seconds.toFixed(1)} s ` +
        `(${Math.round(options.count / seconds)}/s): ${result.persons} persons and ${result.documents} documents written\n`,
    );
    io.stdout.write(
      'sample residents (synthetic test data), one per document type — type, number, birthdate, name:\n',
    );
    for (const s of result.samples) {
      // The name last: foreign names contain spaces.
      io.stdout.write(`  ${s.type.padEnd(30)} ${s.number.padEnd(18)} ${s.birthdate}  ${s.name}\n`);
    }
    return 0;
  } finally {
    await authority.close();
  }
}

function integer(value: string | boolean | undefined): number | undefined {
  if (typeof value !== 'string' || !/^-?\d{1,16}$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

const str = (value: string | boolean | undefined) => (typeof value === 'string' ? value : undefined);
