/**
 * Delay before retry number `failures` (1 = first retry): exponential, capped, with "equal jitter"
 * (half fixed, half random). The random half keeps many verifiers that lost the issuer at the same
 * moment from coming back in lockstep; the fixed half keeps each delay at least as long as the
 * longest possible previous one, so the backoff really grows until it reaches the cap.
 */
export function backoffDelayMs(
  failures: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
  return ceiling / 2 + (random() * ceiling) / 2;
}
