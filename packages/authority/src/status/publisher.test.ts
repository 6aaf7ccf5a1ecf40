import { randomInt } from 'node:crypto';
import { KeySet, parseJws, STATUS, verifyStatusListJwt } from '@netid/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlStatusStore } from '../sql/status.ts';
import { needsPublishing, publishShard, publishStatusLists, startStatusPublisher } from './publisher.ts';
import { revokeCertificate } from './revoke.ts';
import { insertCertificate, insertPerson, statusBackends, type TestAuthority } from './test-support.ts';

const HOUR = 3_600_000;

for (const backend of statusBackends) {
  describe.skipIf(!backend.available)(`the status publisher on ${backend.name}`, () => {
    let authority: TestAuthority;
    let person: string;
    let keys: KeySet;

    /** The served list for `shard`, verified as a verifier would (§8.3) against the served JWKS. */
    async function servedList(shard: number) {
      const res = await authority.app.request(`/status/${shard}`);
      expect(res.status).toBe(200);
      const token = await res.text();
      const verified = verifyStatusListJwt(token, keys, {
        now: Math.floor(authority.clock.now / 1000),
        uri: `${authority.ctx.config.publicUrl}/status/${shard}`,
      });
      return { token, verified };
    }
    const shardRow = (shard: number) =>
      authority.ctx.db
        .selectFrom('status_shards')
        .selectAll()
        .where('shard', '=', shard)
        .executeTakeFirstOrThrow();

    beforeAll(async () => {
      authority = await backend.open({ shardSize: 2 ** 12 });
      person = await insertPerson(authority.ctx.db);
      keys = new KeySet(await (await authority.app.request('/jwks')).json());
    });
    afterAll(() => authority?.close());

    it('publishes a revocation: that index is INVALID, never-revoked ones VALID', async () => {
      const revoked = await insertCertificate(authority.ctx, person);
      const kept = await insertCertificate(authority.ctx, person);
      await publishStatusLists(authority.ctx);
      expect((await servedList(0)).verified.list.get(revoked.slot.index)).toBe(STATUS.VALID);

      await revokeCertificate(authority.ctx.db, revoked.certificateId, 'lost_device', new Date());
      expect(await publishStatusLists(authority.ctx)).toBe(1);
      const { token, verified } = await servedList(0);
      expect(verified.list.get(revoked.slot.index)).toBe(STATUS.INVALID);
      expect(verified.list.get(kept.slot.index)).toBe(STATUS.VALID);
      // Every other entry is clear: exactly one revoked certificate in the shard.
      let set = 0;
      for (let i = 0; i < verified.list.size; i++) if (verified.list.get(i) !== STATUS.VALID) set++;
      expect(set).toBe(1);
      // Two bits per entry (room for SUSPENDED), a day of validity, 30 s for caches (§5.1).
      expect(verified.list.bits).toBe(2);
      expect(verified.list.size).toBe(2 ** 12);
      expect(verified.ttl).toBe(30);
      expect(verified.exp! - verified.iat).toBe(86_400);
      expect(verified.iat).toBe(Math.floor(authority.clock.now / 1000));
      expect(parseJws(token).header).toMatchObject({
        typ: 'statuslist+jwt',
        kid: authority.ctx.issuerKeys.signing().kid,
      });
    });

    it('re-signs only what changed, or what is in the last quarter of its life', async () => {
      await publishStatusLists(authority.ctx);
      expect(await publishStatusLists(authority.ctx)).toBe(0);
      const before = await shardRow(0);
      authority.clock.now += 18 * HOUR - 60_000; // 6 h 1 min left of 24 h: not yet
      expect(await publishStatusLists(authority.ctx)).toBe(0);
      authority.clock.now += 60_000; // exactly a quarter left
      expect(await publishStatusLists(authority.ctx)).toBe(1);
      const after = await shardRow(0);
      expect(after.expires_at!.getTime()).toBe(before.expires_at!.getTime() + 18 * HOUR);
      expect(after.etag).not.toBe(before.etag);
      expect(Number(after.published_version)).toBe(Number(before.published_version));
    });

    it('a list read before a revocation is stored but stays due, so the next run catches up', async () => {
      const store = sqlStatusStore(authority.ctx.db);
      await publishStatusLists(authority.ctx);
      const { certificateId, slot } = await insertCertificate(authority.ctx, person);
      const state = (await store.findShard(0))!;
      await revokeCertificate(authority.ctx.db, certificateId, 'holder_request', new Date());
      // Published against the state read before the revocation: stored, but labelled with that version.
      expect(await publishShard(authority.ctx, state)).toBe(true);
      const row = await store.findShard(0);
      expect(needsPublishing(row!, authority.clock.now)).toBe(true);
      expect(await publishStatusLists(authority.ctx)).toBe(1);
      expect((await servedList(0)).verified.list.get(slot.index)).toBe(STATUS.INVALID);
    });

    it('compare-and-set: a publisher working from a stale read never overwrites a newer list', async () => {
      const store = sqlStatusStore(authority.ctx.db);
      const { certificateId } = await insertCertificate(authority.ctx, person);
      await revokeCertificate(authority.ctx.db, certificateId, 'holder_request', new Date());
      const stale = (await store.findShard(0))!;
      expect(await publishShard(authority.ctx, stale)).toBe(true); // the faster process
      const stored = await shardRow(0);
      authority.clock.now += 1000;
      expect(await publishShard(authority.ctx, stale)).toBe(false); // the slower one loses
      expect(await shardRow(0)).toEqual(stored);
    });

    it('two publishers at once store the change once, and the result is current', async () => {
      const { certificateId, slot } = await insertCertificate(authority.ctx, person);
      await revokeCertificate(authority.ctx.db, certificateId, 'reissued', new Date());
      const counts = await Promise.all([
        publishStatusLists(authority.ctx),
        publishStatusLists(authority.ctx),
      ]);
      expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
      const row = await shardRow(0);
      expect(Number(row.published_version)).toBe(Number(row.version));
      expect((await servedList(0)).verified.list.get(slot.index)).toBe(STATUS.INVALID);
    });

    it('startStatusPublisher publishes on a timer until stopped', async () => {
      const { certificateId, slot } = await insertCertificate(authority.ctx, person);
      await revokeCertificate(authority.ctx.db, certificateId, 'deceased', new Date());
      const publisher = startStatusPublisher(authority.ctx, { intervalMs: 20 });
      try {
        await expect
          .poll(async () => (await servedList(0)).verified.list.get(slot.index), {
            timeout: 3000,
            interval: 20,
          })
          .toBe(STATUS.INVALID);
      } finally {
        await publisher.stop();
      }
      const { certificateId: later } = await insertCertificate(authority.ctx, person);
      await revokeCertificate(authority.ctx.db, later, 'deceased', new Date());
      await new Promise((resolve) => setTimeout(resolve, 100));
      const row = await shardRow(0);
      expect(Number(row.published_version)).toBe(Number(row.version) - 1);
    });

    it('a failing run is logged by name only, and the timer keeps going', async () => {
      const { certificateId } = await insertCertificate(authority.ctx, person);
      await revokeCertificate(authority.ctx.db, certificateId, 'deceased', new Date());
      const logs: string[] = [];
      const broken = {
        ...authority.ctx,
        log: (line: string) => logs.push(line),
        issuerKeys: {
          ...authority.ctx.issuerKeys,
          signing: () => {
            throw new TypeError('key for 110101199003077777 unavailable');
          },
        },
      };
      const publisher = startStatusPublisher(broken, { intervalMs: 20 });
      try {
        await expect.poll(() => logs.length, { timeout: 3000, interval: 20 }).toBeGreaterThanOrEqual(2);
      } finally {
        await publisher.stop();
      }
      expect(logs[0]).toBe('status publisher: run failed (TypeError)');
      expect(logs.join('\n')).not.toContain('110101199003077777');
    });
  });
}

for (const backend of statusBackends) {
  describe.skipIf(!backend.available)(`a full-size shard on ${backend.name}`, () => {
    let authority: TestAuthority;
    beforeAll(async () => {
      authority = await backend.open();
    });
    afterAll(() => authority?.close());

    it('publishes 2^20 entries with 1 % revoked well within the publisher period', async () => {
      const { ctx } = authority;
      const size = ctx.config.statusShardSize;
      expect(size).toBe(2 ** 20);
      const person = await insertPerson(ctx.db);
      await insertCertificate(ctx, person); // creates shard 0
      const revoked = new Set<number>();
      while (revoked.size < size / 100) revoked.add(randomInt(size));
      const indexes = [...revoked];
      const now = new Date(ctx.now());
      for (let i = 0; i < indexes.length; i += 2000) {
        await ctx.db
          .insertInto('certificates')
          .values(
            indexes.slice(i, i + 2000).map((index) => ({
              certificate_id: `bulk-${index}`,
              net_number: person,
              device_thumbprint: 'x',
              status_shard: 0,
              status_index: index,
              issued_at: now,
              expires_at: now,
              revoked_at: now,
              revocation_reason: 'holder_request',
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      const started = performance.now();
      expect(await publishStatusLists(ctx)).toBe(1);
      const elapsed = performance.now() - started;
      const res = await authority.app.request('/status/0');
      const token = await res.text();
      const list = verifyStatusListJwt(token, new KeySet(ctx.issuerKeys.jwks())).list;
      expect(indexes.every((i) => list.get(i) === STATUS.INVALID)).toBe(true);
      let set = 0;
      for (let i = 0; i < list.size; i++) if (list.get(i) !== STATUS.VALID) set++;
      expect(set).toBe(indexes.length);
      if (process.env.NETID_REPORT_FIGURES) {
        console.log(
          `${backend.name}: 2^20 shard, ${indexes.length} revoked: publish ${elapsed.toFixed(0)} ms, token ${token.length} bytes`,
        );
      }
      expect(elapsed).toBeLessThan(5000);
    }, 60_000);
  });
}
