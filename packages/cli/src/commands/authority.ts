import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Config, loadConfig, startAuthority } from '@netid/authority';
import type { Command, Io } from '../io.ts';

const USAGE = `usage: netid authority [--seed-residents N] [--demo [--forum-port P] [--counter-port P] [--wallet-port P]]
Starts the authority, configured from the environment (NETID_* variables, DATABASE_URL; see README).
  --seed-residents N   first fill the stand-in population registry with N synthetic residents
                       (idempotent) and print one to enroll as
  --demo               also start the two demo platforms on 127.0.0.1, registered with this
                       authority (development only): an internet forum that signs people in with
                       OpenID Connect, and a government service counter that verifies directly;
                       and the web wallet, built into <data dir>/wallet-web, which the sign-in
                       and counter pages link to (at NETID_WALLET_URL when set, say behind a proxy)
  --forum-port P       the forum's port (default: the authority's port + 1)
  --counter-port P     the counter's port (default: the authority's port + 2)
  --wallet-port P      the web wallet's port (default: the authority's port + 3)
`;

const PORT = /^\d{1,5}$/;

export interface DemoPorts {
  forum?: string;
  counter?: string;
  wallet?: string;
}

/** A demo port: as given, else the authority's port plus an offset (0 stays 0: the OS chooses). */
const demoPort = (given: string | undefined, authorityPort: number, offset: number) =>
  given === undefined ? (authorityPort === 0 ? 0 : authorityPort + offset) : Number(given);

/**
 * The environment `--demo` runs the authority with: the sign-in page links to the web wallet, and
 * the authority builds that page from its configuration before anything listens, so the wallet's
 * address is settled here: NETID_WALLET_URL when set, else the loopback port it will be served on.
 */
export function demoEnv(env: NodeJS.ProcessEnv, walletPort: string | undefined): NodeJS.ProcessEnv {
  if (env.NETID_WALLET_URL) return env;
  let port: number;
  try {
    port = loadConfig(env).port;
  } catch {
    return env; // startAuthority names the bad variable
  }
  const wallet = demoPort(walletPort, port, 3);
  // Port 0: known only once it listens; the pages then link the bare openid4vp:// request.
  return wallet === 0 ? env : { ...env, NETID_WALLET_URL: `http://127.0.0.1:${wallet}/` };
}

/**
 * The demo platforms and the web wallet, started once the authority listens; the platforms' keys
 * and the wallet's build live beside the authority's data.
 */
export function demoAlongside(io: Io, ports: DemoPorts) {
  return async (config: Config) => {
    if (config.env !== 'development' || !config.operatorToken) {
      throw new Error('--demo runs in development only (NETID_ENV=development)');
    }
    const [{ startDemo }, { startWebWallet }] = await Promise.all([
      import('@netid/demo'),
      import('@netid/wallet/web-server'),
    ]);
    const dataDir =
      config.database.kind === 'pglite'
        ? config.database.dataDir
        : resolve(process.env.NETID_DATA_DIR || '.data/authority');
    const wallet = await startWebWallet({
      host: '127.0.0.1',
      port: demoPort(ports.wallet, config.port, 3),
      authority: config.publicUrl,
      outDir: join(dataDir, 'wallet-web'),
    });
    const walletUrl = config.walletUrl ?? wallet.url;
    let demo: Awaited<ReturnType<typeof startDemo>>;
    try {
      demo = await startDemo({
        authorityUrl: config.publicUrl,
        forumPort: demoPort(ports.forum, config.port, 1),
        counterPort: demoPort(ports.counter, config.port, 2),
        dataDir,
        operatorToken: config.operatorToken,
        walletUrl,
      });
    } catch (error) {
      await wallet.close();
      throw error;
    }
    io.stdout.write(
      [
        'demo platforms (registered with this authority):',
        `  forum   ${demo.forum.url}/   sign in with netid (OpenID Connect)   ${demo.forum.clientId}`,
        `  counter ${demo.counter.url}/   direct verification (QR code)         ${demo.counter.clientId}`,
        `web wallet: ${walletUrl}   enroll there, then sign in at the forum or show it to the counter`,
        '',
      ].join('\n'),
    );
    return {
      async close() {
        await demo.close();
        await wallet.close();
      },
    };
  };
}

export const authorityCommand: Command = async (args, io) => {
  let values: {
    'seed-residents'?: string;
    demo?: boolean;
    'forum-port'?: string;
    'counter-port'?: string;
    'wallet-port'?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        'seed-residents': { type: 'string' },
        demo: { type: 'boolean' },
        'forum-port': { type: 'string' },
        'counter-port': { type: 'string' },
        'wallet-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const seed = values['seed-residents'];
  if (seed !== undefined && !/^\d{1,9}$/.test(seed)) {
    io.stderr.write(`--seed-residents takes a whole number\n${USAGE}`);
    return 2;
  }
  const ports: DemoPorts = {
    forum: values['forum-port'],
    counter: values['counter-port'],
    wallet: values['wallet-port'],
  };
  for (const [name, port] of Object.entries(ports)) {
    if (port !== undefined && !(PORT.test(port) && Number(port) <= 65535)) {
      io.stderr.write(`--${name}-port takes a port number\n${USAGE}`);
      return 2;
    }
  }
  if (!values.demo && (ports.forum ?? ports.counter ?? ports.wallet) !== undefined) {
    io.stderr.write(`--forum-port, --counter-port and --wallet-port go with --demo\n${USAGE}`);
    return 2;
  }
  return startAuthority(values.demo ? demoEnv(process.env, ports.wallet) : process.env, {
    seedResidents: seed === undefined ? undefined : Number(seed),
    out: io.stdout,
    err: io.stderr,
    ...(values.demo ? { alongside: demoAlongside(io, ports) } : {}),
  });
};
