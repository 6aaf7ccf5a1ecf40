import { fail } from '../errors.ts';
import { isPlainObject } from '../jose/base64url.ts';
import { type JwsHeader, parseJws } from '../jose/jws.ts';
import { type Disclosure, parseDisclosure } from './disclosure.ts';

export type ClaimPath = ReadonlyArray<string | number>;

export interface DecodedDisclosure extends Disclosure {
  /** Where the disclosed value lands in the processed payload. */
  path: ClaimPath;
  /** Digest of the disclosure that contains this one (recursive disclosures), if any. */
  parent?: string;
}

export interface DecodedSdJwt {
  header: JwsHeader;
  /** The issuer-signed payload as signed (with `_sd` arrays). */
  payload: Record<string, unknown>;
  /** The issuer-signed JWT, compact. */
  jwt: string;
  disclosures: DecodedDisclosure[];
  keyBindingJwt?: string;
}

/**
 * Decodes an SD-JWT WITHOUT verifying it — for the holder's own credentials (what a wallet shows and
 * chooses from). Verifiers must use `verifySdJwt`.
 */
export function decodeSdJwt(token: string): DecodedSdJwt {
  const lastTilde = token.lastIndexOf('~');
  if (lastTilde === -1) fail('ERR_MALFORMED', 'not an SD-JWT: no ~ separator');
  const parts = token.slice(0, lastTilde).split('~');
  const jwt = parts[0]!;
  const { header, payload } = parseJws(jwt, 'issuer-signed JWT');
  const byDigest = new Map<string, Disclosure>();
  for (const encoded of parts.slice(1)) {
    const d = parseDisclosure(encoded);
    byDigest.set(d.digest, d);
  }
  const disclosures: DecodedDisclosure[] = [];
  locate(payload, [], undefined, byDigest, disclosures);
  const kb = token.slice(lastTilde + 1);
  return { header, payload, jwt, disclosures, ...(kb ? { keyBindingJwt: kb } : {}) };
}

function locate(
  value: unknown,
  path: ClaimPath,
  parent: string | undefined,
  byDigest: Map<string, Disclosure>,
  out: DecodedDisclosure[],
): void {
  if (Array.isArray(value)) {
    // Paths index the fully disclosed array, as the holder sees it: decoys and unknown digests take
    // no place in it.
    let position = 0;
    for (const element of value) {
      if (isPlainObject(element) && typeof element['...'] === 'string') {
        const d = byDigest.get(element['...']);
        if (d && d.name === undefined) found(d, [...path, position++], parent, byDigest, out);
      } else {
        locate(element, [...path, position++], parent, byDigest, out);
      }
    }
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [name, child] of Object.entries(value)) {
    if (name !== '_sd') locate(child, [...path, name], parent, byDigest, out);
  }
  if (Array.isArray(value._sd)) {
    for (const digest of value._sd) {
      const d = typeof digest === 'string' ? byDigest.get(digest) : undefined;
      if (d?.name !== undefined) found(d, [...path, d.name], parent, byDigest, out);
    }
  }
}

function found(
  d: Disclosure,
  path: ClaimPath,
  parent: string | undefined,
  byDigest: Map<string, Disclosure>,
  out: DecodedDisclosure[],
): void {
  out.push({ ...d, path, ...(parent ? { parent } : {}) });
  locate(d.value, path, d.digest, byDigest, out);
}
