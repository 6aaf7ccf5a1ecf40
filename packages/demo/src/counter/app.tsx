/** @jsxImportSource hono/jsx */
import type { SigningKey } from '@netid/protocol';
import { APPLICATION_VCT, createRequest, createVerifier, type Verifier } from '@netid/verifier';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import QRCode from 'qrcode';
import { htmlLang, type Lang, pickLang } from '../i18n.ts';
import { type CheckBook, createCheckBook } from './book.ts';
import { COUNTER_CLAIMS, checkOnSite, createReplayGuard, verifyAnswer } from './check.ts';
import { CheckPage, HomePage, NotFoundPage, OnsitePage } from './pages.tsx';

export interface CounterOptions {
  authorityUrl: string;
  /** The counter's own origin (`http://127.0.0.1:8472`). */
  origin: string;
  clientId: string;
  /** The key whose public half is registered: it signs the requests wallets check. */
  key: SigningKey;
  /** The web wallet's URL: the same-device link opens it with the request; else the openid4vp:// URI. */
  walletUrl?: string;
  /** How the verifier fetches the authority's keys (and status lists) in the background. */
  fetch?: typeof fetch;
  now?: () => number;
}

export interface Counter {
  app: Hono;
  verifier: Verifier;
  close(): void;
}

/** Where wallets post their answers: registered as the counter's one redirect URI. */
export const counterResponseUri = (origin: string) => `${origin}/response`;

const NO_STORE = { 'cache-control': 'no-store' };
/** A direct_post form (or a pasted one) is one presentation and a state; anything near this is not. */
const MAX_FORM = 128 * 1024;

function page(c: Context, lang: Lang, body: unknown, status: 200 | 404 = 200) {
  return c.html(`<!doctype html>${body}`, status, { ...NO_STORE, 'content-language': htmlLang(lang) });
}

/**
 * The sample government service counter (DESIGN.md flow 3): it asks the person's wallet for the
 * counter's application credential (name and network number) with a signed OpenID4VP request shown
 * as a QR code, receives the answer by `direct_post`, and verifies it with @netid/verifier from the
 * authority's keys in memory — the authority never hears of the visit.
 */
export function createCounter(options: CounterOptions): Counter {
  const now = options.now ?? Date.now;
  const responseUri = counterResponseUri(options.origin);
  const verifier = createVerifier({
    issuer: options.authorityUrl,
    vct: [APPLICATION_VCT],
    ...(options.fetch ? { fetch: options.fetch } : {}),
    now,
    // Keys are fetched in the background; a failure is retried there and shows up as a refusal.
    onError: () => {},
  });
  const book: CheckBook = createCheckBook(now);
  const replay = createReplayGuard(now);
  const app = new Hono();
  const langOf = (c: Context) => pickLang(c.req.query('lang'), c.req.header('accept-language'));
  app.use(
    '*',
    bodyLimit({ maxSize: MAX_FORM, onError: (c) => c.json(walletError('malformed', 'too large'), 413) }),
  );

  app.get('/', (c) => page(c, langOf(c), <HomePage lang={langOf(c)} />));

  app.post('/checks', (c) => {
    const request = createRequest({
      clientId: options.clientId,
      responseUri,
      signingKey: options.key,
      claims: COUNTER_CLAIMS,
      now,
    });
    const check = book.open(request);
    return c.redirect(`/checks/${check.id}?lang=${langOf(c)}`, 303);
  });

  app.get('/checks/:id', async (c) => {
    const lang = langOf(c);
    const check = book.get(c.req.param('id'));
    if (!check) return page(c, lang, <NotFoundPage lang={lang} />, 404);
    const status = book.status(check);
    const qrSvg =
      status === 'pending' && check.request
        ? await QRCode.toString(check.request.uri, { type: 'svg', errorCorrectionLevel: 'L', margin: 2 })
        : undefined;
    const reveal = c.req.query('reveal') === '1';
    return page(
      c,
      lang,
      <CheckPage
        lang={lang}
        check={check}
        status={status}
        qrSvg={qrSvg}
        reveal={reveal}
        walletUrl={options.walletUrl}
      />,
    );
  });

  // Only the status: what was disclosed is shown on the page, never in a polled JSON.
  app.get('/checks/:id/status', (c) => {
    const check = book.get(c.req.param('id'));
    return c.json({ status: check ? book.status(check) : 'unknown' }, check ? 200 : 404, NO_STORE);
  });

  // A web wallet posts from its own origin and must read the answer to tell the person why a refusal
  // happened. Any origin, no credentials: the answer is authenticated by its key binding, not cookies.
  app.use(
    '/response',
    cors({ origin: '*', allowMethods: ['POST'], allowHeaders: ['content-type', 'accept'] }),
  );

  // OpenID4VP 1.0 §8.2: the wallet's answer. 200 when taken (a refusal by the person included);
  // 400 with the reason when it cannot be, so the wallet can tell the person why.
  app.post('/response', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const check = book.pendingByState(form.get('state') ?? '');
    if (!check?.request) {
      return c.json(walletError('unknown_request', 'no open request has this state: start again'), 400);
    }
    const outcome = await verifyAnswer(verifier, form, check.request, options.clientId);
    book.settle(check, outcome);
    if (outcome.status === 'verified' || outcome.reason === 'declined') return c.json({}, 200, NO_STORE);
    return c.json(walletError(outcome.reason, outcome.detail), 400, NO_STORE);
  });

  app.get('/onsite', (c) => page(c, langOf(c), <OnsitePage lang={langOf(c)} />));

  app.post('/onsite', async (c) => {
    const body = await c.req.parseBody();
    const pasted = typeof body.presentation === 'string' ? body.presentation : '';
    const outcome = await checkOnSite(verifier, pasted, options.clientId, replay);
    const check = book.record(outcome);
    return c.redirect(`/checks/${check.id}?lang=${langOf(c)}`, 303);
  });

  return { app, verifier, close: () => verifier.close() };
}

/** The answer's error, in OAuth's words for any client and with our reason for the netid wallet. */
function walletError(code: string, description: string) {
  return { error: 'invalid_request', error_description: description, code, title: description };
}
