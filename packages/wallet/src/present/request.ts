import { fail, type Jwks, KeySet, parseJws, verifySignature } from '@netid/protocol';
import { type ResolveOptions, resolveRequestWith } from './resolve.ts';
import type { WalletRequestView } from './view.ts';

export type { ResolveOptions } from './resolve.ts';
export type { WalletRequestView } from './view.ts';

/** The request object's signature, checked by @netid/protocol (the CLI wallet's crypto). */
async function verifyRequestObject(jwt: string, jwks: { keys: Record<string, unknown>[] }) {
  const jws = parseJws(jwt, 'request object');
  if (jws.header.typ !== 'oauth-authz-req+jwt')
    fail('ERR_REQUEST_INVALID', 'the request object has the wrong typ');
  const key = new KeySet(jwks as unknown as Jwks).select(jws.header.kid, jws.header.alg);
  if (!verifySignature(jws.header.alg, jws.signingInput, jws.signature, key)) {
    fail('ERR_REQUEST_UNTRUSTED', 'the request is not signed by who it claims to come from');
  }
  return jws.payload;
}

/**
 * Resolves a request link into what the wallet shows. The request object must be signed by the
 * client it names: the authority itself (sign-in for a platform, with the platform described inside
 * by the authority), or a platform of the authority's register, whose keys and response URIs the
 * register publishes. Nothing here trusts what the link alone says.
 */
export function resolveRequest(uri: string, options: ResolveOptions): Promise<WalletRequestView> {
  return resolveRequestWith(uri, options, verifyRequestObject);
}
