import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { exportPublicJwk, type JwsAlg, jwkThumbprint, type PublicJwk } from './jwk.ts';

export interface SigningKey {
  alg: JwsAlg;
  kid: string;
  privateKey: KeyObject;
  /** Public half with `kid`, `alg` and `use` set, ready for a JWKS. */
  publicJwk: PublicJwk;
}

export function generateSigningKey(alg: JwsAlg = 'ES256'): SigningKey {
  const { privateKey } =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return signingKeyFrom(privateKey);
}

export function signingKeyFrom(privateKey: KeyObject, kid?: string): SigningKey {
  const bare = exportPublicJwk(privateKey);
  const alg: JwsAlg = bare.kty === 'EC' ? 'ES256' : 'EdDSA';
  const id = kid ?? jwkThumbprint(bare);
  return { alg, kid: id, privateKey, publicJwk: { ...bare, kid: id, alg, use: 'sig' } };
}
