/**
 * A minimal throughput harness: run `fn` over the inputs repeatedly for about `seconds`, after a
 * warm-up, and report operations per second. Each comparison in one run uses the same harness, so
 * the printed ratios hold on whatever machine runs them.
 */
export async function throughput<T>(
  inputs: readonly T[],
  fn: (input: T) => unknown,
  seconds = Number(process.env.BENCH_SECONDS ?? 3),
): Promise<number> {
  const deadlineWarm = performance.now() + Math.min(500, seconds * 250);
  for (let i = 0; performance.now() < deadlineWarm; i++) await fn(inputs[i % inputs.length]!);
  let ops = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    // Check the clock every 64 operations: reading it costs as much as a small operation.
    for (let j = 0; j < 64; j++, ops++) await fn(inputs[ops % inputs.length]!);
  }
  return ops / ((performance.now() - start) / 1000);
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export interface Contender {
  name: string;
  inputs: readonly unknown[];
  fn: (input: never) => unknown;
}

/**
 * Throughput of several contenders measured in interleaved rounds (A B C A B C …), each result the
 * median of its rounds. On a shared or frequency-scaling machine the speed drifts over seconds;
 * interleaving exposes every contender to the same drift, so their ratios stay meaningful.
 */
export async function compareThroughput(
  contenders: readonly Contender[],
  rounds = Number(process.env.BENCH_ROUNDS ?? 7),
  roundSeconds = Number(process.env.BENCH_ROUND_SECONDS ?? 0.6),
): Promise<Map<string, number>> {
  const results = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of contenders) {
      results
        .get(c.name)!
        .push(await throughput(c.inputs, c.fn as (input: unknown) => unknown, roundSeconds));
    }
  }
  return new Map(
    [...results].map(([name, xs]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return [name, sorted[Math.floor(sorted.length / 2)]!];
    }),
  );
}
