import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { TestPostgresError } from './errors.ts';

const DEBIAN_ROOT = '/usr/lib/postgresql';
const OS_USER = 'postgres';
const DATABASE = 'netid_test';
const execFileAsync = promisify(execFile);

export interface ClusterOptions {
  /** PostgreSQL's bin directory. Default: findPostgresBin(). */
  bin?: string;
  /**
   * `false` passes `-c fsync=off`: commits stop waiting for the disk, which only loses data if the
   * machine itself crashes. Fine for a throwaway test server; a benchmark of durable writes must keep
   * the default (`true`, PostgreSQL's own).
   */
  fsync?: boolean;
  /** How long the server may take to accept connections. Default 30 s. */
  startTimeoutMs?: number;
}

export interface ThrowawayCluster {
  /** `postgres://postgres@127.0.0.1:<port>/netid_test` (trust auth, loopback only). */
  url: string;
  /** Temp dir with the data dir, the unix socket and `postgres.log`; removed by stop(). */
  dir: string;
  /** The postmaster's pid. */
  pid: number;
  /** Fast shutdown, then removes `dir`. Safe to call twice. */
  stop(): Promise<void>;
}

/** The newest `/usr/lib/postgresql/<major>/bin` (Debian layout) with initdb and postgres in it. */
export function findPostgresBin(root = DEBIAN_ROOT): string | undefined {
  let majors: string[];
  try {
    majors = readdirSync(root);
  } catch {
    return undefined;
  }
  return majors
    .filter((major) => /^\d+(\.\d+)?$/.test(major))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(root, major, 'bin'))
    .find((bin) => existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres')));
}

/**
 * Runs `postgres` ("$@" after the log path) and ties its life to our stdin, a pipe only the starting
 * Node process holds open: EOF means that process stopped the cluster or died (even by SIGKILL, where
 * no exit handler runs), and a throwaway server must not outlive it. SIGINT is PostgreSQL's fast
 * shutdown. The marker tells the two cases apart: the temp dir is removed when the parent is gone,
 * and kept (for its log) when the server died on its own, e.g. because its port was taken.
 */
const WATCHDOG = `
log=$1; dir=$2; shift 2
exec 3<&0 </dev/null
"$@" 3<&- >>"$log" 2>&1 &
server=$!
(read -r _ <&3; : >"$dir/.parent-gone"; kill -INT "$server" 2>/dev/null) &
reader=$!
exec 3<&-
wait "$server"; code=$?
kill "$reader" 2>/dev/null
if [ -e "$dir/.parent-gone" ]; then rm -rf "$dir"; fi
exit "$code"
`;

interface Owner {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root, and CI runs as root: then the server runs as Debian's `postgres` user. */
function serverOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, OS_USER], { encoding: 'utf8', stdio: 'pipe' }));
    return { uid: id('-u'), gid: id('-g') };
  } catch (cause) {
    throw new TestPostgresError(
      'ERR_TEST_PG_UNAVAILABLE',
      `running as root needs the "${OS_USER}" OS user, which Debian's postgresql package creates`,
      { cause },
    );
  }
}

function asOwner(owner: Owner | undefined, file: string, args: string[]): [string, string[]] {
  return owner ? ['runuser', ['-u', OS_USER, '--', file, ...args]] : [file, args];
}

/** Live clusters, stopped synchronously if the process exits without calling stop(). */
const live = new Map<string, () => void>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const stopNow of live.values()) stopNow();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(address)));
    });
  });
}

/** Resolves true when `promise` settles within `ms`, false otherwise; never leaves a timer behind. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function logTail(log: string): string {
  try {
    return readFileSync(log, 'utf8').trim().split('\n').slice(-8).join('\n');
  } catch {
    return '(no server log)';
  }
}

/**
 * Starts a private PostgreSQL server for this process: fresh temp dir, initdb, `postgres` listening on
 * 127.0.0.1 only at a free port, one database `netid_test`. The server stops with stop(), at process
 * exit, and when this process dies.
 */
export async function startThrowawayCluster(options: ClusterOptions = {}): Promise<ThrowawayCluster> {
  const bin = options.bin ?? findPostgresBin();
  if (!bin) {
    throw new TestPostgresError(
      'ERR_TEST_PG_UNAVAILABLE',
      `no PostgreSQL under ${DEBIAN_ROOT}/*/bin (Debian: apt-get install postgresql)`,
    );
  }
  const owner = serverOwner();
  // The free port is only free when we look; another process can bind it before the server does.
  for (let attempt = 1; ; attempt++) {
    const started = await startOnce(bin, owner, options);
    if (started !== 'port-taken') return started;
    if (attempt === 3) throw new TestPostgresError('ERR_TEST_PG_START', 'no free port after 3 attempts');
  }
}

async function startOnce(
  bin: string,
  owner: Owner | undefined,
  options: ClusterOptions,
): Promise<ThrowawayCluster | 'port-taken'> {
  const dir = mkdtempSync(join(tmpdir(), 'netid-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  try {
    if (owner) chownSync(dir, owner.uid, owner.gid);
    // Trust auth is safe here: initdb's pg_hba.conf only lists the unix socket and loopback addresses,
    // and the server listens on 127.0.0.1 alone.
    const initdb = [
      `-D${data}`,
      `-U${OS_USER}`,
      '--auth=trust',
      '--no-sync',
      '--encoding=UTF8',
      '--locale=C',
    ];
    await execFileAsync(...asOwner(owner, join(bin, 'initdb'), initdb), { cwd: dir }).catch((cause) => {
      throw new TestPostgresError('ERR_TEST_PG_START', `initdb failed: ${cause.stderr || cause.message}`, {
        cause,
      });
    });

    const port = await freePort();
    const server = [
      join(bin, 'postgres'),
      ...['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1'],
      // Every test file opens its own pool; the default of 100 runs out on many-core machines.
      ...['-c', 'max_connections=300'],
      ...(options.fsync === false ? ['-c', 'fsync=off'] : []),
    ];
    const watched = spawn(
      ...asOwner(owner, 'sh', ['-c', WATCHDOG, 'netid-pg-watchdog', log, dir, ...server]),
      {
        cwd: dir,
        stdio: ['pipe', 'ignore', 'ignore'],
      },
    );
    child = watched;
    let spawnError: Error | undefined;
    let gone = false;
    exited = new Promise<void>((resolve) => {
      watched.once('exit', () => resolve());
      watched.once('error', (error) => {
        spawnError = error;
        resolve();
      });
    }).then(() => {
      gone = true;
    });
    // A closed pipe surfaces as EPIPE on the next write; we never write, only close.
    watched.stdin?.on('error', () => {});

    const ready = await waitUntilReady(port, () => gone, options.startTimeoutMs ?? 30_000);
    if (!ready) {
      const tail = logTail(log);
      if (/could not bind|Address already in use/i.test(tail)) {
        await stopChild(watched, exited, undefined);
        rmSync(dir, { recursive: true, force: true });
        return 'port-taken';
      }
      const why = spawnError ? spawnError.message : `server did not accept connections:\n${tail}`;
      throw new TestPostgresError('ERR_TEST_PG_START', why);
    }
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);

    const admin = new pg.Client({ host: '127.0.0.1', port, user: OS_USER, database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await admin.end();
    }

    // Neither the watchdog nor its pipe may keep this process alive; exit (or death) closes the pipe.
    watched.unref();
    (watched.stdin as Socket | null)?.unref();
    const fastStop = ['stop', `--pgdata=${data}`, '--mode=fast', '--wait', '--timeout=10'];
    const pgCtlStop = asOwner(owner, join(bin, 'pg_ctl'), fastStop);
    live.set(dir, () => {
      // Runs inside process.on('exit'): synchronous only, and must not throw.
      try {
        execFileSync(...pgCtlStop, { cwd: dir, stdio: 'ignore' });
        rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // Already stopped, or the watchdog is removing the dir as the pipe closes.
      }
    });
    installExitHook();

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        live.delete(dir);
        await stopChild(watched, exited, pid);
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    };
    return { url: `postgres://${OS_USER}@127.0.0.1:${port}/${DATABASE}`, dir, pid, stop };
  } catch (error) {
    if (child) await stopChild(child, exited, undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Polls until the server takes a connection; false if it exited or the deadline passed. */
async function waitUntilReady(port: number, gone: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone()) return false;
    const client = new pg.Client({ host: '127.0.0.1', port, user: OS_USER, database: 'postgres' });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      // Refused (not listening yet) or "the database system is starting up": try again shortly.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return false;
}

/** Closing the pipe makes the watchdog fast-stop the server; escalate if it hangs. */
async function stopChild(
  child: ChildProcess,
  exited: Promise<unknown>,
  pid: number | undefined,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end();
  if (await within(exited, 15_000)) return;
  if (pid) {
    try {
      process.kill(pid, 'SIGQUIT'); // immediate shutdown
    } catch {
      // already gone
    }
  }
  child.kill('SIGKILL');
  await within(exited, 5_000);
}
