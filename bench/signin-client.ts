// The three parties of one sign-in, as lean as they can be so the benchmark measures the authority:
// the platform (PAR and token with a client assertion signed here, PKCE by hand), the browser (plain
// fetch with a cookie map, redirects followed by hand) and the wallet (its presentation built with
// presentSdJwt and posted directly). Same requests, same order as signin.test.ts with openid-client.
import { createHash, randomBytes } from 'node:crypto';
import { decodeJsonObject, presentSdJwt, type SigningKey, signJws } from '@netid/protocol';

export interface BenchPlatform {
  clientId: string;
  key: SigningKey;
  redirectUri: string;
}

export interface BenchDevice {
  key: SigningKey;
  credential: string;
}

export interface SignInResult {
  idToken: string;
  /** The ID token's payload (not verified here: the caller does that for the first few). */
  claims: Record<string, unknown>;
  nonce: string;
  /** The request object the wallet received, for the caller to verify. */
  requestObject: string;
  requests: number;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const random = () => randomBytes(16).toString('base64url');
const payloadOf = (jwt: string, what: string) => decodeJsonObject(jwt.split('.')[1] ?? '', what);

/** private_key_jwt (RFC 7523): fresh jti each time, the provider keeps them to refuse replays. */
function clientAssertion(platform: BenchPlatform, issuer: string): string {
  const now = Math.floor(Date.now() / 1000);
  return signJws(
    { typ: 'JWT', kid: platform.key.kid },
    { iss: platform.clientId, sub: platform.clientId, aud: issuer, jti: random(), iat: now, exp: now + 60 },
    platform.key,
  );
}

/** A browser tab: cookies by name (paths ignored, as the test Browser does), no automatic redirects. */
class Tab {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly count: () => void) {}

  async get(url: string): Promise<Response> {
    this.count();
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const line of res.headers.getSetCookie()) {
      const end = line.indexOf(';');
      const pair = end < 0 ? line : line.slice(0, end);
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line))
        this.cookies.delete(pair.slice(0, eq).trim());
      else this.cookies.set(pair.slice(0, eq).trim(), value);
    }
    return res;
  }
}

async function expectStatus(res: Response, status: number, step: string): Promise<Response> {
  if (res.status !== status) {
    throw new Error(`${step}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
  return res;
}

/** The request URI inside the page's "open wallet" link (bare openid4vp:// or a web wallet's #request=). */
function requestUriOf(page: string): string {
  const href = /id="open-wallet" href="([^"]+)"/.exec(page)?.[1]?.replaceAll('&amp;', '&');
  if (!href) throw new Error('interaction page: no wallet link');
  const hash = href.indexOf('#request=');
  const uri = hash >= 0 ? decodeURIComponent(href.slice(hash + '#request='.length)) : href;
  const requestUri = new URL(uri).searchParams.get('request_uri');
  if (!requestUri) throw new Error('interaction page: the wallet link has no request_uri');
  return requestUri;
}

/** One whole cert-mode sign-in: PAR → authorize → page → wallet → status → resume → code → token. */
export async function signIn(
  origin: string,
  platform: BenchPlatform,
  device: BenchDevice,
): Promise<SignInResult> {
  const issuer = `${origin}/oidc`;
  let requests = 0;
  const count = () => {
    requests++;
  };

  // The platform pushes its request.
  const verifier = randomBytes(32).toString('base64url');
  const state = random();
  const nonce = random();
  count();
  const par = await expectStatus(
    await fetch(`${issuer}/request`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({
        client_id: platform.clientId,
        response_type: 'code',
        scope: 'openid age',
        redirect_uri: platform.redirectUri,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
        state,
        nonce,
        acr_values: 'cert',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: clientAssertion(platform, issuer),
      }).toString(),
    }),
    201,
    'PAR',
  );
  const { request_uri } = (await par.json()) as { request_uri: string };

  // The browser goes to the provider and lands on the authorization page.
  const tab = new Tab(count);
  const authorize = await expectStatus(
    await tab.get(`${issuer}/auth?${new URLSearchParams({ client_id: platform.clientId, request_uri })}`),
    303,
    'authorize',
  );
  await authorize.arrayBuffer();
  const pageUrl = new URL(authorize.headers.get('location')!, origin).href;
  const page = await (await expectStatus(await tab.get(pageUrl), 200, 'interaction page')).text();

  // The wallet fetches the signed request and answers it with a key-bound presentation.
  count();
  const requestObject = (
    await (await expectStatus(await fetch(requestUriOf(page)), 200, 'request object')).text()
  ).trim();
  const asked = payloadOf(requestObject, 'request object');
  const query = (asked.dcql_query as { credentials: { id: string }[] }).credentials[0]!;
  const presentation = presentSdJwt(device.credential, {
    disclose: (path) => path.length === 1 && path[0] === 'age_over_18',
    keyBinding: { key: device.key, audience: String(asked.client_id), nonce: String(asked.nonce) },
  });
  count();
  const answer = await expectStatus(
    await fetch(String(asked.response_uri), {
      method: 'POST',
      headers: { ...FORM, accept: 'application/json' },
      body: new URLSearchParams({
        state: String(asked.state),
        vp_token: JSON.stringify({ [query.id]: [presentation] }),
      }).toString(),
    }),
    200,
    'direct_post',
  );
  await answer.arrayBuffer();

  // The page's poll sees the answer; the browser resumes and is sent back to the platform.
  const status = (await (await expectStatus(await tab.get(`${pageUrl}/status`), 200, 'status')).json()) as {
    returnTo?: string;
  };
  if (!status.returnTo) throw new Error(`status: ${JSON.stringify(status)}`);
  let location: string | null = status.returnTo;
  while (location && !location.startsWith(platform.redirectUri)) {
    const hop = await tab.get(new URL(location, origin).href);
    await hop.arrayBuffer();
    location = hop.headers.get('location');
    if (!location) throw new Error(`resume: HTTP ${hop.status} without a redirect`);
  }
  const callback = new URL(location!);
  const code = callback.searchParams.get('code');
  if (!code || callback.searchParams.get('state') !== state) {
    throw new Error(`callback: ${callback.search.slice(0, 300)}`);
  }

  // The platform redeems the code.
  count();
  const token = await expectStatus(
    await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: platform.redirectUri,
        code_verifier: verifier,
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: clientAssertion(platform, issuer),
      }).toString(),
    }),
    200,
    'token',
  );
  const { id_token } = (await token.json()) as { id_token?: string };
  if (!id_token) throw new Error('token: no id_token');
  const claims = payloadOf(id_token, 'ID token');
  if (typeof claims.sub !== 'string' || !claims.sub) throw new Error('token: the ID token has no sub');
  return { idToken: id_token, claims, nonce, requestObject, requests };
}
