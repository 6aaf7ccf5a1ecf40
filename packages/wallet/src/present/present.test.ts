import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { serve } from '@hono/node-server';
import { createRequest, createVerifier } from '@netid/verifier';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ServedAuthority, serveTestAuthority } from '../../../authority/src/issuance/test-support.ts';
import { addPlatform, finishSignIn, redeem, startSignIn } from '../../../authority/src/oidc/test-support.ts';
import { enrollDevice, TEST_PASSWORD } from '../../../authority/src/selfservice/test-support.ts';
import { sqlPlatformStore } from '../../../authority/src/sql/platforms.ts';
import { backends } from '../../../authority/src/testing/backends.ts';
import { main } from '../../../cli/src/main.ts';
import type { WalletIo } from '../io.ts';
import { createWallet, deviceKeyPem, loadWallet } from '../wallet.ts';

const PASSPHRASE = 'correct horse battery';
let served: ServedAuthority;
let dir: string;
beforeAll(async () => {
  served = await serveTestAuthority(backends[0]!);
  dir = mkdtempSync(join(tmpdir(), 'netid-present-'));
});
afterAll(async () => {
  await served?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  served.clock.now = Date.now();
});

async function run(args: string[], stdin = '') {
  const input = new PassThrough();
  const io: WalletIo = { stdin: input, stdout: new PassThrough(), stderr: new PassThrough() };
  let stdout = '';
  let stderr = '';
  io.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  io.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  input.end(stdin);
  const code = await main(['wallet', ...args], io);
  return { code, stdout, stderr };
}

let n = 0;
/** A wallet file holding a real certificate issued by the served authority. */
async function walletFile() {
  const device = await enrollDevice(served, `P-CLI-PRESENT-${++n}`);
  const path = join(dir, `wallet-${n}.json`);
  await createWallet(path, PASSPHRASE, {
    deviceKeyPem: deviceKeyPem(device.key),
    credentials: [
      {
        format: 'dc+sd-jwt',
        credential: device.credential,
        issuer: served.url,
        receivedAt: new Date().toISOString(),
      },
    ],
  });
  return { device, path, common: ['--wallet', path, '--passphrase', PASSPHRASE] };
}

describe('netid wallet present', () => {
  it('shows who asks, what, why and the code; asks per claim; approves; the platform signs the person in', async () => {
    const platform = await addPlatform(served, { claims: ['age_over_18', 'name'] });
    const { common, path } = await walletFile();
    const started = await startSignIn(served, platform, { acr_values: 'cert', scope: 'openid age name' });
    const code = /id="verification-code" class="digits">(\d{4})</.exec(started.page)![1]!;
    // Disclose the age predicate, withhold the name, approve.
    const out = await run(['present', started.requestUri, ...common], 'y\nn\ny\n');
    expect(out.code).toBe(0);
    expect(out.stderr).toContain(`Forum ${platform.clientId}`);
    expect(out.stderr).toContain('purpose: Create an account');
    expect(out.stderr).toContain('whether you are over 18');
    expect(out.stderr).toContain(`verification code: ${code}`);
    expect(out.stdout).toContain('approved: disclosed age_over_18');
    const claims = (await redeem(platform, await finishSignIn(served, platform, started), started)).claims()!;
    expect(claims.age_over_18).toBe(true);
    expect(claims).not.toHaveProperty('name');
    const history = (await loadWallet(path, PASSPHRASE)).contents.history!;
    expect(history).toMatchObject([
      {
        kind: 'signin',
        result: 'approved',
        claims: ['age_over_18'],
        mode: 'cert',
        platform: { clientId: platform.clientId },
      },
    ]);
  });

  it('declines, and the platform is told access_denied; history keeps the denial', async () => {
    const platform = await addPlatform(served);
    const { common } = await walletFile();
    const started = await startSignIn(served, platform);
    expect((await run(['present', started.requestUri, '--decline', ...common])).code).toBe(0);
    const callback = await finishSignIn(served, platform, started);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    const csv = await run(['history', '--csv', ...common]);
    expect(csv.stdout.split('\n')[0]).toBe('at,kind,platform,platform_kind,mode,claims,result,reason');
    expect(csv.stdout).toContain(',declined,');
  });

  it('password mode: asks for the password; a wrong one is refused with attempts left and recorded', async () => {
    const platform = await addPlatform(served, { modes: ['cert+password'] });
    const { common } = await walletFile();
    const started = await startSignIn(served, platform, { acr_values: 'cert+password' });
    const wrong = await run(['present', started.requestUri, '--yes', '--password', '12345678', ...common]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('wrong netid password — 4 attempts left');
    const right = await run(['present', started.requestUri, '--yes', ...common], `${TEST_PASSWORD}\n`);
    expect(right.code).toBe(0);
    const claims = (await redeem(platform, await finishSignIn(served, platform, started), started)).claims()!;
    expect(claims.acr).toBe('cert+password');
    const json = JSON.parse((await run(['history', '--json', ...common])).stdout);
    expect(json.map((h: { result: string }) => h.result)).toEqual(['refused', 'approved']);
  });

  it('tells the person clearly when the platform is suspended or the request is used', async () => {
    const platform = await addPlatform(served);
    const { common } = await walletFile();
    const started = await startSignIn(served, platform);
    expect((await run(['present', started.requestUri, '--yes', ...common])).code).toBe(0);
    const again = await run(['present', started.requestUri, '--yes', ...common]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/expired|used/);
    const other = await startSignIn(served, platform);
    await sqlPlatformStore(served.ctx.db).setState(platform.clientId, 'suspended', new Date());
    const suspended = await run(['present', other.requestUri, '--yes', ...common]);
    expect(suspended.code).toBe(1);
    expect(suspended.stderr).toContain('suspended');
  });

  it('direct verification: obtains an application credential, answers the platform, and reuses it', async () => {
    // The platform's own backend: receives the direct_post and verifies offline with @netid/verifier.
    const results: unknown[] = [];
    let pending: { nonce: string; state: string; clientId: string } | undefined;
    const verifier = createVerifier({ issuer: served.url });
    const server = serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: async (req) => {
        const body = Object.fromEntries(new URLSearchParams(await req.text()));
        try {
          results.push(await verifier.verifyResponse(body, pending!));
          return Response.json({});
        } catch (error) {
          results.push(error);
          return Response.json({ code: 'refused' }, { status: 400 });
        }
      },
    });
    await new Promise<void>((r) => server.once('listening', () => r()));
    const responseUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/answer`;
    try {
      const platform = await addPlatform(served, {
        kind: 'government',
        claims: ['name', 'net_number'],
        netNumber: true,
        redirectUri: responseUri,
      });
      const { common, device, path } = await walletFile();
      await verifier.ready();
      for (let i = 0; i < 2; i++) {
        const request = createRequest({
          clientId: platform.clientId,
          responseUri,
          signingKey: platform.key,
          claims: ['name', 'net_number'],
          purpose: 'Counter check',
        });
        pending = { nonce: request.nonce, state: request.state, clientId: platform.clientId };
        const out = await run(['present', request.uri, '--yes', ...common]);
        expect(out.code, out.stderr).toBe(0);
        expect(out.stderr).toContain('directly (the authority is not told)');
        expect(out.stderr).toContain(`verification code: ${request.verificationCode}`);
      }
      expect(results).toHaveLength(2);
      expect(results[0]).toMatchObject({
        claims: { name: '张三', net_number: device.netNumber },
        mode: 'cert',
      });
      const stored = (await loadWallet(path, PASSPHRASE)).contents;
      expect(stored.applicationCredentials).toHaveLength(1);
      expect(stored.history?.map((h) => h.kind)).toEqual(['direct', 'direct']);
    } finally {
      verifier.close?.();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
