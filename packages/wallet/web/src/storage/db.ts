import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { SealedVault } from '../vault/vault.ts';

/**
 * The wallet's IndexedDB: the device key pair (its private half non-extractable, so no script, not
 * even this one, can read it out) and the sealed vault. Nothing else about the person is stored in
 * the clear on this origin.
 */
interface WalletDb extends DBSchema {
  device: { key: 'key'; value: CryptoKeyPair };
  vault: { key: 'vault'; value: SealedVault };
}

let opened: Promise<IDBPDatabase<WalletDb>> | undefined;

export function db(): Promise<IDBPDatabase<WalletDb>> {
  opened ??= openDB<WalletDb>('netid-wallet', 1, {
    upgrade(d) {
      d.createObjectStore('device');
      d.createObjectStore('vault');
    },
  });
  return opened;
}

/** Forgets this wallet on this browser: the key pair and the vault, in one transaction. */
export async function eraseWallet(): Promise<void> {
  const d = await db();
  const tx = d.transaction(['device', 'vault'], 'readwrite');
  await Promise.all([tx.objectStore('device').clear(), tx.objectStore('vault').clear(), tx.done]);
}
