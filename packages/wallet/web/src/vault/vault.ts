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
  /**
   * Reads what is stored now (another tab of this wallet may have written), applies `change`,
   * seals and stores the result; one update at a time across all tabs (a Web Lock), and the other
   * tabs are told to reload. The in-memory copy follows only once stored.
   */
  update(change: (current: VaultContents) => VaultContents): Promise<VaultContents>;
  /** Re-reads the stored contents (after another tab's update). */
  reload(): Promise<VaultContents>;
}

/** Tabs of this wallet tell each other the vault changed; the message carries nothing else. */
export const VAULT_CHANNEL = 'netid-wallet-vault';

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

async function open(key: CryptoKey, sealed: SealedVault): Promise<VaultContents> {
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
  return JSON.parse(new TextDecoder().decode(plaintext)) as VaultContents;
}

async function stored(): Promise<SealedVault> {
  const sealed = await (await db()).get('vault', 'vault');
  if (!sealed) throw new WalletError('no_wallet');
  return sealed;
}

const exclusively = <T>(run: () => Promise<T>): Promise<T> =>
  navigator.locks ? navigator.locks.request('netid-wallet-vault', run) : run();

function opened(key: CryptoKey, salt: Uint8Array, initial: VaultContents): OpenVault {
  let contents = initial;
  return {
    get contents() {
      return contents;
    },
    update: (change) =>
      exclusively(async () => {
        const next = change(await open(key, await stored()));
        await (await db()).put('vault', await seal(key, salt, next), 'vault');
        contents = next;
        new BroadcastChannel(VAULT_CHANNEL).postMessage('changed');
        return next;
      }),
    async reload() {
      contents = await open(key, await stored());
      return contents;
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
  const key = await deriveKey(passphrase, salt, ITERATIONS);
  await (await db()).put('vault', await seal(key, salt, contents), 'vault');
  return opened(key, salt, contents);
}

/** Opens the vault; a wrong passphrase fails GCM's authentication and is `wrong_passphrase`. */
export async function unlockVault(passphrase: string): Promise<OpenVault> {
  const sealed = await stored();
  const key = await deriveKey(passphrase, sealed.salt, sealed.iterations);
  return opened(key, sealed.salt, await open(key, sealed));
}
