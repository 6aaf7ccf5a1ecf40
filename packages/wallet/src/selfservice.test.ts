import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { decodeSdJwt, maskNetNumber } from '@netid/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedResidents, testResident } from '../../authority/src/enrollment/test-support.ts';
import { type ServedAuthority, serveTestAuthority } from '../../authority/src/issuance/test-support.ts';
import { backends } from '../../authority/src/testing/backends.ts';
import { main } from '../../cli/src/main.ts';
import type { WalletIo } from './io.ts';
import { problemFrom } from './problems.ts';
import { readableSelfServiceProblem } from './selfservice-problems.ts';
import { loadWallet } from './wallet.ts';

const PASSPHRASE = 'correct horse battery';
const PASSWORD = '20481357';
const OPERATOR_TOKEN = 'operator-token-for-the-wallet-tests';

let served: ServedAuthority;
const dir = mkdtempSync(join(tmpdir(), 'netid-selfservice-'));
beforeAll(async () => {
  served = await serveTestAuthority(backends[0]!);
  served.ctx.config.operatorToken = OPERATOR_TOKEN;
});
afterAll(async () => {
  await served?.close();
  rmSync(dir, { recursive: true, force: true });
});
// The wallet dates its KB-JWTs by the real clock; the authority's test clock must agree.
beforeEach(() => {
  if (served) served.clock.now = Date.now();
});

/** `netid wallet …` in-process through the CLI dispatcher, with `stdin` piped in whole. */
async function run(args: string[], stdin = '') {
  const input = new PassThrough();
  const io: WalletIo = { stdin: input, stdout: new PassThrough(), stderr: new PassThrough() };
  let stdout = '';
  let stderr = '';
  io.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  io.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  input.end(stdin);
  served.clock.now = Date.now();
  const code = await main(['wallet', ...args], io);
  return { code, stdout, stderr };
}

let phones = 0;
const nextPhone = () => `1371234${String(6000 + phones++).padStart(4, '0')}`;

async function enrollWallet(resident: ReturnType<typeof testResident>, file: string): Promise<string> {
  const d = resident.documents[0]!;
  const path = join(dir, file);
  const { code, stderr } = await run([
    'enroll',
    ...['--authority', served.url, '--wallet', path, '--passphrase', PASSPHRASE],
    ...['--document-type', d.type, '--number', d.number, '--name', resident.name],
    ...['--birthdate', resident.birthdate, '--phone', nextPhone(), '--password', PASSWORD],
    '--otp-from-outbox',
  ]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return path;
}

const common = (wallet: string) => ['--wallet', wallet, '--passphrase', PASSPHRASE];

async function devicesOf(wallet: string) {
  const res = await run(['devices', '--json', ...common(wallet)]);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as {
    netNumber: string;
    devices: { id: string; thisDevice: boolean; revoked: boolean; revocationReason?: string }[];
  };
}

const netNumberOf = async (wallet: string) => {
  const { contents } = await loadWallet(wallet, PASSPHRASE);
  return decodeSdJwt(contents.credentials[0]!.credential).disclosures.find((d) => d.name === 'net_number')!
    .value as string;
};

describe('netid wallet devices | revoke | access-log, against an authority on loopback', () => {
  const resident = testResident({ name: '钱进', birthdate: '1988-03-09' });
  let phone: string;
  let laptop: string;

  beforeAll(async () => {
    await seedResidents(served.ctx, [resident]);
    phone = await enrollWallet(resident, 'phone.json');
    laptop = await enrollWallet(resident, 'laptop.json');
  });

  it('lists both devices of the person, each wallet marking its own', async () => {
    const fromPhone = await devicesOf(phone);
    const fromLaptop = await devicesOf(laptop);
    expect(fromPhone.devices).toHaveLength(2);
    expect(fromPhone.devices.map((d) => d.id).sort()).toEqual(fromLaptop.devices.map((d) => d.id).sort());
    const mine = (list: typeof fromPhone) => list.devices.filter((d) => d.thisDevice).map((d) => d.id);
    expect(mine(fromPhone)).toHaveLength(1);
    expect(mine(fromLaptop)).toHaveLength(1);
    expect(mine(fromPhone)[0]).not.toBe(mine(fromLaptop)[0]);
    expect(fromPhone.devices.every((d) => !d.revoked)).toBe(true);
    // Masked, as `show` has it: the whole number stays out of the output.
    const netNumber = await netNumberOf(phone);
    expect(fromPhone.netNumber).toBe(maskNetNumber(netNumber));

    const text = await run(['devices', ...common(phone)]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`certificate ${mine(fromPhone)[0]}  (this device)\n`);
    expect(text.stdout).toContain('  status      valid\n');
    expect(text.stdout).not.toContain(netNumber);
  });

  it('refuses a wrong password with the attempts left, and revokes nothing', async () => {
    const other = (await devicesOf(laptop)).devices.find((d) => d.thisDevice)!.id;
    const res = await run(['revoke', other, '--password', '11111111', ...common(phone)]);
    expect(res).toMatchObject({ code: 1, stdout: '' });
    expect(res.stderr).toBe('netid wallet: the netid password is wrong (4 attempts left)\n');
    expect((await devicesOf(phone)).devices.every((d) => !d.revoked)).toBe(true);
  });

  it('shows an operator lookup of my record in the access log', async () => {
    const before = await run(['access-log', ...common(phone)]);
    expect(before).toMatchObject({ code: 0, stdout: 'no operator has read your record\n' });
    const res = await fetch(
      `${served.url}/operator/persons/${await netNumberOf(phone)}?reason=holder_support_request`,
      { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } },
    );
    expect(res.status).toBe(200);
    const json = await run(['access-log', '--json', ...common(laptop)]);
    expect(json.code).toBe(0);
    const { entries } = JSON.parse(json.stdout) as {
      entries: { at: string; actor: string; reason: string }[];
    };
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ reason: 'holder_support_request' });
    expect(entries[0]!.actor).not.toBe('');
    const text = await run(['access-log', ...common(phone)]);
    expect(text.stdout).toBe(`${entries[0]!.at}  ${entries[0]!.actor}  holder support request\n`);
  });

  it('revokes the other device with the password asked for; that one can no longer authenticate', async () => {
    const other = (await devicesOf(laptop)).devices.find((d) => d.thisDevice)!.id;
    const res = await run(['revoke', other, '--reason', 'lost_device', ...common(phone)], `${PASSWORD}\n`);
    expect(res.stderr).toBe('netid password (8 digits): ');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^revoked: certificate ${other} \\(lost device\\), `));

    const after = await devicesOf(phone);
    expect(after.devices).toContainEqual(
      expect.objectContaining({ id: other, revoked: true, revocationReason: 'lost_device' }),
    );
    expect(after.devices.find((d) => d.thisDevice)?.revoked).toBe(false);
    const text = await run(['devices', ...common(phone)]);
    expect(text.stdout).toMatch(/status {6}revoked \d{4}-\d{2}-\d{2} \(lost device\)\n/);

    const refused = await run(['devices', ...common(laptop)]);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toMatch(/^netid wallet: this device's certificate has been revoked/);
  });

  it.each([
    [['revoke'], 'needs one certificate id'],
    [['revoke', 'x', '--reason', 'deceased'], '--reason must be one of lost_device, holder_request'],
    [['devices', '--yes'], 'devices does not take --yes'],
    [['access-log', 'extra'], 'takes no argument'],
  ])('refuses %j as a usage error', async (args, message) => {
    const res = await run(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
  });
});

describe('netid wallet cancel', () => {
  const resident = testResident({ name: '李雷', birthdate: '1979-11-30' });
  let first: string;
  let second: string;

  beforeAll(async () => {
    await seedResidents(served.ctx, [resident]);
    first = await enrollWallet(resident, 'cancel-1.json');
    second = await enrollWallet(resident, 'cancel-2.json');
  });

  it('cancels nothing unless the masked network number is typed back', async () => {
    const res = await run(['cancel', '--password', PASSWORD, ...common(first)], 'no\n');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('netid wallet: not confirmed: nothing was cancelled\n');
    expect((await devicesOf(first)).devices.every((d) => !d.revoked)).toBe(true);
  });

  it('revokes every certificate once confirmed, and each wallet says so on its next command', async () => {
    const masked = maskNetNumber(await netNumberOf(first));
    const res = await run(['cancel', ...common(first)], `${masked}\n${PASSWORD}\n`);
    expect(res.stderr).toContain(`type ${masked} to confirm: `);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(`cancelled: network number ${masked}; 2 certificates revoked\n`);
    for (const wallet of [first, second]) {
      const next = await run(['devices', ...common(wallet)]);
      expect(next).toMatchObject({ code: 1, stdout: '' });
      expect(next.stderr).toMatch(/^netid wallet: this device's certificate has been revoked/);
    }
    const again = await run(['cancel', '--yes', '--password', PASSWORD, ...common(second)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/this device's certificate has been revoked/);
  });
});

describe('self-service refusals in words', () => {
  it.each([
    [401, { code: 'wrong_password', attempts_left: 2 }, 'the netid password is wrong (2 attempts left)'],
    [
      423,
      { code: 'password_locked', locked_until: '2026-11-23T12:00:00.000Z' },
      'too many wrong passwords: the netid password is locked until 2026-11-23T12:00:00.000Z',
    ],
    [401, { code: 'certificate_revoked' }, "this device's certificate has been revoked"],
    [
      401,
      { code: 'certificate_revoked', revocation_reason: 'lost_device' },
      "this device's certificate has been revoked (lost device)",
    ],
    [401, { code: 'challenge_invalid' }, "the authority's challenge expired or was already used: try again"],
    [401, { code: 'person_inactive' }, 'this network number has been cancelled'],
    [
      404,
      { code: 'certificate_not_found' },
      'you have no certificate with that id (see netid wallet devices)',
    ],
  ])('HTTP %i %j reads "%s"', (status, body, expected) => {
    expect(readableSelfServiceProblem(problemFrom(status, body))).toBe(expected);
  });
});
