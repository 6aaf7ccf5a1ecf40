import { createPrivateKey } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fail, isPlainObject, type SigningKey, signingKeyFrom } from '@netid/protocol';
import { openWallet, sealWallet, writeFileAtomic } from './wallet-file.ts';

/** A credential as the wallet keeps it: the compact SD-JWT VC exactly as issued. */
export interface StoredCredential {
  format: 'dc+sd-jwt';
  credential: string;
  issuer: string;
  receivedAt: string;
}

/** What the wallet file holds once decrypted. */
export interface WalletContents {
  /** The device key, PKCS#8 PEM: the one the certificates are bound to (`cnf.jwk`). */
  deviceKeyPem: string;
  credentials: StoredCredential[];
  /**
   * Every approval and denial, kept here and nowhere else (DESIGN guarantee 2: the authority keeps
   * no record of sign-ins). Absent in wallets written before it existed.
   */
  history?: HistoryEntry[];
  /** Short-lived credentials for one platform each (direct verification), reused until near expiry. */
  applicationCredentials?: { clientId: string; credential: string; expiresAt: number }[];
}

export interface HistoryEntry {
  at: string;
  /** `signin`: through the authority's OpenID Provider; `direct`: straight to the platform. */
  kind: 'signin' | 'direct';
  platform: { clientId: string; name: { zh: string; en: string }; kind: string };
  mode: string;
  /** Claims disclosed (none when declined or refused). */
  claims: string[];
  result: 'approved' | 'declined' | 'refused';
  /** The refusal's stable code, when refused. */
  reason?: string;
}

export interface OpenedWallet {
  deviceKey: SigningKey;
  contents: WalletContents;
}

/** `--wallet FILE`, else `$NETID_WALLET`, else `~/.netid/wallet.json`. */
export function walletPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.NETID_WALLET ?? join(homedir(), '.netid', 'wallet.json');
}

export function deviceKeyPem(key: SigningKey): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export async function loadWallet(path: string, passphrase: string): Promise<OpenedWallet> {
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return fail('ERR_WALLET_NOT_FOUND', `no wallet at ${path} (run netid wallet enroll first)`);
    }
    throw error;
  }
  const plaintext = await openWallet(file, passphrase);
  let contents: unknown;
  try {
    contents = JSON.parse(plaintext.toString('utf8'));
  } catch {
    return fail('ERR_WALLET_CORRUPT', 'the wallet contents are not JSON');
  }
  if (
    !isPlainObject(contents) ||
    typeof contents.deviceKeyPem !== 'string' ||
    !Array.isArray(contents.credentials) ||
    !contents.credentials.every((c) => isPlainObject(c) && typeof c.credential === 'string')
  ) {
    return fail('ERR_WALLET_CORRUPT', 'the wallet contents are not a netid wallet');
  }
  let deviceKey: SigningKey;
  try {
    deviceKey = signingKeyFrom(createPrivateKey(contents.deviceKeyPem));
  } catch {
    return fail('ERR_WALLET_CORRUPT', 'the wallet device key cannot be read');
  }
  return { deviceKey, contents: contents as unknown as WalletContents };
}

/** Creates a new wallet file; fails with ERR_WALLET_EXISTS rather than replace one. */
export async function createWallet(
  path: string,
  passphrase: string,
  contents: WalletContents,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const sealed = await sealWallet(Buffer.from(JSON.stringify(contents)), passphrase);
  await writeFileAtomic(path, sealed, { create: true });
}

/** Rewrites an existing wallet file (atomically: a crash leaves the old or the new, never half). */
export async function saveWallet(path: string, passphrase: string, contents: WalletContents): Promise<void> {
  const sealed = await sealWallet(Buffer.from(JSON.stringify(contents)), passphrase);
  await writeFileAtomic(path, sealed, { create: false });
}
