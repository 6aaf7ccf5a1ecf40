// DESIGN.md guarantees 1 and 2 for sign-ins: many people at several platforms, and afterwards no
// durable table has changed at all — nothing records who signed in where or when — while the
// transient (UNLOGGED) state never names a network number and is gone once its minutes are up.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeServed } from '../issuance/test-support.ts';
import { enrollDevice } from '../selfservice/test-support.ts';
import { sqlTransientStore, transientIsUnlogged } from '../sql/transient.ts';
import { addPlatform, finishSignIn, redeem, startSignIn, walletAnswers } from './test-support.ts';

/** Every durable table's row count and a digest of its contents. */
async function durableFingerprint(served: Parameters<Parameters<typeof describeServed>[1]>[0]) {
  const tables = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and c.relpersistence = 'p' order by 1`.execute(
    served.ctx.db,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const row = await sql<{ digest: string }>`
      select count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as digest
      from ${sql.table(name)} t`.execute(served.ctx.db);
    out[name] = row.rows[0]!.digest;
  }
  return out;
}

describeServed('Sign-ins leave no trace at the authority (guarantees 1, 2)', (served) => {
  it('writes nothing durable for 3 people × 3 platforms × 2 sign-ins, and forgets the rest within minutes', async () => {
    const platforms = [
      await addPlatform(served),
      await addPlatform(served, { modes: ['cert+password'] }),
      await addPlatform(served, { kind: 'government', claims: ['name', 'net_number'], netNumber: true }),
    ];
    const people = [];
    for (let i = 0; i < 3; i++) people.push(await enrollDevice(served, `P-PRIVACY-${i}`));
    expect(await transientIsUnlogged(served.ctx.db)).toBe(true);
    const before = await durableFingerprint(served);
    const subs = new Map<string, Set<string>>();
    for (let round = 0; round < 2; round++) {
      for (const device of people) {
        for (const platform of platforms) {
          const password = platform === platforms[1] ? '20240607' : undefined;
          const started = await startSignIn(served, platform, {
            acr_values: password ? 'cert+password' : 'cert',
            scope: 'openid age name net_number',
          });
          await walletAnswers(served, started, device, {
            approve: true,
            disclose: ['age_over_18', 'name', 'net_number'],
            ...(password ? { password } : {}),
          });
          const claims = (
            await redeem(platform, await finishSignIn(served, platform, started), started)
          ).claims()!;
          const key = `${device.netNumber}`;
          subs.set(key, (subs.get(key) ?? new Set()).add(`${platform.clientId}:${claims.sub}`));
        }
      }
    }
    // Guarantee 1: three distinct subs per person (one per platform), none shared between people.
    const all = [...subs.values()].flatMap((s) => [...s].map((x) => x.split(':')[1]));
    expect(new Set(all).size).toBe(9);
    for (const s of subs.values()) expect(s.size).toBe(3);
    // Guarantee 2: not one durable row was written, updated or deleted by 18 sign-ins.
    expect(await durableFingerprint(served)).toEqual(before);
    // The transient state never names a person by network number or name.
    const netNumbers = people.map((p) => p.netNumber);
    const transient = (
      await sql<{ row: string }>`select t::text as row from transient t`.execute(served.ctx.db)
    ).rows;
    expect(transient.length).toBeGreaterThan(0);
    for (const { row } of transient)
      for (const needle of [...netNumbers, '张三']) expect(row).not.toContain(needle);
    // …and is all gone once the longest lifetime (10 minutes) has passed.
    const count = async () =>
      Number(
        (
          await served.ctx.db
            .selectFrom('transient')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBeGreaterThan(0);
    await sqlTransientStore(served.ctx.db).purgeExpired(new Date(served.clock.now + 11 * 60_000));
    expect(await count()).toBe(0);
  });
});
