import type { Command, Io } from './io.ts';

/** Each subcommand lives in its own module and is loaded only when called, to keep start-up fast. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  authority: {
    summary: 'start the authority service (configured from the environment)',
    load: async () => (await import('./commands/authority.ts')).authorityCommand,
  },
  verify: {
    summary: 'verify a presentation read on stdin',
    load: async () => (await import('./commands/verify.ts')).verifyCommand,
  },
  number: {
    summary: 'network numbers: new | check NUMBER | mask NUMBER',
    load: async () => (await import('./commands/number.ts')).numberCommand,
  },
  registry: {
    summary: 'the stand-in population registry: seed --count N [--seed S]',
    load: async () => (await import('./commands/registry.ts')).registryCommand,
  },
  wallet: {
    summary: 'the CLI wallet: enroll | show | devices | revoke | cancel | access-log',
    load: async () => (await import('@netid/wallet')).walletCommand,
  },
  operator: {
    summary: 'operator API: revoke ID --reason R | lookup NUMBER --reason R | rotate-keys',
    load: async () => (await import('./commands/operator.ts')).operatorCommand,
  },
  platform: {
    summary: 'the platform register: add | list | show ID | approve ID | suspend ID',
    load: async () => (await import('./commands/platform.ts')).platformCommand,
  },
  demo: {
    summary: 'issue → present → verify, end to end, and print each step',
    load: async () => (await import('./commands/demo.ts')).demoCommand,
  },
};

function usage(io: Io): void {
  io.stderr.write('usage: netid <command> [options]\n\ncommands:\n');
  for (const [name, { summary }] of Object.entries(COMMANDS))
    io.stderr.write(`  ${name.padEnd(10)}${summary}\n`);
}

export async function main(argv: string[], io: Io = process): Promise<number> {
  const [name, ...rest] = argv;
  const entry = name === undefined ? undefined : COMMANDS[name];
  if (!entry) {
    usage(io);
    return name === undefined || name === '--help' || name === '-h' ? 0 : 2;
  }
  return (await entry.load())(rest, io);
}
