import { WalletError } from '../net/errors.ts';
import { db } from '../storage/db.ts';
import type { VaultContents } from './contents.ts';

/**
 * The vault: the wallet's credentials and history, sealed with AES-256-GCM under a key derived from
 * the wallet passphrase (PBKDF2-SHA-256). The derived key is non-extractable and lives only in this
 * tab's memory while unlocked. The passphrase is not the 8-digit netid password: that one is a
 * second factor the authority checks online with a lockout, and 10^8 values would fall to an
 * offline search of a copied browser profile whatever the KDF.
 */
export interface SealedVault {
  v: 1;
  salt: Uint8Array;
  iterations: number;
  iv: Uint8Array;
  ciphertext: Uint8Array;
}

export const MIN_PASSPHRASE_LENGTH = 10;
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA-256. */
const ITERATIONS = 600_000;
// Binds the ciphertext to its purpose, so a blob sealed for anything else never opens as a vault.
const AAD = new TextEncoder().encode('netid-wallet-vault-v1');

export interface OpenVault {
  readonly contents: VaultContents;
  /** Seals and stores the next contents; the in-memory copy follows only once stored. */
  save(next: VaultContents): Promise<void>;
}

async function deriveKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(passphrase.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

async function seal(key: CryptoKey, salt: Uint8Array, contents: VaultContents): Promise<SealedVault> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plaintext = new TextEncoder().encode(JSON.stringify(contents));
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: AAD }, key, plaintext),
  );
  return { v: 1, salt, iterations: ITERATIONS, iv, ciphertext };
}

function opened(key: CryptoKey, salt: Uint8Array, initial: VaultContents): OpenVault {
  let contents = initial;
  return {
    get contents() {
      return contents;
    },
    async save(next) {
      await (await db()).put('vault', await seal(key, salt, next), 'vault');
      contents = next;
    },
  };
}

export function passphraseProblem(passphrase: string): 'passphrase_too_short' | undefined {
  return [...passphrase].length < MIN_PASSPHRASE_LENGTH ? 'passphrase_too_short' : undefined;
}

export async function hasVault(): Promise<boolean> {
  return (await (await db()).get('vault', 'vault')) !== undefined;
}

export async function createVault(passphrase: string, contents: VaultContents): Promise<OpenVault> {
  const problem = passphraseProblem(passphrase);
  if (problem) throw new WalletError(problem);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const vault = opened(await deriveKey(passphrase, salt, ITERATIONS), salt, contents);
  await vault.save(contents);
  return vault;
}

/** Opens the vault; a wrong passphrase fails GCM's authentication and is `wrong_passphrase`. */
export async function unlockVault(passphrase: string): Promise<OpenVault> {
  const sealed = await (await db()).get('vault', 'vault');
  if (!sealed) throw new WalletError('no_wallet');
  const key = await deriveKey(passphrase, sealed.salt, sealed.iterations);
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: sealed.iv as BufferSource, additionalData: AAD },
      key,
      sealed.ciphertext as BufferSource,
    );
  } catch {
    throw new WalletError('wrong_passphrase');
  }
  return opened(key, sealed.salt, JSON.parse(new TextDecoder().decode(plaintext)) as VaultContents);
}
