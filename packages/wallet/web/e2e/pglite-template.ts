import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { openDatabase } from '../../../authority/src/db/database.ts';

const MIGRATIONS = resolve(import.meta.dirname, '../../../authority/src/db/migrations');

/** PGlite's own version (its package.json is not among its exports, so found from its entry). */
function pgliteVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === '@electric-sql/pglite') return String(pkg.version);
  }
  throw new Error('cannot find the version of @electric-sql/pglite');
}

/** Changes whenever PGlite or a migration does, so a stale template is never used. */
function templateKey(): string {
  const hash = createHash('sha256');
  hash.update(pgliteVersion());
  for (const name of readdirSync(MIGRATIONS).sort()) {
    hash.update(name).update(readFileSync(join(MIGRATIONS, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Fills `dataDir` with a migrated, empty PGlite database. A fresh PGlite directory costs six
 * seconds of initdb, most of a test file's start; so one migrated directory is made once per
 * machine (until PGlite or the migrations change) and copied. It holds no keys or secrets: each
 * authority still makes its own on first start.
 */
export async function migratedPglite(dataDir: string): Promise<void> {
  const template = join(tmpdir(), `netid-e2e-pglite-${templateKey()}`);
  if (!existsSync(template)) {
    const building = `${template}.${randomBytes(4).toString('hex')}`;
    const database = await openDatabase({ database: { kind: 'pglite', dataDir: building } });
    await database.close();
    try {
      // Atomic: a test file starting at the same time either sees no template or a whole one.
      renameSync(building, template);
    } catch {
      rmSync(building, { recursive: true, force: true });
    }
  }
  cpSync(template, dataDir, { recursive: true });
}
