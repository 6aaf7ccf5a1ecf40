import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation, SHARD_FILL } from './allocate.ts';
import { insertCertificate, insertPerson, statusBackends, type TestAuthority } from './test-support.ts';

/** Pearson correlation: near 0 when indexes say nothing about allocation order, 1 for a counter. */
function correlation(xs: number[], ys: number[]): number {
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const [mx, my] = [mean(xs), mean(ys)];
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

async function shardCounts(authority: TestAuthority) {
  const shards = await authority.ctx.db
    .selectFrom('status_shards')
    .select(['shard', 'allocated'])
    .orderBy('shard')
    .execute();
  const certificates = await authority.ctx.db
    .selectFrom('certificates')
    .select(['status_shard', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('status_shard')
    .orderBy('status_shard')
    .execute();
  return {
    allocated: shards.map((s) => [s.shard, s.allocated]),
    certificates: certificates.map((c) => [c.status_shard, Number(c.n)]),
  };
}

for (const backend of statusBackends) {
  describe.skipIf(!backend.available)(`allocateStatusSlot on ${backend.name}`, () => {
    describe('2,000 sequential allocations in 2^11-entry shards', () => {
      const SIZE = 2 ** 11;
      let authority: TestAuthority;
      const slots: { shard: number; index: number; uri: string }[] = [];
      beforeAll(async () => {
        authority = await backend.open({ shardSize: SIZE, publicUrl: 'https://id.example.gov' });
        const person = await insertPerson(authority.ctx.db);
        for (let i = 0; i < 2000; i++) slots.push((await insertCertificate(authority.ctx, person)).slot);
      }, 120_000);
      afterAll(() => authority?.close());

      it('never gives a slot twice', () => {
        expect(new Set(slots.map((s) => `${s.shard}/${s.index}`)).size).toBe(2000);
      });

      it('fills a shard to 90 %, then rolls over to the next, whose URI names it', async () => {
        const inFirst = Math.ceil(SIZE * SHARD_FILL); // 1844
        expect(await shardCounts(authority)).toEqual({
          allocated: [
            [0, inFirst],
            [1, 2000 - inFirst],
          ],
          certificates: [
            [0, inFirst],
            [1, 2000 - inFirst],
          ],
        });
        expect(slots.slice(0, inFirst).every((s) => s.shard === 0)).toBe(true);
        expect(slots.slice(inFirst).every((s) => s.shard === 1)).toBe(true);
        expect(slots[0]!.uri).toBe('https://id.example.gov/status/0');
        expect(slots.at(-1)!.uri).toBe('https://id.example.gov/status/1');
        expect(slots.every((s) => s.index >= 0 && s.index < SIZE)).toBe(true);
      });

      it('spreads indexes over the whole range, whatever the order of enrollment', () => {
        const first = slots.slice(0, 500).map((s) => s.index);
        // Binomial(500, 1/8): mean 62.5, sd 7.4; 25 and 105 are more than 5 sd away.
        const buckets = new Array(8).fill(0);
        for (const index of first) buckets[Math.floor(index / (SIZE / 8))]++;
        for (const count of buckets) expect(count).toBeGreaterThan(25);
        for (const count of buckets) expect(count).toBeLessThan(105);
        // A counter would correlate perfectly with enrollment order; sd of r here is about 0.023.
        const shard0 = slots.filter((s) => s.shard === 0);
        const r = correlation(
          shard0.map((_, i) => i),
          shard0.map((s) => s.index),
        );
        expect(Math.abs(r)).toBeLessThan(0.15);
      });
    });

    describe('rollover in tiny (16-entry) shards', () => {
      let authority: TestAuthority;
      let person: string;
      beforeAll(async () => {
        authority = await backend.open({ shardSize: 16 });
        person = await insertPerson(authority.ctx.db);
      });
      afterAll(() => authority?.close());

      it('creates the next shard, empty, at 80 % so it is listed before its first certificate', async () => {
        const shardNumbers = async () =>
          (await authority.ctx.db.selectFrom('status_shards').select('shard').orderBy('shard').execute()).map(
            (s) => s.shard,
          );
        for (let i = 0; i < 12; i++) await insertCertificate(authority.ctx, person);
        expect(await shardNumbers()).toEqual([0]);
        // 13 of 16 is past 80 %: shard 1 appears, with nothing in it yet.
        expect((await insertCertificate(authority.ctx, person)).slot.shard).toBe(0);
        expect(await shardNumbers()).toEqual([0, 1]);
        const meta = await authority.app.request('/.well-known/jwt-vc-issuer');
        expect(((await meta.json()) as { status_lists: string[] }).status_lists).toEqual([
          `${authority.ctx.config.publicUrl}/status/0`,
          `${authority.ctx.config.publicUrl}/status/1`,
        ]);
        // 15 = ⌈16 · 0.9⌉ slots in shard 0, then shard 1.
        expect((await insertCertificate(authority.ctx, person)).slot.shard).toBe(0);
        expect((await insertCertificate(authority.ctx, person)).slot.shard).toBe(0);
        expect((await insertCertificate(authority.ctx, person)).slot.shard).toBe(1);
        expect((await shardCounts(authority)).allocated).toEqual([
          [0, 15],
          [1, 1],
        ]);
      });
    });

    describe('concurrency', () => {
      let authority: TestAuthority;
      beforeAll(async () => {
        authority = await backend.open({ shardSize: 16 });
      });
      afterAll(() => authority?.close());

      it('20 parallel transactions, twice, across shard rollovers: no slot given twice', async () => {
        const person = await insertPerson(authority.ctx.db);
        const stats = { retries: 0 };
        const results = [];
        for (let round = 0; round < 2; round++) {
          results.push(
            ...(await Promise.all(
              Array.from({ length: 20 }, () => insertCertificate(authority.ctx, person, stats)),
            )),
          );
        }
        const keys = results.map((r) => `${r.slot.shard}/${r.slot.index}`);
        expect(new Set(keys).size).toBe(40);
        // Counters agree with what was inserted: 15 per shard (90 % of 16), the rest in shard 2.
        expect(await shardCounts(authority)).toEqual({
          allocated: [
            [0, 15],
            [1, 15],
            [2, 10],
          ],
          certificates: [
            [0, 15],
            [1, 15],
            [2, 10],
          ],
        });
        // The shard row lock serialises allocations in a shard, so the free-index check never misses a
        // concurrent slot: the unique constraint stays a guard that never fires.
        expect(stats.retries).toBe(0);
      });

      it('the unique constraint refuses a slot given twice, and isUniqueViolation recognises it', async () => {
        const person = await insertPerson(authority.ctx.db);
        const { slot } = await insertCertificate(authority.ctx, person);
        const duplicate = authority.ctx.db
          .insertInto('certificates')
          .values({
            certificate_id: 'duplicate-slot',
            net_number: person,
            device_thumbprint: 'x',
            status_shard: slot.shard,
            status_index: slot.index,
            issued_at: new Date(),
            expires_at: new Date(),
          })
          .execute();
        const error = await duplicate.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isUniqueViolation(error)).toBe(true);
        expect(isUniqueViolation(new Error('wrapped', { cause: error }))).toBe(true);
        // A foreign-key violation (23503) is not a collision to retry.
        const orphan = await authority.ctx.db
          .insertInto('certificates')
          .values({
            certificate_id: 'orphan',
            net_number: 'NOSUCHPERSON',
            device_thumbprint: 'x',
            status_shard: 0,
            status_index: 16, // beyond the shard: never allocated, so only the person is wrong
            issued_at: new Date(),
            expires_at: new Date(),
          })
          .execute()
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(orphan).toBeDefined();
        expect(isUniqueViolation(orphan)).toBe(false);
        expect(isUniqueViolation(new Error('23505'))).toBe(false);
        expect(isUniqueViolation(undefined)).toBe(false);
      });
    });
  });
}
