// Sign-ins per second end to end (cert mode): PAR → authorize → interaction page with its QR code →
// wallet request object and direct_post answer → status → resume → code → token, against the
// authority on a durable PostgreSQL (fsync on), served over loopback HTTP. The clients run on their
// own thread; the authority has the main thread to itself. Printed next to the same server's bare
// HTTP round trips, and with the database writes each sign-in costs, read from PostgreSQL itself.
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { serve } from '@hono/node-server';
import { generateSigningKey, KeySet, parseJws, type SigningKey, verifySignature } from '@netid/protocol';
import { sql } from 'kysely';
import pg from 'pg';
import { type Authority, createAuthority } from '../packages/authority/src/authority.ts';
import { loadConfig } from '../packages/authority/src/config.ts';
import { applicationIdentifier } from '../packages/authority/src/platforms/app-id.ts';
import { enrollDevice } from '../packages/authority/src/selfservice/test-support.ts';
import { sqlPlatformStore } from '../packages/authority/src/sql/platforms.ts';
import { findPostgresBin, startThrowawayCluster } from '../test/postgres/cluster.ts';
import { profileWhile, summariseProfile } from './cpu-profile.ts';
import { type CpuSnapshot, cpuAvailable, cpuSince, cpuSnapshot } from './cpu-time.ts';
import { fmt } from './harness.ts';
import {
  type DbCost,
  dbCostSince,
  dbCounters,
  publishStatistics,
  transientKinds,
  untilOthersDisconnect,
} from './pg-stats.ts';
import type { LoadResult, ValidationSample, WorkerRequest, WorkerSetup } from './signin-worker.ts';

const TARGET = 790;
const SECONDS = Number(process.env.BENCH_SIGNIN_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_SIGNIN_WARMUP ?? 3);
const BASELINE_SECONDS = Number(process.env.BENCH_SIGNIN_BASELINE_SECONDS ?? 3);
const PROFILE_SECONDS = Number(process.env.BENCH_SIGNIN_PROFILE_SECONDS ?? 5);
const CONCURRENCY = (process.env.BENCH_SIGNIN_CONCURRENCY ?? '16,64').split(',').map(Number);
const PLATFORMS = Number(process.env.BENCH_SIGNIN_PLATFORMS ?? 4);
const DEVICES = Number(process.env.BENCH_SIGNIN_DEVICES ?? 50);
const VALIDATED = 4;
/** `1`: always profile; `0`: never; unset: profile when the target is missed. */
const PROFILE = process.env.BENCH_SIGNIN_PROFILE;

interface Served {
  url: string;
  authority: Authority;
  close(): Promise<void>;
}

/** Listen first: the issuer identifier must name the port the OS picked (as serveTestAuthority does). */
async function serveAuthority(databaseUrl: string): Promise<Served> {
  let app: Authority['app'] | undefined;
  const server = serve({
    hostname: '127.0.0.1',
    port: 0,
    // The env carries Node's req/res: the OpenID Provider (Koa) answers on them directly.
    fetch: (request, env) => (app ? app.fetch(request, env) : new Response('starting', { status: 503 })),
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const authority = await createAuthority(loadConfig({ NETID_PUBLIC_URL: url, DATABASE_URL: databaseUrl }), {
    publishIntervalMs: false,
    log: () => {},
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  app = authority.app;
  return {
    url,
    authority,
    async close() {
      // Idle keep-alive sockets of the load generator would hold close() open.
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await stop();
      await authority.close();
    },
  };
}

/** The same server through its unix socket rather than loopback TCP (`BENCH_SIGNIN_PG=socket`). */
function overSocket(cluster: { url: string; dir: string }): string {
  const url = new URL(cluster.url);
  return `postgres://${url.username}@/${url.pathname.slice(1)}?host=${encodeURIComponent(cluster.dir)}&port=${url.port}`;
}

interface RegisteredPlatform {
  clientId: string;
  sector: string;
  key: SigningKey;
  redirectUri: string;
}

async function registerPlatforms(served: Served, count: number): Promise<RegisteredPlatform[]> {
  const store = sqlPlatformStore(served.authority.ctx.db);
  const out: RegisteredPlatform[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = `bench_${i}`;
    const key = generateSigningKey('ES256');
    const redirectUri = `https://forum-${i}.example/callback`;
    const now = new Date();
    await store.insert({
      clientId,
      kind: 'internet',
      sector: `forum-${i}.example`,
      name: { zh: `论坛 ${i}`, en: `Forum ${i}` },
      purpose: { zh: '注册账号', en: 'Create an account' },
      redirectUris: [redirectUri],
      postLogoutRedirectUris: [],
      jwks: { keys: [key.publicJwk as unknown as Record<string, unknown>] },
      clientSecretEnc: null,
      allowedClaims: ['age_over_18'],
      allowedModes: ['cert', 'cert+password'],
      mayRequestNetNumber: false,
      state: 'approved',
      createdAt: now,
      updatedAt: now,
    });
    out.push({ clientId, sector: `forum-${i}.example`, key, redirectUri });
  }
  return out;
}

async function enrollDevices(served: Served, count: number) {
  // enrollDevice wants a ServedAuthority; it reads only the context (issuance goes over HTTP).
  const asServed = {
    url: served.url,
    authority: served.authority,
    ctx: served.authority.ctx,
    clock: { now: Date.now() },
    close: served.close,
  };
  const devices: Awaited<ReturnType<typeof enrollDevice>>[] = [];
  for (let i = 0; i < count; i += 5) {
    const batch = Array.from({ length: Math.min(5, count - i) }, (_, k) =>
      enrollDevice(asServed, `P-BENCH-SIGNIN-${i + k}`),
    );
    devices.push(...(await Promise.all(batch)));
  }
  return devices;
}

/** The load generator's thread; `call` sends one request and waits for its answer. */
function startClients(setup: WorkerSetup) {
  const entry = new URL('./signin-worker.ts', import.meta.url).href;
  // A worker does not inherit `--import tsx`'s loader on Node 20: register it before the entry.
  const worker = new Worker(
    `import { register } from 'tsx/esm/api'; register(); await import(${JSON.stringify(entry)});`,
    { eval: true, workerData: setup },
  );
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let ids = 0;
  worker.on('message', (m: { id: number; result?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve(m.result);
  });
  worker.on('error', (error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  });
  type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
  return {
    call<T>(request: Request): Promise<T> {
      const id = ++ids;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ ...request, id });
      });
    },
    stop: () => worker.terminate(),
  };
}

/**
 * The first sign-ins checked as a platform and a wallet must: ID token signed by a key of the
 * provider's JWKS, for this platform, this nonce, acr cert, sub = the application identifier of
 * this person at this platform; the request object signed by the authority's issuer key.
 */
async function validate(
  served: Served,
  samples: ValidationSample[],
  platforms: RegisteredPlatform[],
  netNumbers: string[],
): Promise<void> {
  const issuer = `${served.url}/oidc`;
  const providerKeys = new KeySet(await (await fetch(`${issuer}/jwks`)).json());
  const authorityKeys = new KeySet(served.authority.ctx.issuerKeys.jwks());
  const verified = (jwt: string, keys: KeySet, what: string) => {
    const jws = parseJws(jwt, what);
    if (
      !verifySignature(
        jws.header.alg,
        jws.signingInput,
        jws.signature,
        keys.select(jws.header.kid, jws.header.alg),
      )
    )
      throw new Error(`sign-in validation: ${what} signature does not verify`);
    return jws;
  };
  for (const s of samples) {
    const platform = platforms[s.platform]!;
    const { payload: c } = verified(s.idToken, providerKeys, 'ID token');
    const sub = applicationIdentifier(
      served.authority.ctx.secrets.appId,
      platform.sector,
      netNumbers[s.device]!,
    );
    const problems = [
      c.iss !== issuer && 'iss',
      c.aud !== platform.clientId && 'aud',
      c.nonce !== s.nonce && 'nonce',
      c.acr !== 'cert' && 'acr',
      c.age_over_18 !== true && 'age_over_18',
      c.sub !== sub && 'sub',
      !(typeof c.exp === 'number' && c.exp * 1000 > Date.now()) && 'exp',
    ].filter(Boolean);
    if (problems.length) throw new Error(`sign-in validation: wrong ${problems.join(', ')} in the ID token`);
    if (verified(s.requestObject, authorityKeys, 'request object').header.typ !== 'oauth-authz-req+jwt')
      throw new Error('sign-in validation: the request object has the wrong typ');
  }
}

/** What one database round trip costs the authority: its own pool, `select 1`, for a couple of seconds. */
async function queryBaseline(served: Served, postmasterPid: number, concurrency: number): Promise<string> {
  const db = served.authority.ctx.db;
  let queries = 0;
  const before = cpuSnapshot(postmasterPid);
  const start = performance.now();
  const end = start + BASELINE_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await sql`select 1`.execute(db);
        queries++;
      }
    }),
  );
  const used = cpuSince(before, postmasterPid);
  const perSecond = queries / ((performance.now() - start) / 1000);
  const cpu = cpuAvailable()
    ? `; per query authority thread ${fmt(used.mainThread / queries, 3)} ms (${fmt(used.mainThreadKernel / queries, 3)} in the kernel), PostgreSQL ${fmt(used.postgres / queries, 3)} ms`
    : '';
  return `  baseline: the authority's own pool running \`select 1\`, ${concurrency} concurrent: ${fmt(perSecond)} /s${cpu}`;
}

function describeRun(
  concurrency: number,
  run: LoadResult,
  used: CpuSnapshot,
  health: LoadResult,
  perBareRequest: number,
  db: DbCost,
): string[] {
  const n = Math.max(1, run.completed);
  const signIns = rate(run);
  const requests = run.requests / n;
  const ms = (x: number) => fmt(x / n, 1);
  const tables = db.tables
    .slice(0, 6)
    .map(
      (t) =>
        `${t.name}${t.unlogged ? '*' : ''} ${fmt(t.scans, 1)}${t.written ? `/${fmt(t.written, 1)}` : ''}`,
    );
  return [
    `  ${`C=${concurrency}`.padEnd(5)} sign-ins ${fmt(signIns).padStart(7)} /s   p50 ${fmt(pct(run.latencies, 0.5))} ms, p99 ${fmt(pct(run.latencies, 0.99))} ms   ${fmt(requests, 1)} HTTP requests each   target ${TARGET}/s: ${fmt(signIns / TARGET, 3)}×${errors(run)}`,
    ...(cpuAvailable()
      ? [
          `        CPU per sign-in: authority thread ${ms(used.mainThread)} ms (${ms(used.mainThreadKernel)} of it in the kernel; one core's ceiling ${fmt((1000 * n) / used.mainThread)} /s), PostgreSQL ${ms(used.postgres)} ms, clients' thread and the rest ${ms(used.process - used.mainThread)} ms`,
        ]
      : []),
    `        baseline: bare GET /health ×${Math.round(requests)} per operation ${fmt(rate(health)).padStart(7)} /s (${fmt(health.requests / (health.elapsedMs / 1000))} req/s; the target needs ${fmt(TARGET * requests)})   sign-in = ${fmt(signIns / rate(health), 3)}× the HTTP stack alone${errors(health)}`,
    ...(cpuAvailable() ? [`          authority thread ${fmt(perBareRequest, 2)} ms per bare request`] : []),
    `        database per sign-in: durable rows written ${fmt(db.durableRows, 2)} (target ≤ 2), WAL ${fmt(db.walBytes)} B in ${fmt(db.walRecords, 1)} records, WAL flushes ${fmt(db.walSyncs, 2)};`,
    `          UNLOGGED transient rows written ${fmt(db.transientRows, 1)}; transactions ${fmt(db.transactions, 1)}; scans/rows written by table (* unlogged): ${tables.join(', ')}`,
  ];
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const rate = (r: LoadResult) => r.completed / (r.elapsedMs / 1000);
const errors = (r: LoadResult) => (r.errors ? ` — ${r.errors} FAILED (${r.firstError})` : '');

interface Setup {
  cluster: Awaited<ReturnType<typeof startThrowawayCluster>>;
  served: Served;
  clients: ReturnType<typeof startClients>;
  stats: pg.Client;
}

/** One concurrency level: the timed run, its CPU and database cost, then its HTTP baseline. */
async function measureLevel({ cluster, served, clients, stats }: Setup, concurrency: number) {
  // The authority's pool has 10 connections (db/database.ts); each must hold pg_sleep at once.
  const settle = () =>
    publishStatistics(10, () => sql`select pg_sleep(0.05)`.execute(served.authority.ctx.db));
  await settle();
  const before = await dbCounters(stats);
  const cpu = cpuSnapshot(cluster.pid);
  const run = await clients.call<LoadResult>({ type: 'load', concurrency, seconds: SECONDS });
  const used = cpuSince(cpu, cluster.pid);
  await settle();
  const db = await dbCostSince(stats, before, Math.max(1, run.completed));
  const healthCpu = cpuSnapshot(cluster.pid);
  const health = await clients.call<LoadResult>({
    type: 'health',
    concurrency,
    seconds: BASELINE_SECONDS,
    perOperation: Math.round(run.requests / Math.max(1, run.completed)),
  });
  const perRequest = cpuSince(healthCpu, cluster.pid).mainThread / Math.max(1, health.requests);
  return { run, lines: describeRun(concurrency, run, used, health, perRequest, db) };
}

async function profileLevel({ cluster, clients }: Setup, concurrency: number): Promise<string[]> {
  const cpu = cpuSnapshot(cluster.pid);
  const { result, profile } = await profileWhile(() =>
    clients.call<LoadResult>({ type: 'load', concurrency, seconds: PROFILE_SECONDS }),
  );
  const used = cpuSince(cpu, cluster.pid);
  // For Chrome DevTools or speedscope: `BENCH_SIGNIN_PROFILE_OUT=signin.cpuprofile`.
  if (process.env.BENCH_SIGNIN_PROFILE_OUT) {
    writeFileSync(process.env.BENCH_SIGNIN_PROFILE_OUT, JSON.stringify(profile));
  }
  return [
    `  CPU profile of the authority's thread, C=${concurrency}, ${PROFILE_SECONDS} s (${fmt(rate(result))} sign-ins/s while sampled):`,
    ...summariseProfile(
      profile,
      cpuAvailable() ? { threadCpu: { ms: used.mainThread, kernel: used.mainThreadKernel } } : {},
    ),
  ];
}

/** Platforms, devices and the clients' thread; the first sign-ins validated, then a warm-up. */
async function prepare(cluster: Setup['cluster'], served: Served, stats: pg.Client): Promise<Setup> {
  await stats.connect();
  const platforms = await registerPlatforms(served, PLATFORMS);
  const devices = await enrollDevices(served, DEVICES);
  const clients = startClients({
    origin: served.url,
    platforms: platforms.map((p) => ({
      clientId: p.clientId,
      privateKey: p.key.privateKey,
      redirectUri: p.redirectUri,
    })),
    devices: devices.map((d) => ({ privateKey: d.key.privateKey, credential: d.credential })),
  });
  try {
    await validate(
      served,
      await clients.call<ValidationSample[]>({ type: 'signin', count: VALIDATED }),
      platforms,
      devices.map((d) => d.netNumber),
    );
  } catch (error) {
    await clients.stop();
    throw error;
  }
  return { cluster, served, clients, stats };
}

/** Each clean-up step runs whatever the one before it did: the cluster must stop last, always. */
async function cleanUp(steps: (() => Promise<unknown> | undefined)[]): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      console.error('sign-in benchmark clean-up:', error);
    }
  }
}

export async function signinBench(): Promise<string[]> {
  if (!findPostgresBin()) return ['sign-in over HTTP: skipped (PostgreSQL binaries not installed)'];
  const cluster = await startThrowawayCluster({ fsync: true });
  const stats = new pg.Client({ connectionString: cluster.url });
  let served: Served | undefined;
  let setup: Setup | undefined;
  try {
    served = await serveAuthority(
      process.env.BENCH_SIGNIN_PG === 'socket' ? overSocket(cluster) : cluster.url,
    );
    setup = await prepare(cluster, served, stats);
    const warmup = await setup.clients.call<LoadResult>({
      type: 'load',
      concurrency: CONCURRENCY[0]!,
      seconds: WARMUP_SECONDS,
    });
    let signedIn = VALIDATED + warmup.completed;
    const lines = [
      `sign-in end to end over HTTP (cert mode: PAR → authorize → page with QR → wallet request + direct_post → status → resume → token;`,
      `  PostgreSQL, fsync on; ${PLATFORMS} platforms, ${DEVICES} devices; clients on their own thread, the authority alone on the main thread;`,
      `  first ${VALIDATED} sign-ins validated: ID token signature, iss, aud, nonce, acr, sub = application identifier; request object signature):`,
    ];
    let best = 0;
    for (const concurrency of CONCURRENCY) {
      const level = await measureLevel(setup, concurrency);
      lines.push(...level.lines);
      best = Math.max(best, rate(level.run));
      signedIn += level.run.completed;
      if (concurrency === CONCURRENCY[0]) {
        const kinds = await transientKinds(stats, signedIn);
        lines.push(
          `        transient rows kept per sign-in, by kind: ${kinds.map(([k, n]) => `${k} ${fmt(n, 1)}`).join(', ')}`,
        );
      }
    }
    lines.push(await queryBaseline(served, cluster.pid, CONCURRENCY[0]!));
    if (PROFILE === '1' || (PROFILE !== '0' && best < TARGET)) {
      lines.push(...(await profileLevel(setup, CONCURRENCY[0]!)));
    }
    return lines;
  } catch (error) {
    // Say why before the clean-up below, whose own failures would otherwise hide it.
    console.error('sign-in benchmark failed:', error);
    throw error;
  } finally {
    await cleanUp([
      () => setup?.clients.stop(),
      () => served?.close(),
      () => untilOthersDisconnect(stats),
      () => stats.end(),
      () => cluster.stop(),
    ]);
  }
}
