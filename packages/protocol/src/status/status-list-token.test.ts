// Status List Tokens we sign and verify (draft-ietf-oauth-status-list §5.1, §8.3). The draft's own
// example token is checked in vectors.test.ts.
import { describe, expect, it } from 'vitest';
import { encodeBase64url } from '../jose/base64url.ts';
import { parseJws, signJws } from '../jose/jws.ts';
import { generateSigningKey, type SigningKey } from '../jose/keys.ts';
import { KeySet } from '../jose/keyset.ts';
import { StatusList } from './status-list.ts';
import { signStatusListJwt, verifyStatusListJwt } from './status-list-token.ts';
import { codeOf, zlibBomb } from './test-support.ts';

const URI = 'https://id.example.gov/status/7';
const NOW = 1_790_000_000;
const key = generateSigningKey('ES256');
const keys = new KeySet({ keys: [key.publicJwk] });

function revokedList(): StatusList {
  const list = new StatusList(2, 1000);
  list.set(17, 1);
  list.set(999, 2);
  return list;
}

/** A JWS over an arbitrary header and payload, signed by `signer`: for claims signStatusListJwt refuses. */
function handSigned(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signer: SigningKey = key,
) {
  return signJws({ typ: 'statuslist+jwt', kid: signer.kid, ...header }, payload, signer);
}

const validPayload = () => ({
  sub: URI,
  iat: NOW - 10,
  exp: NOW + 3600,
  status_list: revokedList().encode(),
});

describe('signStatusListJwt / verifyStatusListJwt round trip', () => {
  it.each(['ES256', 'EdDSA'] as const)('%s: header, claims and list survive (§5.1)', (alg) => {
    const signer = generateSigningKey(alg);
    const token = signStatusListJwt(
      { uri: URI, list: revokedList(), iat: NOW, exp: NOW + 86400, ttl: 3600 },
      signer,
    );
    const { header, payload } = parseJws(token);
    expect(header).toEqual({ alg, typ: 'statuslist+jwt', kid: signer.kid });
    expect(payload).toMatchObject({
      sub: URI,
      iat: NOW,
      exp: NOW + 86400,
      ttl: 3600,
      status_list: { bits: 2 },
    });
    const verified = verifyStatusListJwt(token, new KeySet({ keys: [signer.publicJwk] }), {
      now: NOW,
      uri: URI,
    });
    expect(verified).toMatchObject({ uri: URI, iat: NOW, exp: NOW + 86400, ttl: 3600 });
    expect([verified.list.get(0), verified.list.get(17), verified.list.get(999)]).toEqual([0, 1, 2]);
  });

  it('omits exp and ttl when not given, and defaults iat to now', () => {
    const before = Math.floor(Date.now() / 1000);
    const { payload } = parseJws(signStatusListJwt({ uri: URI, list: revokedList() }, key));
    expect(Object.keys(payload).sort()).toEqual(['iat', 'status_list', 'sub']);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    const verified = verifyStatusListJwt(signStatusListJwt({ uri: URI, list: revokedList() }, key), keys);
    expect(verified.exp).toBeUndefined();
    expect(verified.ttl).toBeUndefined();
  });

  it('accepts typ application/statuslist+jwt (RFC 7515 §4.1.9 prefix rule)', () => {
    const token = handSigned({ typ: 'application/statuslist+jwt' }, validPayload());
    expect(verifyStatusListJwt(token, keys, { now: NOW }).uri).toBe(URI);
  });

  it.each([
    ['a relative uri', { uri: 'statuslists/1' }],
    ['a uri with a space', { uri: 'https://id.example.gov/status 1' }],
    ['ttl 0', { ttl: 0 }],
    ['ttl negative', { ttl: -5 }],
    ['exp not a number', { exp: 'tomorrow' as unknown as number }],
    ['iat NaN', { iat: Number.NaN }],
    ['list not a StatusList', { list: { bits: 1, lst: '' } as unknown as StatusList }],
  ])('refuses to sign with %s', (_name, override) => {
    const input = { uri: URI, list: revokedList(), iat: NOW, ...override };
    expect(codeOf(() => signStatusListJwt(input, key))).toBe('ERR_STATUS_LIST_INVALID');
  });
});

describe('verifyStatusListJwt refuses', () => {
  const good = signStatusListJwt({ uri: URI, list: revokedList(), iat: NOW - 10, exp: NOW + 3600 }, key);
  const other = generateSigningKey('ES256');
  const [goodHeader, goodPayload] = good.split('.') as [string, string];

  it.each<[string, () => string, string]>([
    ['§5.1 typ JWT', () => handSigned({ typ: 'JWT' }, validPayload()), 'ERR_JWS_TYP_INVALID'],
    ['§5.1 typ missing', () => handSigned({ typ: undefined }, validPayload()), 'ERR_JWS_TYP_INVALID'],
    [
      '§5.1 typ of an SD-JWT VC',
      () => handSigned({ typ: 'dc+sd-jwt' }, validPayload()),
      'ERR_JWS_TYP_INVALID',
    ],
    [
      '§5.1 rule 2 alg none',
      () => `${encodeBase64url('{"alg":"none","typ":"statuslist+jwt"}')}.${goodPayload}.`,
      'ERR_JWS_ALG_NOT_ALLOWED',
    ],
    [
      '§5.1 rule 2 alg none with a signature part',
      () => `${encodeBase64url('{"alg":"none","typ":"statuslist+jwt"}')}.${goodPayload}.AAAA`,
      'ERR_JWS_ALG_NOT_ALLOWED',
    ],
    [
      '§11.2 (RFC 8725) HS256 with the public key as secret',
      () =>
        `${encodeBase64url(JSON.stringify({ alg: 'HS256', typ: 'statuslist+jwt', kid: key.kid }))}.${goodPayload}.AAAA`,
      'ERR_JWS_ALG_NOT_ALLOWED',
    ],
    [
      '§5.1 rule 2 a key that is not the issuer’s',
      () => handSigned({ kid: key.kid }, validPayload(), other),
      'ERR_JWS_SIGNATURE_INVALID',
    ],
    ['an unknown kid', () => handSigned({}, validPayload(), other), 'ERR_JWKS_NO_MATCHING_KEY'],
    [
      'a header from another token',
      () => `${goodHeader}.${encodeBase64url('{"sub":"x"}')}.${good.split('.')[2]}`,
      'ERR_JWS_SIGNATURE_INVALID',
    ],
    ['§8.3 step 4c expired', () => handSigned({}, { ...validPayload(), exp: NOW - 3600 }), 'ERR_JWT_EXPIRED'],
    [
      'RFC 7519 §4.1.5 not yet valid',
      () => handSigned({}, { ...validPayload(), nbf: NOW + 3600 }),
      'ERR_JWT_NOT_YET_VALID',
    ],
    [
      'iat in the future',
      () => handSigned({}, { ...validPayload(), iat: NOW + 3600 }),
      'ERR_JWT_IAT_IN_FUTURE',
    ],
    [
      '§5.1 iat missing',
      () => handSigned({}, { ...validPayload(), iat: undefined }),
      'ERR_JWT_CLAIM_INVALID',
    ],
    [
      '§5.1 iat a string',
      () => handSigned({}, { ...validPayload(), iat: '1790000000' }),
      'ERR_JWT_CLAIM_INVALID',
    ],
    [
      '§5.1 sub missing',
      () => handSigned({}, { ...validPayload(), sub: undefined }),
      'ERR_JWT_CLAIM_INVALID',
    ],
    ['§5.1 sub not a string', () => handSigned({}, { ...validPayload(), sub: 7 }), 'ERR_JWT_CLAIM_INVALID'],
    ['§5.1 ttl zero', () => handSigned({}, { ...validPayload(), ttl: 0 }), 'ERR_JWT_CLAIM_INVALID'],
    ['§5.1 ttl a string', () => handSigned({}, { ...validPayload(), ttl: '60' }), 'ERR_JWT_CLAIM_INVALID'],
    [
      '§5.1 status_list missing',
      () => handSigned({}, { ...validPayload(), status_list: undefined }),
      'ERR_STATUS_LIST_INVALID',
    ],
    [
      '§4.2 status_list bits 3',
      () => handSigned({}, { ...validPayload(), status_list: { bits: 3, lst: 'eNrbuRgAAhcBXQ' } }),
      'ERR_STATUS_LIST_INVALID',
    ],
    ['not a JWS', () => 'statuslist', 'ERR_MALFORMED'],
  ])('%s', (_name, token, code) => {
    expect(codeOf(() => verifyStatusListJwt(token(), keys, { now: NOW }))).toBe(code);
  });

  it('§8.3 step 4a a sub other than the Referenced Token uri', () => {
    expect(codeOf(() => verifyStatusListJwt(good, keys, { now: NOW, uri: `${URI}0` }))).toBe(
      'ERR_STATUS_LIST_INVALID',
    );
  });

  it('a non-string token', () => {
    expect(codeOf(() => verifyStatusListJwt(42 as unknown as string, keys))).toBe('ERR_MALFORMED');
  });

  it('a decompression bomb even when the issuer signed it, within the cap', () => {
    const bomb = handSigned(
      {},
      { ...validPayload(), status_list: { bits: 1, lst: zlibBomb(64).toString('base64url') } },
    );
    expect(codeOf(() => verifyStatusListJwt(bomb, keys, { now: NOW }))).toBe('ERR_STATUS_LIST_INVALID');
    expect(codeOf(() => verifyStatusListJwt(bomb, keys, { now: NOW, maxBytes: 1 << 20 }))).toBe(
      'ERR_STATUS_LIST_INVALID',
    );
  });
});
