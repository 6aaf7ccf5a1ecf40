import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPostgresBin, startThrowawayCluster, type ThrowawayCluster } from './cluster.ts';
import { createTestDatabase } from './database.ts';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function eventually(check: () => boolean, ms = 10_000): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

/** If a check above failed, the server it left behind must still go (immediate shutdown). */
function reap(pid: number, dir: string): void {
  if (isAlive(pid)) process.kill(pid, 'SIGQUIT');
  rmSync(dir, { recursive: true, force: true });
}

/** Starts owner-process.ts in its own process and resolves with the cluster it reports. */
function startOwner(mode: 'exit' | 'wait') {
  const script = fileURLToPath(new URL('./owner-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const reported = new Promise<{ pid: number; dir: string }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(JSON.parse(out));
    });
    child.once('exit', (code) => reject(new Error(`owner exited (${code}) before reporting: ${out}`)));
  });
  return { child, exited, reported };
}

describe('findPostgresBin', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'netid-pg-bin-'));
    const install = (major: string, files: string[]) => {
      mkdirSync(join(root, major, 'bin'), { recursive: true });
      for (const file of files) writeFileSync(join(root, major, 'bin', file), '');
    };
    install('9.6', ['initdb', 'postgres']);
    install('15', ['initdb', 'postgres']);
    install('16', ['initdb']); // half-removed upgrade: no server binary
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('picks the newest complete major version, comparing numerically', () => {
    expect(findPostgresBin(root)).toBe(join(root, '15', 'bin'));
  });

  it('finds nothing where PostgreSQL is not installed', () => {
    expect(findPostgresBin(join(root, 'absent'))).toBeUndefined();
  });
});

describe.skipIf(!findPostgresBin())('startThrowawayCluster', () => {
  let cluster: ThrowawayCluster;
  beforeAll(async () => {
    cluster = await startThrowawayCluster();
  });
  afterAll(() => cluster?.stop());

  it('serves a loopback-only, durable database that keeps a committed write across connections', async () => {
    expect(cluster.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/netid_test$/);
    const [settings] = await query<{ listen: string; fsync: string; encoding: string }>(
      cluster.url,
      `SELECT current_setting('listen_addresses') AS listen, current_setting('fsync') AS fsync,
              pg_encoding_to_char(encoding) AS encoding
         FROM pg_database WHERE datname = current_database()`,
    );
    expect(settings).toEqual({ listen: '127.0.0.1', fsync: 'on', encoding: 'UTF8' });

    await query(cluster.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('written')");
    expect(await query(cluster.url, 'SELECT v FROM kept')).toEqual([{ v: 'written' }]);
  });

  it('stop() fast-stops the server and removes its directory', async () => {
    const other = await startThrowawayCluster({ fsync: false });
    expect(await query(other.url, "SELECT current_setting('fsync') AS fsync")).toEqual([{ fsync: 'off' }]);
    expect(isAlive(other.pid)).toBe(true);
    expect(existsSync(other.dir)).toBe(true);

    await other.stop();
    expect(isAlive(other.pid)).toBe(false);
    expect(existsSync(other.dir)).toBe(false);
    await expect(other.stop()).resolves.toBeUndefined();
    await expect(query(other.url, 'SELECT 1')).rejects.toThrow();
  });

  it('stops the server when its owning process exits without calling stop()', async () => {
    const owner = startOwner('exit');
    const { pid, dir } = await owner.reported;
    try {
      await owner.exited;
      // The exit hook stops the server synchronously, before the process is gone.
      expect(isAlive(pid)).toBe(false);
      expect(await eventually(() => !existsSync(dir))).toBe(true);
    } finally {
      reap(pid, dir);
    }
  });

  it('stops the server and removes its directory when its owning process is killed', async () => {
    const owner = startOwner('wait');
    const { pid, dir } = await owner.reported;
    try {
      expect(isAlive(pid)).toBe(true);
      owner.child.kill('SIGKILL'); // no exit hook runs: only the watchdog can clean up
      await owner.exited;
      expect(await eventually(() => !isAlive(pid) && !existsSync(dir))).toBe(true);
    } finally {
      reap(pid, dir);
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('createTestDatabase', () => {
  it('gives each caller its own database on the TEST_DATABASE_URL server', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    try {
      expect(a.url).not.toBe(b.url);
      expect(new URL(a.url).host).toBe(new URL(process.env.TEST_DATABASE_URL!).host);
      await query(a.url, "CREATE TABLE only_in_a (v text); INSERT INTO only_in_a VALUES ('a')");
      expect(await query(a.url, "SELECT to_regclass('only_in_a') IS NOT NULL AS present")).toEqual([
        { present: true },
      ]);
      expect(await query(b.url, "SELECT to_regclass('only_in_a') IS NOT NULL AS present")).toEqual([
        { present: false },
      ]);
    } finally {
      await a.drop();
      await b.drop();
    }
  });

  it('drop() removes the database even while a connection to it is still open', async () => {
    const db = await createTestDatabase();
    const name = new URL(db.url).pathname.slice(1);
    const forgotten = new pg.Client({ connectionString: db.url });
    forgotten.on('error', () => {}); // it is about to be terminated
    await forgotten.connect();

    await db.drop();
    const left = await query(
      process.env.TEST_DATABASE_URL!,
      `SELECT 1 FROM pg_database WHERE datname = '${name}'`,
    );
    expect(left).toEqual([]);
    await expect(forgotten.query('SELECT 1')).rejects.toThrow();
    await forgotten.end().catch(() => {});
  });
});
