import { type Context, Hono } from 'hono';
import type { AuthorityContext } from '../context.ts';
import { Problem, respondProblem } from '../http/problem.ts';
import { sqlStatusStore } from '../sql/status.ts';
import { statusListUri } from './allocate.ts';
import { publishShard, STATUS_LIST_TTL_SECONDS } from './publisher.ts';

/** The same freshness as the token's `ttl`; `public` so any CDN in front may serve it (DESIGN.md). */
const CACHE_CONTROL = `public, max-age=${STATUS_LIST_TTL_SECONDS}`;
/** Shard numbers as we write them: no sign, no leading zeros, no exponent — one URL per list. */
const SHARD_PATTERN = /^(0|[1-9][0-9]{0,8})$/;

/** Every shard's URI, for the issuer metadata: verifiers load them all before any presentation. */
export async function listStatusListUris(ctx: AuthorityContext): Promise<string[]> {
  const shards = await sqlStatusStore(ctx.db).listShards();
  return shards.map((s) => statusListUri(ctx, s.shard));
}

/** `GET /status/:shard`: the shard's Status List Token (draft-ietf-oauth-status-list §8.1). */
export function statusRoutes(ctx: AuthorityContext): Hono {
  const app = new Hono();
  const store = sqlStatusStore(ctx.db);
  // One on-demand publication per shard at a time in this process, however many requests wait on it.
  const publishing = new Map<number, Promise<unknown>>();

  async function publishOnce(shard: number): Promise<void> {
    let pending = publishing.get(shard);
    if (!pending) {
      pending = (async () => {
        const state = await store.findShard(shard);
        if (state) await publishShard(ctx, state);
      })().finally(() => publishing.delete(shard));
      publishing.set(shard, pending);
    }
    await pending;
  }

  /** The stored token; published now if the shard never was or the publisher let it expire. */
  async function currentToken(shard: number): Promise<{ token: string; etag: string } | undefined> {
    const row = await store.findShard(shard);
    if (!row) return undefined;
    const { token, etag, expiresAt } = row;
    if (token && etag && expiresAt && expiresAt.getTime() > ctx.now()) return { token, etag };
    await publishOnce(shard);
    const again = await store.findShard(shard);
    if (!again?.token || !again.etag) {
      throw new Problem(503, 'status_list_unavailable', 'the status list is being published; try again');
    }
    return { token: again.token, etag: again.etag };
  }

  app.get('/status/:shard', async (c: Context) => {
    const param = c.req.param('shard') ?? '';
    const found = SHARD_PATTERN.test(param) ? await currentToken(Number(param)) : undefined;
    if (!found) return respondProblem(c, new Problem(404, 'not_found', 'no such status list'));
    const headers = { etag: found.etag, 'cache-control': CACHE_CONTROL };
    if (matchesIfNoneMatch(c.req.header('if-none-match'), found.etag)) return c.body(null, 304, headers);
    return c.body(found.token, 200, { ...headers, 'content-type': 'application/statuslist+jwt' });
  });
  return app;
}

/** RFC 9110 §13.1.2: `*` or any listed tag, compared weakly (a `W/` prefix is ignored). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}
