import { fail } from '../errors.ts';
import { isPlainObject } from '../jose/base64url.ts';

export interface StatusReference {
  uri: string;
  idx: number;
}

/**
 * The `status.status_list` claim of a Referenced Token (§6.1, §6.2). Absent `status` → undefined:
 * the token makes no status claim. A `status` that names no `status_list` is refused rather than
 * ignored: we support no other mechanism, and skipping it would treat an unknown check as passed.
 */
export function parseStatusReference(payload: Record<string, unknown>): StatusReference | undefined {
  const status = payload.status;
  if (status === undefined) return undefined;
  if (!isPlainObject(status)) fail('ERR_JWT_CLAIM_INVALID', 'status claim is not a JSON object');
  const ref = status.status_list;
  if (!isPlainObject(ref)) fail('ERR_JWT_CLAIM_INVALID', 'status claim has no status_list object');
  const { idx, uri } = ref;
  if (typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0) {
    fail('ERR_JWT_CLAIM_INVALID', 'status_list idx must be a non-negative integer');
  }
  if (!isUri(uri)) fail('ERR_JWT_CLAIM_INVALID', 'status_list uri must be an absolute URI');
  return { uri, idx };
}

/** §6.2: `uri` MUST be an RFC 3986 URI; requiring an absolute one keeps `sub` comparison meaningful. */
export function isUri(value: unknown): value is string {
  // WHATWG parsing trims spaces and accepts non-ASCII; an RFC 3986 URI is printable ASCII only.
  return typeof value === 'string' && /^[\x21-\x7e]+$/.test(value) && URL.canParse(value);
}
