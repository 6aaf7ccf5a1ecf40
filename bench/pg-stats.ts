// What a workload cost the database, read from PostgreSQL's own statistics: rows written to logged
// (durable) tables vs UNLOGGED ones, WAL generated and flushed, transactions, scans per table.
import type pg from 'pg';

interface TableCounters {
  persistence: 'p' | 'u';
  scans: number;
  written: number;
}

export interface DbCounters {
  transactions: number;
  walRecords: number;
  walSyncs: number;
  lsn: string;
  tables: Map<string, TableCounters>;
}

export async function dbCounters(client: pg.Client): Promise<DbCounters> {
  const totals = await client.query(`select
    (select xact_commit from pg_stat_database where datname = current_database())::float8 as transactions,
    (select wal_records from pg_stat_wal)::float8 as "walRecords",
    (select wal_sync from pg_stat_wal)::float8 as "walSyncs",
    pg_current_wal_lsn()::text as lsn`);
  const tables = await client.query(`select s.relname as name, c.relpersistence as persistence,
      (coalesce(s.seq_scan, 0) + coalesce(s.idx_scan, 0))::float8 as scans,
      (s.n_tup_ins + s.n_tup_upd + s.n_tup_del)::float8 as written
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid`);
  return {
    ...(totals.rows[0] as Omit<DbCounters, 'tables'>),
    tables: new Map(tables.rows.map((r) => [r.name as string, r as TableCounters])),
  };
}

export interface DbCost {
  /** Rows inserted, updated or deleted in logged tables: what survives a crash. */
  durableRows: number;
  /** The same in UNLOGGED tables (`transient`). */
  transientRows: number;
  transactions: number;
  walBytes: number;
  walRecords: number;
  /** WAL flushes to disk, whoever asked (commits waiting for durability, or the WAL writer). */
  walSyncs: number;
  /** Per table: index and sequential scans, rows written; busiest first. */
  tables: { name: string; unlogged: boolean; scans: number; written: number }[];
}

/**
 * Makes every backend of a pool publish its pending statistics. A backend publishes when it goes
 * idle at least a second after its last report; otherwise it waits up to 10 s (PostgreSQL 15+,
 * PGSTAT_IDLE_INTERVAL) — longer than a run's tail. So: wait that second, then give each pooled
 * connection one short statement to finish.
 */
export async function publishStatistics(poolSize: number, statement: () => Promise<unknown>): Promise<void> {
  await new Promise((r) => setTimeout(r, 1100));
  await Promise.all(Array.from({ length: poolSize }, statement));
}

/** Per operation, since `before`; call `publishStatistics` before each snapshot. */
export async function dbCostSince(
  client: pg.Client,
  before: DbCounters,
  operations: number,
): Promise<DbCost> {
  const after = await dbCounters(client);
  const { rows } = await client.query('select pg_wal_lsn_diff($1, $2)::float8 as bytes', [
    after.lsn,
    before.lsn,
  ]);
  const tables = [...after.tables].map(([name, t]) => {
    const was = before.tables.get(name);
    return {
      name,
      unlogged: t.persistence === 'u',
      scans: (t.scans - (was?.scans ?? 0)) / operations,
      written: (t.written - (was?.written ?? 0)) / operations,
    };
  });
  const written = (unlogged: boolean) =>
    tables.filter((t) => t.unlogged === unlogged).reduce((sum, t) => sum + t.written, 0);
  return {
    durableRows: written(false),
    transientRows: written(true),
    transactions: (after.transactions - before.transactions) / operations,
    walBytes: (rows[0] as { bytes: number }).bytes / operations,
    walRecords: (after.walRecords - before.walRecords) / operations,
    walSyncs: (after.walSyncs - before.walSyncs) / operations,
    tables: tables
      .filter((t) => t.scans + t.written > 0.005)
      .sort((a, b) => b.scans + b.written - (a.scans + a.written)),
  };
}

/** Rows left in `transient` by kind (what each sign-in keeps for its minutes), per operation. */
export async function transientKinds(client: pg.Client, operations: number): Promise<[string, number][]> {
  const { rows } = await client.query(
    'select kind, count(*)::float8 as n from transient group by kind order by 2 desc, 1',
  );
  return rows.map((r) => [r.kind as string, (r.n as number) / operations]);
}

/**
 * Waits (up to `timeoutMs`) until no other client is connected to this database. pg-pool's end()
 * resolves once it has *asked* its connections to close; a server shut down before a backend has
 * read that request answers with a FATAL error the ended pool has no listener for.
 */
export async function untilOthersDisconnect(client: pg.Client, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const { rows } = await client.query(
      `select count(*)::int as n from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
    );
    if ((rows[0] as { n: number }).n === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
