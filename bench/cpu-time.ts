// CPU time actually spent, per thread and per process, from Linux's /proc. On a small shared machine
// wall-clock figures (event-loop utilisation, latency) include time spent waiting for a core; these
// do not, so they say what a sign-in costs wherever it runs.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime of a /proc stat file in ms, stime alone, and its parent pid; undefined when unreadable. */
function stat(path: string): { ms: number; kernel: number; ppid: number } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after "(comm)": state ppid … utime(14) stime(15), counted from the pid as field 1.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const tick = 1000 / clockTicks();
  return { ms: (Number(f[11]) + Number(f[12])) * tick, kernel: Number(f[12]) * tick, ppid: Number(f[1]) };
}

export interface CpuSnapshot {
  /** This process's main thread (the authority's event loop). */
  mainThread: number;
  /** The part of `mainThread` spent in the kernel (system calls: sockets to clients and PostgreSQL). */
  mainThreadKernel: number;
  /** This whole process: all threads. */
  process: number;
  /** The PostgreSQL server: postmaster and its children (backends, walwriter, checkpointer, …). */
  postgres: number;
}

export function cpuAvailable(): boolean {
  return stat(`/proc/${process.pid}/task/${process.pid}/stat`) !== undefined;
}

export function cpuSnapshot(postmasterPid: number): CpuSnapshot {
  let postgres = stat(`/proc/${postmasterPid}/stat`)?.ms ?? 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(`/proc/${entry}/stat`);
    if (s?.ppid === postmasterPid) postgres += s.ms;
  }
  const main = stat(`/proc/${process.pid}/task/${process.pid}/stat`);
  return {
    mainThread: main?.ms ?? 0,
    mainThreadKernel: main?.kernel ?? 0,
    process: stat(`/proc/${process.pid}/stat`)?.ms ?? 0,
    postgres,
  };
}

export function cpuSince(before: CpuSnapshot, postmasterPid: number): CpuSnapshot {
  const now = cpuSnapshot(postmasterPid);
  return {
    mainThread: now.mainThread - before.mainThread,
    mainThreadKernel: now.mainThreadKernel - before.mainThreadKernel,
    process: now.process - before.process,
    postgres: now.postgres - before.postgres,
  };
}
