import { randomBytes } from 'node:crypto';
import { type Authority, createAuthority } from '../authority.ts';
import { loadConfig } from '../config.ts';
import type { AuthorityContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { type Backend, backends } from '../testing/backends.ts';
import { allocateStatusSlot, isUniqueViolation, type StatusSlot } from './allocate.ts';

export interface TestAuthority extends Authority {
  /** The authority's clock (ms); tests move it. */
  clock: { now: number };
  logs: string[];
}

export interface OpenOptions {
  shardSize?: number;
  publicUrl?: string;
}

export interface StatusBackend {
  name: Backend['name'];
  available: boolean;
  /** A whole authority (keys, secrets, app) on a fresh database of this kind. */
  open(options?: OpenOptions): Promise<TestAuthority>;
}

async function openAuthority(backend: Backend, options: OpenOptions): Promise<TestAuthority> {
  const fresh = await backend.open();
  // The authority opens the database itself; PGlite allows one instance per data directory.
  await fresh.database.close();
  const base = loadConfig({
    ...(fresh.url ? { DATABASE_URL: fresh.url } : { NETID_DATA_DIR: fresh.dataDir! }),
    ...(options.publicUrl ? { NETID_PUBLIC_URL: options.publicUrl } : {}),
  });
  const config = { ...base, statusShardSize: options.shardSize ?? base.statusShardSize };
  const clock = { now: Date.now() };
  const logs: string[] = [];
  const authority = await createAuthority(config, { log: (l) => logs.push(l), now: () => clock.now });
  return {
    ...authority,
    clock,
    logs,
    async close() {
      await authority.close();
      await fresh.cleanup();
    },
  };
}

/** The shared storage backends (testing/backends.ts), each opening a whole authority. */
export const statusBackends: StatusBackend[] = backends.map((backend) => ({
  name: backend.name,
  available: backend.available,
  open: (options = {}) => openAuthority(backend, options),
}));

/** A bare person row for certificates to reference (status lists never look at it). */
export async function insertPerson(db: Db): Promise<string> {
  const netNumber = randomBytes(5).toString('hex').toUpperCase();
  await db
    .insertInto('persons')
    .values({ net_number: netNumber, dedupe_hash: randomBytes(32), created_at: new Date() })
    .execute();
  return netNumber;
}

/** What issuance does with a slot: allocate and insert in one transaction, again on a unique violation. */
export async function insertCertificate(
  ctx: AuthorityContext,
  netNumber: string,
  stats = { retries: 0 },
): Promise<{ certificateId: string; slot: StatusSlot }> {
  const certificateId = randomBytes(16).toString('base64url');
  for (let attempt = 1; ; attempt++) {
    try {
      const slot = await ctx.db.transaction().execute(async (trx) => {
        const slot = await allocateStatusSlot(trx, ctx);
        await trx
          .insertInto('certificates')
          .values({
            certificate_id: certificateId,
            net_number: netNumber,
            device_thumbprint: randomBytes(8).toString('hex'),
            status_shard: slot.shard,
            status_index: slot.index,
            issued_at: new Date(ctx.now()),
            expires_at: new Date(ctx.now() + 86_400_000),
          })
          .execute();
        return slot;
      });
      return { certificateId, slot };
    } catch (error) {
      if (attempt >= 5 || !isUniqueViolation(error)) throw error;
      stats.retries++;
    }
  }
}
