import type { Hono } from 'hono';
import type { AuthorityContext } from '../context.ts';
import { platformFinder } from '../platforms/finder.ts';
import { sqlSelfServiceStore } from '../sql/selfservice.ts';
import { sqlTransientStore } from '../sql/transient.ts';
import { createProvider } from './provider.ts';
import { oidcRoutes } from './routes.tsx';

export { OIDC_PATH } from './provider.ts';

/** The OpenID Provider and its wallet side, mounted under `/oidc`. */
export function oidcApp(ctx: AuthorityContext, options: { walletUrl?: string } = {}): Hono {
  const platforms = platformFinder(ctx);
  const transient = sqlTransientStore(ctx.db);
  const findPlatform = (clientId: string) => platforms.find(clientId);
  const provider = createProvider({ ctx, transient, platforms });
  return oidcRoutes({
    ctx,
    provider,
    transient,
    store: sqlSelfServiceStore(ctx.db),
    findPlatform,
    ...(options.walletUrl ? { walletUrl: options.walletUrl } : {}),
  });
}
