import { fail } from '../errors.ts';
import { isPlainObject } from '../jose/base64url.ts';
import { compressStatusBytes, DEFAULT_MAX_BYTES, decodeLst } from './compression.ts';

export type StatusBits = 1 | 2 | 4 | 8;

/** The JSON `status_list` claim (draft-ietf-oauth-status-list §4.2). */
export interface StatusListClaim {
  bits: StatusBits;
  lst: string;
  aggregation_uri?: string;
}

export interface StatusListDecodeOptions {
  /** Cap on the decompressed byte array; the default (32 MiB) holds 268 M one-bit entries. */
  maxBytes?: number;
}

export interface StatusListEncodeOptions {
  /** zlib level; §4.1 recommends the highest (9, the default). Lower levels trade size for speed. */
  level?: number;
}

/** Indices must stay below 2^32 so that `>>>` in the hot path never wraps. */
const MAX_SIZE = 2 ** 32;

// log2(entries per byte): index >>> SHIFT[bits] is the byte that holds the entry.
const SHIFT: Record<StatusBits, number> = { 1: 3, 2: 2, 4: 1, 8: 0 };

export function isStatusBits(value: unknown): value is StatusBits {
  return value === 1 || value === 2 || value === 4 || value === 8;
}

/**
 * A Token Status List (§4.1): `size` entries of `bits` bits packed LSB-first, so entry i lives in
 * byte ⌊i·bits/8⌋ at bit offset (i mod 8/bits)·bits (§11.1 warns this is the classic mistake).
 */
export class StatusList {
  readonly bits: StatusBits;
  readonly size: number;
  readonly bytes: Uint8Array;
  private readonly shift: number;
  private readonly slotMask: number;
  private readonly valueMask: number;

  constructor(bits: StatusBits, size: number) {
    if (!isStatusBits(bits)) fail('ERR_STATUS_LIST_INVALID', 'bits must be 1, 2, 4 or 8');
    if (!Number.isSafeInteger(size) || size < 1 || size > MAX_SIZE) {
      fail('ERR_STATUS_LIST_INVALID', `size must be an integer from 1 to ${MAX_SIZE}`);
    }
    this.bits = bits;
    this.size = size;
    this.shift = SHIFT[bits];
    this.slotMask = 8 / bits - 1;
    this.valueMask = (1 << bits) - 1;
    try {
      this.bytes = new Uint8Array(Math.ceil((size * bits) / 8));
    } catch (cause) {
      fail('ERR_STATUS_LIST_INVALID', 'status list is too large to allocate', cause);
    }
  }

  /** A list over a decompressed byte array; every bit is an entry, so size = bytes·8/bits. */
  static fromBytes(bits: StatusBits, bytes: Uint8Array): StatusList {
    if (!isStatusBits(bits)) fail('ERR_STATUS_LIST_INVALID', 'bits must be 1, 2, 4 or 8');
    if (!(bytes instanceof Uint8Array)) fail('ERR_STATUS_LIST_INVALID', 'status list bytes must be bytes');
    if (bytes.length === 0) fail('ERR_STATUS_LIST_INVALID', 'status list is empty');
    const list = new StatusList(bits, (bytes.length * 8) / bits);
    list.bytes.set(bytes);
    return list;
  }

  /**
   * Parses and decompresses a `status_list` claim (§4.2). The decompressed size is capped before
   * any memory is committed to it, so a small `lst` cannot expand into gigabytes (a zlib bomb).
   */
  static decode(claim: unknown, options: StatusListDecodeOptions = {}): StatusList {
    if (!isPlainObject(claim)) fail('ERR_STATUS_LIST_INVALID', 'status_list is not a JSON object');
    const { bits, lst, aggregation_uri } = claim;
    if (!isStatusBits(bits)) fail('ERR_STATUS_LIST_INVALID', 'status_list bits must be 1, 2, 4 or 8');
    if (typeof lst !== 'string') fail('ERR_STATUS_LIST_INVALID', 'status_list lst must be a string');
    if (aggregation_uri !== undefined && typeof aggregation_uri !== 'string') {
      fail('ERR_STATUS_LIST_INVALID', 'status_list aggregation_uri must be a string');
    }
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    return StatusList.fromBytes(bits, decodeLst(lst, maxBytes));
  }

  get(index: number): number {
    this.checkIndex(index);
    return (this.bytes[index >>> this.shift]! >>> ((index & this.slotMask) * this.bits)) & this.valueMask;
  }

  set(index: number, value: number): void {
    this.checkIndex(index);
    if (!Number.isInteger(value) || value < 0 || value > this.valueMask) {
      fail('ERR_STATUS_LIST_INVALID', `status value must be an integer from 0 to ${this.valueMask}`);
    }
    const at = index >>> this.shift;
    const offset = (index & this.slotMask) * this.bits;
    this.bytes[at] = (this.bytes[at]! & ~(this.valueMask << offset)) | (value << offset);
  }

  /** The `status_list` claim: zlib (RFC 1950) DEFLATE, then base64url without padding (§4.1, §4.2). */
  encode(options: StatusListEncodeOptions = {}): { bits: StatusBits; lst: string } {
    return { bits: this.bits, lst: compressStatusBytes(this.bytes, options.level ?? 9) };
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      fail(
        'ERR_STATUS_INDEX_OUT_OF_RANGE',
        `status index ${typeof index === 'number' ? index : typeof index} is outside the list (size ${this.size})`,
      );
    }
  }
}
