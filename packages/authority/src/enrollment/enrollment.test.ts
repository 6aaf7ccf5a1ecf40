import { verify as argon2Verify } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preAuthorizedCodeHash } from '../issuance/secrets.ts';
import { MAX_TX_CODE_ATTEMPTS, verifyTxCode } from '../issuance/tx-code.ts';
import { findPlaintext } from '../testing/scan-plaintext.ts';
import { openSessionData } from './data.ts';
import { sessionIdHash } from './secrets.ts';
import {
  OTP_MAX_ATTEMPTS,
  OTP_MAX_SENDS,
  OTP_RESEND_SECONDS,
  OTP_SECONDS,
  SESSION_SECONDS,
} from './states.ts';
import {
  documentOf,
  enrollToIssuable,
  lastCode,
  seedResidents,
  startTestAuthority,
  type TestAuthority,
  testResident,
} from './test-support.ts';

let t: TestAuthority;
const adult = testResident({ name: '王小明', birthdate: '1988-11-23' });
const passportHolder = testResident({ name: '李华', birthdate: '1975-02-14', type: 'prc_passport' });
const other = testResident({ name: '陈静', birthdate: '1992-07-30' });

beforeAll(async () => {
  t = await startTestAuthority();
  await seedResidents(t.ctx, [adult, passportHolder, other]);
});
afterAll(() => t.close());

async function newSession(): Promise<string> {
  const res = await t.call('POST', '/enrollment/sessions');
  expect(res.status).toBe(201);
  return res.body.session;
}

const at = (session: string, step: string) => `/enrollment/sessions/${session}/${step}`;

/** A session in state `otp`, its phone's masked form, and the code texted. */
async function sessionAwaitingOtp(phone: string, resident = adult) {
  const session = await newSession();
  expect((await t.call('POST', at(session, 'document'), documentOf(resident))).status).toBe(200);
  expect((await t.call('POST', at(session, 'phone'), { phone })).status).toBe(200);
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  return { session, masked, code: await lastCode(t, masked) };
}

describe('enrollment over HTTP', () => {
  it('walks document → phone → OTP → password to an issuable session with a credential offer', async () => {
    const created = await t.call('POST', '/enrollment/sessions');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      session: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: new Date(t.clock.now + SESSION_SECONDS * 1000).toISOString(),
      next: 'document',
    });
    const session: string = created.body.session;

    const doc = await t.call('POST', at(session, 'document'), documentOf(adult));
    expect(doc).toMatchObject({ status: 200, body: { next: 'phone' } });

    const phone = await t.call('POST', at(session, 'phone'), { phone: '+86 139 0000 1111' });
    expect(phone.status).toBe(200);
    expect(phone.body).toMatchObject({ next: 'otp', sendsLeft: OTP_MAX_SENDS - 1 });
    const outbox = await t.call('GET', '/dev/sms-outbox?limit=1');
    expect(outbox.body.messages[0].to).toBe('139****1111');
    expect(t.logs.some((l) => l.includes('139****1111') && !l.includes('13900001111'))).toBe(true);

    const otp = await t.call('POST', at(session, 'otp'), { code: await lastCode(t, '139****1111') });
    expect(otp).toMatchObject({ status: 200, body: { next: 'password' } });

    const done = await t.call('POST', at(session, 'password'), { password: '20481357' });
    expect(done.status).toBe(200);
    const offer = done.body.credentialOffer;
    expect(offer).toEqual({
      credential_issuer: t.ctx.config.publicUrl,
      credential_configuration_ids: ['netid_certificate'],
      grants: {
        'urn:ietf:params:oauth:grant-type:pre-authorized_code': {
          'pre-authorized_code': expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
          tx_code: { input_mode: 'numeric', length: 6, description: expect.any(String) },
        },
      },
    });
    expect(done.body.next).toBe('issue');
    expect(done.body.credentialOfferUri).toBe(
      `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`,
    );
    expect((await t.call('GET', `/enrollment/sessions/${session}`)).body).toMatchObject({
      state: 'issuable',
      next: 'issue',
    });

    // The row is what issuance consumes: code hash, tx_code hash, password hash, sealed attributes.
    const idHash = sessionIdHash(t.ctx.secrets.session, session);
    const row = await t.ctx.db
      .selectFrom('enrollment_sessions')
      .selectAll()
      .where('session_id_hash', '=', idHash)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('issuable');
    const code = offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'];
    expect(Buffer.from(row.pre_authorized_code_hash!)).toEqual(
      preAuthorizedCodeHash(t.ctx.secrets.session, code),
    );
    const txCode = await lastCode(t, '139****1111');
    expect(await verifyTxCode(row.tx_code_hash!, txCode, t.ctx.secrets.session)).toBe(true);
    expect(await verifyTxCode(row.tx_code_hash!, '000000', t.ctx.secrets.session)).toBe(txCode === '000000');
    expect(row.tx_code_attempts).toBeLessThan(MAX_TX_CODE_ATTEMPTS);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(await argon2Verify(row.password_hash!, '20481357')).toBe(true);
    expect(openSessionData(t.ctx.sealer, idHash, row.data_enc!)).toEqual({
      personId: adult.personId,
      name: adult.name,
      birthdate: adult.birthdate,
      documentType: 'resident_id',
    });
    expect(row.otp_hash).toBeNull();
  });

  it('gives the identical answer for every wrong field, and for an unknown document', async () => {
    const good = documentOf(adult);
    const expired = testResident({ name: '周过期' });
    expired.documents[0]!.validUntil = '2020-01-01';
    const invalidated = testResident({ name: '吴作废' });
    invalidated.documents[0]!.status = 'invalidated';
    const dead = testResident({ name: '郑故', deceased: true });
    await seedResidents(t.ctx, [expired, invalidated, dead]);
    // A wrong type cannot get this far: no number validates as two types, so the format check (which
    // says nothing about the registry) refuses it first.
    const wrong = {
      number: { ...good, number: documentOf(other).number },
      name: { ...good, name: '王小名' },
      birthdate: { ...good, birthdate: '1988-11-24' },
      'name and birthdate': { ...good, name: other.name, birthdate: other.birthdate },
      'not in the registry': documentOf(testResident()),
      expired: documentOf(expired),
      invalidated: documentOf(invalidated),
      deceased: documentOf(dead),
    };
    const answers = [];
    for (const body of Object.values(wrong)) {
      const res = await t.call('POST', at(await newSession(), 'document'), body);
      answers.push({ status: res.status, type: res.headers.get('content-type'), body: res.body });
    }
    expect(answers[0]).toEqual({
      status: 422,
      type: 'application/problem+json',
      body: {
        type: 'urn:netid:problem:registry_mismatch',
        title: 'the document does not match the registry',
        status: 422,
        code: 'registry_mismatch',
      },
    });
    for (const a of answers) expect(a).toEqual(answers[0]);
  });

  it('checks the number format before the registry, naming the protocol error code', async () => {
    const good = documentOf(adult);
    const broken = good.number.slice(0, 17) + (good.number[17] === '0' ? '1' : '0');
    const res = await t.call('POST', at(await newSession(), 'document'), { ...good, number: broken });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('ERR_DOCUMENT_CHECKSUM');
    expect(JSON.stringify(res.body)).not.toContain(broken);
    const unknown = await t.call('POST', at(await newSession(), 'document'), {
      ...good,
      type: 'library_card',
    });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'ERR_DOCUMENT_TYPE_UNKNOWN' } });
  });

  it('stops minors with guardian_required, for now', async () => {
    const child = testResident({ name: '王小小', birthdate: isoYearsAgo(10) });
    await seedResidents(t.ctx, [child]);
    const session = await newSession();
    const res = await t.call('POST', at(session, 'document'), documentOf(child));
    expect(res).toMatchObject({ status: 409, body: { code: 'guardian_required' } });
    const phone = await t.call('POST', at(session, 'phone'), { phone: '13700002222' });
    expect(phone).toMatchObject({ status: 409, body: { code: 'guardian_required' } });
    expect((await t.call('GET', `/enrollment/sessions/${session}`)).body.state).toBe('guardian_required');
  });

  it('locks the session after five wrong codes', async () => {
    const { session, code } = await sessionAwaitingOtp('13600003333');
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 1; i < OTP_MAX_ATTEMPTS; i++) {
      const res = await t.call('POST', at(session, 'otp'), { code: wrong });
      expect(res).toMatchObject({
        status: 400,
        body: { code: 'otp_incorrect', attemptsLeft: OTP_MAX_ATTEMPTS - i },
      });
    }
    const fifth = await t.call('POST', at(session, 'otp'), { code: wrong });
    expect(fifth).toMatchObject({ status: 423, body: { code: 'otp_locked' } });
    // Locked for good: the right code, a resend, any step.
    expect((await t.call('POST', at(session, 'otp'), { code })).body.code).toBe('otp_locked');
    t.clock.now += OTP_RESEND_SECONDS * 1000;
    expect((await t.call('POST', at(session, 'phone'), { phone: '13600003333' })).status).toBe(423);
    expect((await t.call('POST', at(session, 'password'), { password: '20481357' })).status).toBe(423);
  });

  it('counts parallel guesses: ten at once still lock after five', async () => {
    const { session, code } = await sessionAwaitingOtp('13600004444');
    const wrong = code === '000000' ? '000001' : '000000';
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => t.call('POST', at(session, 'otp'), { code: wrong })),
    );
    expect(answers.filter((a) => a.status === 400)).toHaveLength(OTP_MAX_ATTEMPTS - 1);
    expect(answers.filter((a) => a.status === 423)).toHaveLength(10 - OTP_MAX_ATTEMPTS + 1);
    expect((await t.call('POST', at(session, 'otp'), { code })).status).toBe(423);
  });

  it('refuses an expired code (410), and a new code works', async () => {
    const { session, masked, code } = await sessionAwaitingOtp('13500005555');
    t.clock.now += OTP_SECONDS * 1000;
    expect(await t.call('POST', at(session, 'otp'), { code })).toMatchObject({
      status: 410,
      body: { code: 'otp_expired' },
    });
    expect((await t.call('POST', at(session, 'phone'), { phone: '13500005555' })).status).toBe(200);
    const fresh = await lastCode(t, masked);
    expect((await t.call('POST', at(session, 'otp'), { code: fresh })).status).toBe(200);
  });

  it('expires the whole session after 30 minutes', async () => {
    const session = await newSession();
    t.clock.now += SESSION_SECONDS * 1000;
    const res = await t.call('POST', at(session, 'document'), documentOf(adult));
    expect(res).toMatchObject({ status: 410, body: { code: 'session_expired' } });
    expect((await t.call('GET', `/enrollment/sessions/${session}`)).status).toBe(410);
  });

  it('throttles sends: 60 s apart, at most five per session, with Retry-After', async () => {
    const { session } = await sessionAwaitingOtp('13400006666');
    const again = await t.call('POST', at(session, 'phone'), { phone: '13400006666' });
    expect(again).toMatchObject({
      status: 429,
      body: { code: 'otp_throttled', retryAfter: OTP_RESEND_SECONDS },
    });
    expect(again.headers.get('retry-after')).toBe(String(OTP_RESEND_SECONDS));
    t.clock.now += 45_000;
    expect(
      (await t.call('POST', at(session, 'phone'), { phone: '13400006666' })).headers.get('retry-after'),
    ).toBe('15');
    for (let send = 2; send <= OTP_MAX_SENDS; send++) {
      t.clock.now += OTP_RESEND_SECONDS * 1000;
      const res = await t.call('POST', at(session, 'phone'), { phone: '134 0000 6666' });
      expect(res).toMatchObject({ status: 200, body: { sendsLeft: OTP_MAX_SENDS - send } });
    }
    t.clock.now += OTP_RESEND_SECONDS * 1000;
    const over = await t.call('POST', at(session, 'phone'), { phone: '13400006666' });
    expect(over).toMatchObject({ status: 429, body: { code: 'otp_send_limit' } });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    const sent = await t.call('GET', '/dev/sms-outbox?to=134****6666&limit=100');
    expect(sent.body.messages).toHaveLength(OTP_MAX_SENDS);
  });

  it('texts once when many sends race (no SMS bombing by parallel requests)', async () => {
    const session = await newSession();
    expect((await t.call('POST', at(session, 'document'), documentOf(adult))).status).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => t.call('POST', at(session, 'phone'), { phone: '13100009999' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 429, 429, 429, 429, 429]);
    const sent = await t.call('GET', '/dev/sms-outbox?to=131****9999&limit=100');
    expect(sent.body.messages).toHaveLength(1);
  });

  it('refuses weak passwords with the rule broken, and stays at the password step', async () => {
    const { session, code } = await sessionAwaitingOtp('13300007777');
    expect((await t.call('POST', at(session, 'otp'), { code })).status).toBe(200);
    // adult was born on 1988-11-23.
    const table: Array<[string, string]> = [
      ['1234567', 'eight_digits'],
      ['123456789', 'eight_digits'],
      ['1234567a', 'eight_digits'],
      ['１２３４５６７８', 'eight_digits'],
      ['12345678', 'sequence'],
      ['87654321', 'sequence'],
      ['78901234', 'sequence'],
      ['11111111', 'repeat'],
      ['12121212', 'repeat'],
      ['12312312', 'repeat'],
      ['56785678', 'repeat'],
      ['19881123', 'birthdate'],
      ['40881123', 'birthdate'],
      ['11235790', 'birthdate'],
      ['23111988', 'birthdate'],
    ];
    for (const [password, rule] of table) {
      const res = await t.call('POST', at(session, 'password'), { password });
      expect(res.status, password).toBe(400);
      expect(res.body, password).toMatchObject({ code: 'weak_password', rule });
      expect(JSON.stringify(res.body)).not.toContain(password);
    }
    expect((await t.call('POST', at(session, 'password'), { password: '20481357' })).status).toBe(200);
  });

  it('refuses steps out of order with wrong_step and says what comes next', async () => {
    const session = await newSession();
    const early = [
      ['phone', { phone: '13200008888' }],
      ['otp', { code: '123456' }],
      ['password', { password: '20481357' }],
    ] as const;
    for (const [step, body] of early) {
      expect(await t.call('POST', at(session, step), body)).toMatchObject({
        status: 409,
        body: { code: 'wrong_step', next: 'document' },
      });
    }
    expect((await t.call('POST', at(session, 'document'), documentOf(adult))).status).toBe(200);
    expect(await t.call('POST', at(session, 'document'), documentOf(adult))).toMatchObject({
      status: 409,
      body: { code: 'wrong_step', next: 'phone' },
    });
    expect((await t.call('POST', at(session, 'otp'), { code: '123456' })).body.next).toBe('phone');
  });

  it('lets exactly one of two concurrent document requests through', async () => {
    const session = await newSession();
    const answers = await Promise.all([
      t.call('POST', at(session, 'document'), documentOf(adult)),
      t.call('POST', at(session, 'document'), documentOf(adult)),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
  });

  it('answers unknown sessions with 404 and never with a 500', async () => {
    for (const token of ['A'.repeat(43), 'short', '%00', 'A'.repeat(500)]) {
      const res = await t.call('POST', at(token, 'document'), documentOf(adult));
      expect(res, token).toMatchObject({ status: 404, body: { code: 'session_not_found' } });
    }
  });

  it('answers malformed, oversized and wrongly shaped bodies with problem+json, never a 500', async () => {
    const session = await newSession();
    const raw = async (body: string, type = 'application/json') => {
      const res = await t.authority.app.request(at(session, 'document'), {
        method: 'POST',
        body,
        headers: { 'content-type': type },
      });
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      return { status: res.status, code: ((await res.json()) as { code: string }).code };
    };
    expect(await raw('{"type":')).toEqual({ status: 400, code: 'malformed_body' });
    expect(await raw('')).toEqual({ status: 400, code: 'malformed_body' });
    expect(await raw('[]')).toEqual({ status: 400, code: 'invalid_request' });
    expect(await raw('null')).toEqual({ status: 400, code: 'invalid_request' });
    expect(await raw(JSON.stringify({ ...documentOf(adult), birthdate: '1988-02-30' }))).toEqual({
      status: 400,
      code: 'invalid_request',
    });
    expect(await raw(JSON.stringify({ ...documentOf(adult), number: 7 }))).toEqual({
      status: 400,
      code: 'invalid_request',
    });
    expect(await raw(JSON.stringify({ ...documentOf(adult), name: 'x'.repeat(70_000) }))).toEqual({
      status: 413,
      code: 'body_too_large',
    });
    expect(await raw('{"__proto__":{"x":1}}')).toEqual({ status: 400, code: 'invalid_request' });
    for (const step of ['phone', 'otp', 'password']) {
      for (const body of ['{', '"text"', '{"phone":1,"code":[],"password":{}}']) {
        const res = await t.authority.app.request(at(session, step), {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status, `${step} ${body}`).toBe(400);
      }
    }
    // The session survived all of that.
    expect((await t.call('POST', at(session, 'document'), documentOf(adult))).status).toBe(200);
  });

  it('refuses numbers that are not mainland mobiles without echoing them', async () => {
    const session = await newSession();
    await t.call('POST', at(session, 'document'), documentOf(adult));
    for (const phone of ['12345678901', '1380013800', '+1 415 555 0100', '1381234567x', '']) {
      const res = await t.call('POST', at(session, 'phone'), { phone });
      expect(res, phone).toMatchObject({ status: 400, body: { code: 'invalid_phone' } });
      if (phone) expect(JSON.stringify(res.body)).not.toContain(phone);
    }
  });

  it('leaves no plaintext document or phone number in any table after full enrollments', async () => {
    const one = await enrollToIssuable(t, passportHolder, { phone: '15912345678', password: '30571946' });
    const two = await enrollToIssuable(t, other, { phone: '18698765432', password: '46802957' });
    expect(one.answer.next).toBe('issue');
    expect(two.answer.next).toBe('issue');
    const needles = [
      ...[adult, passportHolder, other].map((r) => r.documents[0]!.number),
      '15912345678',
      '18698765432',
      '13900001111',
    ];
    expect(await findPlaintext(t.ctx.db, needles)).toEqual([]);
    // The scan does look: the names are in the registry table by design, and it finds them.
    expect(await findPlaintext(t.ctx.db, [other.name])).toContain(`registry_persons.name: ${other.name}`);
    expect(t.logs.join('\n')).not.toMatch(/15912345678|18698765432/);
  });
});

function isoYearsAgo(years: number): string {
  const d = new Date(Date.now() + 8 * 3_600_000);
  return `${d.getUTCFullYear() - years}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-15`;
}
