// Every way a presentation can be wrong ends in a NetidError with a stable code, never a crash.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeBase64url } from '../jose/base64url.ts';
import { signJws } from '../jose/jws.ts';
import { generateSigningKey } from '../jose/keys.ts';
import { AUDIENCE, certificateFixture, NOW } from '../testing/fixtures.ts';
import { createDisclosure } from './disclosure.ts';
import { presentSdJwt } from './present.ts';
import { type VerifyOptions, verifySdJwt } from './verify.ts';

const NONCE = 'bad-input-nonce';
const f = certificateFixture();
const kbOptions: VerifyOptions = { keys: f.keys, now: NOW, keyBinding: { audience: AUDIENCE, nonce: NONCE } };
const plain: VerifyOptions = { keys: f.keys, now: NOW, keyBinding: false };

function present(sdJwt = f.sdJwt, iat = NOW, key = f.holderKey): string {
  return presentSdJwt(sdJwt, {
    disclose: { name: true },
    keyBinding: { key, audience: AUDIENCE, nonce: NONCE, iat },
  });
}

/** An SD-JWT whose issuer-signed part we craft by hand, with the given disclosures appended. */
function crafted(payload: Record<string, unknown>, disclosures: string[] = [], header: object = {}): string {
  const jwt = signJws({ typ: 'dc+sd-jwt', kid: f.issuerKey.kid, ...header }, payload, f.issuerKey);
  return `${jwt}~${disclosures.map((d) => `${d}~`).join('')}`;
}

const base = { iss: 'https://id.example.gov', iat: NOW, exp: NOW + 3600, vct: 'urn:netid:certificate:1' };
const good = present();
const [jwt, ...rest] = good.split('~');
const [headerB64, payloadB64] = jwt!.split('.');
const nameDisclosure = createDisclosure('name', '张伟');

const cases: [string, () => string, VerifyOptions, string][] = [
  ['empty input', () => '', plain, 'ERR_MALFORMED'],
  ['no ~ at all', () => jwt!, plain, 'ERR_MALFORMED'],
  ['truncated JWS', () => `${jwt!.slice(0, 40)}~`, plain, 'ERR_MALFORMED'],
  ['truncated presentation', () => good.slice(0, good.length - 30), kbOptions, 'ERR_KB_SIGNATURE_INVALID'],
  [
    'bad base64url in the header',
    () => `${headerB64}*.${payloadB64}.${jwt!.split('.')[2]}~`,
    plain,
    'ERR_MALFORMED',
  ],
  ['header is not JSON', () => `${encodeBase64url('{oops')}.${payloadB64}.AA~`, plain, 'ERR_MALFORMED'],
  [
    'alg none',
    () => `${encodeBase64url('{"alg":"none","typ":"dc+sd-jwt"}')}.${payloadB64}.~`,
    plain,
    'ERR_JWS_ALG_NOT_ALLOWED',
  ],
  [
    'HS256 signed with the public key as the secret',
    () => {
      const h = encodeBase64url(JSON.stringify({ alg: 'HS256', typ: 'dc+sd-jwt', kid: f.issuerKey.kid }));
      const mac = createHmac('sha256', JSON.stringify(f.issuerKey.publicJwk))
        .update(`${h}.${payloadB64}`)
        .digest('base64url');
      return `${h}.${payloadB64}.${mac}~`;
    },
    plain,
    'ERR_JWS_ALG_NOT_ALLOWED',
  ],
  ['wrong typ', () => crafted(base, [], { typ: 'JWT' }), plain, 'ERR_JWS_TYP_INVALID'],
  ['unknown kid', () => crafted(base, [], { kid: 'nobody' }), plain, 'ERR_JWKS_NO_MATCHING_KEY'],
  [
    'signed by another key under our kid',
    () => {
      const other = generateSigningKey();
      return `${signJws({ typ: 'dc+sd-jwt', kid: f.issuerKey.kid }, base, other)}~`;
    },
    plain,
    'ERR_JWS_SIGNATURE_INVALID',
  ],
  [
    'payload swapped after signing',
    () => `${headerB64}.${encodeBase64url(JSON.stringify(base))}.${jwt!.split('.')[2]}~`,
    plain,
    'ERR_JWS_SIGNATURE_INVALID',
  ],
  ['oversized', () => `${good}${'A'.repeat(70_000)}`, kbOptions, 'ERR_INPUT_TOO_LARGE'],
  ['expired', () => crafted({ ...base, exp: NOW - 3600 }), plain, 'ERR_JWT_EXPIRED'],
  ['not yet valid', () => crafted({ ...base, nbf: NOW + 3600 }), plain, 'ERR_JWT_NOT_YET_VALID'],
  ['issued in the future', () => crafted({ ...base, iat: NOW + 3600 }), plain, 'ERR_JWT_IAT_IN_FUTURE'],
  ['exp is not a number', () => crafted({ ...base, exp: 'tomorrow' }), plain, 'ERR_JWT_CLAIM_INVALID'],
  ['SD-JWT VC without vct', () => crafted({ iss: base.iss, iat: NOW }), plain, 'ERR_JWT_CLAIM_INVALID'],
  ['_sd_alg sha-512', () => crafted({ ...base, _sd_alg: 'sha-512' }), plain, 'ERR_SD_ALG_UNSUPPORTED'],
  ['duplicate disclosure', () => `${jwt}~${rest[0]}~${rest[0]}~`, plain, 'ERR_SD_DISCLOSURE_DUPLICATE'],
  [
    'unreferenced disclosure',
    () => `${jwt}~${createDisclosure('name', '王芳').encoded}~`,
    plain,
    'ERR_SD_DISCLOSURE_UNREFERENCED',
  ],
  ['disclosure not base64url JSON', () => `${jwt}~%%%~`, plain, 'ERR_SD_DISCLOSURE_MALFORMED'],
  [
    'disclosure with 4 elements',
    () => `${jwt}~${encodeBase64url('["s","a","b","c"]')}~`,
    plain,
    'ERR_SD_DISCLOSURE_MALFORMED',
  ],
  [
    'disclosure named _sd',
    () => `${jwt}~${encodeBase64url('["salt","_sd",["x"]]')}~`,
    plain,
    'ERR_SD_DISCLOSURE_MALFORMED',
  ],
  [
    'the same digest twice in the payload',
    () => crafted({ ...base, _sd: [nameDisclosure.digest, nameDisclosure.digest] }, [nameDisclosure.encoded]),
    plain,
    'ERR_SD_DIGEST_DUPLICATE',
  ],
  [
    'a digest both in _sd and in an array',
    () => crafted({ ...base, _sd: [nameDisclosure.digest], list: [{ '...': nameDisclosure.digest }] }),
    plain,
    'ERR_SD_DIGEST_DUPLICATE',
  ],
  [
    'disclosed name collides with a plain claim',
    () => crafted({ ...base, name: 'plain', _sd: [nameDisclosure.digest] }, [nameDisclosure.encoded]),
    plain,
    'ERR_SD_CLAIM_COLLISION',
  ],
  [
    'array-element disclosure referenced from _sd',
    () => {
      const d = createDisclosure(undefined, 'CN');
      return crafted({ ...base, _sd: [d.digest] }, [d.encoded]);
    },
    plain,
    'ERR_SD_DISCLOSURE_MALFORMED',
  ],
  [
    'object disclosure referenced from an array',
    () => crafted({ ...base, list: [{ '...': nameDisclosure.digest }] }, [nameDisclosure.encoded]),
    plain,
    'ERR_SD_DISCLOSURE_MALFORMED',
  ],
  ['_sd is not an array', () => crafted({ ...base, _sd: 'x' }), plain, 'ERR_MALFORMED'],
  ['key binding missing', () => `${jwt}~${rest[0]}~`, kbOptions, 'ERR_KB_MISSING'],
  ['no cnf to bind to', () => `${crafted(base)}x.y.z`, kbOptions, 'ERR_KB_CNF_MISSING'],
  [
    'KB-JWT signed by another device',
    () => present(f.sdJwt, NOW, generateSigningKey()),
    kbOptions,
    'ERR_KB_SIGNATURE_INVALID',
  ],
  [
    'KB-JWT with wrong typ',
    () =>
      `${jwt}~${rest[0]}~${signJws({ typ: 'JWT' }, { iat: NOW, aud: AUDIENCE, nonce: NONCE }, f.holderKey)}`,
    kbOptions,
    'ERR_KB_TYP_INVALID',
  ],
  [
    'wrong nonce',
    () => good,
    { ...kbOptions, keyBinding: { audience: AUDIENCE, nonce: 'other' } },
    'ERR_KB_NONCE_MISMATCH',
  ],
  [
    'wrong audience',
    () => good,
    { ...kbOptions, keyBinding: { audience: 'https://b.example', nonce: NONCE } },
    'ERR_KB_AUD_MISMATCH',
  ],
  ['KB-JWT too old', () => present(f.sdJwt, NOW - 3600), kbOptions, 'ERR_KB_IAT_INVALID'],
  ['KB-JWT from the future', () => present(f.sdJwt, NOW + 3600), kbOptions, 'ERR_KB_IAT_INVALID'],
  [
    'disclosure removed after key binding (sd_hash)',
    () => {
      const full = presentSdJwt(f.sdJwt, {
        disclose: { name: true, birthdate: true },
        keyBinding: { key: f.holderKey, audience: AUDIENCE, nonce: NONCE, iat: NOW },
      });
      const parts = full.split('~');
      return [parts[0], parts[1], parts[3]].join('~');
    },
    kbOptions,
    'ERR_KB_SD_HASH_MISMATCH',
  ],
];

describe('verifySdJwt refuses bad input with a stable code', () => {
  it('accepts the untouched presentation (control)', () => {
    expect(verifySdJwt(good, kbOptions).claims.name).toBe('张伟');
  });
  for (const [name, make, options, code] of cases) {
    it(`${name} → ${code}`, () => {
      expect(() => verifySdJwt(make(), options)).toThrow(
        expect.objectContaining({ name: 'NetidError', code }),
      );
    });
  }
  it('does not let a __proto__ disclosure change the prototype of the claims', () => {
    const d = createDisclosure('__proto__', { admin: true });
    const result = verifySdJwt(crafted({ ...base, _sd: [d.digest] }, [d.encoded]), plain);
    expect(Object.getPrototypeOf(result.claims)).toBe(Object.prototype);
    expect((result.claims as { admin?: boolean }).admin).toBeUndefined();
  });
});
