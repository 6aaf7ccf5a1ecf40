import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBase64url, encodeBase64url, isNetidError } from '@netid/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { openWallet, sealWallet, writeFileAtomic } from './wallet-file.ts';

// Cheap parameters: these tests are about the format, not the work factor.
const FAST = { N: 1024, r: 8, p: 1 };
const dir = mkdtempSync(join(tmpdir(), 'netid-wallet-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isNetidError(error)) throw new Error(`expected a NetidError, got ${String(error)}`);
  return error.code;
}

// biome-ignore lint/suspicious/noExplicitAny: tests reach into the envelope field by field
const edit = (file: Buffer, change: (envelope: Record<string, any>) => void) => {
  const envelope = JSON.parse(file.toString());
  change(envelope);
  return Buffer.from(JSON.stringify(envelope));
};

describe('the encrypted wallet file', () => {
  it('opens with the passphrase it was sealed with, with a fresh salt and IV each time', async () => {
    const plaintext = Buffer.from('{"deviceKeyPem":"…","credentials":[]}');
    const a = await sealWallet(plaintext, 'passphrase-1', FAST);
    const b = await sealWallet(plaintext, 'passphrase-1', FAST);
    expect(await openWallet(a, 'passphrase-1')).toEqual(plaintext);
    const [ea, eb] = [JSON.parse(a.toString()), JSON.parse(b.toString())];
    expect(ea.kdf.salt).not.toBe(eb.kdf.salt);
    expect(ea.cipher.iv).not.toBe(eb.cipher.iv);
  });

  it('refuses a wrong passphrase and any edit of the header or body (GCM, header as AAD)', async () => {
    const sealed = await sealWallet(Buffer.from('secret contents'), 'passphrase-1', FAST);
    expect(await codeOf(openWallet(sealed, 'passphrase-2'))).toBe('ERR_WALLET_PASSPHRASE');
    // Same passphrase, weaker parameters claimed: the header is authenticated, so it fails.
    const weaker = edit(sealed, (e) => {
      e.kdf.N = 512;
    });
    expect(await codeOf(openWallet(weaker, 'passphrase-1'))).toBe('ERR_WALLET_PASSPHRASE');
    const flipped = edit(sealed, (e) => {
      const bytes = decodeBase64url(e.ciphertext);
      bytes[0]! ^= 1;
      e.ciphertext = encodeBase64url(bytes);
    });
    expect(await codeOf(openWallet(flipped, 'passphrase-1'))).toBe('ERR_WALLET_PASSPHRASE');
  });

  it.each([
    ['not JSON', () => Buffer.from('nope')],
    ['another format', () => Buffer.from('{"format":"other","version":1}')],
    ['N not a power of two', (s: Buffer) => edit(s, (e) => (e.kdf.N = 1000))],
    ['N too large to be honest', (s: Buffer) => edit(s, (e) => (e.kdf.N = 2 ** 30))],
    ['a short tag', (s: Buffer) => edit(s, (e) => (e.tag = 'AAAA'))],
    ['a non-base64url IV', (s: Buffer) => edit(s, (e) => (e.cipher.iv = '****************'))],
    ['an unknown cipher', (s: Buffer) => edit(s, (e) => (e.cipher.name = 'A128CBC'))],
  ])('reports %s as a corrupt wallet', async (_what, make) => {
    const sealed = await sealWallet(Buffer.from('x'), 'passphrase-1', FAST);
    expect(await codeOf(openWallet(make(sealed), 'passphrase-1'))).toBe('ERR_WALLET_CORRUPT');
  });

  it('writes 0600 through a temporary file, and never replaces a wallet when creating', async () => {
    const path = join(dir, 'w.json');
    await writeFileAtomic(path, Buffer.from('first'), { create: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await codeOf(writeFileAtomic(path, Buffer.from('second'), { create: true }))).toBe(
      'ERR_WALLET_EXISTS',
    );
    expect(readFileSync(path, 'utf8')).toBe('first');
    await writeFileAtomic(path, Buffer.from('third'), { create: false });
    expect(readFileSync(path, 'utf8')).toBe('third');
    // No temporary files left behind.
    writeFileSync(join(dir, 'marker'), '');
    expect(readdirSync(dir).sort()).toEqual(['marker', 'w.json']);
  });
});
