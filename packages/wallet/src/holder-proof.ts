import { fail } from '@netid/protocol/errors';
import { requestJson } from './http.ts';
import { selfServiceRefusal } from './selfservice-problems.ts';

// How a wallet proves itself to the authority, whatever holds its device key: Node's KeyObject in
// the CLI wallet, a non-extractable WebCrypto key in the web wallet (web/). Browser-safe.

/** The network certificate with `disclose` disclosed and a key-binding JWT for this audience and nonce. */
export type PresentCertificate = (
  disclose: readonly string[],
  binding: { audience: string; nonce: string },
) => Promise<string>;

export interface HolderProof {
  /** The certificate's issuer: the authority to talk to, and the KB-JWT audience. */
  authority: string;
  presentCertificate: PresentCertificate;
  fetch?: typeof fetch;
}

async function send(
  proof: HolderProof,
  method: 'GET' | 'POST',
  path: string,
  options: { authorization?: string; body?: unknown } = {},
): Promise<Record<string, unknown>> {
  return requestJson(
    new URL(path, proof.authority),
    {
      method,
      ...options,
      ...(proof.fetch ? { fetch: proof.fetch } : {}),
      authority: proof.authority,
      label: `${method} ${path}`,
    },
    selfServiceRefusal,
  );
}

/**
 * One request authenticated as the holder: a fresh challenge, then the certificate presented with
 * only `net_number` disclosed and a KB-JWT for the authority over that challenge. A challenge is
 * good for one request, so each call asks for its own — after any prompt, never before.
 */
export async function holderRequest(
  proof: HolderProof,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const { nonce } = await send(proof, 'POST', '/selfservice/challenge');
  if (typeof nonce !== 'string' || nonce === '') {
    return fail('ERR_MALFORMED', 'the authority answered the challenge without a nonce');
  }
  const presentation = await proof.presentCertificate(['net_number'], { audience: proof.authority, nonce });
  return send(proof, method, path, {
    authorization: `NetID ${presentation}`,
    ...(body === undefined ? {} : { body }),
  });
}

/**
 * The OID4VCI offer of an application credential for `clientId` (DESIGN.md flow 3), asked for as the
 * holder. The authority keeps no record of it.
 */
export async function requestApplicationOffer(proof: HolderProof, clientId: string): Promise<string> {
  const offer = await holderRequest(proof, 'POST', '/application-credentials/offer', { client_id: clientId });
  if (typeof offer.credentialOfferUri !== 'string') {
    return fail('ERR_MALFORMED', 'the authority gave no credential offer');
  }
  return offer.credentialOfferUri;
}
