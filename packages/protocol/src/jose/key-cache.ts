import type { KeyObject } from 'node:crypto';
import { importPublicJwk, type JwsAlg } from './jwk.ts';

/**
 * Holder keys (`cnf.jwk`) imported recently. Importing a P-256 JWK and the first verification with
 * the new key cost OpenSSL about twice a whole signature check; a device presents again and again,
 * so keeping its KeyObject (a pure function of the coordinates) takes that off the hot path.
 * Bounded, least recently used first out.
 */
export class PublicKeyCache {
  private readonly entries = new Map<string, { key: KeyObject; alg: JwsAlg }>();

  constructor(private readonly max = 10_000) {}

  import(jwk: Record<string, unknown>): { key: KeyObject; alg: JwsAlg } {
    const id = `${jwk.kty}|${jwk.crv}|${jwk.x}|${jwk.y}|${'d' in jwk}`;
    const hit = this.entries.get(id);
    if (hit) {
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit;
    }
    const { key, alg } = importPublicJwk(jwk);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    const entry = { key, alg };
    this.entries.set(id, entry);
    return entry;
  }
}

/** Shared by every verifier in the process. */
export const holderKeys = new PublicKeyCache();
