import { CERTIFICATE_VCT } from '@netid/protocol/certificate';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { HolderProof } from '../../../src/holder-proof.ts';
import type { DeviceKey } from '../device/device-key.ts';
import { WalletError } from '../net/errors.ts';
import type { VaultContents } from '../vault/contents.ts';
import { credentialClaims, presentCredential } from './sdjwt.ts';

/** What the wallet proves itself with: the device key and the network certificate bound to it. */
export interface Holder extends HolderProof {
  key: DeviceKey;
  credential: string;
  /** Every claim of the certificate (the holder's own data, shown to them). */
  claims: Record<string, unknown>;
  netNumber: string;
  issuedAt: number;
  expiresAt: number | undefined;
}

/** The newest network certificate bound to this browser's device key. */
export async function holderOf(contents: VaultContents, key: DeviceKey): Promise<Holder> {
  let newest: Holder | undefined;
  for (const { credential } of contents.credentials) {
    const claims = await credentialClaims(credential);
    const cnf = (claims.cnf as { jwk?: JWK } | undefined)?.jwk;
    if (claims.vct !== CERTIFICATE_VCT || typeof claims.iss !== 'string' || !cnf) continue;
    if ((await calculateJwkThumbprint(cnf)) !== key.thumbprint) continue;
    const issuedAt = typeof claims.iat === 'number' ? claims.iat : 0;
    if (newest && newest.issuedAt >= issuedAt) continue;
    newest = {
      key,
      credential,
      authority: claims.iss,
      presentCertificate: (disclose, binding) => presentCredential(credential, disclose, key, binding),
      claims,
      netNumber: String(claims.net_number ?? ''),
      issuedAt,
      expiresAt: typeof claims.exp === 'number' ? claims.exp : undefined,
    };
  }
  if (!newest) throw new WalletError('no_certificate');
  return newest;
}

/** `1V••••••EJ`: on screen the network number is only ever shown masked, ends kept to recognise it. */
export function maskNetNumber(netNumber: string): string {
  const keep = netNumber.length > 16 ? 4 : 2;
  if (netNumber.length <= keep * 2) return '•'.repeat(netNumber.length);
  return `${netNumber.slice(0, keep)}${'•'.repeat(netNumber.length - keep * 2)}${netNumber.slice(-keep)}`;
}
