import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AuthorityContext } from '../context.ts';
import { Problem } from '../http/problem.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Equal-length digests compared in constant time: neither the token nor its length leaks. */
export function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

const generatedTokens = new WeakMap<AuthorityContext, string>();

/**
 * Guards the operator API with `Authorization: Bearer <NETID_OPERATOR_TOKEN>`. Without a configured
 * token, development makes one up and prints it once; production keeps the API closed. The token
 * is read from the config on every request, so a test (or a reload) can set it.
 */
export function operatorGuard(ctx: AuthorityContext): MiddlewareHandler {
  // One generated token per authority, however many routers guard operator routes with it.
  let generated = generatedTokens.get(ctx);
  if (!generated && !ctx.config.operatorToken && ctx.config.env === 'development') {
    generated = randomBytes(32).toString('base64url');
    generatedTokens.set(ctx, generated);
    ctx.log(`operator API token (development, generated at start): ${generated}`);
  }
  return async (c, next) => {
    const expected = ctx.config.operatorToken ?? generated;
    if (!expected) throw new Problem(503, 'operator_api_disabled', 'the operator API is not configured');
    const match = /^bearer[ ]+(\S+)$/i.exec((c.req.header('authorization') ?? '').trim());
    if (!match || !sameToken(match[1]!, expected)) {
      throw new Problem(401, 'operator_unauthorized', 'the operator token is missing or wrong');
    }
    await next();
  };
}
