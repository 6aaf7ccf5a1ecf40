import { createHmac } from 'node:crypto';
import Provider, { type Configuration, type FindAccount, interactionPolicy, type JWK } from 'oidc-provider';
import type { AuthorityContext } from '../context.ts';
import type { PlatformFinder } from '../platforms/finder.ts';
import { MODES } from '../platforms/platform.ts';
import type { TransientStore } from '../transient/store.ts';
import { transientAdapter } from './adapter.ts';
import { clientMetadata } from './clients.ts';
import { readDisclosure } from './disclosure.ts';
import { SCOPE_CLAIMS } from './scopes.ts';

/** The OpenID Provider's issuer: its own path, so its `/token` never meets OID4VCI's. */
export const OIDC_PATH = '/oidc';

/** Lifetimes (seconds). A sign-in takes minutes; nothing of it is kept longer than that. */
export const OIDC_TTL = {
  PushedAuthorizationRequest: 90,
  Interaction: 600,
  Session: 600,
  Grant: 600,
  AuthorizationCode: 60,
  AccessToken: 300,
  IdToken: 300,
} as const;

export interface OidcDeps {
  ctx: AuthorityContext;
  transient: TransientStore;
  platforms: PlatformFinder;
}

/**
 * The OpenID Provider (oidc-provider 9) as DESIGN.md flow 2 needs it: PAR required, PKCE S256,
 * private_key_jwt (client secrets in development only), DPoP, RP-initiated logout, pairwise `sub` =
 * application identifier, `acr` = assurance mode, and the consented claims in the ID token.
 */
export function createProvider({ ctx, transient, platforms }: OidcDeps): Provider {
  const development = ctx.config.env === 'development';
  const signing = ctx.issuerKeys.signing();
  const privateJwk = {
    ...(signing.privateKey.export({ format: 'jwk' }) as JWK),
    kid: signing.kid,
    alg: signing.alg,
    use: 'sig',
  } as JWK;
  const cookieKey = createHmac('sha256', ctx.secrets.session).update('oidc-cookies').digest('base64url');

  // The account id handed to oidc-provider is the application identifier itself, so no model it
  // stores ever holds a network number; the ID token claims come from the wallet's disclosure.
  const findAccount: FindAccount = async (_koa, sub, token) => {
    const grantId = token && 'grantId' in token ? (token.grantId as string | undefined) : undefined;
    const disclosed = grantId ? await readDisclosure(ctx, transient, grantId) : {};
    return { accountId: sub, claims: () => ({ sub, ...disclosed }) };
  };

  const configuration: Configuration = {
    adapter: transientAdapter(transient, ctx.now, async (clientId) => {
      const platform = await platforms.find(clientId);
      return platform && clientMetadata(platform, platforms.clientSecret(platform));
    }),
    findAccount,
    jwks: { keys: [privateJwk] },
    cookies: { keys: [cookieKey] },
    acrValues: [...MODES],
    claims: {
      openid: ['sub'],
      ...Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([s, c]) => [s, [...c]])),
    },
    scopes: ['openid', ...Object.keys(SCOPE_CLAIMS)],
    // The ID token carries the claims: the provider keeps no userinfo store to ask again later.
    conformIdTokenClaims: false,
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: (_koa, accountId) => accountId,
    clientAuthMethods: development
      ? ['private_key_jwt', 'client_secret_basic', 'client_secret_post']
      : ['private_key_jwt'],
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256', 'EdDSA'],
      clientAuthSigningAlgValues: ['ES256', 'EdDSA'],
      requestObjectSigningAlgValues: ['ES256', 'EdDSA'],
      dPoPSigningAlgValues: ['ES256', 'EdDSA'],
    },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true },
      dPoP: { enabled: true },
      claimsParameter: { enabled: true },
      // Signed request objects (JAR, RFC 9101), pushed or by value.
      requestObjects: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      userinfo: { enabled: false },
      revocation: { enabled: false },
    },
    issueRefreshToken: () => false,
    interactions: {
      url: (_koa, interaction) => `${OIDC_PATH}/interaction/${interaction.uid}`,
      policy: everySignInInTheWallet(),
    },
    ttl: { ...OIDC_TTL },
    renderError: (koa, out) => {
      koa.type = 'text/html; charset=utf-8';
      koa.body = errorPage(String(out.error), String(out.error_description ?? ''));
    },
  };
  const provider = new Provider(`${ctx.config.publicUrl}${OIDC_PATH}`, configuration);
  // Behind a TLS-terminating proxy the public URL is https while the socket is not.
  provider.proxy = new URL(ctx.config.publicUrl).protocol === 'https:';
  return provider;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function errorPage(error: string, description: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>netid — ${escapeHtml(error)}</title></head><body><main><h1>${escapeHtml(error)}</h1><p>${escapeHtml(description)}</p></main></body></html>`;
}

/**
 * Every authorization request goes to the wallet, whatever session the browser has: a session from
 * a sign-in at platform A must never sign the person in at platform B (its account id is A's
 * application identifier, guarantee 1), and the person approves each disclosure (guarantee 2 keeps
 * the history in the wallet, so the wallet must see every one).
 */
function everySignInInTheWallet() {
  const policy = interactionPolicy.base();
  policy
    .get('login')!
    .checks.add(
      new interactionPolicy.Check('netid_each_time', 'each sign-in is approved in the wallet', (koa) =>
        koa.oidc.result?.login
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT,
      ),
      0,
    );
  return policy;
}
