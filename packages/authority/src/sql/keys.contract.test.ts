import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { type Backend, backends } from '../testing/backends.ts';
import { sqlKeyStore } from './keys.ts';

describe.each(backends)('KeyStore on $name', (backend: Backend) => {
  describe.skipIf(!backend.available)('contract', () => {
    let opened: Awaited<ReturnType<Backend['open']>>;
    let database: Database;
    beforeAll(async () => {
      opened = await backend.open();
      database = opened.database;
    });
    afterAll(() => opened?.cleanup());

    it('stores issuer keys with their sealed bytes and JWK intact, and retires all but one', async () => {
      const store = sqlKeyStore(database.db);
      const sealed = Buffer.from([0, 1, 2, 255, 254, 0, 7]);
      const base = {
        alg: 'ES256',
        publicJwk: { kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy' },
        privateKeySealed: sealed,
      };
      const t0 = new Date('2026-01-01T00:00:00Z');
      await store.insertIssuerKey({
        ...base,
        kid: 'a',
        createdAt: t0,
        activatedAt: t0,
        retiredAt: null,
        unpublishAfter: null,
      });
      const t1 = new Date('2026-02-01T00:00:00Z');
      await store.insertIssuerKey({
        ...base,
        kid: 'b',
        createdAt: t1,
        activatedAt: t1,
        retiredAt: null,
        unpublishAfter: null,
      });
      await store.retireOthers('b', t1, new Date('2026-03-01T00:00:00Z'));
      const keys = await store.listIssuerKeys();
      expect(keys.map((k) => k.kid)).toEqual(['a', 'b']);
      expect(Buffer.from(keys[0]!.privateKeySealed).equals(sealed)).toBe(true);
      expect(keys[0]!.publicJwk).toEqual(base.publicJwk);
      expect(keys[0]!.retiredAt?.toISOString()).toBe(t1.toISOString());
      expect(keys[0]!.unpublishAfter?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
      expect(keys[1]!.retiredAt).toBeNull();
    });

    it('gives every concurrent first caller the same secret', async () => {
      const store = sqlKeyStore(database.db);
      const values = Array.from({ length: 10 }, (_, i) => Buffer.from([i, i, i]));
      const results = await Promise.all(values.map((v) => store.getOrInsertSecret('race', v)));
      const first = Buffer.from(results[0]!);
      for (const r of results) expect(Buffer.from(r).equals(first)).toBe(true);
      expect(values.some((v) => v.equals(first))).toBe(true);
    });
  });
});
