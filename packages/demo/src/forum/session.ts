import { createHmac, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';

/**
 * The forum keeps no database: who is signed in, and a sign-in under way, live in HMAC-signed
 * cookies. Names carry the `forum_` prefix because browsers share cookies between the ports of one
 * host, and the authority and the counter run on the same 127.0.0.1.
 */
export const SESSION_COOKIE = 'forum_session';
export const FLOW_COOKIE = 'forum_flow';

/** The person as the forum knows them: the application identifier and what they shared. */
export interface ForumSession {
  sub: string;
  acr: string | undefined;
  /** `undefined` when the person did not share it. */
  ageOver18: boolean | undefined;
  /** For RP-initiated logout (`id_token_hint`). */
  idToken: string;
}

/** A sign-in on its way through the authority: PKCE verifier and state, bound to this browser. */
export interface SignInFlow {
  state: string;
  verifier: string;
}

/**
 * The PKCE verifier follows from the state under the forum's key, so the cookie carries the state
 * only: the browser (and whatever reads its cookies) never holds the verifier that makes an
 * intercepted code redeemable.
 */
const verifierFor = (secret: string, state: string) =>
  createHmac('sha256', secret).update(`pkce:${state}`).digest('base64url');

export function newFlow(secret: string): SignInFlow {
  const state = randomBytes(32).toString('base64url');
  return { state, verifier: verifierFor(secret, state) };
}

const SESSION_SECONDS = 8 * 3600;
const FLOW_SECONDS = 600;

async function write(c: Context, name: string, secret: string, value: object, seconds: number) {
  const exp = Math.floor(Date.now() / 1000) + seconds;
  const encoded = Buffer.from(JSON.stringify({ ...value, exp })).toString('base64url');
  await setSignedCookie(c, name, encoded, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: seconds,
    secure: new URL(c.req.url).protocol === 'https:',
  });
}

async function read(c: Context, name: string, secret: string): Promise<Record<string, unknown> | undefined> {
  const raw = await getSignedCookie(c, secret, name);
  if (typeof raw !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  // The cookie's Max-Age is the browser's business; the signed expiry is ours.
  if (typeof record.exp !== 'number' || record.exp < Date.now() / 1000) return undefined;
  return record;
}

export async function readSession(c: Context, secret: string): Promise<ForumSession | undefined> {
  const v = await read(c, SESSION_COOKIE, secret);
  if (!v || typeof v.sub !== 'string' || typeof v.idToken !== 'string') return undefined;
  return {
    sub: v.sub,
    acr: typeof v.acr === 'string' ? v.acr : undefined,
    ageOver18: typeof v.ageOver18 === 'boolean' ? v.ageOver18 : undefined,
    idToken: v.idToken,
  };
}

export const writeSession = (c: Context, secret: string, session: ForumSession) =>
  write(c, SESSION_COOKIE, secret, session, SESSION_SECONDS);

export async function takeFlow(c: Context, secret: string): Promise<SignInFlow | undefined> {
  const v = await read(c, FLOW_COOKIE, secret);
  deleteCookie(c, FLOW_COOKIE, { path: '/' });
  if (!v || typeof v.state !== 'string') return undefined;
  return { state: v.state, verifier: verifierFor(secret, v.state) };
}

export const writeFlow = (c: Context, secret: string, flow: SignInFlow) =>
  write(c, FLOW_COOKIE, secret, { state: flow.state }, FLOW_SECONDS);

export const clearSession = (c: Context) => deleteCookie(c, SESSION_COOKIE, { path: '/' });
