import { access } from 'node:fs/promises';
import { fail, generateSigningKey } from '@netid/protocol';
import { callAuthority, codeFromOutbox } from './authority-client.ts';
import { type CertificateSummary, summarizeCertificate } from './certificate.ts';
import { documentTypeMenu, pickDocumentType } from './document-types.ts';
import { allowHttpIfLoopback, redeemOffer } from './issuance.ts';
import { obtainPassphrase } from './passphrase.ts';
import { type AuthorityProblem, AuthorityRefusedError } from './problems.ts';
import type { Prompter } from './prompt.ts';
import { createWallet, deviceKeyPem } from './wallet.ts';

/** Answers given on the command line; whatever is missing is asked. */
export interface EnrollAnswers {
  documentType?: string;
  number?: string;
  name?: string;
  birthdate?: string;
  phone?: string;
  password?: string;
  passphrase?: string;
  /** Read the SMS code and the tx_code from a development authority's outbox. */
  otpFromOutbox?: boolean;
}

export interface EnrollOptions {
  authority: string;
  walletPath: string;
  answers: EnrollAnswers;
  prompter: Prompter;
}

export interface Enrolled {
  walletPath: string;
  /** Masked, as printed. */
  netNumber: string;
  certificate: CertificateSummary;
}

/** Refusals a holder can fix by typing the answer again; the session stays at the same step. */
const RETRYABLE = new Set([
  'registry_mismatch',
  'invalid_request',
  'invalid_phone',
  'otp_incorrect',
  'weak_password',
]);
const MAX_TRIES = 5;

/**
 * Enrollment (DESIGN.md flow 1) as the CLI wallet runs it: document, phone, SMS code, password over
 * the enrollment API, then OpenID4VCI with a new device key and the tx_code texted to the phone.
 * The wallet file is written only at the end, so a failure leaves nothing behind.
 */
export async function enroll(options: EnrollOptions): Promise<Enrolled> {
  const { authority, walletPath, answers: a, prompter } = options;
  if (await exists(walletPath)) {
    return fail('ERR_WALLET_EXISTS', `a wallet already exists at ${walletPath} (give another with --wallet)`);
  }
  const passphrase = await obtainPassphrase(a.passphrase, prompter, { confirm: true });
  const post = (path: string, body?: unknown) => callAuthority(authority, 'POST', path, body);

  const created = await post('/enrollment/sessions');
  if (typeof created.session !== 'string') return fail('ERR_MALFORMED', 'the authority gave no session');
  const base = `/enrollment/sessions/${encodeURIComponent(created.session)}`;

  const asked = (flag: string | undefined) => flag === undefined;
  await retrying(prompter, [a.documentType, a.number, a.name, a.birthdate].some(asked), async () =>
    post(`${base}/document`, {
      type: a.documentType ?? (await askDocumentType(prompter)),
      number: a.number ?? (await prompter.ask('document number: ')),
      name: a.name ?? (await prompter.ask('name, as on the document: ')),
      birthdate: a.birthdate ?? (await prompter.ask('birthdate (YYYY-MM-DD): ')),
    }),
  );

  let phone = a.phone;
  await retrying(prompter, asked(a.phone), async () => {
    phone = a.phone ?? (await prompter.ask('mobile phone number: '));
    return post(`${base}/phone`, { phone });
  });
  let seen: string | undefined;
  await retrying(prompter, !a.otpFromOutbox, async () => {
    let code: string;
    if (a.otpFromOutbox) ({ code, seen } = await codeFromOutbox(authority, phone!));
    else code = await prompter.ask('the 6-digit code texted to your phone: ');
    return post(`${base}/otp`, { code });
  });

  const issuable = await retrying(prompter, asked(a.password), async () =>
    post(`${base}/password`, { password: a.password ?? (await askPassword(prompter)) }),
  );
  if (typeof issuable.credentialOfferUri !== 'string') {
    return fail('ERR_MALFORMED', 'the authority gave no credential offer');
  }

  allowHttpIfLoopback(authority);
  const deviceKey = generateSigningKey('ES256');
  const offer = issuable.credentialOfferUri;
  const { credential, issuer } = await retrying(prompter, !a.otpFromOutbox, async () => {
    const txCode = a.otpFromOutbox
      ? (await codeFromOutbox(authority, phone!, seen)).code
      : await prompter.ask('the 6-digit wallet code (领取码) texted to your phone: ');
    return redeemOffer(deviceKey, offer, txCode);
  });

  const certificate = summarizeCertificate(credential);
  if (!certificate.netNumber) return fail('ERR_MALFORMED', 'the certificate carries no network number');
  await createWallet(walletPath, passphrase, {
    deviceKeyPem: deviceKeyPem(deviceKey),
    credentials: [{ format: 'dc+sd-jwt', credential, issuer, receivedAt: new Date().toISOString() }],
  });
  return { walletPath, netNumber: certificate.netNumber, certificate };
}

/** Runs a step; when its answers were typed, a fixable refusal is explained and the step asked again. */
async function retrying<T>(prompter: Prompter, interactive: boolean, run: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await run();
    } catch (error) {
      const fixable = error instanceof AuthorityRefusedError && isFixable(error.problem);
      if (!interactive || !fixable || tries >= MAX_TRIES) throw error;
      prompter.say(`${error.message}\n`);
    }
  }
}

function isFixable(p: AuthorityProblem): boolean {
  if (RETRYABLE.has(p.code) || p.code.startsWith('ERR_DOCUMENT_')) return true;
  // The token endpoint allows a few tx_code tries; any other invalid_grant means start again.
  return p.code === 'invalid_grant' && /tx_code is wrong/.test(p.detail ?? '');
}

async function askDocumentType(prompter: Prompter): Promise<string> {
  prompter.say(`document types:\n${documentTypeMenu()}`);
  for (;;) {
    const type = pickDocumentType(await prompter.ask('document type (number or name): '));
    if (type) return type;
    prompter.say('choose one of the numbers or names listed\n');
  }
}

async function askPassword(prompter: Prompter): Promise<string> {
  for (;;) {
    const first = await prompter.askSecret('choose your netid password (8 digits): ');
    if ((await prompter.askSecret('the password again: ')) === first) return first;
    prompter.say('the two passwords differ\n');
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
