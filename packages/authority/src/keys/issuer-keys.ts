import { createPrivateKey, randomBytes } from 'node:crypto';
import {
  generateSigningKey,
  type Jwks,
  KeySet,
  type PublicJwk,
  type SigningKey,
  signingKeyFrom,
} from '@netid/protocol';
import type { Sealer } from './kek.ts';
import type { KeyStore, StoredIssuerKey } from './store.ts';

export interface IssuerKeys {
  /** The key that signs new credentials and status lists. */
  signing(): SigningKey;
  /** Every key a verifier may still meet: the signing key and retired keys whose credentials live. */
  jwks(): Jwks;
  /** The same keys imported, for verifying what this authority signed; rebuilt only when they change. */
  keySet(): KeySet;
  /** Generates a new signing key; the previous one stays published for `overlapSeconds`. */
  rotate(overlapSeconds: number): Promise<SigningKey>;
  /** Re-reads keys written by other processes. */
  reload(): Promise<void>;
}

const context = (kid: string) => `issuer-key:${kid}`;

/** Loads issuer keys, generating the first one on first start. */
export async function loadIssuerKeys(store: KeyStore, sealer: Sealer): Promise<IssuerKeys> {
  let keys: StoredIssuerKey[] = [];
  let current: SigningKey | undefined;

  async function reload(): Promise<void> {
    keys = await store.listIssuerKeys();
    const active = keys.filter((k) => k.retiredAt === null && k.activatedAt !== null).at(-1);
    current = active
      ? signingKeyFrom(
          createPrivateKey({
            key: sealer.open(active.privateKeySealed, context(active.kid)),
            format: 'der',
            type: 'pkcs8',
          }),
          active.kid,
        )
      : undefined;
  }

  async function create(): Promise<SigningKey> {
    const key = generateSigningKey('ES256');
    // A random kid rather than the thumbprint: it reveals nothing and never collides on re-import.
    const kid = randomBytes(12).toString('base64url');
    const named = signingKeyFrom(key.privateKey, kid);
    const now = new Date();
    await store.insertIssuerKey({
      kid,
      alg: named.alg,
      publicJwk: named.publicJwk,
      privateKeySealed: sealer.seal(named.privateKey.export({ format: 'der', type: 'pkcs8' }), context(kid)),
      createdAt: now,
      activatedAt: now,
      retiredAt: null,
      unpublishAfter: null,
    });
    return named;
  }

  function jwks(): Jwks {
    const now = Date.now();
    const published = keys.filter((k) => k.unpublishAfter === null || k.unpublishAfter.getTime() > now);
    return {
      keys: published.map((k) => ({ ...(k.publicJwk as PublicJwk), kid: k.kid, alg: k.alg, use: 'sig' })),
    };
  }
  let imported: { kids: string; keys: KeySet } | undefined;

  await reload();
  if (!current) {
    await create();
    await reload();
  }

  return {
    signing: () => current!,
    jwks,
    keySet() {
      // Importing keys costs more than verifying with them: import once per published set.
      const published = jwks();
      const kids = published.keys.map((k) => k.kid).join(' ');
      if (imported?.kids !== kids) imported = { kids, keys: new KeySet(published) };
      return imported.keys;
    },
    async rotate(overlapSeconds) {
      const next = await create();
      const now = new Date();
      await store.retireOthers(next.kid, now, new Date(now.getTime() + overlapSeconds * 1000));
      await reload();
      return next;
    },
    reload,
  };
}
