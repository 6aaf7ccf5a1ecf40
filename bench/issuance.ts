// Certificates issued per second end to end: a wallet (the @openid4vc/openid4vci client) redeems
// pre-authorized offers over HTTP on loopback against the authority on a durable PostgreSQL
// (fsync on), printed next to the same server's durable single-row insert rate.
import { serve } from '@hono/node-server';
import { generateSigningKey } from '@netid/protocol';
import pg from 'pg';
import { createAuthority } from '../packages/authority/src/authority.ts';
import { loadConfig } from '../packages/authority/src/config.ts';
import { createCertificateOffer } from '../packages/authority/src/issuance/offer.ts';
import {
  insertIssuableSession,
  walletRedeemsOffer,
} from '../packages/authority/src/issuance/test-support.ts';
import { freePort } from '../packages/authority/src/testing/free-port.ts';
import { findPostgresBin, startThrowawayCluster } from '../test/postgres/cluster.ts';
import { fmt } from './harness.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ISSUANCES = Number(process.env.BENCH_ISSUANCES ?? 400);

async function insertRate(url: string, connections: number, seconds: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  // The cluster stops right after the run: a connection it terminates must not crash the bench.
  pool.on('error', () => {});
  await pool.query('create table if not exists bench_rows (id bigserial primary key, payload text not null)');
  let n = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        await pool.query('insert into bench_rows (payload) values ($1)', ['x'.repeat(200)]);
        n++;
      }
    }),
  );
  await pool.end();
  return n / seconds;
}

export async function issuanceBench(): Promise<string[]> {
  if (!findPostgresBin()) return ['issuance over HTTP: skipped (PostgreSQL binaries not installed)'];
  const cluster = await startThrowawayCluster({ fsync: true });
  try {
    const port = await freePort();
    const config = loadConfig({ DATABASE_URL: cluster.url, NETID_PORT: String(port) });
    const authority = await createAuthority(config, { publishIntervalMs: false, log: () => {} });
    const server = serve({ fetch: authority.app.fetch, hostname: '127.0.0.1', port });
    await new Promise<void>((r) => server.once('listening', r));

    const jobs: { offer: string; txCode: string; key: ReturnType<typeof generateSigningKey> }[] = [];
    for (let i = 0; i < ISSUANCES; i++) {
      const session = await insertIssuableSession(authority.ctx, {
        personId: `bench-${i}`,
        passwordHash: null,
      });
      const { credentialOffer } = await createCertificateOffer(config, {
        preAuthorizedCode: session.code,
        txCode: { length: session.txCode.length, inputMode: 'numeric' },
      });
      jobs.push({ offer: credentialOffer, txCode: session.txCode, key: generateSigningKey('ES256') });
    }
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++]!;
          const t = performance.now();
          await walletRedeemsOffer(job.key, job.offer, job.txCode);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const perSecond = jobs.length / ((performance.now() - started) / 1000);
    server.close();
    await authority.close();
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
    const inserts1 = await insertRate(cluster.url, 1, 3);
    const insertsC = await insertRate(cluster.url, CONCURRENCY, 3);
    return [
      `certificate issuance end to end over HTTP (wallet: @openid4vc/openid4vci client, ${CONCURRENCY} concurrent; PostgreSQL, fsync on):`,
      `  certificates issued                     ${fmt(perSecond).padStart(9)} /s   p50 ${fmt(pct(0.5))} ms, p99 ${fmt(pct(0.99))} ms (${ISSUANCES} issuances)`,
      `  baseline: durable single-row inserts,  ${CONCURRENCY} connections ${fmt(insertsC).padStart(7)} /s   issuance = ${fmt(perSecond / insertsC, 3)}×`,
      `  baseline: durable single-row inserts,  1 connection ${fmt(inserts1).padStart(9)} /s`,
    ];
  } finally {
    await cluster.stop();
  }
}
