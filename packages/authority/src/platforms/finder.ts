import type { AuthorityContext } from '../context.ts';
import { sqlPlatformStore } from '../sql/platforms.ts';
import type { Platform } from './platform.ts';

export interface PlatformFinder {
  /** The registered platform in any state; callers decide what a pending or suspended one may do. */
  find(clientId: string): Promise<Platform | undefined>;
  /**
   * The platform's client secret as it was handed to the operator (base64url of 32 bytes), opened
   * from its KEK seal. Undefined when it has none — and always in production, where secrets are
   * not a way to authenticate even if a development database was carried over.
   */
  clientSecret(platform: Platform): string | undefined;
}

/** What the OpenID Provider needs from the register to build client metadata. */
export function platformFinder(ctx: Pick<AuthorityContext, 'config' | 'db' | 'sealer'>): PlatformFinder {
  const store = sqlPlatformStore(ctx.db);
  return {
    find: (clientId) => store.find(clientId),
    clientSecret(platform) {
      if (ctx.config.env !== 'development' || !platform.clientSecretEnc) return undefined;
      return ctx.sealer
        .open(platform.clientSecretEnc, `platform-secret:${platform.clientId}`)
        .toString('base64url');
    },
  };
}
