// draft-ietf-oauth-status-list conformance, driven by the draft's own examples and its appendix
// "Test vectors for Status List encoding" (../shared/vectors/status-list/token-status-list-vectors.json).
// Compressed strings are never compared: zlib output may differ between implementations, so every
// check is on decompressed bytes and decoded values.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { KeySet } from '../jose/keyset.ts';
import { readVector } from '../testing/vectors.ts';
import { parseStatusReference } from './reference.ts';
import { type StatusBits, StatusList } from './status-list.ts';
import { verifyStatusListJwt } from './status-list-token.ts';
import { type CborTag, codeOf, readCbor } from './test-support.ts';

interface ListVector {
  name: string;
  bits: StatusBits;
  size: number;
  decompressed_bytes: number;
  json: { bits: StatusBits; lst: string };
  cbor_hex: string;
  expected_nonzero: Record<string, number>;
  all_values?: number[];
  byte_array_hex?: string;
}

const vectors = readVector<{
  status_lists: ListVector[];
  tokens: {
    status_list_token_jwt: string;
    status_list_token_jwt_decoded_payload: { iat: number; exp: number; sub: string; ttl: number };
    status_list_token_cwt_hex: string;
    referenced_token_cwt_hex: string;
    issuer_public_jwk: Record<string, unknown>;
  };
}>('status-list/token-status-list-vectors.json');

const fromHex = (hex: string) => Buffer.from(hex, 'hex');
const inflate = (lst: string) => inflateSync(Buffer.from(lst, 'base64url'));

/** The CBOR StatusList map of §4.3 as { bits, lst } with `lst` as raw bytes. */
function cborStatusList(value: unknown): { bits: unknown; lst: Uint8Array } {
  if (!(value instanceof Map)) throw new Error('CBOR StatusList is not a map');
  const lst = value.get('lst');
  if (!(lst instanceof Uint8Array)) throw new Error('CBOR lst is not a byte string');
  return { bits: value.get('bits'), lst };
}

it('the vector file holds the six lists of §4.1 and Appendix C', () => {
  expect(vectors.status_lists.map((v) => [v.bits, v.size])).toEqual([
    [1, 16],
    [2, 12],
    [1, 2 ** 20],
    [2, 2 ** 20],
    [4, 2 ** 20],
    [8, 2 ** 20],
  ]);
});

describe.each(vectors.status_lists)('$name', (v) => {
  const list = StatusList.decode(v.json);

  it('§4.2 Status List in JSON Format: bits and the decompressed byte array', () => {
    expect(list.bits).toBe(v.bits);
    // §4.1 step 2: the byte array holds size·bits/8 bytes, rounded up to whole bytes.
    expect(list.bytes.length).toBe(v.decompressed_bytes);
    expect(list.size).toBe((v.decompressed_bytes * 8) / v.bits);
    expect(list.size).toBeGreaterThanOrEqual(v.size);
    if (v.byte_array_hex) expect(Buffer.from(list.bytes).toString('hex')).toBe(v.byte_array_hex);
  });

  it('§4.1 Compressed Byte Array and §11.1: every listed status, and nothing else, is non-zero', () => {
    for (const [index, value] of Object.entries(v.expected_nonzero)) {
      expect(list.get(Number(index)), `status[${index}]`).toBe(value);
    }
    let nonzero = 0;
    for (let i = 0; i < list.size; i++) if (list.get(i) !== 0) nonzero++;
    expect(nonzero).toBe(Object.keys(v.expected_nonzero).length);
  });

  // Only the two §4.1 worked examples list every value.
  if (v.all_values) {
    it('§4.1: every value of the worked example, in index order', () => {
      const values = Array.from({ length: v.size }, (_, i) => list.get(i));
      expect(values).toEqual(v.all_values);
    });
  }

  it('§4.1: building the list with set() gives the same byte array', () => {
    const built = new StatusList(v.bits, v.size);
    for (const [index, value] of Object.entries(v.expected_nonzero)) built.set(Number(index), value);
    expect(Buffer.from(built.bytes).equals(Buffer.from(list.bytes))).toBe(true);
  });

  it('§4.1 step 4 / §4.2: our encoding decompresses to the same bytes and decodes back', () => {
    const encoded = list.encode();
    expect(encoded.bits).toBe(v.bits);
    expect(encoded.lst).toMatch(/^[A-Za-z0-9_-]+$/); // base64url without padding (§3 Terminology)
    expect(inflate(encoded.lst).equals(inflate(v.json.lst))).toBe(true);
    // zlib data format (RFC 1950) with the highest level: CMF 0x78, FLEVEL 3 in FLG 0xda.
    expect(Buffer.from(encoded.lst, 'base64url').subarray(0, 2).toString('hex')).toBe('78da');
    const again = StatusList.decode(encoded);
    expect(Buffer.from(again.bytes).equals(Buffer.from(list.bytes))).toBe(true);
  });

  it('§4.3 Status List in CBOR Format: the lst byte string decompresses to the same array', () => {
    const cbor = cborStatusList(readCbor(fromHex(v.cbor_hex)));
    expect(cbor.bits).toBe(v.bits);
    expect(inflateSync(cbor.lst).equals(Buffer.from(list.bytes))).toBe(true);
    const viaCbor = StatusList.decode({ bits: cbor.bits, lst: Buffer.from(cbor.lst).toString('base64url') });
    expect(Buffer.from(viaCbor.bytes).equals(Buffer.from(list.bytes))).toBe(true);
  });
});

describe('§5.1 Status List Token in JWT Format (the draft example, ES256, kid 12)', () => {
  const t = vectors.tokens;
  const keys = new KeySet({ keys: [t.issuer_public_jwk] });
  const claims = t.status_list_token_jwt_decoded_payload;
  // Frozen clock: issued 2023, expires 2042; pinning `now` keeps the test independent of the date.
  const now = claims.iat + 3600;

  it('verifies with the issuer key and yields the §4.1 one-bit list', () => {
    const verified = verifyStatusListJwt(t.status_list_token_jwt, keys, { now, uri: claims.sub });
    expect(verified).toMatchObject({ uri: claims.sub, iat: claims.iat, exp: claims.exp, ttl: claims.ttl });
    expect(Buffer.from(verified.list.bytes).toString('hex')).toBe('b9a3');
    expect([0, 1, 2, 3].map((i) => verified.list.get(i))).toEqual([1, 0, 0, 1]);
  });

  it('§5.1 rule 2: a tampered payload or signature is rejected', () => {
    const [header, payload, signature] = t.status_list_token_jwt.split('.') as [string, string, string];
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    // Flip the list to all-valid: exactly the forgery a revoked holder would want.
    const forged = Buffer.from(JSON.stringify({ ...decoded, status_list: new StatusList(1, 16).encode() }));
    expect(
      codeOf(() =>
        verifyStatusListJwt(`${header}.${forged.toString('base64url')}.${signature}`, keys, { now }),
      ),
    ).toBe('ERR_JWS_SIGNATURE_INVALID');
    const sig = Buffer.from(signature, 'base64url');
    sig[10]! ^= 1;
    expect(
      codeOf(() => verifyStatusListJwt(`${header}.${payload}.${sig.toString('base64url')}`, keys, { now })),
    ).toBe('ERR_JWS_SIGNATURE_INVALID');
  });

  it('§8.3 step 4a: sub must equal the Referenced Token uri', () => {
    const options = { now, uri: 'https://example.com/statuslists/2' };
    expect(codeOf(() => verifyStatusListJwt(t.status_list_token_jwt, keys, options))).toBe(
      'ERR_STATUS_LIST_INVALID',
    );
  });

  it('§8.3 step 4c: expired after exp', () => {
    expect(codeOf(() => verifyStatusListJwt(t.status_list_token_jwt, keys, { now: claims.exp + 3600 }))).toBe(
      'ERR_JWT_EXPIRED',
    );
  });
});

describe('CBOR examples (§5.2, §6.3.1), read with a minimal CBOR reader; COSE signatures are not checked', () => {
  const t = vectors.tokens;

  it('§5.2: the CWT Status List Token carries the same list under claim 65533 with sub under 2', () => {
    const sign1 = readCbor(fromHex(t.status_list_token_cwt_hex)) as CborTag;
    expect(sign1.tag).toBe(18); // COSE_Sign1_Tagged
    const claims = readCbor((sign1.value as Uint8Array[])[2]!) as Map<number, unknown>;
    expect(claims.get(2)).toBe(t.status_list_token_jwt_decoded_payload.sub);
    const cbor = cborStatusList(claims.get(65533));
    expect(inflateSync(cbor.lst).toString('hex')).toBe('b9a3');
  });

  it('§6.3.1: the CWT Referenced Token status claim (65535) gives idx 0 and the list uri', () => {
    const sign1 = readCbor(fromHex(t.referenced_token_cwt_hex)) as CborTag;
    const claims = readCbor((sign1.value as Uint8Array[])[2]!) as Map<number, unknown>;
    const status = claims.get(65535) as Map<string, Map<string, unknown>>;
    const statusList = Object.fromEntries(status.get('status_list')!);
    expect(parseStatusReference({ status: { status_list: statusList } })).toEqual({
      idx: 0,
      uri: 'https://example.com/statuslists/1',
    });
  });
});
