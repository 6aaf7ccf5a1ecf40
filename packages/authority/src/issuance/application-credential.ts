import {
  APPLICATION_CLAIMS,
  APPLICATION_MAX_SECONDS,
  APPLICATION_VCT,
  type ApplicationClaim,
  issueSdJwt,
  type PublicJwk,
  type SigningKey,
} from '@netid/protocol';
import type { PersonAttributes } from '../persons/attributes.ts';
import type { Platform } from '../platforms/platform.ts';
import { ageOver, ENROLLMENT_LEVEL } from './certificate.ts';

/** What an application credential says about its holder: a subset of the application claims. */
export type ApplicationClaims = Partial<Record<ApplicationClaim, string | boolean>>;

/**
 * The claims this platform may receive and this person has, computed once when the offer is made.
 * `net_number` needs both the claim and the registration's permission to ask for it (guarantee 1).
 */
export function applicationClaims(
  platform: Pick<Platform, 'allowedClaims' | 'mayRequestNetNumber'>,
  person: { netNumber: string; attributes: PersonAttributes },
  at: Date,
): ApplicationClaims {
  const { attributes: a } = person;
  const all: Record<ApplicationClaim, string | boolean> = {
    net_number: person.netNumber,
    name: a.name,
    birthdate: a.birthdate,
    age_over_14: ageOver(a.birthdate, 14, at),
    age_over_16: ageOver(a.birthdate, 16, at),
    age_over_18: ageOver(a.birthdate, 18, at),
    document_type: a.documentType,
    enrollment_level: ENROLLMENT_LEVEL,
  };
  const allowed = new Set<string>(platform.allowedClaims);
  const claims: ApplicationClaims = {};
  for (const name of APPLICATION_CLAIMS) {
    if (!allowed.has(name)) continue;
    if (name === 'net_number' && !platform.mayRequestNetNumber) continue;
    claims[name] = all[name];
  }
  return claims;
}

export interface ApplicationCredentialInput {
  issuer: string;
  appId: string;
  clientId: string;
  claims: ApplicationClaims;
  deviceJwk: PublicJwk;
  issuedAt: Date;
  /** When the network certificate it derives from expires: the credential never outlives it. */
  certificateExpiresAt: Date;
}

/** `exp`: a day at most, and never past the certificate the holder authenticated with. */
export function applicationExpiry(issuedAt: Date, certificateExpiresAt: Date): Date {
  return new Date(
    Math.min(issuedAt.getTime() + APPLICATION_MAX_SECONDS * 1000, certificateExpiresAt.getTime()),
  );
}

/**
 * The SD-JWT VC payload (draft-ietf-oauth-sd-jwt-vc §3.2) before framing. `sub` and `client_id` stay
 * in the clear: every verifier needs them, and a platform checks `client_id` is itself so that a
 * credential made for another platform is refused there. No `status`: it lives a day at most and is
 * never revoked.
 */
export function applicationPayload(input: ApplicationCredentialInput): Record<string, unknown> {
  const { kty, crv, x, y } = input.deviceJwk;
  return {
    iss: input.issuer,
    sub: input.appId,
    client_id: input.clientId,
    iat: Math.floor(input.issuedAt.getTime() / 1000),
    exp: Math.floor(applicationExpiry(input.issuedAt, input.certificateExpiresAt).getTime() / 1000),
    vct: APPLICATION_VCT,
    // Only the key's defining members, as in the certificate.
    cnf: { jwk: y === undefined ? { kty, crv, x } : { kty, crv, x, y } },
    ...input.claims,
  };
}

export function signApplicationCredential(input: ApplicationCredentialInput, key: SigningKey): string {
  return issueSdJwt({ payload: applicationPayload(input), frame: { _sd: Object.keys(input.claims) } }, key);
}
