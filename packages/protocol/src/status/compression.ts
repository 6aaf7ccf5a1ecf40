import { constants as bufferConstants } from 'node:buffer';
import { deflateSync, inflateSync, type Zlib } from 'node:zlib';
import { fail } from '../errors.ts';

/** 32 MiB of decompressed status bytes: 268 M one-bit entries, far above any list we publish. */
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

export function compressStatusBytes(bytes: Uint8Array, level: number): string {
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    fail('ERR_STATUS_LIST_INVALID', 'zlib level must be 0–9');
  }
  return deflateSync(bytes, { level }).toString('base64url');
}

/**
 * base64url → zlib inflate with an output cap. node:zlib checks `maxOutputLength` after every output
 * chunk and aborts there, so a bomb costs at most `maxBytes` of memory and the time to produce it.
 */
export function decodeLst(lst: string, maxBytes: number): Buffer {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1 || maxBytes > bufferConstants.MAX_LENGTH) {
    fail('ERR_STATUS_LIST_INVALID', 'maxBytes must be a positive integer within the Buffer limit');
  }
  // Node's decoder skips foreign characters, padding and stray low bits; re-encoding and comparing
  // refuses all of those at once, so one list has exactly one `lst`.
  const compressed = Buffer.from(lst, 'base64url');
  if (compressed.toString('base64url') !== lst) {
    fail('ERR_STATUS_LIST_INVALID', 'status_list lst is not base64url');
  }
  let inflated: { buffer: Buffer; engine: Zlib };
  try {
    // `info` exposes how much input the stream consumed, so trailing bytes can be refused below.
    inflated = inflateSync(compressed, {
      maxOutputLength: maxBytes,
      info: true,
    }) as unknown as typeof inflated;
  } catch (cause) {
    const tooLarge = (cause as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
    return fail(
      'ERR_STATUS_LIST_INVALID',
      tooLarge
        ? `status_list decompresses to more than ${maxBytes} bytes`
        : 'status_list lst is not zlib data',
      cause,
    );
  }
  // RFC 1950 has nothing after the Adler-32 trailer; extra bytes would give one list many encodings.
  if (inflated.engine.bytesWritten !== compressed.length) {
    fail('ERR_STATUS_LIST_INVALID', 'status_list lst has trailing data');
  }
  return inflated.buffer;
}
