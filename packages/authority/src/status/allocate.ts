import { randomInt } from 'node:crypto';
import type { AuthorityContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { Problem } from '../http/problem.ts';
import { sqlStatusStore } from '../sql/status.ts';
import type { StatusStore } from './store.ts';

/** Two bits per entry, so "suspended" (§7.1, 0x02) can be expressed later without widening the lists. */
export const STATUS_BITS = 2;
/**
 * A shard stops taking slots at 90 %: past that, random probing needs ever more draws (10 on average
 * at 90 %), and a fresh shard costs only one more list for verifiers to cache.
 */
export const SHARD_FILL = 0.9;
/**
 * From 80 % on, the next shard exists already (empty), so it is published and listed in the issuer
 * metadata long before its first certificate: verifiers have it loaded when that one is presented.
 */
export const NEXT_SHARD_FILL = 0.8;
/** Candidates checked per query; at 90 % fill one query finds a free index 81 % of the time. */
const DRAWS_PER_QUERY = 16;
/** 256 draws in all: at 90 % fill the chance that every one is taken is 0.9^256 ≈ 2·10⁻¹². */
const MAX_QUERIES = 16;

export interface StatusSlot {
  shard: number;
  index: number;
  uri: string;
}

export function statusListUri(ctx: Pick<AuthorityContext, 'config'>, shard: number): string {
  return `${ctx.config.publicUrl}/status/${shard}`;
}

/**
 * Takes a status slot for a new certificate inside the caller's transaction `trx`. The index is
 * uniformly random among the free ones, so it says nothing about when its holder enrolled. The
 * caller inserts the certificate with this slot in the same transaction; the unique constraint on
 * (status_shard, status_index) is the final guard, and on a unique violation (see
 * `isUniqueViolation`) the caller runs its transaction again.
 */
export async function allocateStatusSlot(trx: Db, ctx: AuthorityContext): Promise<StatusSlot> {
  const store = sqlStatusStore(trx);
  const { shard, size } = await takeShard(store, ctx.config.statusShardSize);
  const index = await drawFreeIndex(store, shard, size);
  return { shard, index, uri: statusListUri(ctx, shard) };
}

async function takeShard(store: StatusStore, newShardSize: number) {
  // The second look finds our own (or a racer's) new shard; a third is slack.
  for (let attempt = 0; attempt < 3; attempt++) {
    const taken = await store.takeShardWithRoom(SHARD_FILL);
    if (taken) {
      if (taken.allocated >= taken.size * NEXT_SHARD_FILL) {
        await store.ensureShard(taken.shard + 1, newShardSize, STATUS_BITS);
      }
      return taken;
    }
    await store.createNextShard(newShardSize, STATUS_BITS, SHARD_FILL);
  }
  throw slotUnavailable();
}

async function drawFreeIndex(store: StatusStore, shard: number, size: number): Promise<number> {
  for (let query = 0; query < MAX_QUERIES; query++) {
    const candidates = Array.from({ length: DRAWS_PER_QUERY }, () => randomInt(size));
    const taken = await store.takenIndexes(shard, candidates);
    // The first free candidate of a uniform sequence is uniform over the free indexes.
    const free = candidates.find((index) => !taken.has(index));
    if (free !== undefined) return free;
  }
  throw slotUnavailable();
}

function slotUnavailable(): Problem {
  return new Problem(503, 'status_slot_unavailable', 'no status list slot is free right now; try again');
}

/** PostgreSQL's unique_violation (SQLSTATE 23505), as thrown by pg and by PGlite, however wrapped. */
export function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if ((current as { code?: unknown }).code === '23505') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
