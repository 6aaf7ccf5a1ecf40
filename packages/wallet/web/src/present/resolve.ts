import { fail } from '@netid/protocol/errors';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { type Jwks, resolveRequestWith } from '../../../src/present/resolve.ts';
import type { WalletRequestView } from '../../../src/present/view.ts';

export type { WalletRequestView };

const ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'PS256', 'RS256'];

/** The request object's signature, checked with WebCrypto (through jose) against the signer's keys. */
async function verifyRequestObject(jwt: string, jwks: Jwks): Promise<Record<string, unknown>> {
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    verified = await compactVerify(jwt, createLocalJWKSet(jwks as unknown as JSONWebKeySet), {
      algorithms: ALGORITHMS,
    });
  } catch {
    return fail('ERR_REQUEST_UNTRUSTED', 'the request is not signed by who it claims to come from');
  }
  if (verified.protectedHeader.typ !== 'oauth-authz-req+jwt') {
    fail('ERR_REQUEST_INVALID', 'the request object has the wrong typ');
  }
  return JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
}

/** A request link (QR, paste, deep link) resolved and checked, as the consent screen shows it. */
export function resolveRequest(uri: string, authority: string): Promise<WalletRequestView> {
  return resolveRequestWith(uri, { authority }, verifyRequestObject);
}
