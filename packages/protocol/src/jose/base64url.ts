import { Buffer } from 'node:buffer';
import { fail } from '../errors.ts';
import { isPlainObject } from '../json.ts';

const B64URL = /^[A-Za-z0-9_-]*$/;

export function encodeBase64url(input: Uint8Array | string): string {
  return (typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input)).toString('base64url');
}

/**
 * Strict decode: Node's decoder silently skips invalid characters, which would let two different
 * strings decode to the same bytes, so the alphabet and length are checked first.
 */
export function decodeBase64url(input: string, what = 'base64url value'): Buffer {
  if (!B64URL.test(input) || input.length % 4 === 1) fail('ERR_MALFORMED', `${what} is not base64url`);
  return Buffer.from(input, 'base64url');
}

export function decodeJson(input: string, what: string): unknown {
  const bytes = decodeBase64url(input, what);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return fail('ERR_MALFORMED', `${what} is not JSON`);
  }
}

export function decodeJsonObject(input: string, what: string): Record<string, unknown> {
  const value = decodeJson(input, what);
  if (!isPlainObject(value)) fail('ERR_MALFORMED', `${what} is not a JSON object`);
  return value;
}

export { isPlainObject } from '../json.ts';
