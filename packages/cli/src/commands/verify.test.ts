import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  exportPublicJwk,
  generateSigningKey,
  issueSdJwt,
  presentSdJwt,
  StatusList,
  signStatusListJwt,
} from '@netid/protocol';
import { describe, expect, it } from 'vitest';
import { readVector } from '../../../protocol/src/testing/vectors.ts';
import { runCli } from '../testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'netid-verify-'));
const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/netid.js');

interface Example {
  section: string;
  kind: string;
  value: string;
  expected_processed_payload?: unknown;
  expected_kb?: { iat: number };
}
const spec = readVector<{
  issuer_public_jwk: object;
  verifier_aud: string;
  kb_nonce: string;
  compact_examples: Example[];
}>('sd-jwt/rfc9901-spec-text.json');
const specJwk = join(dir, 'spec-issuer.jwk.json');
writeFileSync(specJwk, JSON.stringify(spec.issuer_public_jwk));

describe('netid verify on the RFC 9901 examples', () => {
  for (const ex of spec.compact_examples.filter((e) => e.expected_processed_payload)) {
    it(`${ex.section} (${ex.kind})`, async () => {
      const kb = ex.kind === 'sd-jwt+kb';
      const args = [
        'verify',
        '--jwks',
        specJwk,
        '--any-typ',
        '--now',
        String(ex.expected_kb?.iat ?? 1748536865),
      ];
      args.push(...(kb ? ['--aud', spec.verifier_aud, '--nonce', spec.kb_nonce] : ['--no-key-binding']));
      const { code, stdout } = await runCli(args, `${ex.value}\n`);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual(ex.expected_processed_payload);
    });
  }
});

describe('netid verify', () => {
  const issuer = generateSigningKey();
  const holder = generateSigningKey();
  const jwks = join(dir, 'jwks.json');
  writeFileSync(jwks, JSON.stringify({ keys: [issuer.publicJwk] }));
  const uri = 'https://id.example.gov/status/0';
  const list = new StatusList(1, 64);
  list.set(3, 1);
  const listFile = join(dir, 'status.jwt');
  writeFileSync(listFile, signStatusListJwt({ uri, list }, issuer));
  const credential = (idx: number) =>
    issueSdJwt(
      {
        payload: {
          iss: 'https://id.example.gov',
          iat: Math.floor(Date.now() / 1000),
          vct: 'urn:netid:certificate:1',
          cnf: { jwk: exportPublicJwk(holder.privateKey) },
          status: { status_list: { idx, uri } },
          name: '张伟',
        },
        frame: { _sd: ['name'] },
      },
      issuer,
    );
  const present = (idx: number) =>
    presentSdJwt(credential(idx), {
      disclose: { name: true },
      keyBinding: { key: holder, audience: 'https://rp.example', nonce: 'n' },
    });
  const kbArgs = ['--aud', 'https://rp.example', '--nonce', 'n'];

  it('checks status against the given status lists', async () => {
    const ok = await runCli(['verify', '--jwks', jwks, ...kbArgs, '--status-list', listFile], present(2));
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).name).toBe('张伟');
    const revoked = await runCli(
      ['verify', '--jwks', jwks, ...kbArgs, '--status-list', listFile],
      present(3),
    );
    expect(revoked.code).toBe(1);
    expect(JSON.parse(revoked.stdout)).toEqual({ error: 'ERR_STATUS_REVOKED', message: expect.any(String) });
  });

  it('prints a typed error for bad input, never a stack trace', async () => {
    for (const [input, code] of [
      ['not a token', 'ERR_MALFORMED'],
      ['x'.repeat(100_000), 'ERR_INPUT_TOO_LARGE'],
      [present(2).replace(/~[^~]*$/, '~'), 'ERR_KB_MISSING'],
    ] as const) {
      const result = await runCli(['verify', '--jwks', jwks, ...kbArgs], input);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).error).toBe(code);
      expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('exits 2 with usage on bad usage', async () => {
    for (const args of [[], ['--jwks', jwks], ['--jwks', jwks, '--aud', 'a'], ['--jwks', jwks, '--bogus']]) {
      const result = await runCli(['verify', ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('usage: netid verify');
    }
  });

  it('runs as the installed bin: stdin in, JSON out, exit code', async () => {
    const child = execFile(process.execPath, [BIN, 'verify', '--jwks', jwks, ...kbArgs]);
    child.stdin!.end(present(2));
    const out: string[] = [];
    child.stdout!.on('data', (c) => out.push(String(c)));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ name: '张伟', iss: 'https://id.example.gov' });
  });
});
