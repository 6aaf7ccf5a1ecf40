import { createHash } from 'node:crypto';
import { fail, isPlainObject, type SigningKey } from '@netid/protocol';

/** The operator API's registration body (`POST /operator/platforms`), as far as the demo uses it. */
export interface PlatformRegistration {
  client_id: string;
  kind: 'internet' | 'government';
  name: { zh: string; en: string };
  purpose: { zh: string; en: string };
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  jwks: { keys: Record<string, unknown>[] };
  allowed_claims: string[];
  allowed_modes: string[];
  may_request_net_number?: boolean;
}

export type RegistrationOutcome = 'registered' | 'approved' | 'existing';

/**
 * The demo platform's client id follows from its key and its address: a new key or another port is
 * a new platform (the register has no update), while a restart with the same ones finds its
 * registration again. Pairwise identifiers follow the client id (its sector), so they change too.
 */
export function demoClientId(role: string, key: SigningKey, origin: string): string {
  const digest = createHash('sha256').update(`${key.kid}\n${origin}`).digest('hex');
  return `demo-${role}-${digest.slice(0, 10)}`;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(
  f: typeof fetch,
  url: string,
  token: string,
  method: 'GET' | 'POST',
  body?: unknown,
): Promise<Answer> {
  let res: Response;
  try {
    res = await f(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    return fail('ERR_FETCH_FAILED', `cannot reach the authority at ${url}: ${(error as Error).message}`);
  }
  const parsed: unknown = await res.json().catch(() => undefined);
  return { status: res.status, body: isPlainObject(parsed) ? parsed : {} };
}

function refused(what: string, answer: Answer): never {
  const { code, title, detail } = answer.body;
  const why = [code, title, detail].filter((s) => typeof s === 'string').join(': ');
  return fail('ERR_AUTHORITY_REFUSED', `${what}: HTTP ${answer.status}${why ? ` ${why}` : ''}`);
}

/** The register entry is ours only if it holds our key and our addresses. */
function checkSame(entry: Record<string, unknown>, wanted: PlatformRegistration): void {
  const keys = isPlainObject(entry.jwks) && Array.isArray(entry.jwks.keys) ? entry.jwks.keys : [];
  const kid = wanted.jwks.keys[0]?.kid;
  const sameUris = JSON.stringify(entry.redirect_uris) === JSON.stringify(wanted.redirect_uris);
  if (!keys.some((k) => isPlainObject(k) && k.kid === kid) || !sameUris) {
    fail(
      'ERR_AUTHORITY_REFUSED',
      `${wanted.client_id} is registered at the authority with another key or other addresses`,
    );
  }
}

/**
 * Registers the platform through the operator API unless it already is, approved at once (the
 * operator starting the demo has reviewed it); a pending entry is approved. A suspended one stays
 * suspended: that is the operator's decision, not the demo's.
 */
export async function ensureRegistered(
  authorityUrl: string,
  operatorToken: string,
  registration: PlatformRegistration,
  f: typeof fetch = fetch,
): Promise<RegistrationOutcome> {
  const base = `${authorityUrl}/operator/platforms`;
  const id = encodeURIComponent(registration.client_id);
  const found = await call(f, `${base}/${id}`, operatorToken, 'GET');
  if (found.status === 404) {
    const created = await call(f, base, operatorToken, 'POST', { ...registration, approve: true });
    if (created.status !== 201) refused(`registering ${registration.client_id}`, created);
    return 'registered';
  }
  if (found.status !== 200) refused(`looking up ${registration.client_id}`, found);
  checkSame(found.body, registration);
  if (found.body.state === 'approved') return 'existing';
  if (found.body.state === 'suspended') {
    fail('ERR_AUTHORITY_REFUSED', `the operator has suspended ${registration.client_id}`);
  }
  const approved = await call(f, `${base}/${id}/approve`, operatorToken, 'POST');
  if (approved.status !== 200) refused(`approving ${registration.client_id}`, approved);
  return 'approved';
}
