import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Config, startAuthority } from '@netid/authority';
import type { Command, Io } from '../io.ts';

const USAGE = `usage: netid authority [--seed-residents N] [--demo [--forum-port P] [--counter-port P]]
Starts the authority, configured from the environment (NETID_* variables, DATABASE_URL; see README).
  --seed-residents N   first fill the stand-in population registry with N synthetic residents
                       (idempotent) and print one to enroll as
  --demo               also start the two demo platforms on 127.0.0.1, registered with this
                       authority (development only): an internet forum that signs people in with
                       OpenID Connect, and a government service counter that verifies directly
  --forum-port P       the forum's port (default: the authority's port + 1)
  --counter-port P     the counter's port (default: the authority's port + 2)
`;

const PORT = /^\d{1,5}$/;

/** The demo platforms, started once the authority listens; their keys live beside its data. */
export function demoAlongside(io: Io, ports: { forum?: string; counter?: string }) {
  return async (config: Config) => {
    if (config.env !== 'development' || !config.operatorToken) {
      throw new Error('--demo runs in development only (NETID_ENV=development)');
    }
    const { startDemo } = await import('@netid/demo');
    const next = (offset: number) => (config.port === 0 ? 0 : config.port + offset);
    const demo = await startDemo({
      authorityUrl: config.publicUrl,
      forumPort: ports.forum === undefined ? next(1) : Number(ports.forum),
      counterPort: ports.counter === undefined ? next(2) : Number(ports.counter),
      dataDir:
        config.database.kind === 'pglite'
          ? config.database.dataDir
          : resolve(process.env.NETID_DATA_DIR || '.data/authority'),
      operatorToken: config.operatorToken,
    });
    io.stdout.write(
      [
        'demo platforms (registered with this authority):',
        `  forum   ${demo.forum.url}/   sign in with netid (OpenID Connect)   ${demo.forum.clientId}`,
        `  counter ${demo.counter.url}/   direct verification (QR code)         ${demo.counter.clientId}`,
        '',
      ].join('\n'),
    );
    return demo;
  };
}

export const authorityCommand: Command = async (args, io) => {
  let values: {
    'seed-residents'?: string;
    demo?: boolean;
    'forum-port'?: string;
    'counter-port'?: string;
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
  const ports = { forum: values['forum-port'], counter: values['counter-port'] };
  for (const [name, port] of Object.entries(ports)) {
    if (port !== undefined && !(PORT.test(port) && Number(port) <= 65535)) {
      io.stderr.write(`--${name}-port takes a port number\n${USAGE}`);
      return 2;
    }
  }
  if (!values.demo && (ports.forum ?? ports.counter) !== undefined) {
    io.stderr.write(`--forum-port and --counter-port go with --demo\n${USAGE}`);
    return 2;
  }
  return startAuthority(process.env, {
    seedResidents: seed === undefined ? undefined : Number(seed),
    out: io.stdout,
    err: io.stderr,
    ...(values.demo ? { alongside: demoAlongside(io, ports) } : {}),
  });
};
