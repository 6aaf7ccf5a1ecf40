import type { SigningKey } from '@netid/protocol';
import * as oidc from 'openid-client';
import type { ForumSession, SignInFlow } from './session.ts';

export interface ForumClientOptions {
  /** The authority; its OpenID Provider is under `/oidc`. */
  authorityUrl: string;
  clientId: string;
  /** The forum's own ES256 key, whose public half is registered (private_key_jwt). */
  key: SigningKey;
  redirectUri: string;
}

/** What the forum asks for: a verified person, and only whether they are over 18. */
export const FORUM_SCOPE = 'openid age';
export const FORUM_ACR = 'cert';

export interface ForumClient {
  /** PAR + PKCE: pushes the request for this flow, returns where to send the browser. */
  startSignIn(flow: SignInFlow): Promise<URL>;
  /** Redeems the code (private_key_jwt) and reads the ID token. */
  finishSignIn(callback: URL, flow: SignInFlow): Promise<ForumSession>;
  /** RP-initiated logout at the provider's end_session endpoint. */
  endSessionUrl(idToken: string, postLogoutRedirectUri: string): Promise<URL>;
}

async function discover(options: ForumClientOptions): Promise<oidc.Configuration> {
  const jwk = options.key.privateKey.export({ format: 'jwk' });
  const signing = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
  ]);
  const issuer = new URL(`${options.authorityUrl}/oidc`);
  return oidc.discovery(
    issuer,
    options.clientId,
    { token_endpoint_auth_method: 'private_key_jwt' },
    oidc.PrivateKeyJwt({ key: signing, kid: options.key.kid }),
    // Plain http only for an authority on this machine (development).
    issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined,
  );
}

/** The forum as an ordinary OpenID Connect relying party, with `openid-client`. */
export function forumClient(options: ForumClientOptions): ForumClient {
  let discovered: Promise<oidc.Configuration> | undefined;
  // Discovered once, on first use; a failure (the authority still starting) is retried next time.
  const config = () => {
    if (!discovered) {
      const attempt = discover(options);
      discovered = attempt;
      attempt.catch(() => {
        if (discovered === attempt) discovered = undefined;
      });
    }
    return discovered;
  };

  return {
    async startSignIn(flow) {
      return oidc.buildAuthorizationUrlWithPAR(await config(), {
        redirect_uri: options.redirectUri,
        scope: FORUM_SCOPE,
        acr_values: FORUM_ACR,
        code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
        state: flow.state,
      });
    },
    async finishSignIn(callback, flow) {
      const tokens = await oidc.authorizationCodeGrant(await config(), callback, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      return {
        sub: claims.sub,
        acr: typeof claims.acr === 'string' ? claims.acr : undefined,
        ageOver18: typeof claims.age_over_18 === 'boolean' ? claims.age_over_18 : undefined,
        idToken: tokens.id_token!,
      };
    },
    async endSessionUrl(idToken, postLogoutRedirectUri) {
      return oidc.buildEndSessionUrl(await config(), {
        id_token_hint: idToken,
        post_logout_redirect_uri: postLogoutRedirectUri,
      });
    },
  };
}
