import {
  decodeBase64url,
  fail,
  isPlainObject,
  type Jwks,
  KeySet,
  parseJws,
  verifySignature,
} from '@netid/protocol';

const MAX_BODY = 64 * 1024;

/** An OID4VP request as the wallet shows it to the person before they decide. */
export interface WalletRequestView {
  /** `signin`: the authority asks for the network certificate on a platform's behalf (OIDC).
   *  `direct`: a platform asks for its application credential, no authority in the path. */
  kind: 'signin' | 'direct';
  clientId: string;
  platform: {
    clientId: string;
    kind: 'government' | 'internet';
    name: { zh: string; en: string };
    purpose: { zh: string; en: string };
  };
  /** Claims asked for, by name. */
  claims: string[];
  mode: string;
  verificationCode: string | undefined;
  nonce: string;
  state: string | undefined;
  responseUri: string;
  /** The DCQL credential query id the answer is keyed by. */
  queryId: string;
  vct: string;
  expiresAt: number | undefined;
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
    return fail('ERR_FETCH_FAILED', `cannot reach ${new URL(url).origin}: ${(error as Error).message}`);
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

/** `openid4vp://?client_id=…&request_uri=…` (or an https link carrying the same query). */
function parseUri(uri: string): { clientId: string; requestUri?: string; request?: string } {
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch {
    return fail('ERR_REQUEST_INVALID', 'this is not a request link');
  }
  const clientId = url.searchParams.get('client_id');
  const requestUri = url.searchParams.get('request_uri') ?? undefined;
  const request = url.searchParams.get('request') ?? undefined;
  if (!clientId || (!requestUri && !request)) {
    fail('ERR_REQUEST_INVALID', 'the link has no client_id and request_uri');
  }
  return { clientId: clientId!, ...(requestUri ? { requestUri } : {}), ...(request ? { request } : {}) };
}

async function authorityJwks(authority: string, f: typeof fetch): Promise<Jwks> {
  const { body } = await getJson(`${authority}/.well-known/jwt-vc-issuer`, f);
  if (!isPlainObject(body.jwks)) fail('ERR_MALFORMED', 'the authority publishes no keys');
  return body.jwks as unknown as Jwks;
}

/** The platform as the authority's public register describes it; refusals the person can act on. */
async function platformEntry(authority: string, clientId: string, f: typeof fetch) {
  const { status, body } = await getJson(`${authority}/platforms/${encodeURIComponent(clientId)}`, f);
  if (status === 403) fail('ERR_VERIFIER_REFUSED', 'this platform is suspended by the authority');
  if (status !== 200) fail('ERR_REQUEST_UNTRUSTED', 'this platform is not registered with the authority');
  return body;
}

function verifyRequestObject(jwt: string, jwks: Jwks): Record<string, unknown> {
  const jws = parseJws(jwt, 'request object');
  if (jws.header.typ !== 'oauth-authz-req+jwt')
    fail('ERR_REQUEST_INVALID', 'the request object has the wrong typ');
  const key = new KeySet(jwks).select(jws.header.kid, jws.header.alg);
  if (!verifySignature(jws.header.alg, jws.signingInput, jws.signature, key)) {
    fail('ERR_REQUEST_UNTRUSTED', 'the request is not signed by who it claims to come from');
  }
  return jws.payload;
}

function unverifiedClientId(jwt: string): unknown {
  const payload = jwt.split('.')[1];
  try {
    return JSON.parse(new TextDecoder().decode(decodeBase64url(payload ?? '')));
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
export async function resolveRequest(uri: string, options: ResolveOptions): Promise<WalletRequestView> {
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
  const payload = verifyRequestObject(jwt, jwks);
  return viewOf(payload, entry, isAuthority, now);
}

function viewOf(
  p: Record<string, unknown>,
  entry: Record<string, unknown> | undefined,
  isAuthority: boolean,
  now: number,
): WalletRequestView {
  if (typeof p.exp === 'number' && p.exp < now) fail('ERR_REQUEST_EXPIRED', 'the request has expired');
  if (p.response_type !== 'vp_token' || p.response_mode !== 'direct_post') {
    fail('ERR_REQUEST_INVALID', 'only vp_token by direct_post is supported');
  }
  if (typeof p.nonce !== 'string' || typeof p.response_uri !== 'string') {
    fail('ERR_REQUEST_INVALID', 'the request has no nonce or response_uri');
  }
  const responseUri = p.response_uri as string;
  if (!isAuthority) {
    const allowed = Array.isArray(entry!.redirect_uris) ? entry!.redirect_uris : [];
    if (!allowed.includes(responseUri)) {
      fail('ERR_REQUEST_UNTRUSTED', 'the answer would go to an address the platform did not register');
    }
  } else if (new URL(responseUri).origin !== new URL(p.client_id as string).origin) {
    fail('ERR_REQUEST_UNTRUSTED', 'the answer would leave the authority');
  }
  const query =
    isPlainObject(p.dcql_query) && Array.isArray(p.dcql_query.credentials)
      ? p.dcql_query.credentials[0]
      : undefined;
  if (!isPlainObject(query) || typeof query.id !== 'string' || !isPlainObject(query.meta)) {
    return fail('ERR_REQUEST_INVALID', 'the request has no DCQL credential query');
  }
  const vct = Array.isArray(query.meta.vct_values) ? query.meta.vct_values[0] : undefined;
  const claims = Array.isArray(query.claims)
    ? query.claims
        .map((c) => (isPlainObject(c) && Array.isArray(c.path) ? String(c.path[0]) : ''))
        .filter(Boolean)
    : [];
  const described = isAuthority ? p.netid_platform : entry;
  if (!isPlainObject(described)) fail('ERR_REQUEST_INVALID', 'the request does not say who asks');
  const d = described as Record<string, unknown>;
  return {
    kind: isAuthority ? 'signin' : 'direct',
    clientId: p.client_id as string,
    platform: {
      clientId: String(d.client_id),
      kind: d.kind === 'government' ? 'government' : 'internet',
      name: d.name as WalletRequestView['platform']['name'],
      purpose: d.purpose as WalletRequestView['platform']['purpose'],
    },
    claims,
    mode: typeof p.netid_mode === 'string' ? p.netid_mode : 'cert',
    verificationCode: typeof p.netid_verification_code === 'string' ? p.netid_verification_code : undefined,
    nonce: p.nonce as string,
    state: typeof p.state === 'string' ? p.state : undefined,
    responseUri,
    queryId: query.id,
    vct: String(vct),
    expiresAt: typeof p.exp === 'number' ? p.exp : undefined,
  };
}
