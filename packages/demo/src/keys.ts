import { createPrivateKey } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fail, generateSigningKey, type SigningKey, signingKeyFrom } from '@netid/protocol';

function fromFile(path: string, text: string): SigningKey {
  let jwk: Record<string, unknown>;
  try {
    jwk = JSON.parse(text);
    const kid = jwk.kid;
    if (typeof kid !== 'string' || kid === '' || typeof jwk.d !== 'string') throw new Error('no kid or d');
    return signingKeyFrom(createPrivateKey({ key: jwk as never, format: 'jwk' }), kid);
  } catch (cause) {
    return fail(
      'ERR_JWK_INVALID',
      `${path} is not a private JWK with a kid: delete it to make a new key`,
      cause,
    );
  }
}

/**
 * A demo platform's ES256 signing key, kept as a private JWK (with its `kid`) in one file readable
 * only by its owner. Made on the first start; every later start signs with the same key, so the
 * registration at the authority (which holds the public half) stays valid.
 */
export function loadOrCreateSigningKey(path: string): SigningKey {
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) return fromFile(path, text);
  const key = generateSigningKey('ES256');
  const jwk = { ...key.privateKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg, use: 'sig' };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    // `wx`: two starts racing on a fresh directory must not each write a different key.
    writeFileSync(path, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fromFile(path, readFileSync(path, 'utf8'));
    throw error;
  }
  return key;
}
