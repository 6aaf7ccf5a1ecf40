import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from './limits.ts';
import {
  documentOf,
  seedResidents,
  startTestAuthority,
  type TestAuthority,
  testResident,
} from './test-support.ts';

/** A loopback SMS gateway the test can switch between failing and delivering. */
let gateway: Server;
let failing = false;
const delivered: Array<{ to: string; message: string }> = [];
let t: TestAuthority;
let production: TestAuthority;
const resident = testResident({ name: '林一', birthdate: '1980-05-05' });

beforeAll(async () => {
  gateway = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (failing) return void res.writeHead(503).end();
    delivered.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    res.writeHead(200).end('{}');
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`;
  t = await startTestAuthority({ NETID_SMS: 'webhook', NETID_SMS_WEBHOOK_URL: url });
  production = await startTestAuthority({
    NETID_ENV: 'production',
    NETID_KEK: 'A'.repeat(43),
    NETID_SMS: 'webhook',
    NETID_SMS_WEBHOOK_URL: url,
  });
  await seedResidents(t.ctx, [resident]);
});
afterAll(async () => {
  await t.close();
  await production.close();
  await new Promise((resolve) => gateway.close(resolve));
});

const at = (session: string, step: string) => `/enrollment/sessions/${session}/${step}`;
const codeIn = (message: string) => /\d{6}/.exec(message)![0];

describe('an SMS gateway failure', () => {
  it('answers 502 sms_unavailable and leaves the session as it was, at the phone and password steps', async () => {
    const session = (await t.call('POST', '/enrollment/sessions')).body.session;
    expect((await t.call('POST', at(session, 'document'), documentOf(resident))).status).toBe(200);

    failing = true;
    const down = await t.call('POST', at(session, 'phone'), { phone: '13811112222' });
    expect(down).toMatchObject({ status: 502, body: { code: 'sms_unavailable' } });
    expect((await t.call('GET', `/enrollment/sessions/${session}`)).body.state).toBe('phone');

    // Not throttled by the failed attempt, and the send it did not make is not counted.
    failing = false;
    const up = await t.call('POST', at(session, 'phone'), { phone: '13811112222' });
    expect(up).toMatchObject({ status: 200, body: { sendsLeft: 4 } });
    expect(delivered.at(-1)!.to).toBe('13811112222');
    const otp = await t.call('POST', at(session, 'otp'), { code: codeIn(delivered.at(-1)!.message) });
    expect(otp.status).toBe(200);

    failing = true;
    expect((await t.call('POST', at(session, 'password'), { password: '20481357' })).status).toBe(502);
    expect((await t.call('GET', `/enrollment/sessions/${session}`)).body.state).toBe('password');
    failing = false;
    const done = await t.call('POST', at(session, 'password'), { password: '20481357' });
    expect(done).toMatchObject({ status: 200, body: { next: 'issue' } });
    // The tx_code went to the verified number.
    expect(delivered.at(-1)!.to).toBe('13811112222');
  });

  it('does not count a failed send against the number across sessions', async () => {
    const phone = '13811113333';
    const attempt = async () => {
      const session = (await t.call('POST', '/enrollment/sessions')).body.session;
      expect((await t.call('POST', at(session, 'document'), documentOf(resident))).status).toBe(200);
      return t.call('POST', at(session, 'phone'), { phone });
    };
    failing = true;
    for (let i = 0; i < LIMITS.smsPerPhoneHour.max + 1; i++) expect((await attempt()).status).toBe(502);
    failing = false;
    const sent = delivered.length;
    for (let i = 0; i < LIMITS.smsPerPhoneHour.max; i++) expect((await attempt()).status).toBe(200);
    expect(await attempt()).toMatchObject({ status: 429, body: { code: 'too_many_requests' } });
    expect(delivered.length - sent).toBe(LIMITS.smsPerPhoneHour.max);
  });

  it('with a webhook there is no dev outbox, and in production the path does not exist', async () => {
    expect((await t.call('GET', '/dev/sms-outbox')).body.messages).toEqual([]);
    const res = await production.call('GET', '/dev/sms-outbox');
    expect(res).toMatchObject({ status: 404, body: { code: 'not_found' } });
  });
});
