import { generateNetNumber } from '@netid/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { sqlPersonStore } from '../sql/persons.ts';
import { type Backend, backends } from '../testing/backends.ts';

describe.each(backends)('PersonStore on $name', (backend: Backend) => {
  describe.skipIf(!backend.available)('contract', () => {
    let opened: Awaited<ReturnType<Backend['open']>>;
    let database: Database;
    beforeAll(async () => {
      opened = await backend.open();
      database = opened.database;
    });
    afterAll(() => opened?.cleanup());
    const now = new Date('2026-01-01T00:00:00Z');

    it('finds by dedupe hash and refuses a second row for either unique key, inside one transaction', async () => {
      const first = generateNetNumber();
      const other = generateNetNumber();
      const found = await database.db.transaction().execute(async (trx) => {
        const store = sqlPersonStore(trx);
        expect(
          await store.insertIfAbsent({ netNumber: first, dedupeHash: Buffer.alloc(32, 1), createdAt: now }),
        ).toBe(true);
        // Same number, and same dedupe hash: no-ops that must not abort the transaction …
        expect(
          await store.insertIfAbsent({ netNumber: first, dedupeHash: Buffer.alloc(32, 2), createdAt: now }),
        ).toBe(false);
        expect(
          await store.insertIfAbsent({ netNumber: other, dedupeHash: Buffer.alloc(32, 1), createdAt: now }),
        ).toBe(false);
        // … so the transaction goes on and commits.
        return store.findByDedupeHash(Buffer.alloc(32, 1));
      });
      expect(found).toEqual({ netNumber: first, state: 'active' });
      expect(await sqlPersonStore(database.db).findByDedupeHash(Buffer.alloc(32, 2))).toBeUndefined();
    });

    it('updates attributes, and the password only when a new one is given (clearing a lockout)', async () => {
      const netNumber = generateNetNumber();
      const store = sqlPersonStore(database.db);
      await store.insertIfAbsent({ netNumber, dedupeHash: Buffer.alloc(32, 3), createdAt: now });
      await database.db
        .updateTable('persons')
        .set({ password_hash: 'old', password_failures: 4, password_locked_until: now })
        .where('net_number', '=', netNumber)
        .execute();
      const read = () =>
        database.db
          .selectFrom('persons')
          .selectAll()
          .where('net_number', '=', netNumber)
          .executeTakeFirstOrThrow();

      await store.updateEnrollment(netNumber, {
        attributesSealed: Buffer.from([1, 2, 3]),
        passwordHash: null,
      });
      expect(await read()).toMatchObject({ password_hash: 'old', password_failures: 4 });
      expect(Buffer.from((await read()).attributes_enc!)).toEqual(Buffer.from([1, 2, 3]));

      await store.updateEnrollment(netNumber, { attributesSealed: Buffer.from([4]), passwordHash: 'new' });
      expect(await read()).toMatchObject({
        password_hash: 'new',
        password_failures: 0,
        password_locked_until: null,
      });
    });
  });
});
