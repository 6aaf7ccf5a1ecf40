import { randomBytes } from 'node:crypto';
import type { Sealer } from './kek.ts';
import type { KeyStore } from './store.ts';

/** The named 32-byte secrets the authority derives identifiers and hashes with. */
export type SecretName = 'dedupe' | 'app-id' | 'registry-lookup' | 'phone' | 'session';

/**
 * Returns the secret, creating it on first use. Concurrent first starts race safely: the store
 * keeps whichever was inserted first and everyone reads that one back.
 */
export async function loadSecret(store: KeyStore, sealer: Sealer, name: SecretName): Promise<Buffer> {
  const context = `secret:${name}`;
  const stored = await store.getOrInsertSecret(name, sealer.seal(randomBytes(32), context));
  return sealer.open(stored, context);
}
