import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Config } from '../config.ts';

/**
 * The key-encryption key seals everything secret the authority stores: issuer private keys, HMAC
 * secrets, personal attributes. AES-256-GCM with the row's identity as associated data, so a sealed
 * value copied into another row does not open.
 */
export interface Sealer {
  /** First 8 bytes of SHA-256(KEK), stored with each sealed value: says which KEK opens it. */
  readonly kekId: Buffer;
  seal(plaintext: Buffer, context: string): Buffer;
  open(sealed: Uint8Array, context: string): Buffer;
}

const VERSION = 1;

export function createSealer(kek: Buffer): Sealer {
  if (kek.length !== 32) throw new Error('the key-encryption key must be 32 bytes');
  const kekId = createHash('sha256').update(kek).digest().subarray(0, 8);
  return {
    kekId,
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', kek, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([Buffer.of(VERSION), kekId, iv, cipher.getAuthTag(), body]);
    },
    open(stored, context) {
      // PGlite hands bytea back as a plain Uint8Array, pg as a Buffer.
      const sealed = Buffer.isBuffer(stored)
        ? stored
        : Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
      if (sealed[0] !== VERSION || !sealed.subarray(1, 9).equals(kekId)) {
        throw new Error('sealed with another key-encryption key');
      }
      const decipher = createDecipheriv('aes-256-gcm', kek, sealed.subarray(9, 21));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(sealed.subarray(21, 37));
      return Buffer.concat([decipher.update(sealed.subarray(37)), decipher.final()]);
    },
  };
}

/** A fixed, public key: anyone can open data sealed with it. For development only, and it says so. */
const DEVELOPMENT_KEK = createHash('sha256')
  .update('netid development KEK — NOT SECRET — do not use in production')
  .digest();

export function loadKek(config: Pick<Config, 'kek'>, warn: (message: string) => void): Buffer {
  const source = config.kek;
  if (source.source === 'env') return Buffer.from(source.value, 'base64url');
  if (source.source === 'file') {
    const text = readFileSync(source.path, 'utf8').trim();
    const kek = Buffer.from(text, 'base64url');
    if (kek.length !== 32) throw new Error(`NETID_KEK_FILE: ${source.path} must hold 32 bytes in base64url`);
    return kek;
  }
  warn(
    [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '!! netid is using the DEVELOPMENT key-encryption key. It is public: issuer keys and personal',
      '!! data sealed with it are readable by anyone with a copy of the database. Set NETID_KEK or',
      '!! NETID_KEK_FILE (32 random bytes, base64url) before holding real data.',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n'),
  );
  return DEVELOPMENT_KEK;
}
