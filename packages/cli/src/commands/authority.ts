import { parseArgs } from 'node:util';
import { startAuthority } from '@netid/authority';
import type { Command } from '../io.ts';

const USAGE = `usage: netid authority [--seed-residents N]
Starts the authority, configured from the environment (NETID_* variables, DATABASE_URL; see README).
  --seed-residents N   first fill the stand-in population registry with N synthetic residents
                       (idempotent) and print one to enroll as
`;

export const authorityCommand: Command = async (args, io) => {
  let values: { 'seed-residents'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { 'seed-residents': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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
  return startAuthority(process.env, {
    seedResidents: seed === undefined ? undefined : Number(seed),
    out: io.stdout,
    err: io.stderr,
  });
};
