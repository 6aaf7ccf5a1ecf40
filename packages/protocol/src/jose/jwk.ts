import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { fail } from '../errors.ts';
import { isPlainObject } from './base64url.ts';

export type JwsAlg = 'ES256' | 'EdDSA';

/** The only algorithms netid signs or accepts. `none`, HMAC and RSA are refused by construction. */
export const ALLOWED_ALGS: readonly JwsAlg[] = ['ES256', 'EdDSA'];

export interface PublicJwk {
  kty: 'EC' | 'OKP';
  crv: 'P-256' | 'Ed25519';
  x: string;
  y?: string;
  kid?: string;
  alg?: string;
  use?: string;
  [other: string]: unknown;
}

export interface Jwks {
  keys: PublicJwk[];
}

export function isAllowedAlg(alg: unknown): alg is JwsAlg {
  return alg === 'ES256' || alg === 'EdDSA';
}

/** The algorithm a key can verify; the header's `alg` must equal it (no algorithm confusion). */
export function algOfJwk(jwk: PublicJwk): JwsAlg {
  return jwk.kty === 'EC' ? 'ES256' : 'EdDSA';
}

/**
 * Imports a public JWK after checking it is one of the two key types we accept. Private members are
 * refused: a `cnf.jwk` or JWKS carrying `d` means someone leaked a private key, not a usable key.
 */
export function importPublicJwk(value: unknown): { key: KeyObject; jwk: PublicJwk; alg: JwsAlg } {
  if (!isPlainObject(value)) fail('ERR_JWK_INVALID', 'JWK is not an object');
  const { kty, crv, x, y } = value;
  if ('d' in value) fail('ERR_JWK_INVALID', 'JWK contains private key material');
  const ec = kty === 'EC' && crv === 'P-256' && typeof x === 'string' && typeof y === 'string';
  const okp = kty === 'OKP' && crv === 'Ed25519' && typeof x === 'string';
  if (!ec && !okp) fail('ERR_JWK_INVALID', 'JWK must be an EC P-256 or OKP Ed25519 public key');
  const jwk = (ec ? { kty, crv, x, y } : { kty, crv, x }) as PublicJwk;
  try {
    return {
      key: createPublicKey({ key: jwk as never, format: 'jwk' }),
      jwk: value as PublicJwk,
      alg: algOfJwk(jwk),
    };
  } catch (cause) {
    return fail('ERR_JWK_INVALID', 'JWK is not a valid public key', cause);
  }
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url): our `kid` for keys we generate. */
export function jwkThumbprint(jwk: PublicJwk): string {
  // RFC 7638 §3.2: required members only, lexicographic order, no whitespace.
  const canonical =
    jwk.kty === 'EC'
      ? JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })
      : JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function exportPublicJwk(key: KeyObject): PublicJwk {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' }) as PublicJwk;
  return jwk.kty === 'EC'
    ? { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y as string }
    : { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
}
