import { createHash } from 'node:crypto';
import { isStatusBits, STATUS, StatusList, signStatusListJwt } from '@netid/protocol';
import type { AuthorityContext } from '../context.ts';
import { Problem } from '../http/problem.ts';
import { sqlStatusStore } from '../sql/status.ts';
import { statusListUri } from './allocate.ts';
import type { ShardState } from './store.ts';

/** A token is valid for a day, so verifiers ride out an authority outage of that long. */
export const STATUS_LIST_LIFETIME_SECONDS = 86_400;
/**
 * How long a verifier may cache a list (the token's `ttl`; the HTTP max-age says the same). With the
 * publisher's 10 s period this keeps a revocation visible everywhere within 60 s.
 */
export const STATUS_LIST_TTL_SECONDS = 30;

/** Re-sign when the shard changed, was never published, or its token is in the last quarter of its life. */
export function needsPublishing(shard: ShardState, nowMs: number): boolean {
  if (shard.version !== shard.publishedVersion) return true;
  if (!shard.etag || !shard.publishedAt || !shard.expiresAt) return true;
  const lifetime = shard.expiresAt.getTime() - shard.publishedAt.getTime();
  return shard.expiresAt.getTime() - nowMs <= lifetime / 4;
}

/** A strong validator: a different token is always a different tag. */
export function tokenEtag(token: string): string {
  return `"${createHash('sha256').update(token).digest('base64url')}"`;
}

/**
 * Builds, signs and stores the shard's list. `shard` must have been read BEFORE this call: the list
 * is read after it, so it holds at least the revocations of `shard.version` (a later one makes the
 * version differ again, and the next run re-signs). False when another publisher stored a token
 * since `shard` was read — compare-and-set, so a slower process never overwrites a newer list.
 */
export async function publishShard(ctx: AuthorityContext, shard: ShardState): Promise<boolean> {
  const store = sqlStatusStore(ctx.db);
  if (!isStatusBits(shard.bits)) {
    throw new Problem(500, 'status_list_corrupt', 'a status shard has an unsupported width');
  }
  const list = new StatusList(shard.bits, shard.size);
  for (const index of await store.revokedIndexes(shard.shard)) list.set(index, STATUS.INVALID);
  const iat = Math.floor(ctx.now() / 1000);
  const exp = iat + STATUS_LIST_LIFETIME_SECONDS;
  const token = signStatusListJwt(
    { uri: statusListUri(ctx, shard.shard), list, iat, exp, ttl: STATUS_LIST_TTL_SECONDS },
    ctx.issuerKeys.signing(),
  );
  return store.savePublication(
    shard.shard,
    { publishedVersion: shard.publishedVersion, etag: shard.etag },
    {
      version: shard.version,
      token,
      etag: tokenEtag(token),
      publishedAt: new Date(iat * 1000),
      expiresAt: new Date(exp * 1000),
    },
  );
}

/**
 * Re-signs every shard that needs it; resolves to how many this call stored. Safe to run from
 * several processes at once. A shard that fails does not stop the others; the first failure is
 * rethrown once all were tried.
 */
export async function publishStatusLists(ctx: AuthorityContext): Promise<number> {
  const shards = await sqlStatusStore(ctx.db).listShards();
  let published = 0;
  let firstError: unknown;
  for (const shard of shards) {
    if (!needsPublishing(shard, ctx.now())) continue;
    try {
      if (await publishShard(ctx, shard)) published++;
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
  return published;
}

export interface StatusPublisher {
  /** Stops the timer; resolves once a run in progress has finished. */
  stop(): Promise<void>;
}

/** Runs the publisher now and then every `intervalMs` after each run ends; never keeps the process alive. */
export function startStatusPublisher(
  ctx: AuthorityContext,
  options: { intervalMs?: number } = {},
): StatusPublisher {
  const intervalMs = options.intervalMs ?? 10_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const run = () => {
    running = publishStatusLists(ctx)
      .then(
        () => {},
        // Name and code only: a database error's message can quote the values of the row it hit.
        (error) => ctx.log(`status publisher: run failed (${describeError(error)})`),
      )
      .finally(() => {
        running = undefined;
        if (stopped) return;
        timer = setTimeout(run, intervalMs);
        timer.unref();
      });
  };
  run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return [name, code].filter((part) => typeof part === 'string').join(' ') || 'unknown error';
}
