// Where the time goes on this thread: V8's sampling profiler through the in-process inspector,
// summarised as a short table (top functions by self time, then by package).
import type { Profiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { fmt } from './harness.ts';

/** Profiles this thread while `run` runs. */
export async function profileWhile<T>(
  run: () => Promise<T>,
  intervalUs = 500,
): Promise<{ result: T; profile: Profiler.Profile }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    const result = await run();
    const { profile } = await session.post('Profiler.stop');
    return { result, profile };
  } finally {
    session.disconnect();
  }
}

// Koa and the small modules it is made of: one cost centre with oidc-provider, which runs on it.
const KOA = new Set(
  'oidc-provider koa koa-compose accepts content-disposition content-type cookies keygrip delegates destroy encodeurl escape-html fresh http-assert http-errors mime-types mime-db on-finished parseurl statuses type-is vary negotiator media-typer depd debug ms raw-body'.split(
    ' ',
  ),
);

// The driver's and the QR encoder's own dependencies, counted with them.
const ALIASES: Record<string, string> = {
  'pg-protocol': 'pg',
  'pg-pool': 'pg',
  'pg-types': 'pg',
  'postgres-array': 'pg',
  'postgres-date': 'pg',
  'postgres-bytea': 'pg',
  'postgres-interval': 'pg',
  dijkstrajs: 'qrcode',
};

/** The package a frame's script belongs to; undefined for natives, node internals and VM states. */
function packageOf(url: string): string | undefined {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const [first, second] = url.slice(nm + '/node_modules/'.length).split('/');
    const name = first!.startsWith('@') ? `${first}/${second}` : first!;
    return KOA.has(name) ? 'oidc-provider/koa' : (ALIASES[name] ?? name);
  }
  // Our workspaces, by package and top folder: "authority/oidc", "protocol/sdjwt".
  const ours = /\/packages\/([^/]+)\/src\/(?:([^/]+)\/)?/.exec(url);
  if (ours) return ours[2] && !ours[2].includes('.') ? `${ours[1]}/${ours[2]}` : ours[1];
  if (url.includes('/bench/')) return 'bench';
  return undefined;
}

const VM_STATES = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);
const SOCKET_WRITES = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String']);

/**
 * Two tables: the top functions by self time (a native or node-internal frame is labelled with the
 * package that called it), and self time charged to packages — each sample to the innermost frame
 * that belongs to a package, so `crypto.sign` under jose counts as jose, a socket write under hono
 * as hono. Idle time is left out of the percentages.
 */
export function summariseProfile(
  profile: Profiler.Profile,
  options: { top?: number; threadCpu?: { ms: number; kernel: number } } = {},
): string[] {
  const top = options.top ?? 15;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const known = owner.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    let found: string;
    if (VM_STATES.has(name)) found = name;
    else {
      const own = packageOf(node.callFrame.url);
      const up = parent.get(id);
      found = own ?? (up === undefined ? 'node' : ownerOf(up));
      if (found === '(root)') found = 'node (http, net, timers)';
    }
    owner.set(id, found);
    return found;
  };

  // Every package with a frame on the node's stack: its share of samples is its inclusive time.
  const onPath = new Map<number, ReadonlySet<string>>();
  const packagesOnPath = (id: number): ReadonlySet<string> => {
    const known = onPath.get(id);
    if (known) return known;
    const up = parent.get(id);
    const above = up === undefined ? new Set<string>() : packagesOnPath(up);
    const own = packageOf(byId.get(id)!.callFrame.url);
    const set = own && !above.has(own) ? new Set([...above, own]) : above;
    onPath.set(id, set);
    return set;
  };

  const selfByNode = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    selfByNode.set(samples[i]!, (selfByNode.get(samples[i]!) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  // The benchmark's own frames on this thread are the profiler answering Profiler.stop.
  const isIdle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)' || ownerOf(id) === 'bench';
  const sampled = [...selfByNode].reduce((sum, [, ms]) => sum + ms, 0);
  const busySampled = [...selfByNode].reduce((sum, [id, ms]) => sum + (isIdle(id) ? 0 : ms), 0);

  // The sampler ticks on wall time: a thread that wakes a peer with a socket write and loses its
  // core to it is sampled in that write until it runs again. With the thread's real CPU known, that
  // much is taken out of the socket writes' samples (never more than they hold).
  const cpu = options.threadCpu;
  const waits = cpu ? Math.max(0, busySampled - cpu.ms) : 0;
  const isSocketWrite = (id: number) => {
    const { functionName, url } = byId.get(id)!.callFrame;
    return !url && SOCKET_WRITES.has(functionName);
  };
  const inWrites = [...selfByNode].reduce((sum, [id, ms]) => sum + (isSocketWrite(id) ? ms : 0), 0);
  const keep = inWrites > 0 ? Math.max(0, 1 - waits / inWrites) : 1;
  for (const [id, ms] of selfByNode) if (isSocketWrite(id)) selfByNode.set(id, ms * keep);

  const functions = new Map<string, { ms: number; name: string; where: string }>();
  const packages = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  for (const [id, ms] of selfByNode) {
    if (isIdle(id)) continue;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const group = ownerOf(id);
    busy += ms;
    packages.set(group, (packages.get(group) ?? 0) + ms);
    for (const name of packagesOnPath(id)) inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
    const native = !packageOf(url) && !VM_STATES.has(functionName);
    const file = url.slice(url.lastIndexOf('/') + 1);
    // A native (crypto's `run`, a socket's `writev`) is one entry per calling package.
    const key = `${functionName}|${url}|${lineNumber}|${native ? group : ''}`;
    const entry = functions.get(key) ?? {
      ms: 0,
      name: `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`,
      where: native ? `${url.startsWith('node:') ? 'node' : 'native'} ← ${group}` : group,
    };
    entry.ms += ms;
    functions.set(key, entry);
  }

  const pct = (ms: number) => `${fmt((100 * ms) / busy, 1).padStart(5)}%`;
  const s = (ms: number) => fmt(ms / 1000, 1);
  const lines = [
    `    ${s(busySampled)} s of ${s(sampled)} s sampled busy (idle and the profiler's own work left out)${
      cpu ? `; the thread's own CPU meanwhile ${s(cpu.ms)} s (${s(cpu.kernel)} s in the kernel)` : ''
    }`,
    ...(waits > 0
      ? [
          `    — the other ${s(waits)} s were waits for a core, sampled in socket writes after waking PostgreSQL or a client:`,
          `    taken out of \`writev\` below (${s(inWrites)} s sampled there, ${s(inWrites * keep)} s kept)`,
        ]
      : []),
    `    top ${top} functions by self time, shares of ${s(busy)} s:`,
    `      ${'self ms'.padStart(8)}  ${'share'.padStart(6)}  ${'function'.padEnd(52)} package`,
  ];
  for (const f of [...functions.values()].sort((a, b) => b.ms - a.ms).slice(0, top)) {
    lines.push(`      ${fmt(f.ms).padStart(8)}  ${pct(f.ms)}  ${f.name.slice(0, 52).padEnd(52)} ${f.where}`);
  }
  lines.push(
    '    by package: self (natives and node internals charged to the package that called them), and inclusive',
    '    (samples with the package anywhere on the stack: everything it does and waits on, callees included):',
  );
  const sorted = [...packages].sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, 12);
  const rest = sorted.slice(12).reduce((sum, [, ms]) => sum + ms, 0);
  for (const [name, ms] of shown) {
    const all = inclusive.get(name);
    lines.push(`      ${pct(ms)}  ${all === undefined ? ''.padStart(6) : pct(all)}  ${name}`);
  }
  if (rest > 0) lines.push(`      ${pct(rest)}  ${''.padStart(6)}  (${sorted.length - shown.length} others)`);
  return lines;
}
