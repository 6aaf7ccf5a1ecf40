import { SDJwtInstance } from '@sd-jwt/core';
import type { Hasher } from '@sd-jwt/types';
import { base64url } from 'jose';
import { type DeviceKey, signWithDeviceKey } from '../device/device-key.ts';

// SD-JWT VC as the holder needs it (RFC 9901): read the claims to show them, and present a chosen
// subset with a key-binding JWT signed by the device key. @sd-jwt/core does the format; WebCrypto
// does the hashing and signing, so the private key never leaves the browser's key store.

const hasher: Hasher = async (data, alg) => {
  if (alg.toLowerCase() !== 'sha-256') throw new Error(`unsupported _sd_alg ${alg}`);
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
};

const reader = new SDJwtInstance({ hasher });

/** Every claim of a credential, disclosures applied (the holder sees all of their own data). */
export async function credentialClaims(credential: string): Promise<Record<string, unknown>> {
  return (await reader.getClaims(credential)) as Record<string, unknown>;
}

export interface KeyBinding {
  audience: string;
  nonce: string;
}

/** The credential with exactly `disclose` (top-level claim names) disclosed, bound to this request. */
export async function presentCredential(
  credential: string,
  disclose: readonly string[],
  key: DeviceKey,
  binding: KeyBinding,
): Promise<string> {
  const presenter = new SDJwtInstance({
    hasher,
    kbSignAlg: 'ES256',
    kbSigner: async (data) => base64url.encode(await signWithDeviceKey(key, new TextEncoder().encode(data))),
  });
  const frame = Object.fromEntries(disclose.map((claim) => [claim, true]));
  return presenter.present(credential, frame, {
    kb: {
      payload: { iat: Math.floor(Date.now() / 1000), aud: binding.audience, nonce: binding.nonce },
    },
  });
}
