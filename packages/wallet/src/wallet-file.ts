import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { chmod, link, open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { decodeBase64url, encodeBase64url, fail, isPlainObject } from '@netid/protocol';

/**
 * The wallet file: one JSON object whose header (format, KDF parameters, salt, IV) is in the clear
 * and whose body — device key and credentials — is AES-256-GCM under a key derived from the wallet
 * passphrase with scrypt. The header is the GCM additional data, so it cannot be edited unnoticed.
 */

export const WALLET_FORMAT = 'netid-wallet';

/**
 * scrypt N=2^17, r=8, p=1: 128 MiB and a few hundred ms per guess (OWASP's recommended floor is
 * N=2^17). Stored per file so a later version can raise them and still open old wallets.
 */
export const DEFAULT_KDF = { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 } as const;

/** Refuse absurd parameters from a tampered header before spending memory on them. */
const MAX_LOG_N = 22;

interface KdfParams {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
}

interface WalletEnvelope {
  format: typeof WALLET_FORMAT;
  version: 1;
  kdf: KdfParams;
  cipher: { name: 'A256GCM'; iv: string };
  ciphertext: string;
  tag: string;
}

function deriveKey(passphrase: string, kdf: KdfParams): Promise<Buffer> {
  const salt = decodeBase64url(kdf.salt);
  return new Promise((resolve, reject) =>
    scrypt(
      passphrase.normalize('NFC'),
      salt,
      32,
      // maxmem must exceed 128·N·r, the memory scrypt needs.
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

/** The additional authenticated data: the header fields in a fixed order. */
function headerAad(envelope: Pick<WalletEnvelope, 'format' | 'version' | 'kdf' | 'cipher'>): Buffer {
  const { kdf, cipher } = envelope;
  return Buffer.from(
    JSON.stringify([envelope.format, envelope.version, kdf.name, kdf.N, kdf.r, kdf.p, kdf.salt, cipher.iv]),
  );
}

export async function sealWallet(
  plaintext: Buffer,
  passphrase: string,
  params: { N: number; r: number; p: number } = DEFAULT_KDF,
): Promise<Buffer> {
  const kdf: KdfParams = { name: 'scrypt', ...params, salt: encodeBase64url(randomBytes(16)) };
  const cipher = { name: 'A256GCM' as const, iv: encodeBase64url(randomBytes(12)) };
  const key = await deriveKey(passphrase, kdf);
  const gcm = createCipheriv('aes-256-gcm', key, decodeBase64url(cipher.iv));
  gcm.setAAD(headerAad({ format: WALLET_FORMAT, version: 1, kdf, cipher }));
  const ciphertext = Buffer.concat([gcm.update(plaintext), gcm.final()]);
  const envelope: WalletEnvelope = {
    format: WALLET_FORMAT,
    version: 1,
    kdf,
    cipher,
    ciphertext: encodeBase64url(ciphertext),
    tag: encodeBase64url(gcm.getAuthTag()),
  };
  return Buffer.from(`${JSON.stringify(envelope, null, 2)}\n`);
}

export async function openWallet(file: Buffer, passphrase: string): Promise<Buffer> {
  const envelope = parseEnvelope(file);
  const key = await deriveKey(passphrase, envelope.kdf);
  const gcm = createDecipheriv('aes-256-gcm', key, decodeBase64url(envelope.cipher.iv));
  gcm.setAAD(headerAad(envelope));
  gcm.setAuthTag(decodeBase64url(envelope.tag));
  try {
    return Buffer.concat([gcm.update(decodeBase64url(envelope.ciphertext)), gcm.final()]);
  } catch {
    // GCM cannot tell a wrong passphrase from an edited file; the first is by far the likelier.
    return fail('ERR_WALLET_PASSPHRASE', 'wrong wallet passphrase (or the wallet file was modified)');
  }
}

function parseEnvelope(file: Buffer): WalletEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(file.toString('utf8'));
  } catch {
    return fail('ERR_WALLET_CORRUPT', 'the wallet file is not JSON');
  }
  if (!isPlainObject(value) || value.format !== WALLET_FORMAT || value.version !== 1) {
    return fail('ERR_WALLET_CORRUPT', 'not a netid wallet file (version 1)');
  }
  const { kdf, cipher } = value;
  const ok =
    isPlainObject(kdf) &&
    kdf.name === 'scrypt' &&
    isPowerOfTwo(kdf.N) &&
    Number.isInteger(kdf.r) &&
    (kdf.r as number) >= 1 &&
    (kdf.r as number) <= 32 &&
    Number.isInteger(kdf.p) &&
    (kdf.p as number) >= 1 &&
    (kdf.p as number) <= 16 &&
    typeof kdf.salt === 'string' &&
    isPlainObject(cipher) &&
    cipher.name === 'A256GCM' &&
    typeof cipher.iv === 'string' &&
    typeof value.ciphertext === 'string' &&
    typeof value.tag === 'string';
  if (!ok) return fail('ERR_WALLET_CORRUPT', 'the wallet file header is not valid');
  try {
    // Strict base64url: throws NetidError on anything else.
    if (decodeBase64url(cipher.iv as string).length !== 12) throw new Error('iv');
    if (decodeBase64url(value.tag as string).length !== 16) throw new Error('tag');
    decodeBase64url(kdf.salt as string);
    decodeBase64url(value.ciphertext as string);
  } catch {
    return fail('ERR_WALLET_CORRUPT', 'the wallet file header is not valid');
  }
  return value as unknown as WalletEnvelope;
}

function isPowerOfTwo(n: unknown): boolean {
  return (
    Number.isInteger(n) &&
    (n as number) >= 2 &&
    (n as number) <= 2 ** MAX_LOG_N &&
    ((n as number) & ((n as number) - 1)) === 0
  );
}

/**
 * Writes `bytes` to `path` with mode 0600 through a temporary file in the same directory, so a crash
 * leaves the old file or the new one, never half of one. `create` links instead of renaming: it fails
 * rather than replace a wallet that appeared meanwhile.
 */
export async function writeFileAtomic(
  path: string,
  bytes: Buffer,
  options: { create: boolean },
): Promise<void> {
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(temp, 0o600);
    if (options.create) {
      await link(temp, path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') fail('ERR_WALLET_EXISTS', `a wallet already exists at ${path}`);
        throw error;
      });
    } else {
      await rename(temp, path);
      return;
    }
  } finally {
    await unlink(temp).catch(() => {});
  }
}
