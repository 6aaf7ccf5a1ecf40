import { fail } from '@netid/protocol/errors';
import { isPlainObject } from '@netid/protocol/json';
import { unreachable } from '../http.ts';
import { parseUri, viewOf, type WalletRequestView } from './view.ts';

// Resolving a request link, whatever checks signatures: Node's crypto in the CLI wallet (request.ts),
// WebCrypto in the web wallet (web/). Browser-safe.

function fromBase64url(text: string): Uint8Array {
  const b64 = text.replaceAll('-', '+').replaceAll('_', '/');
  return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

const MAX_BODY = 64 * 1024;

/** Checks a request object's signature against the signer's keys; answers its payload. */
export type RequestObjectVerifier = (jwt: string, jwks: Jwks) => Promise<Record<string, unknown>>;

export interface Jwks {
  keys: Record<string, unknown>[];
}

export interface ResolveOptions {
  /** The authority the wallet trusts (its certificate's issuer). */
  authority: string;
  fetch?: typeof fetch;
  now?: () => number;
}

async function getText(
  url: string,
  accept: string,
  f: typeof fetch,
): Promise<{ status: number; text: string }> {
  let res: Response;
  try {
    res = await f(url, { headers: { accept }, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    return unreachable(url, error);
  }
  const text = await res.text();
  if (text.length > MAX_BODY) fail('ERR_INPUT_TOO_LARGE', 'the answer is too large');
  return { status: res.status, text };
}

async function getJson(
  url: string,
  f: typeof fetch,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const { status, text } = await getText(url, 'application/json', f);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!isPlainObject(body)) return fail('ERR_MALFORMED', `${url} did not answer with a JSON object`);
  return { status, body };
}

async function authorityJwks(authority: string, f: typeof fetch): Promise<Jwks> {
  const { body } = await getJson(`${authority}/.well-known/jwt-vc-issuer`, f);
  if (!isPlainObject(body.jwks)) fail('ERR_MALFORMED', 'the authority publishes no keys');
  return body.jwks as unknown as Jwks;
}

/** The platform as the authority's public register describes it; refusals the person can act on. */
async function platformEntry(authority: string, clientId: string, f: typeof fetch) {
  const { status, body } = await getJson(`${authority}/platforms/${encodeURIComponent(clientId)}`, f);
  if (status === 403) {
    fail('ERR_VERIFIER_REFUSED', 'this platform is suspended by the authority', {
      status,
      code: 'platform_suspended',
      title: 'this platform is suspended by the authority',
      extra: {},
    });
  }
  if (status !== 200) fail('ERR_REQUEST_UNTRUSTED', 'this platform is not registered with the authority');
  return body;
}

function unverifiedClientId(jwt: string): unknown {
  const payload = jwt.split('.')[1];
  try {
    return JSON.parse(new TextDecoder().decode(fromBase64url(payload ?? '')));
  } catch {
    return undefined;
  }
}

/**
 * Resolves a request link into what the wallet shows. The request object must be signed by the
 * client it names: the authority itself (sign-in for a platform, with the platform described inside
 * by the authority), or a platform of the authority's register, whose keys and response URIs the
 * register publishes. Nothing here trusts what the link alone says.
 */
export async function resolveRequestWith(
  uri: string,
  options: ResolveOptions,
  verify: RequestObjectVerifier,
): Promise<WalletRequestView> {
  const f = options.fetch ?? fetch;
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  const link = parseUri(uri);
  const jwt =
    link.request ?? (await getText(link.requestUri!, 'application/oauth-authz-req+jwt', f)).text.trim();
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jwt)) {
    fail('ERR_REQUEST_EXPIRED', 'the request is used or expired: start again');
  }
  const claimed = unverifiedClientId(jwt);
  const claimedId = isPlainObject(claimed) ? claimed.client_id : undefined;
  if (claimedId !== link.clientId)
    fail('ERR_REQUEST_INVALID', 'the link and the request name different clients');
  const isAuthority = link.clientId === options.authority;
  const entry = isAuthority ? undefined : await platformEntry(options.authority, link.clientId, f);
  const jwks = isAuthority ? await authorityJwks(options.authority, f) : (entry!.jwks as Jwks);
  if (!isPlainObject(jwks)) fail('ERR_REQUEST_UNTRUSTED', 'the platform has no registered keys');
  const payload = await verify(jwt, jwks);
  return viewOf(payload, entry, isAuthority, now);
}
