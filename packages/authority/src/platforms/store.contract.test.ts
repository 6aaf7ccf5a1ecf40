import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { Problem } from '../http/problem.ts';
import { sqlPlatformStore } from '../sql/platforms.ts';
import { type Backend, backends } from '../testing/backends.ts';
import { platformRecord, uniqueClientId } from './test-support.ts';

describe.each(backends)('PlatformStore on $name', (backend: Backend) => {
  describe.skipIf(!backend.available)('contract', () => {
    let opened: Awaited<ReturnType<Backend['open']>>;
    let database: Database;
    beforeAll(async () => {
      opened = await backend.open();
      database = opened.database;
    });
    afterAll(() => opened?.cleanup());

    it('gives back exactly what was inserted, sealed bytes as a Buffer', async () => {
      const store = sqlPlatformStore(database.db);
      const sealed = Buffer.from([0, 1, 2, 255, 0, 9]);
      const platform = platformRecord({ clientSecretEnc: sealed });
      await store.insert(platform);
      const found = await store.find(platform.clientId);
      expect(found).toEqual(platform);
      expect(Buffer.isBuffer(found?.clientSecretEnc)).toBe(true);
      expect(await store.find('no-such-platform')).toBeUndefined();
    });

    it('stores a platform without keys as null, and lists in registration order', async () => {
      const store = sqlPlatformStore(database.db);
      const before = (await store.list()).length;
      const a = platformRecord({ jwks: null, createdAt: new Date('2030-01-01T00:00:00Z') });
      const b = platformRecord({ createdAt: new Date('2030-01-02T00:00:00Z') });
      await store.insert(b);
      await store.insert(a);
      const listed = await store.list();
      expect(listed).toHaveLength(before + 2);
      expect(listed.slice(-2).map((p) => p.clientId)).toEqual([a.clientId, b.clientId]);
      expect(listed.at(-2)?.jwks).toBeNull();
    });

    it('refuses a duplicate client id (platform_exists) and a taken sector (sector_taken)', async () => {
      const store = sqlPlatformStore(database.db);
      const first = platformRecord();
      await store.insert(first);
      const sameId = store.insert(platformRecord({ clientId: first.clientId, sector: uniqueClientId() }));
      await expect(sameId).rejects.toBeInstanceOf(Problem);
      await expect(sameId).rejects.toMatchObject({ status: 409, code: 'platform_exists' });
      const sameSector = store.insert(platformRecord({ sector: first.sector }));
      await expect(sameSector).rejects.toMatchObject({ status: 409, code: 'sector_taken' });
      // The refused rows are not there, and the first is unchanged.
      expect((await store.list()).filter((p) => p.sector === first.sector)).toEqual([first]);
    });

    it('refuses duplicates inside a transaction without aborting it', async () => {
      const first = platformRecord();
      await sqlPlatformStore(database.db).insert(first);
      const other = platformRecord();
      await database.db.transaction().execute(async (trx) => {
        const store = sqlPlatformStore(trx);
        await expect(store.insert(platformRecord({ clientId: first.clientId }))).rejects.toMatchObject({
          code: 'platform_exists',
        });
        await store.insert(other);
      });
      expect(await sqlPlatformStore(database.db).find(other.clientId)).toEqual(other);
    });

    it('changes state, and with `from` only from those states', async () => {
      const store = sqlPlatformStore(database.db);
      const platform = platformRecord();
      await store.insert(platform);
      const t1 = new Date('2026-02-01T00:00:00Z');
      expect(await store.setState(platform.clientId, 'suspended', t1, ['approved'])).toBeUndefined();
      expect((await store.find(platform.clientId))?.state).toBe('pending');
      const approved = await store.setState(platform.clientId, 'approved', t1, ['pending']);
      expect(approved).toMatchObject({ state: 'approved', updatedAt: t1, createdAt: platform.createdAt });
      const t2 = new Date('2026-03-01T00:00:00Z');
      expect(await store.setState(platform.clientId, 'suspended', t2)).toMatchObject({
        state: 'suspended',
        updatedAt: t2,
      });
      expect(await store.setState('no-such-platform', 'approved', t2)).toBeUndefined();
    });
  });
});
