import { randomBytes } from 'node:crypto';
import { LOOKUP_REASONS, REVOCATION_REASONS } from '@netid/authority';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeServed } from '../../../authority/src/issuance/test-support.ts';
import { enrollDevice } from '../../../authority/src/selfservice/test-support.ts';
import { runCli } from '../testing.ts';

const TOKEN = randomBytes(32).toString('base64url');
let people = 0;
const nextPerson = () => `R-77${String(++people).padStart(4, '0')}`;

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('netid operator usage', () => {
  it('lists every allowed reason in --help', async () => {
    const help = await runCli(['operator', '--help']);
    expect(help.code).toBe(0);
    for (const reason of [...REVOCATION_REASONS, ...LOOKUP_REASONS]) expect(help.stdout).toContain(reason);
    expect(help.stdout).toContain('NETID_OPERATOR_TOKEN');
  });

  it.each([
    [[], 'usage'],
    [['suspend', 'x'], 'unknown command'],
    [['revoke', 'abc'], '--reason must be one of'],
    [['revoke', 'abc', '--reason', 'platform_report'], '--reason must be one of'],
    [['revoke', '--reason', 'deceased'], 'one certificate id'],
    [['lookup', 'N', '--reason', 'curiosity'], '--reason must be one of'],
    [['lookup', 'N', '--reason', 'enrollment_fraud'], '--reason must be one of'],
    [['revoke', 'abc', '--reason', 'deceased', '--detail', 'x'], '--detail does not apply'],
    [['rotate-keys', '--overlap-days', '0'], '--overlap-days'],
    [['rotate-keys', '--overlap-days', '1.5'], '--overlap-days'],
    [['rotate-keys', '--token', 'x'], "Unknown option '--token'"],
    [['rotate-keys', '--authority', 'ftp://h'], '--authority'],
  ])('refuses %j with exit 2', async (args, message) => {
    vi.stubEnv('NETID_OPERATOR_TOKEN', TOKEN);
    const run = await runCli(['operator', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('needs the token from the environment', async () => {
    vi.stubEnv('NETID_OPERATOR_TOKEN', '');
    const run = await runCli(['operator', 'rotate-keys', '--authority', 'http://127.0.0.1:9']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: 'operator_token_missing' });
  });

  it('reports an unreachable authority as a problem', async () => {
    vi.stubEnv('NETID_OPERATOR_TOKEN', TOKEN);
    const run = await runCli(['operator', 'rotate-keys', '--authority', 'http://127.0.0.1:9']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: 'authority_unreachable' });
  });
});

describeServed('netid operator', (served) => {
  beforeAll(() => {
    served.ctx.config.operatorToken = TOKEN;
  });
  const cli = (...args: string[]) => {
    vi.stubEnv('NETID_OPERATOR_TOKEN', TOKEN);
    vi.stubEnv('NETID_AUTHORITY_URL', served.url);
    return runCli(['operator', ...args]);
  };

  it('revokes a certificate, and says so when it already was', async () => {
    const device = await enrollDevice(served, nextPerson());
    const first = await cli('revoke', device.certificateId, '--reason', 'lost_device');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`revoked certificate ${device.certificateId}`);
    expect(first.stdout).toContain('lost_device');
    const row = await served.ctx.db
      .selectFrom('certificates')
      .select(['revoked_at', 'revocation_reason'])
      .where('certificate_id', '=', device.certificateId)
      .executeTakeFirstOrThrow();
    expect(row.revocation_reason).toBe('lost_device');
    expect(row.revoked_at).not.toBeNull();

    const again = await cli('revoke', device.certificateId, '--reason', 'lost_device', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ id: device.certificateId, already_revoked: true });
  });

  it('turns the authority problem into {error, message} with exit 1', async () => {
    const unknown = await cli('revoke', 'no-such-cert', '--reason', 'deceased');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: 'certificate_not_found' });

    vi.stubEnv('NETID_OPERATOR_TOKEN', 'wrong');
    const refused = await runCli(['operator', 'rotate-keys', '--authority', served.url]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: 'operator_unauthorized' });
  });

  it('looks a person up with a reason and detail, which the access log records', async () => {
    const device = await enrollDevice(served, nextPerson());
    const run = await cli('lookup', device.netNumber, '--reason', 'court_order', '--detail', 'case #B-12');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(device.netNumber);
    expect(run.stdout).toContain(device.certificateId);
    const json = await cli('lookup', device.netNumber, '--reason', 'fraud_investigation', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ net_number: device.netNumber, state: 'active' });
    const log = await served.ctx.db
      .selectFrom('access_log')
      .select(['reason', 'detail'])
      .where('net_number', '=', device.netNumber)
      .orderBy('reason')
      .execute();
    expect(log).toEqual([
      { reason: 'court_order', detail: 'case #B-12' },
      { reason: 'fraud_investigation', detail: null },
    ]);
  });

  it('rotates the issuer key', async () => {
    const before = served.ctx.issuerKeys.signing().kid;
    const run = await cli('rotate-keys', '--overlap-days', '7', '--json');
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.kid).not.toBe(before);
    expect(served.ctx.issuerKeys.signing().kid).toBe(body.kid);
  });
});
