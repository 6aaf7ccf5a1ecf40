import type { ClientMetadata } from 'oidc-provider';
import type { Platform } from '../platforms/platform.ts';

/**
 * A platform of the register as oidc-provider client metadata (`secret`: its development client
 * secret, from `PlatformFinder.clientSecret`). Only approved platforms are clients:
 * a pending or suspended one is unknown to the provider, which answers `invalid_client`.
 */
export function clientMetadata(platform: Platform, secret: string | undefined): ClientMetadata | undefined {
  if (platform.state !== 'approved') return undefined;
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
