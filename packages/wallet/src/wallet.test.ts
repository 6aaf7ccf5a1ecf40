import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { decodeSdJwt, presentSdJwt } from '@netid/protocol';
import { createVerifier } from '@netid/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedResidents, testResident } from '../../authority/src/enrollment/test-support.ts';
import { type ServedAuthority, serveTestAuthority } from '../../authority/src/issuance/test-support.ts';
import { backends } from '../../authority/src/testing/backends.ts';
import { main } from '../../cli/src/main.ts';
import type { WalletIo } from './io.ts';
import { loadWallet } from './wallet.ts';

const PASSPHRASE = 'correct horse battery';
const PASSWORD = '20481357';

let served: ServedAuthority;
const dir = mkdtempSync(join(tmpdir(), 'netid-wallet-'));
beforeAll(async () => {
  served = await serveTestAuthority(backends[0]!);
});
afterAll(async () => {
  await served?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `netid wallet …` in-process, through the CLI's dispatcher; `onPrompt` may answer questions as they are asked on stderr. */
async function run(
  args: string[],
  stdin = '',
  onPrompt?: (stderr: string, answer: (line: string) => void) => void,
) {
  const input = new PassThrough();
  const io: WalletIo = { stdin: input, stdout: new PassThrough(), stderr: new PassThrough() };
  let stdout = '';
  let stderr = '';
  io.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  io.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    onPrompt?.(stderr, (line) => input.write(`${line}\n`));
  });
  if (stdin) input.write(stdin);
  if (!onPrompt) input.end();
  const code = await main(['wallet', ...args], io);
  input.end();
  return { code, stdout, stderr };
}

let phones = 0;
/** A distinct mobile number per enrollment, so resend throttling of one test cannot touch another. */
const nextPhone = () => `1391234${String(5000 + phones++).padStart(4, '0')}`;

function enrollFlags(resident: ReturnType<typeof testResident>, wallet: string, phone = nextPhone()) {
  const d = resident.documents[0]!;
  return [
    'enroll',
    '--authority',
    served.url,
    '--wallet',
    wallet,
    '--passphrase',
    PASSPHRASE,
    '--document-type',
    d.type,
    '--number',
    d.number,
    '--name',
    resident.name,
    '--birthdate',
    resident.birthdate,
    '--phone',
    phone,
    '--password',
    PASSWORD,
    '--otp-from-outbox',
  ];
}

const netNumberOf = (credential: string) =>
  decodeSdJwt(credential).disclosures.find((d) => d.name === 'net_number')?.value as string;

describe('netid wallet enroll | show, against an authority served on loopback', () => {
  const resident = testResident({ name: '赵敏', birthdate: '1992-04-18' });
  const wallet = join(dir, 'first.json');
  let phone: string;

  beforeAll(async () => {
    await seedResidents(served.ctx, [resident]);
  });

  it('enrolls from flags and the dev outbox, and prints the masked network number', async () => {
    phone = nextPhone();
    const { code, stdout, stderr } = await run(enrollFlags(resident, wallet, phone));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { contents } = await loadWallet(wallet, PASSPHRASE);
    const netNumber = netNumberOf(contents.credentials[0]!.credential);
    const masked = `${netNumber.slice(0, 2)}******${netNumber.slice(-2)}`;
    expect(stdout).toContain(`enrolled: network number ${masked}\n`);
    expect(stdout).not.toContain(netNumber);
  });

  it('keeps a certificate bound to the wallet key that @netid/verifier accepts', async () => {
    const { deviceKey, contents } = await loadWallet(wallet, PASSPHRASE);
    const verifier = createVerifier({ issuer: served.url });
    try {
      await verifier.ready();
      const presentation = presentSdJwt(contents.credentials[0]!.credential, {
        disclose: { net_number: true, age_over_18: true },
        keyBinding: { key: deviceKey, audience: 'https://forum.example', nonce: 'n-wallet-1' },
      });
      const verified = await verifier.verify(presentation, {
        audience: 'https://forum.example',
        nonce: 'n-wallet-1',
        requiredClaims: ['net_number', 'age_over_18'],
      });
      expect(verified.claims.net_number).toBe(netNumberOf(contents.credentials[0]!.credential));
      expect(verified.claims.age_over_18).toBe(true);
      expect(verified.claims.name).toBeUndefined();
    } finally {
      verifier.close();
    }
  });

  it('shows the certificate as JSON for scripts and as text for people', async () => {
    const { contents } = await loadWallet(wallet, PASSPHRASE);
    const credential = contents.credentials[0]!.credential;
    const { payload } = decodeSdJwt(credential);
    const shown = await run(['show', '--json', '--wallet', wallet, '--passphrase', PASSPHRASE]);
    expect(shown.code).toBe(0);
    const json = JSON.parse(shown.stdout);
    const netNumber = netNumberOf(credential);
    expect(json.netNumber).toBe(`${netNumber.slice(0, 2)}******${netNumber.slice(-2)}`);
    expect(json.certificates).toHaveLength(1);
    expect(json.certificates[0]).toMatchObject({
      issuer: served.url,
      issuedAt: new Date((payload.iat as number) * 1000).toISOString(),
      expiresAt: new Date((payload.exp as number) * 1000).toISOString(),
      statusIndex: (payload.status as { status_list: { idx: number } }).status_list.idx,
    });
    expect(json.certificates[0].claims).toEqual(
      expect.arrayContaining(['net_number', 'name', 'birthdate', 'age_over_18', 'document_type']),
    );
    // Names of claims, never their values.
    expect(shown.stdout).not.toContain('赵敏');
    expect(shown.stdout).not.toContain(netNumber);

    const text = await run(['show', '--wallet', wallet], `${PASSPHRASE}\n`);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`network number  ${json.netNumber}\n`);
    expect(text.stdout).toContain(`issuer      ${served.url}\n`);
    expect(text.stdout).toMatch(/status {6}index \d+/);
  });

  it('writes a 0600 file with no key, credential, name, document or phone number in the clear', async () => {
    expect(statSync(wallet).mode & 0o777).toBe(0o600);
    const bytes = readFileSync(wallet);
    const text = bytes.toString('utf8');
    // Markers of a plaintext key or SD-JWT. Not a bare "eyJ": three characters turn up by chance in
    // a few KiB of base64 ciphertext about once in a hundred runs. The credential's own header
    // prefix (our JWS headers start alg, typ) is long enough never to.
    const credentialHeader = Buffer.from('{"alg":"ES256","typ":"dc+sd-jwt"').toString('base64url');
    expect(text).not.toMatch(/PRIVATE KEY|BEGIN|~/);
    expect(text).not.toContain(credentialHeader.slice(0, 40));
    for (const secret of [
      '赵敏',
      resident.documents[0]!.number,
      phone,
      'net_number',
      'dc+sd-jwt',
      served.url,
    ]) {
      expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
    }
    // What the file does hold, decrypted: none of it shows through.
    const { contents } = await loadWallet(wallet, PASSPHRASE);
    const { jwt, disclosures } = decodeSdJwt(contents.credentials[0]!.credential);
    const keyLines = contents.deviceKeyPem.split('\n').filter((l) => l && !l.startsWith('-----'));
    expect(keyLines.length).toBeGreaterThan(0);
    for (const part of [jwt.split('.')[2]!, ...disclosures.map((d) => d.encoded), ...keyLines]) {
      expect(text.includes(part), part).toBe(false);
    }
  });

  it('records the KDF and cipher in the clear header', () => {
    expect(JSON.parse(readFileSync(wallet, 'utf8'))).toMatchObject({
      format: 'netid-wallet',
      version: 1,
      kdf: { name: 'scrypt', N: 131072, r: 8, p: 1 },
      cipher: { name: 'A256GCM' },
    });
  });

  it('refuses a wrong passphrase cleanly, exit 1, leaving the file as it was', async () => {
    const before = readFileSync(wallet);
    const { code, stdout, stderr } = await run([
      'show',
      '--wallet',
      wallet,
      '--passphrase',
      'not the passphrase',
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('netid wallet: wrong wallet passphrase (or the wallet file was modified)\n');
    expect(readFileSync(wallet).equals(before)).toBe(true);
  });

  it('never replaces an existing wallet, and says so before talking to the authority', async () => {
    const before = readFileSync(wallet);
    const { code, stderr } = await run(enrollFlags(resident, wallet));
    expect(code).toBe(1);
    expect(stderr).toContain(`a wallet already exists at ${wallet}`);
    expect(readFileSync(wallet).equals(before)).toBe(true);
  });

  it('gives the same network number to a second wallet of the same person (dedupe)', async () => {
    const second = join(dir, 'second.json');
    const { code } = await run(enrollFlags(resident, second));
    expect(code).toBe(0);
    const one = await loadWallet(wallet, PASSPHRASE);
    const two = await loadWallet(second, PASSPHRASE);
    expect(netNumberOf(two.contents.credentials[0]!.credential)).toBe(
      netNumberOf(one.contents.credentials[0]!.credential),
    );
    // Two devices: two keys, two certificates.
    expect(two.deviceKey.kid).not.toBe(one.deviceKey.kid);
  });

  it('explains a registry mismatch in words, with no stack trace and no wallet file', async () => {
    const other = join(dir, 'mismatch.json');
    const args = enrollFlags({ ...resident, name: '赵明' }, other);
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'netid wallet: the document does not match the registry: check the document type, number, name and birthdate\n',
    );
    expect(() => statSync(other)).toThrow();
  });

  it('asks for what the flags leave out, and asks again after a fixable refusal', async () => {
    const person = testResident({ name: '孙丽', birthdate: '1985-12-02' });
    await seedResidents(served.ctx, [person]);
    const wallet3 = join(dir, 'interactive.json');
    const mobile = nextPhone();
    const masked = `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;
    const outbox = async () => {
      const res = await fetch(`${served.url}/dev/sms-outbox?limit=1&to=${encodeURIComponent(masked)}`);
      return /\d{6}/.exec(
        ((await res.json()) as { messages: { message: string }[] }).messages[0]!.message,
      )![0];
    };
    const answered = new Set<string>();
    const d = person.documents[0]!;
    const script: [string, () => string | Promise<string>][] = [
      ['choose a wallet passphrase', () => PASSPHRASE],
      ['the passphrase again', () => PASSPHRASE],
      ['document type (number or name)', () => '1'],
      ['document number', () => d.number],
      ['name, as on the document', () => person.name],
      ['birthdate (YYYY-MM-DD)', () => person.birthdate],
      ['mobile phone number', () => mobile],
      ['the 6-digit code texted', outbox],
      ['choose your netid password', () => '12345678'], // refused as a sequence, then asked again
      ['the password again', () => '12345678'],
      ['the password is too easy', () => ''],
      ['choose your netid password#2', () => PASSWORD],
      ['the password again#2', () => PASSWORD],
      ['the 6-digit wallet code', () => '000000'], // wrong, then asked again
      ['the 6-digit wallet code#2', outbox],
    ];
    const { code, stdout, stderr } = await run(
      ['enroll', '--authority', served.url, '--wallet', wallet3],
      '',
      (err, answer) => {
        for (const [question, reply] of script) {
          const [prompt, nth = '1'] = question.split('#');
          if (answered.has(question) || err.split(prompt!).length - 1 < Number(nth)) continue;
          answered.add(question);
          if (prompt === 'the password is too easy') continue;
          void Promise.resolve(reply()).then(answer);
          return;
        }
      },
    );
    expect(stderr).toContain('document types:\n  1. resident_id');
    expect(stderr).toContain(
      'the password is too easy to guess: the password is a run of consecutive digits',
    );
    expect(stderr).toContain('the wallet code was refused: the tx_code is wrong');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^enrolled: network number \w{2}\*{6}\w{2}\n/);
    const { contents } = await loadWallet(wallet3, PASSPHRASE);
    expect(decodeSdJwt(contents.credentials[0]!.credential).disclosures).toContainEqual(
      expect.objectContaining({ name: 'name', value: '孙丽' }),
    );
  });

  it.each([
    [[], 2, 'usage'],
    [['enroll'], 2, 'needs --authority'],
    [['enroll', '--authority', 'not a url'], 2, 'must be a URL'],
    [['show', '--bogus'], 2, 'bogus'],
    [['lend'], 2, 'unknown subcommand'],
  ])('refuses %j with exit %i', async (args, exit, message) => {
    const { code, stderr } = await run(args as string[]);
    expect(code).toBe(exit);
    expect(stderr).toContain(message);
  });

  it('says when the authority cannot be reached', async () => {
    const args = enrollFlags(resident, join(dir, 'unreachable.json'));
    args[2] = 'http://127.0.0.1:9';
    const { code, stderr } = await run(args);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^netid wallet: cannot reach the authority at http:\/\/127\.0\.0\.1:9: /);
  });

  it('reports a missing wallet and a corrupt one without a stack trace', async () => {
    const missing = await run(['show', '--wallet', join(dir, 'nope.json')]);
    // Said before the passphrase is asked for.
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/^netid wallet: no wallet at /) });
    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"format":"netid-wallet","version":1}');
    const bad = await run(['show', '--wallet', corrupt, '--passphrase', PASSPHRASE]);
    expect(bad).toMatchObject({ code: 1, stderr: 'netid wallet: the wallet file header is not valid\n' });
  });
});
