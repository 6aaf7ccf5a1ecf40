import { constants as bufferConstants } from 'node:buffer';
// StatusList behaviour beyond the spec vectors: packing, bounds, and every malformed `status_list`
// a hostile or broken Status Provider could serve (draft-ietf-oauth-status-list §4, §8.3, §11.1).
import { deflateRawSync, deflateSync, gzipSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type StatusBits, StatusList } from './status-list.ts';
import { codeOf, zlibBomb } from './test-support.ts';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const BITS: StatusBits[] = [1, 2, 4, 8];

describe('§4.1 Compressed Byte Array: packing', () => {
  it('stores each entry LSB-first in byte ⌊i·bits/8⌋ (§11.1)', () => {
    const one = new StatusList(1, 16);
    one.set(1, 1);
    one.set(8, 1);
    expect([...one.bytes]).toEqual([0b0000_0010, 0b0000_0001]);
    const two = new StatusList(2, 8);
    two.set(1, 3);
    two.set(6, 2);
    expect([...two.bytes]).toEqual([0b0000_1100, 0b0010_0000]);
    const four = new StatusList(4, 4);
    four.set(1, 0xa);
    four.set(2, 0x5);
    expect([...four.bytes]).toEqual([0xa0, 0x05]);
  });

  it('rounds the byte array up to whole bytes and refuses indices past size (§4.1 step 2–3)', () => {
    const list = new StatusList(1, 10);
    expect(list.bytes.length).toBe(2);
    list.set(9, 1);
    expect(list.get(9)).toBe(1);
    expect(codeOf(() => list.get(10))).toBe('ERR_STATUS_INDEX_OUT_OF_RANGE');
  });

  it.each(BITS)('set() overwrites one %i-bit entry and leaves its neighbours alone', (bits) => {
    const max = (1 << bits) - 1;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: max })), { maxLength: 200 }),
        (size, writes) => {
          const list = new StatusList(bits, size);
          const model = new Array<number>(size).fill(0);
          for (const [raw, value] of writes) {
            list.set(raw % size, value);
            model[raw % size] = value;
          }
          expect(Array.from({ length: size }, (_, i) => list.get(i))).toEqual(model);
          // The round trip through the claim keeps every value (§4.2).
          const decoded = StatusList.decode(list.encode());
          expect(Array.from({ length: size }, (_, i) => decoded.get(i))).toEqual(model);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('encodes with zlib at the highest level by default (§4.1 step 4) and honours a lower one', () => {
    const list = new StatusList(1, 4096);
    list.set(4000, 1);
    const best = Buffer.from(list.encode().lst, 'base64url');
    expect(best[1]! >> 6).toBe(3); // RFC 1950 FLEVEL 3: maximum compression
    const fast = Buffer.from(list.encode({ level: 1 }).lst, 'base64url');
    expect(fast[1]! >> 6).toBe(0);
    expect(inflateSync(fast).equals(inflateSync(best))).toBe(true);
    expect(codeOf(() => list.encode({ level: 10 }))).toBe('ERR_STATUS_LIST_INVALID');
  });

  it('fromBytes copies, so later changes to the source do not alter the list', () => {
    const source = new Uint8Array([0xff]);
    const list = StatusList.fromBytes(2, source);
    source[0] = 0;
    expect(list.size).toBe(4);
    expect(list.get(3)).toBe(3);
  });
});

describe('bounds and arguments', () => {
  it.each([
    ['bits 3', () => new StatusList(3 as StatusBits, 8)],
    ['bits 16', () => new StatusList(16 as StatusBits, 8)],
    ['size 0', () => new StatusList(1, 0)],
    ['size -1', () => new StatusList(1, -1)],
    ['size 1.5', () => new StatusList(1, 1.5)],
    ['size NaN', () => new StatusList(1, Number.NaN)],
    ['size above 2^32', () => new StatusList(1, 2 ** 32 + 1)],
    ['fromBytes empty', () => StatusList.fromBytes(1, new Uint8Array())],
    ['fromBytes not bytes', () => StatusList.fromBytes(1, [1, 2] as unknown as Uint8Array)],
    ['set 2 into 1 bit', () => new StatusList(1, 8).set(0, 2)],
    ['set 256 into 8 bits', () => new StatusList(8, 8).set(0, 256)],
    ['set -1', () => new StatusList(2, 8).set(0, -1)],
    ['set 1.5', () => new StatusList(2, 8).set(0, 1.5)],
  ])('%s → ERR_STATUS_LIST_INVALID', (_name, fn) => {
    expect(codeOf(fn)).toBe('ERR_STATUS_LIST_INVALID');
  });

  it.each([-1, 8, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '0' as unknown as number])(
    'index %s → ERR_STATUS_INDEX_OUT_OF_RANGE (§8.3 step 6: out of bounds, no statement)',
    (index) => {
      const list = new StatusList(1, 8);
      expect(codeOf(() => list.get(index))).toBe('ERR_STATUS_INDEX_OUT_OF_RANGE');
      expect(codeOf(() => list.set(index, 1))).toBe('ERR_STATUS_INDEX_OUT_OF_RANGE');
    },
  );
});

describe('§4.2 Status List in JSON Format: malformed claims are refused', () => {
  const good = new StatusList(1, 64).encode();

  it('accepts the optional aggregation_uri (§4.2, §9.2)', () => {
    expect(StatusList.decode({ ...good, aggregation_uri: 'https://example.com/statuslists' }).size).toBe(64);
  });

  it.each([
    ['not an object', null],
    ['an array', [good]],
    ['a string', JSON.stringify(good)],
    ['bits missing', { lst: good.lst }],
    ['bits 0', { ...good, bits: 0 }],
    ['bits 3', { ...good, bits: 3 }],
    ['bits 16', { ...good, bits: 16 }],
    ['bits as a string', { ...good, bits: '1' }],
    ['lst missing', { bits: 1 }],
    ['lst a number', { bits: 1, lst: 7 }],
    ['lst with padding', { bits: 1, lst: `${b64(deflateSync(Buffer.alloc(2)))}=` }],
    [
      'lst in base64 (not url) alphabet',
      { bits: 1, lst: b64(deflateSync(Buffer.alloc(300, 0xfb))).replace(/_/g, '/') },
    ],
    ['lst with a space', { bits: 1, lst: `eNrb uRgAAhcBXQ` }],
    ['lst with stray low bits', { bits: 1, lst: 'eNrbuRgAAhcBXR' }],
    ['lst of impossible length', { bits: 1, lst: 'eNrbu' }],
    ['aggregation_uri a number', { ...good, aggregation_uri: 1 }],
  ])('%s → ERR_STATUS_LIST_INVALID', (_name, claim) => {
    expect(codeOf(() => StatusList.decode(claim))).toBe('ERR_STATUS_LIST_INVALID');
  });

  it.each([
    ['random bytes', Buffer.from('not zlib at all, just text')],
    ['raw DEFLATE without the zlib header (RFC 1950 is required by §4.1)', deflateRawSync(Buffer.alloc(8))],
    ['gzip instead of zlib', gzipSync(Buffer.alloc(8))],
    ['a truncated stream', deflateSync(Buffer.alloc(64, 7)).subarray(0, 6)],
    ['a bad Adler-32', Buffer.concat([deflateSync(Buffer.alloc(8)).subarray(0, -1), Buffer.from([0])])],
    ['data after the stream', Buffer.concat([deflateSync(Buffer.alloc(8)), Buffer.from([0])])],
    ['an empty byte array', deflateSync(Buffer.alloc(0))],
    ['nothing at all', Buffer.alloc(0)],
  ])('zlib garbage: %s → ERR_STATUS_LIST_INVALID', (_name, compressed) => {
    expect(codeOf(() => StatusList.decode({ bits: 1, lst: b64(compressed) }))).toBe(
      'ERR_STATUS_LIST_INVALID',
    );
  });
});

describe('decompression bombs (§8.3 step 5 decompresses untrusted-size input)', () => {
  it('the bomb builder makes a valid zlib stream of zeros', () => {
    const out = inflateSync(zlibBomb(4));
    expect(out.length).toBe(4 << 20);
    expect(out.every((byte) => byte === 0)).toBe(true);
  });

  it('refuses 1 GiB of zeros at the default 32 MiB cap, quickly', () => {
    const lst = b64(zlibBomb(1024));
    expect(lst.length).toBeLessThan(2 << 20);
    const started = performance.now();
    expect(codeOf(() => StatusList.decode({ bits: 1, lst }))).toBe('ERR_STATUS_LIST_INVALID');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('applies a caller cap exactly: maxBytes bytes pass, one more fails', () => {
    const claim = new StatusList(8, 1000).encode();
    expect(StatusList.decode(claim, { maxBytes: 1000 }).size).toBe(1000);
    expect(codeOf(() => StatusList.decode(claim, { maxBytes: 999 }))).toBe('ERR_STATUS_LIST_INVALID');
    expect(codeOf(() => StatusList.decode(claim, { maxBytes: 0 }))).toBe('ERR_STATUS_LIST_INVALID');
    // Past what a Buffer can hold (2^32 on Node 20, 2^53−1 on Node 22).
    expect(codeOf(() => StatusList.decode(claim, { maxBytes: bufferConstants.MAX_LENGTH + 1 }))).toBe(
      'ERR_STATUS_LIST_INVALID',
    );
  });
});
