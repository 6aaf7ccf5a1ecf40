import { randomInt } from 'node:crypto';
import { fail } from '../errors.ts';
import { isPlainObject } from '../jose/base64url.ts';
import { signJws } from '../jose/jws.ts';
import type { SigningKey } from '../jose/keys.ts';
import { createDisclosure, type Disclosure, decoyDigest } from './disclosure.ts';

/**
 * Which parts of a payload are selectively disclosable, mirroring the payload's shape (the same
 * convention as @sd-jwt/core, so integrators recognise it): `_sd` lists the property names (for an
 * object) or indexes (for an array) that become disclosures; `_sd_decoy` adds that many decoy digests;
 * any other key descends into that property. Nested frames are applied first, so a disclosable
 * object may itself hold disclosable members (RFC 9901 §6.3 recursive disclosures).
 */
export interface DisclosureFrame {
  _sd?: ReadonlyArray<string | number>;
  _sd_decoy?: number;
  [child: string]: DisclosureFrame | ReadonlyArray<string | number> | number | undefined;
}

export interface IssueInput {
  payload: Record<string, unknown>;
  frame?: DisclosureFrame;
  /** `typ` defaults to `dc+sd-jwt` (draft-ietf-oauth-sd-jwt-vc §3.2.1). */
  typ?: string;
}

/**
 * SD-JWT VC claims that verifiers need before any disclosure is processed, so they must stay in the
 * clear (draft-ietf-oauth-sd-jwt-vc §3.2.2).
 */
const NEVER_DISCLOSABLE = new Set([
  'iss',
  'nbf',
  'exp',
  'iat',
  'cnf',
  'vct',
  'vct#integrity',
  'status',
  '_sd_alg',
]);

/** Issues a compact SD-JWT: `<issuer-signed JWT>~<disclosure>~…~` (RFC 9901 §4). */
export function issueSdJwt(input: IssueInput, key: SigningKey): string {
  const disclosures: Disclosure[] = [];
  const payload = applyFrame(input.payload, input.frame, disclosures, true) as Record<string, unknown>;
  payload._sd_alg = 'sha-256';
  const jwt = signJws({ typ: input.typ ?? 'dc+sd-jwt', kid: key.kid }, payload, key);
  let out = `${jwt}~`;
  for (const d of disclosures) out += `${d.encoded}~`;
  return out;
}

function applyFrame(
  value: unknown,
  frame: DisclosureFrame | undefined,
  out: Disclosure[],
  top: boolean,
): unknown {
  if (frame === undefined) return value;
  if (Array.isArray(value)) return applyArrayFrame(value, frame, out);
  if (!isPlainObject(value))
    fail('ERR_SD_DISCLOSURE_MALFORMED', 'disclosure frame does not match the payload');
  const result: Record<string, unknown> = {};
  const selected = new Set(frame._sd ?? []);
  const digests: string[] = [];
  for (const [name, child] of Object.entries(value)) {
    const childFrame = frame[name];
    const processed = isPlainObject(childFrame) ? applyFrame(child, childFrame, out, false) : child;
    if (!selected.has(name)) {
      result[name] = processed;
      continue;
    }
    if (top && NEVER_DISCLOSABLE.has(name)) {
      fail('ERR_SD_DISCLOSURE_MALFORMED', `${name} must not be selectively disclosable`);
    }
    const d = createDisclosure(name, processed);
    out.push(d);
    digests.push(d.digest);
  }
  for (let i = 0; i < (frame._sd_decoy ?? 0); i++) digests.push(decoyDigest());
  // RFC 9901 §4.2.4.1: sort so the digest order reveals nothing about the original claim order.
  if (digests.length > 0) result._sd = digests.sort();
  return result;
}

function applyArrayFrame(value: unknown[], frame: DisclosureFrame, out: Disclosure[]): unknown[] {
  const selected = new Set(frame._sd ?? []);
  const result: unknown[] = value.map((element, index) => {
    const childFrame = frame[String(index)];
    const processed = isPlainObject(childFrame) ? applyFrame(element, childFrame, out, false) : element;
    if (!selected.has(index)) return processed;
    const d = createDisclosure(undefined, processed);
    out.push(d);
    return { '...': d.digest };
  });
  // RFC 9901 §4.2.5: decoys in arrays are extra `{"...": digest}` elements, at random places so
  // that their position does not give them away.
  for (let i = 0; i < (frame._sd_decoy ?? 0); i++)
    result.splice(randomInt(result.length + 1), 0, { '...': decoyDigest() });
  return result;
}
