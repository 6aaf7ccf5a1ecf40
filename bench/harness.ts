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
  const deadlineWarm = performance.now() + 500;
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
