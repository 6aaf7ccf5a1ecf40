import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fail, isNetidError } from '@netid/protocol';
import { obtainApplicationCredential } from '../application-credential.ts';
import { type Holder, holderOf } from '../holder-client.ts';
import type { WalletIo } from '../io.ts';
import { obtainPassphrase } from '../passphrase.ts';
import type { Prompter } from '../prompt.ts';
import { type HistoryEntry, loadWallet, type OpenedWallet, saveWallet, walletPath } from '../wallet.ts';
import { answerRequest, refusalOf } from './answer.ts';
import { claimLabel, describeRequest } from './describe.ts';
import { readableRefusal } from './refusals.ts';
import { resolveRequest, type WalletRequestView } from './request.ts';

export const PRESENT_USAGE = `  present URI   answer a sign-in or verification request (the openid4vp:// link behind a QR code):
               shows who asks, for what and why, and the verification code; asks which claims to
               disclose, whether to approve, and the netid password when the mode needs it.
               --yes (approve, disclosing everything asked) | --decline | --disclose a,b
               --password 8DIGITS   for scripts; --json prints the outcome as JSON
  history      every approval and denial this wallet made [--json | --csv]
`;

const OPTIONS = {
  wallet: { type: 'string' },
  passphrase: { type: 'string' },
  json: { type: 'boolean' },
  yes: { type: 'boolean' },
  decline: { type: 'boolean' },
  disclose: { type: 'string' },
  password: { type: 'string' },
} as const;

type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean;
};

/**
 * The credential a request is answered with: the certificate for sign-ins via the authority; for a
 * platform verifying directly, its application credential — reused while it has 5 minutes left,
 * else obtained from the authority (which is then the only party told which platform it is for).
 */
async function credentialFor(view: WalletRequestView, holder: Holder, wallet: OpenedWallet): Promise<string> {
  if (view.kind === 'signin') return holder.credential;
  const now = Math.floor(Date.now() / 1000);
  const cached = (wallet.contents.applicationCredentials ?? []).find(
    (c) => c.clientId === view.clientId && c.expiresAt > now + 300,
  );
  if (cached) return cached.credential;
  const fresh = await obtainApplicationCredential({
    authorityUrl: holder.authority,
    walletData: wallet,
    clientId: view.clientId,
  });
  wallet.contents.applicationCredentials = [
    ...(wallet.contents.applicationCredentials ?? []).filter(
      (c) => c.clientId !== view.clientId && c.expiresAt > now,
    ),
    { clientId: view.clientId, credential: fresh.credential, expiresAt: fresh.expiresAt },
  ];
  return fresh.credential;
}

async function decide(view: WalletRequestView, values: Values, prompter: Prompter) {
  if (values.decline) return { approve: false, disclose: [] as string[] };
  let disclose = view.claims;
  if (values.disclose !== undefined) {
    const chosen = values.disclose
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    disclose = view.claims.filter((c) => chosen.includes(c));
  } else if (!values.yes) {
    disclose = [];
    for (const claim of view.claims) {
      const answer = (await prompter.ask(`disclose ${claimLabel(claim)}? [Y/n] `)).trim().toLowerCase();
      if (answer === '' || answer === 'y' || answer === 'yes') disclose.push(claim);
    }
  }
  if (!values.yes && values.disclose === undefined) {
    const answer = (await prompter.ask('approve? [y/N] ')).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') return { approve: false, disclose: [] as string[] };
  }
  return { approve: true, disclose };
}

async function record(path: string, passphrase: string, wallet: OpenedWallet, entry: HistoryEntry) {
  const contents = { ...wallet.contents, history: [...(wallet.contents.history ?? []), entry] };
  await saveWallet(path, passphrase, contents);
}

/** `netid wallet present URI`. Exit 0 when answered (approved or declined), 1 when refused, 2 on usage. */
export async function presentCommand(
  args: string[],
  io: WalletIo,
  prompter: Prompter,
  usage: (code: number, problem?: string) => number,
): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true }));
  } catch (error) {
    return usage(2, (error as Error).message);
  }
  if (positionals.length !== 1) return usage(2, 'present takes one request URI');
  if (values.yes && values.decline) return usage(2, '--yes and --decline contradict each other');
  const path = walletPath(values.wallet);
  await access(path).catch(() =>
    fail('ERR_WALLET_NOT_FOUND', `no wallet at ${path} (run netid wallet enroll first)`),
  );
  const passphrase = await obtainPassphrase(values.passphrase, prompter, { confirm: false });
  const wallet = await loadWallet(path, passphrase);
  const holder = holderOf(wallet);
  const view = await resolveRequest(positionals[0]!, { authority: holder.authority });
  io.stderr.write(describeRequest(view, Date.now()));
  const decision = await decide(view, values, prompter);
  const password =
    decision.approve && view.mode === 'cert+password'
      ? (values.password ?? (await prompter.askSecret('netid password (8 digits): ')))
      : undefined;
  const entry: HistoryEntry = {
    at: new Date().toISOString(),
    kind: view.kind,
    platform: { clientId: view.platform.clientId, name: view.platform.name, kind: view.platform.kind },
    mode: view.mode,
    claims: decision.approve ? decision.disclose : [],
    result: decision.approve ? 'approved' : 'declined',
  };
  try {
    const credential = decision.approve ? await credentialFor(view, holder, wallet) : '';
    const result = await answerRequest(view, credential, wallet.deviceKey, {
      ...decision,
      ...(password ? { password } : {}),
    });
    await record(path, passphrase, wallet, entry);
    if (values.json)
      io.stdout.write(`${JSON.stringify({ ...entry, redirectUri: result.redirectUri ?? null })}\n`);
    else
      io.stdout.write(
        `${entry.result}${entry.claims.length ? `: disclosed ${entry.claims.join(', ')}` : ''}\n`,
      );
    return 0;
  } catch (error) {
    const refusal = isNetidError(error) ? refusalOf(error) : undefined;
    if (!refusal) throw error;
    await record(path, passphrase, wallet, { ...entry, claims: [], result: 'refused', reason: refusal.code });
    io.stderr.write(`netid wallet: ${readableRefusal(refusal)}\n`);
    if (values.json)
      io.stdout.write(
        `${JSON.stringify({ ...entry, claims: [], result: 'refused', reason: refusal.code })}\n`,
      );
    return 1;
  }
}

const CSV_COLUMNS = [
  'at',
  'kind',
  'platform',
  'platform_kind',
  'mode',
  'claims',
  'result',
  'reason',
] as const;
const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** `netid wallet history`: the wallet's own record of every answer. */
export async function historyCommand(
  args: string[],
  io: WalletIo,
  prompter: Prompter,
  usage: (code: number, problem?: string) => number,
) {
  let values: { wallet?: string; passphrase?: string; json?: boolean; csv?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        wallet: { type: 'string' },
        passphrase: { type: 'string' },
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    return usage(2, (error as Error).message);
  }
  const path = walletPath(values.wallet);
  const passphrase = await obtainPassphrase(values.passphrase, prompter, { confirm: false });
  const history = (await loadWallet(path, passphrase)).contents.history ?? [];
  if (values.json) {
    io.stdout.write(`${JSON.stringify(history, null, 2)}\n`);
  } else if (values.csv) {
    io.stdout.write(`${CSV_COLUMNS.join(',')}\n`);
    for (const h of history) {
      const row = [
        h.at,
        h.kind,
        h.platform.name.en,
        h.platform.kind,
        h.mode,
        h.claims.join(' '),
        h.result,
        h.reason ?? '',
      ];
      io.stdout.write(`${row.map(csvCell).join(',')}\n`);
    }
  } else if (history.length === 0) {
    io.stdout.write('no answers yet\n');
  } else {
    for (const h of history) {
      const claims = h.claims.length ? h.claims.join(', ') : '—';
      io.stdout.write(
        `${h.at}  ${h.result.padEnd(8)}  ${h.platform.name.en} (${h.kind}, ${h.mode})  ${claims}${h.reason ? `  [${h.reason}]` : ''}\n`,
      );
    }
  }
  return 0;
}
