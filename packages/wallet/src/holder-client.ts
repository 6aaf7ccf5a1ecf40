import { CERTIFICATE_VCT, decodeSdJwt, fail, presentSdJwt, type SigningKey } from '@netid/protocol';
import { requestJson } from './http.ts';
import { selfServiceRefusal } from './selfservice-problems.ts';
import type { OpenedWallet } from './wallet.ts';

/** What the wallet proves itself with: its device key and the network certificate bound to it. */
export interface Holder {
  deviceKey: SigningKey;
  credential: string;
  /** The certificate's issuer: the authority to talk to, and the KB-JWT audience. */
  authority: string;
  /** The whole network number, from the certificate; shown to the holder only masked. */
  netNumber: string;
}

/** The wallet's network certificate (the newest, should there be several). */
export function holderOf(wallet: OpenedWallet): Holder {
  let newest: (Holder & { iat: number }) | undefined;
  for (const { credential } of wallet.contents.credentials) {
    const { payload, disclosures } = decodeSdJwt(credential);
    const netNumber = disclosures.find((d) => d.name === 'net_number')?.value;
    if (payload.vct !== CERTIFICATE_VCT || typeof payload.iss !== 'string' || typeof netNumber !== 'string') {
      continue;
    }
    const iat = typeof payload.iat === 'number' ? payload.iat : 0;
    if (!newest || iat > newest.iat) {
      newest = { deviceKey: wallet.deviceKey, credential, authority: payload.iss, netNumber, iat };
    }
  }
  if (!newest) return fail('ERR_WALLET_CORRUPT', 'the wallet holds no network certificate');
  const { iat: _iat, ...holder } = newest;
  return holder;
}

async function send(
  holder: Holder,
  method: 'GET' | 'POST',
  path: string,
  options: { authorization?: string; body?: unknown } = {},
): Promise<Record<string, unknown>> {
  return requestJson(
    new URL(path, holder.authority),
    { method, ...options, authority: holder.authority, label: `${method} ${path}` },
    selfServiceRefusal,
  );
}

/**
 * One self-service request: a fresh challenge, then the certificate presented with only
 * `net_number` disclosed and a KB-JWT for the authority over that challenge. A challenge is good
 * for one request, so each call asks for its own — after any prompt, never before.
 */
export async function holderRequest(
  holder: Holder,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const { nonce } = await send(holder, 'POST', '/selfservice/challenge');
  if (typeof nonce !== 'string' || nonce === '') {
    return fail('ERR_MALFORMED', 'the authority answered the challenge without a nonce');
  }
  const presentation = presentSdJwt(holder.credential, {
    disclose: { net_number: true },
    keyBinding: { key: holder.deviceKey, audience: holder.authority, nonce },
  });
  return send(holder, method, path, {
    authorization: `NetID ${presentation}`,
    ...(body === undefined ? {} : { body }),
  });
}
