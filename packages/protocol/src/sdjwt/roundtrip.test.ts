import { describe, expect, it } from 'vitest';
import { decodeBase64url } from '../jose/base64url.ts';
import { AUDIENCE, certificateFixture, NOW } from '../testing/fixtures.ts';
import { decodeSdJwt } from './decode.ts';
import { issueSdJwt } from './issue.ts';
import { presentSdJwt } from './present.ts';
import { verifySdJwt } from './verify.ts';

const NONCE = 'n-0S6_WzA2Mj';

describe('issue → present → verify', () => {
  for (const [alg, holderAlg] of [
    ['ES256', 'ES256'],
    ['EdDSA', 'EdDSA'],
    ['ES256', 'EdDSA'],
  ] as const) {
    it(`discloses only what the holder chose (issuer ${alg}, device ${holderAlg})`, () => {
      const f = certificateFixture({ alg, holderAlg });
      const presentation = presentSdJwt(f.sdJwt, {
        disclose: { age_over_18: true, address: { city: true } },
        keyBinding: { key: f.holderKey, audience: AUDIENCE, nonce: NONCE, iat: NOW },
      });
      const result = verifySdJwt(presentation, {
        keys: f.keys,
        now: NOW,
        keyBinding: { audience: AUDIENCE, nonce: NONCE },
      });
      expect(result.claims).toEqual({
        iss: f.payload.iss,
        iat: f.payload.iat,
        exp: f.payload.exp,
        vct: f.payload.vct,
        cnf: f.payload.cnf,
        status: f.payload.status,
        age_over_18: true,
        address: { city: '北京市' },
      });
      // age_over_18, the address disclosure (needed to reach city) and city itself: nothing else travels.
      expect(result.disclosureCount).toBe(3);
      expect(presentation).not.toContain(Buffer.from('张伟').toString('base64url'));
      expect(result.keyBinding).toMatchObject({ aud: AUDIENCE, nonce: NONCE, iat: NOW });
    });
  }

  it('discloses array elements individually and hides decoys', () => {
    const f = certificateFixture();
    const presentation = presentSdJwt(f.sdJwt, { disclose: { nationalities: { 1: true } } });
    const result = verifySdJwt(presentation, { keys: f.keys, now: NOW, keyBinding: false });
    expect(result.claims.nationalities).toEqual(['HK']);
  });

  it('discloses everything when asked and restores the original payload', () => {
    const f = certificateFixture();
    const presentation = presentSdJwt(f.sdJwt, { disclose: () => true });
    const result = verifySdJwt(presentation, { keys: f.keys, now: NOW, keyBinding: false });
    expect(result.claims).toEqual(f.payload);
  });

  it('issues digests sorted, with decoys, and _sd_alg sha-256 (RFC 9901 §4.2.4.1, §4.2.5)', () => {
    const f = certificateFixture();
    const decoded = decodeSdJwt(f.sdJwt);
    const sd = decoded.payload._sd as string[];
    expect(sd).toEqual([...sd].sort());
    expect(sd.length).toBe(10 + 3);
    expect(decoded.payload._sd_alg).toBe('sha-256');
    expect(decoded.header).toMatchObject({ typ: 'dc+sd-jwt', alg: 'ES256', kid: f.issuerKey.kid });
    expect(decoded.disclosures.map((d) => d.path.join('.'))).toContain('address.district');
  });

  it('refuses to make SD-JWT VC control claims disclosable (draft-ietf-oauth-sd-jwt-vc §3.2.2)', () => {
    const f = certificateFixture();
    for (const name of ['iss', 'cnf', 'status', 'vct', 'exp', 'iat', 'nbf']) {
      expect(() =>
        issueSdJwt({ payload: { ...f.payload, nbf: NOW }, frame: { _sd: [name] } }, f.issuerKey),
      ).toThrow(expect.objectContaining({ code: 'ERR_SD_DISCLOSURE_MALFORMED' }));
    }
  });

  it('salts are 128 bits (RFC 9901 §4.2.1)', () => {
    const f = certificateFixture();
    for (const d of decodeSdJwt(f.sdJwt).disclosures) expect(decodeBase64url(d.salt).length).toBe(16);
  });
});
