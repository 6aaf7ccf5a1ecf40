import {
  CERTIFICATE_VCT,
  decodeSdJwt,
  fail,
  isPlainObject,
  presentSdJwt,
  type SigningKey,
} from '@netid/protocol';
import { selfServiceRefusal } from './selfservice-problems.ts';
import type { OpenedWallet } from './wallet.ts';

const MAX_BODY = 1_000_000;

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
  const { authorization, body } = options;
  let res: Response;
  try {
    res = await fetch(new URL(path, holder.authority), {
      method,
      headers: {
        accept: 'application/json',
        ...(authorization ? { authorization } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    return fail(
      'ERR_FETCH_FAILED',
      `cannot reach the authority at ${holder.authority}: ${(error as Error).message}`,
    );
  }
  const text = await res.text();
  if (text.length > MAX_BODY) return fail('ERR_INPUT_TOO_LARGE', 'the authority answer is too large');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = undefined;
  }
  if (!res.ok) throw selfServiceRefusal(res.status, parsed);
  if (!isPlainObject(parsed)) {
    return fail(
      'ERR_MALFORMED',
      `the authority answered ${method} ${path} with something other than a JSON object`,
    );
  }
  return parsed;
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
