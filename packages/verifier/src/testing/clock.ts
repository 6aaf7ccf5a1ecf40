/** A clock that moves only when told to, for freshness tests that must not sleep. */
export interface ManualClock {
  now: () => number;
  advance(ms: number): void;
}

export function createManualClock(start = Date.UTC(2030, 0, 1)): ManualClock {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}
