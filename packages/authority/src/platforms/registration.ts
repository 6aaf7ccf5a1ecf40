import { randomBytes } from 'node:crypto';
import { importPublicJwk } from '@netid/protocol';
import { z } from 'zod';
import type { AuthorityContext } from '../context.ts';
import { Problem, toProblem } from '../http/problem.ts';
import {
  AVAILABLE_MODES,
  MODES,
  type Mode,
  PLATFORM_CLAIMS,
  PLATFORM_KINDS,
  type Platform,
  type PlatformClaim,
  type PlatformStore,
} from './platform.ts';

/** Shown on consent screens, so short and never empty. */
const text = z.string().trim().min(1).max(200);
const localized = z.strictObject({ zh: text, en: text });
const uris = z.array(z.string().max(2000)).max(20);

/**
 * The shape of a registration (flow 5). Enumerations are plain strings here and checked by
 * `registerPlatform`, so each rule fails with its own code; unknown members are refused so a typo
 * (`redirect_uri`) is not silently dropped.
 */
export const registrationSchema = z.strictObject({
  client_id: z.string().optional(),
  kind: z.enum(PLATFORM_KINDS),
  name: localized,
  purpose: localized,
  redirect_uris: uris.min(1),
  post_logout_redirect_uris: uris.optional(),
  /** Checked key by key below: the codes say whether a key is private or merely malformed. */
  jwks: z.unknown().optional(),
  client_secret: z.boolean().optional(),
  allowed_claims: z.array(z.string()).max(32).optional(),
  allowed_modes: z.array(z.string()).max(8),
  may_request_net_number: z.boolean().optional(),
  sector: z.string().optional(),
  /** Creates the platform approved at once (seeding, or an operator who has already reviewed it). */
  approve: z.boolean().optional(),
});
export type RegistrationInput = z.input<typeof registrationSchema>;

export interface Registered {
  platform: Platform;
  /** The generated client secret (base64url of 32 bytes); only here, only once. */
  clientSecret?: string;
}

export const CLIENT_ID_PATTERN = /^[a-z0-9_-]{3,64}$/;
/** Keys the application identifier; lower case so `Forum` and `forum` cannot be two sectors. */
export const SECTOR_PATTERN = /^[a-z0-9][a-z0-9._:-]{2,127}$/;
/** JWK members that only a private (or symmetric) key has: a JWKS holding one leaked a secret. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'] as const;

const refuse = (code: string, title: string, detail?: string): never => {
  throw new Problem(400, code, title, detail);
};

/**
 * Registers a platform after checking every rule; on any refusal it throws a Problem with a stable
 * code and stores nothing. New platforms are `pending` until an operator approves them.
 */
export async function registerPlatform(
  ctx: Pick<AuthorityContext, 'config' | 'sealer' | 'now'>,
  store: PlatformStore,
  input: unknown,
): Promise<Registered> {
  const parsed = registrationSchema.safeParse(input);
  if (!parsed.success) throw toProblem(parsed.error, () => {});
  const body = parsed.data;
  const development = ctx.config.env === 'development';

  const clientId = body.client_id ?? newClientId();
  if (!CLIENT_ID_PATTERN.test(clientId)) {
    refuse('invalid_client_id', 'the client_id is not acceptable', '3 to 64 of a-z, 0-9, _ and -');
  }
  const sector = body.sector ?? clientId;
  if (!SECTOR_PATTERN.test(sector)) {
    refuse('invalid_sector', 'the sector is not acceptable', '3 to 128 of a-z, 0-9, . _ : and -');
  }

  const redirectUris = checkUris(body.redirect_uris, 'redirect_uris', development);
  // One platform, one host: OpenID pairwise subjects are per host (OIDC Core §8.1), and a platform
  // spanning hosts would need a sector document fetched from it — register one platform per host.
  if (new Set(redirectUris.map((u) => new URL(u).host)).size > 1) {
    refuse('invalid_redirect_uri', 'redirect_uris: all redirect URIs of a platform must share one host');
  }
  const postLogoutRedirectUris = checkUris(
    body.post_logout_redirect_uris ?? [],
    'post_logout_redirect_uris',
    development,
  );
  const jwks = body.jwks === undefined ? null : checkJwks(body.jwks);

  if (body.client_secret && !development) {
    refuse(
      'client_secret_not_allowed',
      'client secrets are for development only',
      'register a public JWKS (private_key_jwt)',
    );
  }
  if (!jwks && !body.client_secret) {
    refuse(
      'client_authentication_required',
      'the platform needs a way to authenticate',
      'give a public jwks (or, in development, client_secret: true)',
    );
  }

  const allowedClaims = checkClaims(body.allowed_claims ?? [], body.kind);
  const mayRequestNetNumber = body.may_request_net_number ?? false;
  if (mayRequestNetNumber && body.kind !== 'government') {
    refuse('net_number_not_allowed', 'only government platforms may request the network number');
  }
  if (mayRequestNetNumber !== allowedClaims.includes('net_number')) {
    refuse(
      'net_number_mismatch',
      'may_request_net_number and allowed_claims disagree',
      'a platform that may request the network number lists net_number in allowed_claims, and only then',
    );
  }
  const allowedModes = checkModes(body.allowed_modes);

  // Only now, with every rule passed, is a secret made: a refusal leaves nothing behind.
  const secret = body.client_secret ? randomBytes(32) : undefined;
  const now = new Date(ctx.now());
  const platform: Platform = {
    clientId,
    kind: body.kind,
    sector,
    name: body.name,
    purpose: body.purpose,
    redirectUris,
    postLogoutRedirectUris,
    jwks,
    clientSecretEnc: secret ? ctx.sealer.seal(secret, `platform-secret:${clientId}`) : null,
    allowedClaims,
    allowedModes,
    mayRequestNetNumber,
    state: body.approve ? 'approved' : 'pending',
    createdAt: now,
    updatedAt: now,
  };
  await store.insert(platform);
  return secret ? { platform, clientSecret: secret.toString('base64url') } : { platform };
}

/** `p_` and 16 characters of lower-case base32 (80 random bits). */
export function newClientId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return `p_${Array.from(randomBytes(16), (b) => alphabet[b & 31]).join('')}`;
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * Redirect URIs are compared exactly by the provider, so they are stored as given, only checked:
 * https; plain http only for a loopback host in development; no fragment, no user info.
 */
function checkUris(list: string[], field: string, development: boolean): string[] {
  const bad = (uri: string, why: string) => refuse('invalid_redirect_uri', `${field}: ${why}`, uri);
  for (const uri of list) {
    if (!URL.canParse(uri)) bad(uri, 'not an absolute URL');
    const url = new URL(uri);
    if (uri.includes('#')) bad(uri, 'a redirect URI must not have a fragment');
    if (url.username || url.password) bad(uri, 'a redirect URI must not carry user info');
    if (url.protocol === 'http:') {
      if (!isLoopback(url.hostname)) bad(uri, 'http is allowed only for loopback hosts');
      if (!development) bad(uri, 'http redirect URIs are allowed only in development');
    } else if (url.protocol !== 'https:') {
      bad(uri, 'a redirect URI must use https');
    }
  }
  return [...new Set(list)];
}

/**
 * Public EC P-256 or Ed25519 keys, each with its own `kid`. Only the public members are kept, so
 * nothing else a file happened to carry (certificates, notes) reaches the register.
 */
function checkJwks(value: unknown): { keys: Record<string, unknown>[] } {
  const invalid = (detail: string) => refuse('invalid_jwks', 'the jwks is not acceptable', detail);
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys)) {
    invalid('a JWKS is an object with a keys array');
  }
  const keys = (value as { keys: unknown[] }).keys;
  if (keys.length < 1 || keys.length > 10) invalid('give 1 to 10 keys');
  const kids = new Set<string>();
  return {
    keys: keys.map((raw, i) => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        invalid(`keys.${i} is not an object`);
      const jwk = raw as Record<string, unknown>;
      const leaked = PRIVATE_MEMBERS.filter((m) => m in jwk);
      if (leaked.length > 0) {
        refuse(
          'jwks_private_key',
          'the jwks contains private key material',
          `keys.${i} has ${leaked.join(', ')}: register public keys only, and replace the leaked key`,
        );
      }
      const { kid, use, alg } = jwk;
      if (typeof kid !== 'string' || kid.length < 1 || kid.length > 128) invalid(`keys.${i} needs a kid`);
      if (kids.has(kid as string)) invalid(`keys.${i}: kid ${kid} is used twice`);
      kids.add(kid as string);
      if (use !== undefined && use !== 'sig') invalid(`keys.${i}: use must be sig`);
      let imported: ReturnType<typeof importPublicJwk>;
      try {
        imported = importPublicJwk(jwk);
      } catch {
        return invalid(`keys.${i} must be a valid EC P-256 or OKP Ed25519 public key`);
      }
      if (alg !== undefined && alg !== imported.alg) invalid(`keys.${i}: alg must be ${imported.alg}`);
      const { kty, crv, x, y } = jwk;
      return { kty, crv, x, ...(kty === 'EC' ? { y } : {}), kid, ...(use ? { use } : {}), alg: imported.alg };
    }),
  };
}

function checkClaims(claims: string[], kind: Platform['kind']): PlatformClaim[] {
  for (const claim of claims) {
    if (!(PLATFORM_CLAIMS as readonly string[]).includes(claim)) {
      refuse('unknown_claim', `unknown claim ${claim}`, `allowed: ${PLATFORM_CLAIMS.join(', ')}`);
    }
  }
  if (kind !== 'government' && claims.includes('net_number')) {
    refuse('net_number_not_allowed', 'only government platforms may request the network number');
  }
  return [...new Set(claims)] as PlatformClaim[];
}

function checkModes(modes: string[]): Mode[] {
  if (modes.length === 0) refuse('modes_required', 'allow at least one assurance mode');
  for (const mode of modes) {
    if (!(MODES as readonly string[]).includes(mode)) {
      refuse('unknown_mode', `unknown assurance mode ${mode}`, `allowed: ${MODES.join(', ')}`);
    }
    if (!AVAILABLE_MODES.includes(mode as Mode)) {
      refuse(
        'mode_unavailable',
        `assurance mode ${mode} is not available yet`,
        `the face modes come with face verification; available now: ${AVAILABLE_MODES.join(', ')}`,
      );
    }
  }
  return [...new Set(modes)] as Mode[];
}
