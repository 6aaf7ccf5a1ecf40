import { fail } from '../errors.ts';
import { isPlainObject } from '../jose/base64url.ts';
import { checkTimes, nowSeconds, type TimeOptions } from '../jose/claims.ts';
import { type JwsHeader, parseJws, verifySignature } from '../jose/jws.ts';
import { holderKeys } from '../jose/key-cache.ts';
import type { KeySet } from '../jose/keyset.ts';
import { type Disclosure, parseDisclosure, sdHash } from './disclosure.ts';

/** Presentations larger than this are refused before any parsing (a cheap denial-of-service guard). */
export const DEFAULT_MAX_TOKEN_BYTES = 64 * 1024;

export interface KeyBindingOptions {
  audience: string;
  nonce: string;
  /** How old the KB-JWT `iat` may be, in seconds (default 300). */
  maxAgeSeconds?: number;
}

export interface VerifyOptions extends TimeOptions {
  /** Issuer keys. */
  keys: KeySet;
  /** Accepted `typ` values; default `['dc+sd-jwt']`. `null` accepts any (plain RFC 9901 SD-JWTs). */
  typ?: readonly string[] | null;
  /** Key binding to require, or `false` for SD-JWTs without it (conformance vectors). */
  keyBinding: KeyBindingOptions | false;
  maxTokenBytes?: number;
}

export interface VerifiedSdJwt {
  header: JwsHeader;
  /** The processed payload (RFC 9901 §7.1): disclosed claims in place, `_sd`, `_sd_alg` and `...` removed. */
  claims: Record<string, unknown>;
  /** The KB-JWT payload when key binding was verified. */
  keyBinding?: Record<string, unknown>;
  disclosureCount: number;
}

/**
 * Verifies an SD-JWT or SD-JWT+KB (RFC 9901 §7) and returns its processed claims, or throws a
 * `NetidError` with a stable code. Order matters: the issuer signature is checked before any
 * disclosure is trusted, and the KB-JWT last, over the exact bytes the holder signed.
 */
export function verifySdJwt(token: string, options: VerifyOptions): VerifiedSdJwt {
  if (typeof token !== 'string') fail('ERR_MALFORMED', 'presentation must be a string');
  if (token.length > (options.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES)) {
    fail('ERR_INPUT_TOO_LARGE', 'presentation is larger than allowed');
  }
  const lastTilde = token.lastIndexOf('~');
  if (lastTilde === -1) fail('ERR_MALFORMED', 'not an SD-JWT: no ~ separator');
  const parts = token.slice(0, lastTilde).split('~');
  const kbJwt = token.slice(lastTilde + 1);

  const jws = parseJws(parts[0]!, 'issuer-signed JWT');
  checkTyp(jws.header, options.typ === undefined ? ['dc+sd-jwt'] : options.typ);
  const issuerKey = options.keys.select(jws.header.kid, jws.header.alg);
  if (!verifySignature(jws.header.alg, jws.signingInput, jws.signature, issuerKey)) {
    fail('ERR_JWS_SIGNATURE_INVALID', 'issuer signature is invalid');
  }
  const payload = jws.payload;
  checkTimes(payload, 'SD-JWT', options);
  // RFC 9901 §4.1.1: absent means sha-256; we implement no other.
  if (payload._sd_alg !== undefined && payload._sd_alg !== 'sha-256') {
    fail('ERR_SD_ALG_UNSUPPORTED', '_sd_alg must be sha-256');
  }
  if (jws.header.typ === 'dc+sd-jwt' && typeof payload.vct !== 'string') {
    fail('ERR_JWT_CLAIM_INVALID', 'SD-JWT VC must carry a vct string');
  }

  const byDigest = new Map<string, Disclosure>();
  for (let i = 1; i < parts.length; i++) {
    const d = parseDisclosure(parts[i]!);
    if (byDigest.has(d.digest)) fail('ERR_SD_DISCLOSURE_DUPLICATE', 'a disclosure is included twice');
    byDigest.set(d.digest, d);
  }
  const state: ProcessState = { byDigest, seen: new Set(), used: 0 };
  const claims = processObject(payload, state);
  // RFC 9901 §7.1 step 3.4: every disclosure must be referenced by a digest.
  if (state.used !== byDigest.size) fail('ERR_SD_DISCLOSURE_UNREFERENCED', 'a disclosure is not referenced');
  delete claims._sd_alg;

  const result: VerifiedSdJwt = { header: jws.header, claims, disclosureCount: byDigest.size };
  if (options.keyBinding === false) return result;
  if (kbJwt === '') fail('ERR_KB_MISSING', 'key binding JWT is required');
  result.keyBinding = verifyKeyBinding(
    kbJwt,
    token.slice(0, lastTilde + 1),
    payload,
    options.keyBinding,
    options,
  );
  return result;
}

function checkTyp(header: JwsHeader, accepted: readonly string[] | null): void {
  if (accepted === null) return;
  if (typeof header.typ !== 'string' || !accepted.includes(header.typ)) {
    fail('ERR_JWS_TYP_INVALID', `typ must be ${accepted.join(' or ')}`);
  }
}

interface ProcessState {
  byDigest: Map<string, Disclosure>;
  /** Every digest met so far, embedded or disclosed: RFC 9901 §7.1 step 3.3 forbids repeats. */
  seen: Set<string>;
  used: number;
}

/** Resolves one digest: undefined for an undisclosed (or decoy) digest. */
function take(digest: unknown, state: ProcessState): Disclosure | undefined {
  if (typeof digest !== 'string') fail('ERR_MALFORMED', 'digest is not a string');
  if (state.seen.has(digest)) fail('ERR_SD_DIGEST_DUPLICATE', 'a digest appears more than once');
  state.seen.add(digest);
  const d = state.byDigest.get(digest);
  if (d !== undefined) state.used++;
  return d;
}

function processValue(value: unknown, state: ProcessState): unknown {
  if (Array.isArray(value)) return processArray(value, state);
  if (isPlainObject(value)) return processObject(value, state);
  return value;
}

function processObject(object: Record<string, unknown>, state: ProcessState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(object)) {
    if (name === '_sd') continue;
    setOwn(out, name, processValue(object[name], state));
  }
  const digests = object._sd;
  if (digests === undefined) return out;
  if (!Array.isArray(digests)) fail('ERR_MALFORMED', '_sd is not an array');
  for (const digest of digests) {
    const d = take(digest, state);
    if (d === undefined) continue;
    if (d.name === undefined)
      fail('ERR_SD_DISCLOSURE_MALFORMED', 'array-element disclosure referenced from _sd');
    // RFC 9901 §7.1 step 3.2.2: a disclosed name must not already be in the object.
    if (Object.hasOwn(out, d.name)) fail('ERR_SD_CLAIM_COLLISION', `claim ${d.name} is disclosed twice`);
    setOwn(out, d.name, processValue(d.value, state));
  }
  return out;
}

/** A plain assignment of `__proto__` would replace the prototype instead of adding a claim. */
function setOwn(object: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__')
    Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
  else object[name] = value;
}

function processArray(array: unknown[], state: ProcessState): unknown[] {
  const out: unknown[] = [];
  for (const element of array) {
    if (isPlainObject(element) && '...' in element) {
      if (Object.keys(element).length !== 1) fail('ERR_MALFORMED', 'array digest object has extra keys');
      const d = take(element['...'], state);
      if (d === undefined) continue;
      if (d.name !== undefined)
        fail('ERR_SD_DISCLOSURE_MALFORMED', 'object-property disclosure used in an array');
      out.push(processValue(d.value, state));
    } else {
      out.push(processValue(element, state));
    }
  }
  return out;
}

/** RFC 9901 §7.3: the KB-JWT proves the holder of `cnf.jwk` made this exact presentation for us now. */
function verifyKeyBinding(
  kbJwt: string,
  presented: string,
  payload: Record<string, unknown>,
  expected: KeyBindingOptions,
  time: TimeOptions,
): Record<string, unknown> {
  const cnf = payload.cnf;
  if (!isPlainObject(cnf) || !isPlainObject(cnf.jwk))
    fail('ERR_KB_CNF_MISSING', 'SD-JWT has no cnf.jwk to bind to');
  const holder = holderKeys.import(cnf.jwk);
  const kb = parseJws(kbJwt, 'KB-JWT');
  if (kb.header.typ !== 'kb+jwt') fail('ERR_KB_TYP_INVALID', 'KB-JWT typ must be kb+jwt');
  if (
    kb.header.alg !== holder.alg ||
    !verifySignature(kb.header.alg, kb.signingInput, kb.signature, holder.key)
  ) {
    fail('ERR_KB_SIGNATURE_INVALID', 'KB-JWT signature does not match cnf.jwk');
  }
  const claims = kb.payload;
  if (claims.nonce !== expected.nonce) fail('ERR_KB_NONCE_MISMATCH', 'KB-JWT nonce does not match');
  if (claims.aud !== expected.audience) fail('ERR_KB_AUD_MISMATCH', 'KB-JWT audience does not match');
  const iat = claims.iat;
  const now = nowSeconds(time);
  const skew = time.clockSkew ?? 60;
  if (typeof iat !== 'number' || iat > now + skew || iat < now - (expected.maxAgeSeconds ?? 300) - skew) {
    fail('ERR_KB_IAT_INVALID', 'KB-JWT iat is missing or outside the accepted window');
  }
  if (claims.sd_hash !== sdHash(presented)) fail('ERR_KB_SD_HASH_MISMATCH', 'KB-JWT sd_hash does not match');
  return claims;
}
