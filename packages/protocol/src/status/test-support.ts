// Test-only helpers for the status list tests: error-code capture, a zlib bomb and a minimal CBOR
// reader for the draft's CBOR examples. Not exported from the barrel.
import { constants, deflateRawSync } from 'node:zlib';
import { isNetidError } from '../errors.ts';

/** The NetidError code `fn` throws, or a description of what happened instead. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return isNetidError(error) ? error.code : `not a NetidError: ${String(error)}`;
  }
  return 'no error';
}

/**
 * A valid zlib stream of `mebibytes` MiB of zeros, built from one 1 MiB raw-DEFLATE segment repeated
 * (each ends byte-aligned after a sync flush and refers to nothing before it), an empty final block,
 * and the right Adler-32. About 1 KiB of input per MiB of output.
 */
export function zlibBomb(mebibytes: number): Buffer {
  const segment = deflateRawSync(Buffer.alloc(1 << 20), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const total = mebibytes * (1 << 20);
  // Adler-32 of n zero bytes: A stays 1, B = n·1 mod 65521.
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(((total % 65521) * 65536 + 1) >>> 0);
  return Buffer.concat([
    Buffer.from([0x78, 0xda]),
    ...Array.from({ length: mebibytes }, () => segment),
    Buffer.from([0x03, 0x00]), // BFINAL=1, fixed Huffman, end-of-block
    trailer,
  ]);
}

export interface CborTag {
  tag: number;
  value: unknown;
}

/** Reads one definite-length CBOR item (RFC 8949 major types 0–7, no floats) filling all of `bytes`. */
export function readCbor(bytes: Uint8Array): unknown {
  const reader = { bytes, at: 0 };
  const value = readItem(reader);
  if (reader.at !== bytes.length) throw new Error('trailing bytes after CBOR item');
  return value;
}

function readItem(r: { bytes: Uint8Array; at: number }): unknown {
  const initial = r.bytes[r.at++]!;
  const major = initial >> 5;
  const n = readArgument(r, initial & 0x1f);
  switch (major) {
    case 0:
      return n;
    case 1:
      return -1 - n;
    case 2:
      r.at += n;
      return r.bytes.subarray(r.at - n, r.at);
    case 3:
      r.at += n;
      return Buffer.from(r.bytes.subarray(r.at - n, r.at)).toString('utf8');
    case 4:
      return Array.from({ length: n }, () => readItem(r));
    case 5: {
      const map = new Map<unknown, unknown>();
      for (let i = 0; i < n; i++) map.set(readItem(r), readItem(r));
      return map;
    }
    case 6:
      return { tag: n, value: readItem(r) } satisfies CborTag;
    default:
      if (n === 20 || n === 21) return n === 21;
      if (n === 22) return null;
      throw new Error(`unsupported CBOR simple value ${n}`);
  }
}

function readArgument(r: { bytes: Uint8Array; at: number }, info: number): number {
  if (info < 24) return info;
  const width = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
  if (width === 0) throw new Error('indefinite lengths are not supported');
  let value = 0;
  for (let i = 0; i < width; i++) value = value * 256 + r.bytes[r.at++]!;
  return value;
}
