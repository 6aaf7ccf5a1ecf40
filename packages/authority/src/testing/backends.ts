import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../../../../test/postgres/database.ts';
import { type Database, openDatabase } from '../db/database.ts';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** PostgreSQL is absent only outside CI, where the suite warns once; in CI it is always there. */
  available: boolean;
  /** A fresh, migrated, empty database of this kind. */
  open(): Promise<{ database: Database; url?: string; dataDir?: string; cleanup(): Promise<void> }>;
}

/** Every storage test runs once per backend: `describe.each(backends)` + `describe.skipIf(!b.available)`. */
export const backends: Backend[] = [
  {
    name: 'pglite',
    available: true,
    async open() {
      const dataDir = mkdtempSync(join(tmpdir(), 'netid-pglite-'));
      const database = await openDatabase({ database: { kind: 'pglite', dataDir } });
      return {
        database,
        dataDir,
        async cleanup() {
          await database.close();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    available: Boolean(process.env.TEST_DATABASE_URL),
    async open() {
      const test = await createTestDatabase();
      const database = await openDatabase({ database: { kind: 'postgres', url: test.url } });
      return {
        database,
        url: test.url,
        async cleanup() {
          await database.close();
          await test.drop();
        },
      };
    },
  },
];
