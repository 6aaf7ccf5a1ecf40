import {
  CERTIFICATE_CLAIMS,
  CERTIFICATE_VCT,
  type DisclosureFrame,
  issueSdJwt,
  type PublicJwk,
  type SigningKey,
} from '@netid/protocol';
import type { PersonAttributes } from '../persons/attributes.ts';
import type { StatusSlot } from './store.ts';

/**
 * What enrollment checked, stated in the certificate. Enrollment today checks the document against
 * the registry, the phone and sets a password; there is no face match yet, and the certificate says
 * so in a claim of its own (`face_match: false`) rather than in prose, so verifiers can require
 * `face_match: true` once face matching exists without parsing the level string.
 */
export const ENROLLMENT_LEVEL = 'document+phone+password';
export const FACE_MATCH = false;

/** Every personal claim is selectively disclosable: the holder chooses per presentation. */
export const CERTIFICATE_FRAME: DisclosureFrame = {
  _sd: CERTIFICATE_CLAIMS,
  // RFC 9901 §4.2.5: decoys hide how many claims the certificate really has.
  _sd_decoy: 2,
};

export interface CertificateInput {
  issuer: string;
  netNumber: string;
  attributes: PersonAttributes;
  deviceJwk: PublicJwk;
  slot: StatusSlot;
  issuedAt: Date;
  expiresAt: Date;
}

/**
 * Whether someone born on `birthdate` (YYYY-MM-DD) has had their `years`-th birthday on `on`, by the
 * calendar date in UTC+8 (China Standard Time, where the authority's legal day is counted). Someone
 * born on 29 February comes of age on 1 March in common years.
 */
export function ageOver(birthdate: string, years: number, on: Date): boolean {
  const [y, m, d] = birthdate.split('-').map(Number) as [number, number, number];
  const local = new Date(on.getTime() + 8 * 3600_000);
  const ty = local.getUTCFullYear();
  const tm = local.getUTCMonth() + 1;
  const td = local.getUTCDate();
  const age = ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
  return age >= years;
}

/** The SD-JWT VC payload of a network certificate (draft-ietf-oauth-sd-jwt-vc §3.2), before framing. */
export function certificatePayload(input: CertificateInput): Record<string, unknown> {
  const { attributes, issuedAt } = input;
  const { kty, crv, x, y } = input.deviceJwk;
  return {
    iss: input.issuer,
    iat: Math.floor(issuedAt.getTime() / 1000),
    exp: Math.floor(input.expiresAt.getTime() / 1000),
    vct: CERTIFICATE_VCT,
    // Only the key's defining members: whatever else the wallet put in its JWK is not ours to sign.
    cnf: { jwk: y === undefined ? { kty, crv, x } : { kty, crv, x, y } },
    status: { status_list: { idx: input.slot.index, uri: input.slot.uri } },
    net_number: input.netNumber,
    name: attributes.name,
    birthdate: attributes.birthdate,
    age_over_14: ageOver(attributes.birthdate, 14, issuedAt),
    age_over_16: ageOver(attributes.birthdate, 16, issuedAt),
    age_over_18: ageOver(attributes.birthdate, 18, issuedAt),
    document_type: attributes.documentType,
    enrollment_level: ENROLLMENT_LEVEL,
    face_match: FACE_MATCH,
  };
}

export function signCertificate(input: CertificateInput, key: SigningKey): string {
  return issueSdJwt({ payload: certificatePayload(input), frame: CERTIFICATE_FRAME }, key);
}
