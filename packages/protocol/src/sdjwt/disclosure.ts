import { createHash, hash, randomBytes } from 'node:crypto';
import { fail } from '../errors.ts';
import { decodeBase64url, encodeBase64url } from '../jose/base64url.ts';

/** RFC 9901 §4.2.1 (object property) or §4.2.2 (array element). */
export interface Disclosure {
  /** The base64url string exactly as it travels: digests are computed over this, never re-encoded. */
  encoded: string;
  digest: string;
  salt: string;
  /** Present for object properties, absent for array elements. */
  name?: string;
  value: unknown;
}

/** Names a disclosure may never carry (RFC 9901 §4.2.1): they would forge SD-JWT structure. */
const RESERVED_NAMES = new Set(['_sd', '...', '_sd_alg']);

/** RFC 9901 §4.2.3: the digest is over the US-ASCII bytes of the base64url-encoded disclosure. */
export function digestOf(encoded: string): string {
  // One-shot crypto.hash is about 3× cheaper than a createHash object for short inputs. Base64url
  // and the ~ separators are ASCII, so hashing the string as UTF-8 gives the same bytes.
  return hash('sha256', encoded, 'base64url');
}

/** RFC 9901 §4.2.1: 128 bits of salt from a CSPRNG. */
export function newSalt(): string {
  return randomBytes(16).toString('base64url');
}

export function createDisclosure(name: string | undefined, value: unknown, salt = newSalt()): Disclosure {
  if (name !== undefined && RESERVED_NAMES.has(name)) {
    fail('ERR_SD_DISCLOSURE_MALFORMED', `claim name ${name} cannot be selectively disclosed`);
  }
  const array = name === undefined ? [salt, value] : [salt, name, value];
  const encoded = encodeBase64url(JSON.stringify(array));
  return { encoded, digest: digestOf(encoded), salt, name, value };
}

/** RFC 9901 §4.2.5: decoy digests are hashes over random values, indistinguishable from real ones. */
export function decoyDigest(): string {
  return createHash('sha256').update(randomBytes(16)).digest('base64url');
}

export function parseDisclosure(encoded: string): Disclosure {
  let array: unknown;
  try {
    array = JSON.parse(decodeBase64url(encoded, 'disclosure').toString('utf8'));
  } catch {
    return fail('ERR_SD_DISCLOSURE_MALFORMED', 'disclosure is not base64url JSON');
  }
  if (!Array.isArray(array) || typeof array[0] !== 'string') {
    fail('ERR_SD_DISCLOSURE_MALFORMED', 'disclosure is not a [salt, …] array');
  }
  const digest = digestOf(encoded);
  if (array.length === 2) return { encoded, digest, salt: array[0], value: array[1] };
  if (array.length !== 3 || typeof array[1] !== 'string') {
    fail('ERR_SD_DISCLOSURE_MALFORMED', 'disclosure must have 2 or 3 elements with a string claim name');
  }
  if (RESERVED_NAMES.has(array[1]))
    fail('ERR_SD_DISCLOSURE_MALFORMED', `disclosure uses reserved name ${array[1]}`);
  return { encoded, digest, salt: array[0], name: array[1], value: array[2] };
}

/** RFC 9901 §4.3.1: `sd_hash` covers the presentation up to and including the last `~`. */
export function sdHash(presentationWithoutKb: string): string {
  return hash('sha256', presentationWithoutKb, 'base64url');
}
