import { calculateJwkThumbprint, type JWK } from 'jose';
import { db } from '../storage/db.ts';

/**
 * The device key: a WebCrypto P-256 key pair made non-extractable, kept in IndexedDB. The network
 * certificate is bound to its public half (`cnf.jwk`); the private half signs proofs of possession
 * and key-binding JWTs and never leaves the browser's key store.
 */
export interface DeviceKey {
  pair: CryptoKeyPair;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** RFC 7638 thumbprint of the public key: how the wallet recognises credentials bound to it. */
  thumbprint: string;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

async function describe(pair: CryptoKeyPair): Promise<DeviceKey> {
  const { kty, crv, x, y } = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JWK;
  const publicJwk = { kty, crv, x, y } as JWK;
  return {
    pair,
    privateKey: pair.privateKey,
    publicJwk,
    thumbprint: await calculateJwkThumbprint(publicJwk),
  };
}

/** Makes a device key in memory; `keepDeviceKey` stores it once a certificate is bound to it. */
export async function createDeviceKey(): Promise<DeviceKey> {
  const pair = (await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify'])) as CryptoKeyPair;
  if (pair.privateKey.extractable) throw new Error('the browser made an extractable device key');
  return describe(pair);
}

/** Stores the key, replacing an earlier one (a new enrollment on this browser). */
export async function keepDeviceKey(key: DeviceKey): Promise<void> {
  await (await db()).put('device', key.pair, 'key');
}

export async function loadDeviceKey(): Promise<DeviceKey | undefined> {
  const pair = await (await db()).get('device', 'key');
  return pair ? describe(pair) : undefined;
}

/** An ES256 signature (raw r‖s, as JWS wants it: WebCrypto's ECDSA output already is). */
export async function signWithDeviceKey(key: DeviceKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.privateKey, data as BufferSource),
  );
}
