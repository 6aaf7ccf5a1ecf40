/** @jsxImportSource hono/jsx */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { walletLink } from '@netid/protocol/wallet-link';
import { type Context, Hono } from 'hono';
import type Provider from 'oidc-provider';
import QRCode from 'qrcode';
import type { AuthorityContext } from '../context.ts';
import { NO_STORE } from '../http/no-store.ts';
import { Problem } from '../http/problem.ts';
import type { Platform } from '../platforms/platform.ts';
import type { SelfServiceStore } from '../selfservice/store.ts';
import type { TransientStore } from '../transient/store.ts';
import { interactionStatus } from './finish.ts';
import { pickLang } from './i18n.ts';
import { chooseMode } from './modes.ts';
import { AuthorizationPage } from './page.tsx';
import { OIDC_PATH } from './provider.ts';
import { claimsToAsk, requestedClaims } from './scopes.ts';
import { findWalletRequest, walletRequestFor } from './wallet-request.ts';
import { answerWalletRequest } from './wallet-response.ts';

export interface OidcRouteDeps {
  ctx: AuthorityContext;
  provider: Provider;
  transient: TransientStore;
  store: SelfServiceStore;
  findPlatform(clientId: string): Promise<Platform | undefined>;
  /** The web wallet's URL for the same-device link; without it, the bare openid4vp:// URI. */
  walletUrl?: string;
}

/** oidc-provider speaks Node's req/res; over `app.request()` there are none. */
function nodeBindings(c: Context): { req: IncomingMessage; res: ServerResponse } {
  const env = c.env as Partial<HttpBindings> | undefined;
  if (!env?.incoming || !env.outgoing) {
    throw new Problem(501, 'http_only', 'the OpenID Provider is served over HTTP only');
  }
  return { req: env.incoming as IncomingMessage, res: env.outgoing as ServerResponse };
}

/** Hands the request to oidc-provider (Koa) under `/oidc`, and waits until it has answered. */
async function toProvider(handle: ReturnType<Provider['callback']>, c: Context): Promise<Response> {
  const { req, res } = nodeBindings(c);
  const original = req.url ?? '/';
  (req as IncomingMessage & { originalUrl?: string }).originalUrl = original;
  req.url = original.slice(OIDC_PATH.length) || '/';
  await new Promise<void>((resolve) => {
    res.once('close', resolve);
    res.once('finish', resolve);
    handle(req, res);
  });
  return RESPONSE_ALREADY_SENT;
}

/** oidc-provider's own errors (no session, expired interaction) as problems, never a 500. */
function providerProblem(error: unknown): never {
  const e = error as { statusCode?: number; error?: string; error_description?: string };
  if (typeof e?.error === 'string' && typeof e.statusCode === 'number' && e.statusCode < 500) {
    throw new Problem(
      e.statusCode as 400,
      e.error,
      e.error_description ?? 'the sign-in cannot continue',
      'start again at the platform',
    );
  }
  throw error;
}

export function oidcRoutes(deps: OidcRouteDeps): Hono {
  const { ctx, provider, transient } = deps;
  const app = new Hono();

  // The authorization page: the browser that started the sign-in, proven by its interaction cookie.
  app.get(`${OIDC_PATH}/interaction/:uid`, async (c) => {
    const { req, res } = nodeBindings(c);
    const details = await provider.interactionDetails(req, res).catch(providerProblem);
    const clientId = String(details.params.client_id);
    const platform = await deps.findPlatform(clientId);
    const finishWith = async (error: string, description: string) => {
      await provider.interactionFinished(req, res, { error, error_description: description });
      return RESPONSE_ALREADY_SENT;
    };
    if (platform?.state !== 'approved') return finishWith('access_denied', 'this platform is suspended');
    const mode = chooseMode(details.params.acr_values as string | undefined, platform.allowedModes);
    if ('error' in mode) return finishWith(mode.error, mode.description);
    const claims = claimsToAsk(
      requestedClaims(details.params.scope as string | undefined, details.params.claims),
      platform,
    );
    const request = await walletRequestFor(ctx, transient, details.uid, platform, claims, mode.mode);
    const lang = pickLang(c.req.query('lang'), c.req.header('accept-language'));
    // One byte segment and a fixed mask: the encoder's segment and mask searches were a tenth of a
    // sign-in's CPU (bench/signin.ts), and any mask scans.
    const qrSvg = await QRCode.toString([{ data: Buffer.from(request.uri), mode: 'byte' }], {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
      maskPattern: 0,
    });
    const openWalletHref = deps.walletUrl ? walletLink(deps.walletUrl, request.uri) : request.uri;
    const page = (
      <AuthorizationPage
        lang={lang}
        platform={platform}
        request={request}
        qrSvg={qrSvg}
        openWalletHref={openWalletHref}
        statusUrl={`${OIDC_PATH}/interaction/${details.uid}/status`}
        switchHref={`?lang=${lang === 'zh' ? 'en' : 'zh'}`}
        refreshHref={`?lang=${lang}`}
      />
    );
    return c.html(`<!doctype html>${page}`, 200, {
      ...NO_STORE,
      'content-language': lang === 'zh' ? 'zh-CN' : 'en',
    });
  });

  app.get(`${OIDC_PATH}/interaction/:uid/status`, async (c) =>
    c.json(await interactionStatus(provider, c.req.param('uid')), 200, NO_STORE),
  );

  // The wallet fetches the signed request object (OID4VP 1.0 §5.7, JAR).
  app.get(`${OIDC_PATH}/vp/request/:id`, async (c) => {
    const request = await findWalletRequest(ctx, transient, c.req.param('id'));
    if (!request) throw new Problem(404, 'request_expired', 'this request is used or expired');
    return c.body(request.requestObject, 200, {
      ...NO_STORE,
      'content-type': 'application/oauth-authz-req+jwt',
    });
  });

  // The wallet's answer (`direct_post`).
  app.post(`${OIDC_PATH}/vp/response/:id`, async (c) => {
    const form = await c.req.parseBody();
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(form)) if (typeof v === 'string') fields[k] = v;
    return c.json(await answerWalletRequest(deps, c.req.param('id'), fields), 200, NO_STORE);
  });

  // Koa composes its middleware in callback(): once, not per request.
  const handle = provider.callback();
  app.all(`${OIDC_PATH}/*`, (c) => toProvider(handle, c));
  app.all(OIDC_PATH, (c) => toProvider(handle, c));
  return app;
}
