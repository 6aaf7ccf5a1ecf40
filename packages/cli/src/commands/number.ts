import { generateNetNumber, isNetidError, maskNetNumber, parseNetNumber } from '@netid/protocol';
import { type Command, type Io, writeJson } from '../io.ts';

const USAGE = `usage: netid number <subcommand>

  new            print a fresh network number
  check NUMBER   validate NUMBER (spaces, hyphens, lower case, O/I/L are tolerated);
                 prints {"valid":true,"netNumber":...} and exits 0, or {"error":...} and exits 1
  mask NUMBER    print NUMBER masked for display, e.g. K0******2C
`;

function usage(io: Io, code: number): number {
  (code === 0 ? io.stdout : io.stderr).write(USAGE);
  return code;
}

/** Runs fn; a NetidError becomes the JSON error answer on stdout and exit 1. Anything else is a bug. */
function answer(io: Io, fn: () => void): number {
  try {
    fn();
    return 0;
  } catch (e) {
    if (!isNetidError(e)) throw e;
    writeJson(io.stdout, e.toJSON());
    return 1;
  }
}

export const numberCommand: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === undefined) return usage(io, 2);
  if (sub === '--help' || sub === '-h' || sub === 'help') return usage(io, 0);
  switch (sub) {
    case 'new':
      if (rest.length !== 0) return usage(io, 2);
      io.stdout.write(`${generateNetNumber()}\n`);
      return 0;
    case 'check':
      if (rest.length !== 1) return usage(io, 2);
      return answer(io, () => writeJson(io.stdout, { valid: true, netNumber: parseNetNumber(rest[0]!) }));
    case 'mask':
      if (rest.length !== 1) return usage(io, 2);
      return answer(io, () => io.stdout.write(`${maskNetNumber(rest[0]!)}\n`));
    default:
      return usage(io, 2);
  }
};
