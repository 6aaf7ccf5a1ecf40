import { CERTIFICATE_VCT, decodeSdJwt, fail, presentSdJwt, type SigningKey } from '@netid/protocol';
import type { HolderProof } from './holder-proof.ts';
import type { OpenedWallet } from './wallet.ts';

export { holderRequest } from './holder-proof.ts';

/** What the wallet proves itself with: its device key and the network certificate bound to it. */
export interface Holder extends HolderProof {
  deviceKey: SigningKey;
  credential: string;
  /** The whole network number, from the certificate; shown to the holder only masked. */
  netNumber: string;
}

/** The wallet's network certificate (the newest, should there be several). */
export function holderOf(wallet: OpenedWallet): Holder {
  let newest: { credential: string; authority: string; netNumber: string; iat: number } | undefined;
  for (const { credential } of wallet.contents.credentials) {
    const { payload, disclosures } = decodeSdJwt(credential);
    const netNumber = disclosures.find((d) => d.name === 'net_number')?.value;
    if (payload.vct !== CERTIFICATE_VCT || typeof payload.iss !== 'string' || typeof netNumber !== 'string') {
      continue;
    }
    const iat = typeof payload.iat === 'number' ? payload.iat : 0;
    if (!newest || iat > newest.iat) newest = { credential, authority: payload.iss, netNumber, iat };
  }
  if (!newest) return fail('ERR_WALLET_CORRUPT', 'the wallet holds no network certificate');
  const { credential, authority, netNumber } = newest;
  const deviceKey = wallet.deviceKey;
  return {
    deviceKey,
    credential,
    authority,
    netNumber,
    presentCertificate: async (disclose, { audience, nonce }) => {
      const chosen = new Set(disclose);
      return presentSdJwt(credential, {
        disclose: (path) => path.length === 1 && chosen.has(String(path[0])),
        keyBinding: { key: deviceKey, audience, nonce },
      });
    },
  };
}
