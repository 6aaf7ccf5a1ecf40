/** @jsxImportSource hono/jsx */
import type { SigningKey } from '@netid/protocol';
import { type Context, Hono } from 'hono';
import { AuthorizationResponseError } from 'openid-client';
import { htmlLang, type Lang, pickLang } from '../i18n.ts';
import { forumClient } from './client.ts';
import { ErrorPage, HomePage, SignedInPage } from './pages.tsx';
import { clearSession, newFlow, readSession, takeFlow, writeFlow, writeSession } from './session.ts';
import type { SignInProblem } from './text.ts';

export interface ForumOptions {
  authorityUrl: string;
  /** The forum's own origin (`http://127.0.0.1:8471`): its redirect URIs are registered under it. */
  origin: string;
  clientId: string;
  key: SigningKey;
  /** Signs the session cookies (at least 32 characters). */
  sessionSecret: string;
}

/** The addresses the forum registers: where the provider sends the browser back. */
export const forumRedirectUri = (origin: string) => `${origin}/callback`;
export const forumPostLogoutUri = (origin: string) => `${origin}/`;

const NO_STORE = { 'cache-control': 'no-store' };

function page(c: Context, lang: Lang, body: unknown, status: 200 | 400 | 502 = 200) {
  return c.html(`<!doctype html>${body}`, status, { ...NO_STORE, 'content-language': htmlLang(lang) });
}

/** What went wrong, from what openid-client threw: the provider's own words where it has them. */
function problemOf(error: unknown): { problem: SignInProblem; detail?: string; status: 400 | 502 } {
  if (error instanceof AuthorizationResponseError) {
    const problem: SignInProblem =
      error.error === 'access_denied'
        ? 'access_denied'
        : error.error === 'unmet_authentication_requirements'
          ? 'unavailable'
          : 'failed';
    return { problem, detail: error.error_description ?? error.error, status: 400 };
  }
  const e = error as { error?: unknown; message?: unknown; cause?: unknown };
  // The token endpoint's refusal (a code used twice, or too late).
  if (e?.error === 'invalid_grant') return { problem: 'expired', status: 400 };
  if (e?.cause instanceof Error && /fetch failed|ECONNREFUSED/.test(`${e.message} ${e.cause.message}`)) {
    return { problem: 'unreachable', status: 502 };
  }
  if (error instanceof TypeError && /fetch failed/.test(error.message)) {
    return { problem: 'unreachable', status: 502 };
  }
  return { problem: 'failed', detail: typeof e?.message === 'string' ? e.message : undefined, status: 400 };
}

/**
 * The sample internet forum (DESIGN.md flow 2): "Sign in with netid" by OpenID Connect with PAR,
 * PKCE and private_key_jwt, asking only for the `age_over_18` predicate. It keeps no database:
 * the person is their application identifier, held in a signed cookie.
 */
export function createForum(options: ForumOptions): Hono {
  const redirectUri = forumRedirectUri(options.origin);
  const client = forumClient({ ...options, redirectUri });
  const secret = options.sessionSecret;
  const app = new Hono();
  const langOf = (c: Context) => pickLang(c.req.query('lang'), c.req.header('accept-language'));

  app.get('/', async (c) => {
    const lang = langOf(c);
    const session = await readSession(c, secret);
    return page(c, lang, session ? <SignedInPage lang={lang} session={session} /> : <HomePage lang={lang} />);
  });

  app.get('/login', async (c) => {
    const flow = newFlow(secret);
    let url: URL;
    try {
      url = await client.startSignIn(flow);
    } catch (error) {
      const { problem, detail, status } = problemOf(error);
      return page(c, langOf(c), <ErrorPage lang={langOf(c)} problem={problem} detail={detail} />, status);
    }
    await writeFlow(c, secret, flow);
    return c.redirect(url.href, 303);
  });

  app.get('/callback', async (c) => {
    const lang = langOf(c);
    const flow = await takeFlow(c, secret);
    if (!flow) return page(c, lang, <ErrorPage lang={lang} problem="expired" />, 400);
    // The URL as registered, not as the Host header says: the token request repeats it exactly.
    const callback = new URL(redirectUri);
    callback.search = new URL(c.req.url).search;
    try {
      await writeSession(c, secret, await client.finishSignIn(callback, flow));
    } catch (error) {
      const { problem, detail, status } = problemOf(error);
      return page(c, lang, <ErrorPage lang={lang} problem={problem} detail={detail} />, status);
    }
    return c.redirect('/', 303);
  });

  // POST, so a link elsewhere cannot sign the person out; SameSite=Lax keeps cross-site posts out.
  app.post('/logout', async (c) => {
    const session = await readSession(c, secret);
    clearSession(c);
    if (!session) return c.redirect('/', 303);
    try {
      const url = await client.endSessionUrl(session.idToken, forumPostLogoutUri(options.origin));
      return c.redirect(url.href, 303);
    } catch {
      // The provider cannot be reached: the forum's own session is gone all the same.
      return c.redirect('/', 303);
    }
  });

  return app;
}
