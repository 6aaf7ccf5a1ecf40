import { createPrivateKey, createPublicKey } from 'node:crypto';
import {
  fail,
  isPlainObject,
  parseJws,
  type SigningKey,
  signingKeyFrom,
  signJws,
  verifySignature,
} from '@netid/protocol';

/** A platform's private key as a JWK (`d` included), with the `kid` it registered at the authority. */
export interface PrivateJwk {
  kty: 'EC' | 'OKP';
  crv: 'P-256' | 'Ed25519';
  x: string;
  y?: string;
  d: string;
  kid: string;
  alg?: 'ES256' | 'EdDSA';
  [other: string]: unknown;
}

function isSigningKey(key: unknown): key is SigningKey {
  return (
    isPlainObject(key) &&
    typeof key.kid === 'string' &&
    (key.alg === 'ES256' || key.alg === 'EdDSA') &&
    typeof key.privateKey === 'object' &&
    key.privateKey !== null &&
    (key.privateKey as { type?: unknown }).type === 'private'
  );
}

/**
 * The key a request object is signed with. Wallets pick the platform's key from its registered JWKS
 * by `kid`, so a key without one could not be checked: refused here rather than at every wallet.
 */
export function requestSigningKey(key: SigningKey | PrivateJwk): SigningKey {
  if (isSigningKey(key)) return key;
  if (!isPlainObject(key)) return fail('ERR_JWK_INVALID', 'signingKey must be a SigningKey or a private JWK');
  const { kty, crv, kid, d } = key;
  const ec = kty === 'EC' && crv === 'P-256';
  const okp = kty === 'OKP' && crv === 'Ed25519';
  if (!ec && !okp) fail('ERR_JWK_INVALID', 'signingKey must be an EC P-256 or OKP Ed25519 key');
  if (typeof d !== 'string') fail('ERR_JWK_INVALID', 'signingKey must be a private key (with d)');
  if (typeof kid !== 'string' || kid === '') {
    fail('ERR_JWK_INVALID', 'signingKey needs the kid of the key registered with the authority');
  }
  let signing: SigningKey;
  try {
    signing = signingKeyFrom(createPrivateKey({ key: key as never, format: 'jwk' }), kid);
  } catch (cause) {
    return fail('ERR_JWK_INVALID', 'signingKey is not a valid private key', cause);
  }
  // node:crypto imports an EC `d` that does not belong to `x`/`y` without complaint; every wallet
  // would then refuse the signature against the registered public key. Better found once, here.
  if (!belongsTogether(signing, key)) {
    fail('ERR_JWK_INVALID', 'signingKey d does not belong to its public members x/y');
  }
  if (key.alg !== undefined && key.alg !== signing.alg) {
    fail('ERR_JWK_INVALID', `signingKey alg ${String(key.alg)} does not fit a ${String(kty)} key`);
  }
  return signing;
}

/** Signs with the private key and verifies with the JWK's public members alone. */
function belongsTogether(signing: SigningKey, jwk: PrivateJwk): boolean {
  try {
    const { kty, crv, x, y } = jwk;
    const publicKey = createPublicKey({
      key: (y === undefined ? { kty, crv, x } : { kty, crv, x, y }) as never,
      format: 'jwk',
    });
    const probe = parseJws(signJws({}, { probe: 'netid' }, signing));
    return verifySignature(probe.header.alg, probe.signingInput, probe.signature, publicKey);
  } catch {
    return false;
  }
}
