import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fail, maskNetNumber } from '@netid/protocol';
import { type Holder, holderOf } from './holder-client.ts';
import type { WalletIo } from './io.ts';
import { obtainPassphrase } from './passphrase.ts';
import type { Prompter } from './prompt.ts';
import {
  cancelNetNumber,
  type Device,
  HOLDER_REVOCATION_REASONS,
  type HolderRevocationReason,
  listDevices,
  readAccessLog,
  revokeDevice,
} from './selfservice.ts';
import { readableReason } from './selfservice-problems.ts';
import { loadWallet, walletPath } from './wallet.ts';

export const SELF_SERVICE_SUBCOMMANDS = ['devices', 'revoke', 'cancel', 'access-log'] as const;
export type SelfServiceSubcommand = (typeof SELF_SERVICE_SUBCOMMANDS)[number];

export const isSelfServiceSubcommand = (sub: string): sub is SelfServiceSubcommand =>
  (SELF_SERVICE_SUBCOMMANDS as readonly string[]).includes(sub);

export const SELF_SERVICE_USAGE = `  devices      my certificates: issued, expires, revoked (and why), which one is this device
  revoke ID    revoke one of my certificates (a lost device) [--reason ${HOLDER_REVOCATION_REASONS.join('|')}]
               asks for the netid password (--password 8DIGITS for scripts)
  cancel       cancel my network number: every certificate of every device is revoked. Asks to type
               the masked network number (--yes for scripts) and the netid password (--password)
  access-log   every time an operator read my record: when, who, why
               these four talk to the authority that issued the wallet's certificate; --json for scripts
`;

const OPTIONS = {
  wallet: { type: 'string' },
  passphrase: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  reason: { type: 'string' },
  password: { type: 'string' },
  yes: { type: 'boolean' },
} as const;

/** Which options each subcommand takes beyond --wallet, --passphrase, --json. */
const EXTRA: Record<SelfServiceSubcommand, string[]> = {
  devices: [],
  revoke: ['reason', 'password'],
  cancel: ['password', 'yes'],
  'access-log': [],
};

type Usage = (code: number, problem?: string) => number;

interface Parsed {
  values: {
    wallet?: string;
    passphrase?: string;
    json?: boolean;
    reason?: string;
    password?: string;
    yes?: boolean;
  };
  certificateId?: string;
}

function parse(sub: SelfServiceSubcommand, args: string[]): Parsed | string {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  const common = ['wallet', 'passphrase', 'json', 'help'];
  const stray = Object.keys(values).find((name) => !common.includes(name) && !EXTRA[sub].includes(name));
  if (stray) return `${sub} does not take --${stray}`;
  if (sub === 'revoke') {
    if (positionals.length !== 1) return 'revoke needs one certificate id (see netid wallet devices)';
    if (
      values.reason !== undefined &&
      !(HOLDER_REVOCATION_REASONS as readonly string[]).includes(values.reason)
    ) {
      return `--reason must be one of ${HOLDER_REVOCATION_REASONS.join(', ')}`;
    }
    return { values, certificateId: positionals[0]! };
  }
  if (positionals.length > 0) return `${sub} takes no argument (${positionals[0]})`;
  return { values };
}

/**
 * `netid wallet devices | revoke | cancel | access-log`: the holder's self-service, authenticated
 * by a fresh presentation of the wallet's certificate. `usage` prints the wallet usage and returns
 * its exit code; NetidErrors are left to the caller, which words them.
 */
export async function selfServiceCommand(
  sub: SelfServiceSubcommand,
  args: string[],
  io: WalletIo,
  prompter: Prompter,
  usage: Usage,
): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) return usage(0);
  const parsed = parse(sub, args);
  if (typeof parsed === 'string') return usage(2, parsed);
  const { values } = parsed;
  const path = walletPath(values.wallet);
  // Before asking for the passphrase: no point typing it for a file that is not there.
  await access(path).catch(() =>
    fail('ERR_WALLET_NOT_FOUND', `no wallet at ${path} (run netid wallet enroll first)`),
  );
  const passphrase = await obtainPassphrase(values.passphrase, prompter, { confirm: false });
  const holder = holderOf(await loadWallet(path, passphrase));
  const out = (json: unknown, text: string) =>
    io.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : text);

  switch (sub) {
    case 'devices': {
      const devices = await listDevices(holder);
      const netNumber = maskNetNumber(holder.netNumber);
      out({ netNumber, devices }, `network number  ${netNumber}\n${devices.map(describeDevice).join('')}`);
      return 0;
    }
    case 'revoke': {
      const reason = (values.reason ?? 'holder_request') as HolderRevocationReason;
      const password = values.password ?? (await prompter.askSecret('netid password (8 digits): '));
      const revoked = await revokeDevice(holder, parsed.certificateId!, reason, password);
      out(
        revoked,
        `${revoked.alreadyRevoked ? 'already revoked' : 'revoked'}: certificate ${revoked.id} ` +
          `(${readableReason(revoked.reason)}), ${revoked.revokedAt}\n`,
      );
      return 0;
    }
    case 'cancel':
      return cancel(holder, values, io, prompter, out);
    case 'access-log': {
      const entries = await readAccessLog(holder);
      const lines = entries.map(
        (e) => `${e.at}  ${e.actor}  ${e.reason.replaceAll('_', ' ')}${e.detail ? ` (${e.detail})` : ''}\n`,
      );
      out({ entries }, entries.length ? lines.join('') : 'no operator has read your record\n');
      return 0;
    }
  }
}

async function cancel(
  holder: Holder,
  values: Parsed['values'],
  io: WalletIo,
  prompter: Prompter,
  out: (json: unknown, text: string) => void,
): Promise<number> {
  const masked = maskNetNumber(holder.netNumber);
  if (!values.yes) {
    prompter.say(`Cancelling network number ${masked} revokes the certificate of every device, for good.\n`);
    const typed = await prompter.ask(`type ${masked} to confirm: `);
    if (typed !== masked) {
      io.stderr.write('netid wallet: not confirmed: nothing was cancelled\n');
      return 1;
    }
  }
  const password = values.password ?? (await prompter.askSecret('netid password (8 digits): '));
  const revoked = await cancelNetNumber(holder, password);
  out(
    { state: 'cancelled', netNumber: masked, revokedCertificates: revoked },
    `cancelled: network number ${masked}; ${revoked} certificate${revoked === 1 ? '' : 's'} revoked\n`,
  );
  return 0;
}

const day = (iso: string) => iso.slice(0, 10);

function describeDevice(d: Device): string {
  const status = d.revoked
    ? `revoked ${d.revokedAt ? day(d.revokedAt) : ''} (${readableReason(d.revocationReason)})`
    : 'valid';
  return (
    `certificate ${d.id}${d.thisDevice ? '  (this device)' : ''}\n` +
    `  issued      ${day(d.issuedAt)}\n` +
    `  expires     ${day(d.expiresAt)}\n` +
    `  status      ${status}\n`
  );
}
