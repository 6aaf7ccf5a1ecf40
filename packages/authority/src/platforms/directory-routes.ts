import { Hono } from 'hono';
import type { AuthorityContext } from '../context.ts';
import { sqlPlatformStore } from '../sql/platforms.ts';
import { approvedPlatform } from './approved.ts';
import type { Platform } from './platform.ts';
import { CLIENT_ID_PATTERN } from './registration.ts';

/** What anyone may know of an approved platform: who asks, for what, why, and with which keys. */
export function directoryPlatformView(p: Platform): Record<string, unknown> {
  return {
    client_id: p.clientId,
    kind: p.kind,
    name: p.name,
    purpose: p.purpose,
    allowed_claims: p.allowedClaims,
    allowed_modes: p.allowedModes,
    may_request_net_number: p.mayRequestNetNumber,
    redirect_uris: p.redirectUris,
    jwks: p.jwks,
    state: p.state,
  };
}

/** A platform in the directory's list: enough for a wallet to offer "show my code to …". */
export function directoryListEntry(p: Platform): Record<string, unknown> {
  return { client_id: p.clientId, kind: p.kind, name: p.name, purpose: p.purpose };
}

/**
 * The public directory of platforms. Wallets read it to show the person who is asking and to check
 * a direct-verification request's signature and response URI. It is the same answer for everyone
 * and cached, and nothing about the caller is logged: a wallet looking a platform up must not
 * become a record of which person is about to use which platform (guarantee 2).
 */
export function platformDirectoryRoutes(ctx: AuthorityContext): Hono {
  const app = new Hono();
  const store = sqlPlatformStore(ctx.db);

  // Approved platforms only: a pending one is nobody's business yet, a suspended one is no offer.
  app.get('/platforms', async (c) => {
    const approved = (await store.list()).filter((p) => p.state === 'approved');
    return c.json({ platforms: approved.map(directoryListEntry) }, 200, {
      'cache-control': 'public, max-age=60',
    });
  });

  app.get('/platforms/:clientId', async (c) => {
    const clientId = c.req.param('clientId');
    const platform = approvedPlatform(
      CLIENT_ID_PATTERN.test(clientId) ? await store.find(clientId) : undefined,
    );
    return c.json(directoryPlatformView(platform), 200, { 'cache-control': 'public, max-age=60' });
  });

  return app;
}
