import type { ClientMetadata } from 'oidc-provider';
import type { Sealer } from '../keys/kek.ts';
import type { Platform } from '../platforms/platform.ts';

/**
 * A platform of the register as oidc-provider client metadata. Only approved platforms are clients:
 * a pending or suspended one is unknown to the provider, which answers `invalid_client`.
 */
export function clientMetadata(
  platform: Platform,
  sealer: Sealer,
  development: boolean,
): ClientMetadata | undefined {
  if (platform.state !== 'approved') return undefined;
  const secret =
    development && platform.clientSecretEnc
      ? sealer.open(platform.clientSecretEnc, `platform-secret:${platform.clientId}`).toString('base64url')
      : undefined;
  if (!platform.jwks && !secret) return undefined;
  return {
    client_id: platform.clientId,
    ...(secret ? { client_secret: secret } : {}),
    client_name: platform.name.en,
    redirect_uris: platform.redirectUris,
    post_logout_redirect_uris: platform.postLogoutRedirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    // The sub is the application identifier, already pairwise by the platform's sector.
    subject_type: 'pairwise',
    token_endpoint_auth_method: platform.jwks ? 'private_key_jwt' : 'client_secret_basic',
    ...(platform.jwks ? { jwks: platform.jwks as ClientMetadata['jwks'] } : {}),
    id_token_signed_response_alg: 'ES256',
  };
}
