import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDocumentNumber, seededRandom } from '@netid/protocol';
import { type Authority, createAuthority } from '../authority.ts';
import { loadConfig } from '../config.ts';
import type { AuthorityContext } from '../context.ts';
import type { Resident } from '../registry/store.ts';
import { maskPhone } from '../sms/mask.ts';
import { sqlPopulationRegistry } from '../sql/registry.ts';
import { normalizePhone } from './phone.ts';

/** An authority on a fresh PGlite directory, with a clock the test moves and requests as JSON. */
export interface TestAuthority {
  authority: Authority;
  ctx: AuthorityContext;
  clock: { now: number };
  logs: string[];
  call(method: string, path: string, body?: unknown): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are inspected field by field
  body: any;
}

export async function startTestAuthority(env: Record<string, string> = {}): Promise<TestAuthority> {
  const clock = { now: Date.now() };
  const logs: string[] = [];
  const authority = await createAuthority(
    loadConfig({ NETID_DATA_DIR: mkdtempSync(join(tmpdir(), 'netid-enrollment-')), ...env }),
    { log: (line) => logs.push(line), now: () => clock.now },
  );
  return {
    authority,
    ctx: authority.ctx,
    clock,
    logs,
    async call(method, path, body) {
      const res = await authority.app.request(path, {
        method,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
    close: () => authority.close(),
  };
}

const random = seededRandom(14);

/** A resident of the test registry holding one valid document of `type` (resident ID by default). */
export function testResident(overrides: Partial<Resident> & { type?: string } = {}): Resident {
  const { type = 'resident_id', ...rest } = overrides;
  const birthdate = rest.birthdate ?? '1988-11-23';
  const number = generateDocumentNumber(type as 'resident_id', { birthdate, random });
  return {
    // Opaque, like the registry's own ids (never derived from the number: the scan would find it).
    personId: randomBytes(8).toString('hex'),
    name: '王小明',
    namePinyin: 'Wang Xiaoming',
    birthdate,
    sex: 'M',
    photoRef: 'photo:test',
    deceased: false,
    documents: [{ type, number, validFrom: '2010-01-01', validUntil: null, status: 'valid' }],
    ...rest,
  };
}

export async function seedResidents(ctx: AuthorityContext, residents: Resident[]): Promise<void> {
  await sqlPopulationRegistry(ctx).insertResidents(residents);
}

/** The document step's body for a resident's first document. */
export function documentOf(r: Resident) {
  const d = r.documents[0]!;
  return { type: d.type, number: d.number, name: r.name, birthdate: r.birthdate };
}

/** The newest 6-digit code texted to `masked` (138****5678) in the dev outbox. */
export async function lastCode(t: Pick<TestAuthority, 'call'>, masked: string): Promise<string> {
  const res = await t.call('GET', `/dev/sms-outbox?limit=1&to=${encodeURIComponent(masked)}`);
  const message: string | undefined = res.body.messages[0]?.message;
  const code = message && /\d{6}/.exec(message)?.[0];
  if (!code) throw new Error(`no code texted to ${masked}`);
  return code;
}

/** `call` against an authority served on `url` (for tests where a wallet library talks HTTP too). */
export function overHttp(url: string): Pick<TestAuthority, 'call'> {
  return {
    async call(method, path, body) {
      const res = await fetch(url + path, {
        method,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/**
 * Drives one enrollment from a new session to `issuable` over HTTP, as a wallet does. Returns the
 * session token, the offer answer and the tx_code texted to the phone.
 */
export async function enrollToIssuable(
  t: Pick<TestAuthority, 'call'>,
  resident: Resident,
  options: { phone?: string; password?: string } = {},
) {
  const phone = options.phone ?? '13812345678';
  const masked = maskPhone(normalizePhone(phone));
  const created = await t.call('POST', '/enrollment/sessions');
  const session: string = created.body.session;
  const base = `/enrollment/sessions/${session}`;
  const steps = [
    await t.call('POST', `${base}/document`, documentOf(resident)),
    await t.call('POST', `${base}/phone`, { phone }),
    await t.call('POST', `${base}/otp`, { code: await lastCode(t, masked) }),
  ];
  const issued = await t.call('POST', `${base}/password`, { password: options.password ?? '20481357' });
  for (const res of [...steps, issued]) {
    if (res.status !== 200) throw new Error(`enrollment step failed: ${JSON.stringify(res.body)}`);
  }
  return { session, phone, masked, answer: issued.body, txCode: await lastCode(t, masked) };
}
