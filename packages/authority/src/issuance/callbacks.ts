import { createHash, randomBytes } from 'node:crypto';
import { algOfJwk, importPublicJwk, isNetidError, parseJws, verifySignature } from '@netid/protocol';
import {
  type CallbackContext,
  clientAuthenticationAnonymous,
  HashAlgorithm,
  Oauth2Error,
  type SignJwtCallback,
  type VerifyJwtCallback,
} from '@openid4vc/oauth2';

/**
 * The crypto the OpenID4VC libraries delegate to us, on node:crypto and @netid/protocol: one JOSE
 * implementation for the whole project, so `alg: none`, HMAC and RSA are refused here exactly as
 * everywhere else.
 */

const HASHES: Record<HashAlgorithm, string> = {
  [HashAlgorithm.Sha256]: 'sha256',
  [HashAlgorithm.Sha384]: 'sha384',
  [HashAlgorithm.Sha512]: 'sha512',
};

export const hash: CallbackContext['hash'] = (data, alg) => {
  const name = HASHES[alg];
  if (!name) throw new Oauth2Error(`unsupported hash algorithm ${String(alg)}`);
  return createHash(name).update(data).digest();
};

export const generateRandom: CallbackContext['generateRandom'] = (byteLength) => randomBytes(byteLength);

/**
 * Verifies a JWS whose key travels in its own `jwk` header (OID4VCI proofs): only that signer method
 * is accepted — no `kid` lookups, no x5c chains, no DIDs, since a device key is just a key. The
 * header's `alg` must be the one the key type implies, so no algorithm confusion.
 */
export const verifyJwt: VerifyJwtCallback = (signer, jwt) => {
  if (signer.method !== 'jwk') return { verified: false };
  try {
    const { key, jwk } = importPublicJwk(signer.publicJwk);
    const parsed = parseJws(jwt.compact, 'proof JWT');
    if (parsed.header.alg !== algOfJwk(jwk) || signer.alg !== parsed.header.alg) return { verified: false };
    const verified = verifySignature(parsed.header.alg, parsed.signingInput, parsed.signature, key);
    return verified ? { verified: true, signerJwk: signer.publicJwk } : { verified: false };
  } catch (error) {
    if (isNetidError(error)) return { verified: false };
    throw error;
  }
};

/** The authority never asks the libraries to sign: its credentials are signed by @netid/protocol. */
const refuseToSign: SignJwtCallback = () => {
  throw new Oauth2Error('the authority does not sign through the OpenID4VC library');
};

/** What the server side (authorization server and credential issuer) hands the libraries. */
export const serverCallbacks = {
  hash,
  generateRandom,
  verifyJwt,
  signJwt: refuseToSign,
  clientAuthentication: clientAuthenticationAnonymous(),
} satisfies Omit<CallbackContext, 'decryptJwe' | 'encryptJwe'>;
