import { CERTIFICATE_CLAIMS, CERTIFICATE_VCT } from '../certificate.ts';
import { exportPublicJwk } from '../jose/jwk.ts';
import { generateSigningKey, type SigningKey } from '../jose/keys.ts';
import { KeySet } from '../jose/keyset.ts';
import { type DisclosureFrame, issueSdJwt } from '../sdjwt/issue.ts';

export const ISSUER = 'https://id.example.gov';
export const AUDIENCE = 'https://forum.example.com';
export const NOW = 1_790_000_000;

export interface Fixture {
  issuerKey: SigningKey;
  holderKey: SigningKey;
  keys: KeySet;
  payload: Record<string, unknown>;
  frame: DisclosureFrame;
  sdJwt: string;
}

/** A network certificate shaped as DESIGN.md describes, issued by a fresh key. */
export function certificateFixture(
  options: { alg?: 'ES256' | 'EdDSA'; holderAlg?: 'ES256' | 'EdDSA' } = {},
): Fixture {
  const issuerKey = generateSigningKey(options.alg ?? 'ES256');
  const holderKey = generateSigningKey(options.holderAlg ?? 'ES256');
  const payload = {
    iss: ISSUER,
    iat: NOW - 60,
    exp: NOW + 365 * 86400,
    vct: CERTIFICATE_VCT,
    cnf: { jwk: exportPublicJwk(holderKey.privateKey) },
    status: { status_list: { idx: 4711, uri: `${ISSUER}/status/0` } },
    net_number: 'K0X12C3D4E',
    name: '张伟',
    birthdate: '1990-03-07',
    age_over_14: true,
    age_over_16: true,
    age_over_18: true,
    document_type: 'resident_id',
    enrollment_level: 'document+phone+password',
    address: { province: '北京市', city: '北京市', district: '海淀区' },
    nationalities: ['CN', 'HK'],
  };
  const frame: DisclosureFrame = {
    _sd: [...CERTIFICATE_CLAIMS, 'address', 'nationalities'],
    _sd_decoy: 3,
    address: { _sd: ['province', 'city', 'district'] },
    nationalities: { _sd: [0, 1], _sd_decoy: 1 },
  };
  const sdJwt = issueSdJwt({ payload, frame }, issuerKey);
  return { issuerKey, holderKey, keys: new KeySet({ keys: [issuerKey.publicJwk] }), payload, frame, sdJwt };
}
