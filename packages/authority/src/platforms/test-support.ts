import { generateSigningKey } from '@netid/protocol';
import type { Platform } from './platform.ts';
import type { RegistrationInput } from './registration.ts';

let counter = 0;
/** A client id no other test in this process uses. */
export const uniqueClientId = (prefix = 'test') => `${prefix}-${process.pid}-${++counter}`;

/** A public JWKS of one fresh key, with a kid. */
export function publicJwks(alg: 'ES256' | 'EdDSA' = 'ES256'): { keys: Record<string, unknown>[] } {
  const key = generateSigningKey(alg);
  return { keys: [{ ...key.publicJwk, kid: key.kid }] };
}

/** A registration every rule accepts (an internet platform with a JWKS); override what a test varies. */
export function validRegistration(overrides: Partial<RegistrationInput> = {}): RegistrationInput {
  return {
    client_id: uniqueClientId(),
    kind: 'internet',
    name: { zh: '示例论坛', en: 'Example Forum' },
    purpose: { zh: '确认您是真实的人', en: 'Confirm you are a real person' },
    redirect_uris: ['https://forum.example/callback'],
    jwks: publicJwks(),
    allowed_claims: ['age_over_18'],
    allowed_modes: ['cert'],
    ...overrides,
  };
}

/** A complete register entry, for storage tests. */
export function platformRecord(overrides: Partial<Platform> = {}): Platform {
  const clientId = overrides.clientId ?? uniqueClientId();
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    clientId,
    kind: 'government',
    sector: clientId,
    name: { zh: '政务服务', en: 'Government service' },
    purpose: { zh: '办理业务', en: 'Handle your case' },
    redirectUris: ['https://gov.example/cb', 'https://gov.example/cb2'],
    postLogoutRedirectUris: ['https://gov.example/bye'],
    jwks: publicJwks(),
    clientSecretEnc: null,
    allowedClaims: ['name', 'net_number'],
    allowedModes: ['cert', 'cert+password'],
    mayRequestNetNumber: true,
    state: 'pending',
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
