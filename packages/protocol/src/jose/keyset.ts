import type { KeyObject } from 'node:crypto';
import { fail } from '../errors.ts';
import { isPlainObject } from './base64url.ts';
import { importPublicJwk, type JwsAlg, type PublicJwk } from './jwk.ts';

interface Entry {
  kid: string | undefined;
  alg: JwsAlg;
  key: KeyObject;
  jwk: PublicJwk;
}

/**
 * An imported JWKS, indexed by `kid`. Keys are imported once, so verification never parses a JWK on
 * the hot path. Keys of types we do not accept are skipped rather than failing the whole set, so an
 * issuer can publish other keys without breaking us.
 */
export class KeySet {
  private readonly byKid = new Map<string, Entry>();
  private readonly all: Entry[] = [];

  constructor(jwks: unknown) {
    if (!isPlainObject(jwks) || !Array.isArray(jwks.keys))
      fail('ERR_JWK_INVALID', 'JWKS must have a keys array');
    for (const raw of jwks.keys) {
      let imported: ReturnType<typeof importPublicJwk>;
      try {
        imported = importPublicJwk(raw);
      } catch {
        continue;
      }
      const kid = typeof imported.jwk.kid === 'string' ? imported.jwk.kid : undefined;
      const entry = { kid, alg: imported.alg, key: imported.key, jwk: imported.jwk };
      this.all.push(entry);
      if (kid !== undefined && !this.byKid.has(kid)) this.byKid.set(kid, entry);
    }
  }

  get size(): number {
    return this.all.length;
  }

  /**
   * The key for a JWS header. With a `kid`, only that key; without one, only when the set holds a
   * single key (plain RFC 9901 examples carry no `kid`). The key's type must match `alg`.
   */
  select(kid: unknown, alg: JwsAlg): KeyObject {
    const entry =
      typeof kid === 'string' ? this.byKid.get(kid) : this.all.length === 1 ? this.all[0] : undefined;
    if (!entry) fail('ERR_JWKS_NO_MATCHING_KEY', 'no issuer key matches the token');
    if (entry.alg !== alg) fail('ERR_JWKS_NO_MATCHING_KEY', 'issuer key type does not match the token alg');
    return entry.key;
  }
}
