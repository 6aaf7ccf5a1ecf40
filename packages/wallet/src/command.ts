import { access } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { fail, isNetidError } from '@netid/protocol';
import type { CertificateSummary } from './certificate.ts';
import { summarizeCertificate } from './certificate.ts';
import { enroll } from './enroll.ts';
import type { WalletCommand, WalletIo } from './io.ts';
import { obtainPassphrase } from './passphrase.ts';
import { historyCommand, PRESENT_USAGE, presentCommand } from './present/command.ts';
import { createPrompter } from './prompt.ts';
import { isSelfServiceSubcommand, SELF_SERVICE_USAGE, selfServiceCommand } from './selfservice-command.ts';
import { loadWallet, walletPath } from './wallet.ts';

const USAGE = `usage: netid wallet enroll --authority URL [options]
       netid wallet show [--json] [options]
       netid wallet devices | revoke ID | cancel | access-log [--json] [options]
       netid wallet present URI [options] | history [--json|--csv]

  enroll   enroll with the authority and keep the certificate it issues in a new wallet file.
           Asks for what the options do not give:
             --document-type TYPE --number N --name NAME --birthdate YYYY-MM-DD
             --phone PHONE --password 8DIGITS (the netid password)
             --otp-from-outbox   read the SMS code and the wallet code from a development
                                 authority's GET /dev/sms-outbox instead of asking
  show     the network number (masked) and each certificate; --json for scripts
${SELF_SERVICE_USAGE}${PRESENT_USAGE}
  common   --wallet FILE        default $NETID_WALLET, else ~/.netid/wallet.json
           --passphrase TEXT    the wallet file passphrase, default $NETID_WALLET_PASSPHRASE, else
                                asked. It is not the netid password: at least 10 characters.
`;

function usage(io: WalletIo, code: number, problem?: string): number {
  if (problem) io.stderr.write(`netid wallet: ${problem}\n`);
  (code === 0 ? io.stdout : io.stderr).write(USAGE);
  return code;
}

const COMMON = {
  wallet: { type: 'string' },
  passphrase: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ENROLL = {
  ...COMMON,
  authority: { type: 'string' },
  'document-type': { type: 'string' },
  number: { type: 'string' },
  name: { type: 'string' },
  birthdate: { type: 'string' },
  phone: { type: 'string' },
  password: { type: 'string' },
  'otp-from-outbox': { type: 'boolean' },
} as const;

const SHOW = { ...COMMON, json: { type: 'boolean' } } as const;

/** `netid wallet enroll | show | devices | revoke | cancel | access-log`. Exit 0 on success, 1 when the wallet or the authority refused, 2 on usage. */
export const walletCommand: WalletCommand = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') return usage(io, sub ? 0 : 2);
  if (isSelfServiceSubcommand(sub) || sub === 'present' || sub === 'history') {
    const prompter = createPrompter(io.stdin, io.stderr);
    const usageFor = (code: number, problem?: string) => usage(io, code, problem);
    try {
      if (sub === 'present') return await presentCommand(rest, io, prompter, usageFor);
      if (sub === 'history') return await historyCommand(rest, io, prompter, usageFor);
      return await selfServiceCommand(sub, rest, io, prompter, usageFor);
    } catch (error) {
      if (!isNetidError(error)) throw error;
      io.stderr.write(`netid wallet: ${error.message}\n`);
      return 1;
    } finally {
      prompter.close();
    }
  }
  if (sub !== 'enroll' && sub !== 'show') return usage(io, 2, `unknown subcommand ${sub}`);
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    const options: ParseArgsConfig['options'] = sub === 'enroll' ? ENROLL : SHOW;
    ({ values } = parseArgs({ args: rest, options, strict: true }));
  } catch (error) {
    return usage(io, 2, (error as Error).message);
  }
  if (values.help) return usage(io, 0);
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const authority = str('authority');
  if (sub === 'enroll' && !authority) return usage(io, 2, 'enroll needs --authority URL');
  if (authority && !URL.canParse(authority)) return usage(io, 2, '--authority must be a URL');

  const prompter = createPrompter(io.stdin, io.stderr);
  const path = walletPath(str('wallet'));
  try {
    if (sub === 'enroll') {
      const enrolled = await enroll({
        authority: authority!,
        walletPath: path,
        prompter,
        answers: {
          documentType: str('document-type'),
          number: str('number'),
          name: str('name'),
          birthdate: str('birthdate'),
          phone: str('phone'),
          password: str('password'),
          passphrase: str('passphrase'),
          otpFromOutbox: values['otp-from-outbox'] === true,
        },
      });
      io.stdout.write(
        `enrolled: network number ${enrolled.netNumber}\n` +
          `certificate from ${enrolled.certificate.issuer}, expires ${day(enrolled.certificate.expiresAt)}\n` +
          `wallet saved to ${enrolled.walletPath}\n`,
      );
      return 0;
    }
    // Before asking for the passphrase: no point typing it for a file that is not there.
    await access(path).catch(() =>
      fail('ERR_WALLET_NOT_FOUND', `no wallet at ${path} (run netid wallet enroll first)`),
    );
    const passphrase = await obtainPassphrase(str('passphrase'), prompter, { confirm: false });
    const { contents } = await loadWallet(path, passphrase);
    const certificates = contents.credentials.map((c) => summarizeCertificate(c.credential));
    const netNumber = certificates.find((c) => c.netNumber)?.netNumber ?? null;
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ netNumber, certificates }, null, 2)}\n`);
    } else {
      io.stdout.write(`network number  ${netNumber ?? '(none)'}\n`);
      for (const [i, c] of certificates.entries()) io.stdout.write(describe(c, i + 1));
    }
    return 0;
  } catch (error) {
    if (!isNetidError(error)) throw error;
    io.stderr.write(`netid wallet: ${error.message}\n`);
    return 1;
  } finally {
    prompter.close();
  }
};

const day = (iso: string) => iso.slice(0, 10);

function describe(c: CertificateSummary, n: number): string {
  const status =
    c.statusIndex === undefined
      ? 'none'
      : `index ${c.statusIndex}${c.statusListUri ? ` in ${c.statusListUri}` : ''}`;
  return (
    `certificate ${n}\n` +
    `  issuer      ${c.issuer}\n` +
    `  issued      ${day(c.issuedAt)}\n` +
    `  expires     ${day(c.expiresAt)}\n` +
    `  status      ${status}\n` +
    `  claims      ${c.claims.join(', ')}\n`
  );
}
