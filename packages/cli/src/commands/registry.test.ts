import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthority, loadConfig } from '@netid/authority';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/postgres/database.ts';
import { findPlaintext } from '../../../authority/src/testing/scan-plaintext.ts';
import { runCli } from '../testing.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'netid-cli-registry-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** `type number birthdate name` lines after the samples heading. */
function samples(stdout: string) {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith('sample residents'));
  return lines
    .slice(start + 1)
    .filter((l) => l.trim())
    .map((l) => {
      const [type, number, birthdate, ...name] = l.trim().split(/\s+/);
      return { type: type!, number: number!, name: name.join(' '), birthdate: birthdate! };
    });
}

describe('netid registry', () => {
  it.each([
    [[], 'usage'],
    [['seed'], '--count'],
    [['seed', '--count', '0'], '--count'],
    [['seed', '--count', '1e3'], '--count'],
    [['seed', '--count', '10', '--seed', 'x'], '--seed'],
    [['seed', '--count', '10', '--database-url', 'postgres://h/db', '--data-dir', '/tmp/x'], 'not both'],
    [['seed', '--count', '10', '--bogus'], 'bogus'],
    [['reset'], 'unknown subcommand'],
  ])('refuses %j with exit 2', async (args, message) => {
    const { code, stderr } = await runCli(['registry', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('reports a bad database URL as a configuration error', async () => {
    const { code, stderr } = await runCli([
      'registry',
      'seed',
      '--count',
      '5',
      '--database-url',
      'mysql://h/db',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('DATABASE_URL');
  });

  it('seeds PGlite, prints usable samples, re-seeds idempotently, and stores no number in plaintext', async () => {
    const dataDir = tempDir();
    const first = await runCli(['registry', 'seed', '--count', '400', '--seed', '11', '--data-dir', dataDir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^seeded 400 residents from seed 11 in [\d.]+ s \(\d+\/s\): 400 persons and \d+ documents written/,
    );
    expect(first.stderr).toContain('seeding');
    const printed = samples(first.stdout);
    expect(printed.map((s) => s.type)).toContain('resident_id');
    expect(new Set(printed.map((s) => s.type)).size).toBe(printed.length);

    const again = await runCli(['registry', 'seed', '--count', '400', '--seed', '11', '--data-dir', dataDir]);
    expect(again.stdout).toContain('0 persons and 0 documents written');
    expect(samples(again.stdout)).toEqual(printed);

    // The authority on the same data finds every sample: same lookup secret, same hashing.
    const authority = await createAuthority(loadConfig({ NETID_DATA_DIR: dataDir }), { log: () => {} });
    try {
      for (const sample of printed) {
        const session = await authority.app.request('/enrollment/sessions', { method: 'POST' });
        const token = ((await session.json()) as { session: string }).session;
        const res = await authority.app.request(`/enrollment/sessions/${token}/document`, {
          method: 'POST',
          body: JSON.stringify(sample),
          headers: { 'content-type': 'application/json' },
        });
        expect(await res.json(), sample.type).toEqual({ next: 'phone' });
      }
      expect(
        await findPlaintext(
          authority.ctx.db,
          printed.map((s) => s.number),
        ),
      ).toEqual([]);
    } finally {
      await authority.close();
    }
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('seeds PostgreSQL given --database-url', async () => {
    const database = await createTestDatabase();
    try {
      const run = await runCli(['registry', 'seed', '--count', '50', '--database-url', database.url]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('50 persons');
    } finally {
      await database.drop();
    }
  });
});
