// Interop with @sd-jwt (openwallet-foundation, 0.19.0) as an independent implementation: what we
// issue and present it verifies, and what it issues and presents we verify.
import { digest, ES256, generateSalt } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { describe, expect, it } from 'vitest';
import { exportPublicJwk } from '../jose/jwk.ts';
import { generateSigningKey, type SigningKey } from '../jose/keys.ts';
import { KeySet } from '../jose/keyset.ts';
import { AUDIENCE, certificateFixture } from '../testing/fixtures.ts';
import { issueSdJwt } from './issue.ts';
import { presentSdJwt } from './present.ts';
import { verifySdJwt } from './verify.ts';

const NONCE = 'interop-nonce-1';

function privateJwk(key: SigningKey): object {
  return key.privateKey.export({ format: 'jwk' });
}

async function reference(issuer: SigningKey, holder?: SigningKey): Promise<SDJwtVcInstance> {
  return new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
    signAlg: 'ES256',
    signer: await ES256.getSigner(privateJwk(issuer)),
    verifier: await ES256.getVerifier(issuer.publicJwk),
    ...(holder ? { kbSignAlg: 'ES256', kbSigner: await ES256.getSigner(privateJwk(holder)) } : {}),
    kbVerifier: async (data: string, sig: string, payload: Record<string, unknown>) => {
      const jwk = (payload.cnf as { jwk: object }).jwk;
      return (await ES256.getVerifier(jwk))(data, sig);
    },
  });
}

/** The fixture certificate without its status reference: the reference library would fetch the list. */
function certificateWithoutStatus() {
  const f = certificateFixture();
  const { status: _status, ...payload } = f.payload;
  return { ...f, payload, sdJwt: issueSdJwt({ payload, frame: f.frame }, f.issuerKey) };
}

describe('interop with @sd-jwt/sd-jwt-vc 0.19.0', () => {
  it('it verifies a certificate we issued and presented with key binding', async () => {
    const f = certificateWithoutStatus();
    const now = Math.floor(Date.now() / 1000);
    const presentation = presentSdJwt(f.sdJwt, {
      disclose: { name: true, age_over_18: true, address: { district: true }, nationalities: { 0: true } },
      keyBinding: { key: f.holderKey, audience: AUDIENCE, nonce: NONCE, iat: now },
    });
    const lib = await reference(f.issuerKey);
    const result = await lib.verify(presentation, { keyBindingNonce: NONCE });
    const ours = verifySdJwt(presentation, {
      keys: f.keys,
      keyBinding: { audience: AUDIENCE, nonce: NONCE },
    });
    expect(result.payload).toEqual(ours.claims);
    expect(result.payload).toMatchObject({
      name: '张伟',
      age_over_18: true,
      address: { district: '海淀区' },
      nationalities: ['CN'],
    });
    expect(result.kb?.payload).toMatchObject({ aud: AUDIENCE, nonce: NONCE });
  });

  it('it fully decodes a credential we issued to the same claims we do', async () => {
    const f = certificateWithoutStatus();
    const lib = await reference(f.issuerKey);
    expect(await lib.getClaims(f.sdJwt)).toEqual(f.payload);
  });

  it('we verify a credential it issued and presented with key binding', async () => {
    const issuer = generateSigningKey('ES256');
    const holder = generateSigningKey('ES256');
    const lib = await reference(issuer, holder);
    const now = Math.floor(Date.now() / 1000);
    const issued = await lib.issue(
      {
        iss: 'https://issuer.example',
        iat: now,
        exp: now + 3600,
        vct: 'urn:netid:certificate:1',
        cnf: { jwk: exportPublicJwk(holder.privateKey) },
        name: '李娜',
        age_over_18: true,
        address: { city: '上海市', district: '浦东新区' },
        nationalities: ['CN', 'MO'],
      },
      {
        _sd: ['name', 'age_over_18', 'address', 'nationalities'],
        _sd_decoy: 2,
        address: { _sd: ['city', 'district'] },
        nationalities: { _sd: [0, 1] },
      },
      { header: { kid: issuer.kid } },
    );
    const presentation = await lib.present(
      issued,
      { age_over_18: true, address: { city: true }, nationalities: { 1: true } },
      { kb: { payload: { iat: now, aud: AUDIENCE, nonce: NONCE } } },
    );
    const result = verifySdJwt(presentation, {
      keys: new KeySet({ keys: [issuer.publicJwk] }),
      keyBinding: { audience: AUDIENCE, nonce: NONCE },
    });
    expect(result.claims).toMatchObject({
      age_over_18: true,
      address: { city: '上海市' },
      nationalities: ['MO'],
    });
    expect(result.claims).not.toHaveProperty('name');
    expect(result.claims.address).not.toHaveProperty('district');

    // And our presenter handles its credentials: choose, bind, and it verifies our presentation.
    const ours = presentSdJwt(issued, {
      disclose: { name: true },
      keyBinding: { key: holder, audience: AUDIENCE, nonce: NONCE, iat: now },
    });
    const back = await lib.verify(ours, { keyBindingNonce: NONCE });
    expect(back.payload).toMatchObject({ name: '李娜' });
    expect(back.payload).not.toHaveProperty('age_over_18');
  });

  // RFC 9901 §7.1 step 3.5 says an unreferenced disclosure MUST reject the SD-JWT. @sd-jwt 0.19.0
  // silently drops it instead; both keep the forged claim out, only we refuse the presentation.
  it('a forged disclosure never becomes a claim; we reject it as RFC 9901 §7.1 requires', async () => {
    const f = certificateWithoutStatus();
    const presentation = presentSdJwt(f.sdJwt, { disclose: { name: true } });
    const [jwt, disclosure] = presentation.split('~');
    const forged = Buffer.from(JSON.stringify([generateSalt(16), 'name', '王芳'])).toString('base64url');
    const tampered = `${jwt}~${forged}~`;
    expect(disclosure).toBeTruthy();
    const lib = await reference(f.issuerKey);
    const lax = await lib.verify(tampered);
    expect(lax.payload).not.toHaveProperty('name');
    expect(() => verifySdJwt(tampered, { keys: f.keys, keyBinding: false })).toThrow(
      expect.objectContaining({ code: 'ERR_SD_DISCLOSURE_UNREFERENCED' }),
    );
  });
});
