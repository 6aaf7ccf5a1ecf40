import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.ts';
import { freshnessSeconds, parseCacheControl } from './freshness.ts';

const policy = { defaultMaxAgeSeconds: 300, minRefreshSeconds: 30, maxRefreshSeconds: 3600 };

describe('parseCacheControl', () => {
  it('reads max-age, no-store and no-cache case-insensitively, quoted or not (RFC 9111 §5.2)', () => {
    expect(parseCacheControl('public, MAX-AGE=120')).toEqual({
      maxAge: 120,
      noStore: false,
      noCache: false,
      conflicting: false,
    });
    expect(parseCacheControl('max-age="45"').maxAge).toBe(45);
    expect(parseCacheControl('No-Store').noStore).toBe(true);
    expect(parseCacheControl('no-cache="set-cookie"').noCache).toBe(true);
    expect(parseCacheControl(null).maxAge).toBeUndefined();
  });

  it('flags duplicate or non-numeric max-age (RFC 9111 §1.2.2 delta-seconds, §4.2.1 duplicates)', () => {
    expect(parseCacheControl('max-age=10, max-age=20').conflicting).toBe(true);
    expect(parseCacheControl('max-age=-5').conflicting).toBe(true);
    expect(parseCacheControl('max-age=1e3').conflicting).toBe(true);
    expect(parseCacheControl('max-age').conflicting).toBe(true);
  });
});

describe('freshnessSeconds', () => {
  it.each([
    ['max-age=600', null, 600],
    ['max-age=5', null, 30], // below the floor
    ['max-age=0', null, 30],
    ['max-age=999999', null, 3600], // above the ceiling
    [null, null, 300], // default when no max-age
    ['public', null, 300],
    ['no-cache', null, 30],
    ['no-store, max-age=600', null, 30],
    ['max-age=600, max-age=700', null, 30], // conflicting → stale (§4.2.1)
    ['max-age=600', '200', 400], // Age is subtracted (§4.2.3)
    ['max-age=600', '590', 30],
    ['max-age=600', 'soon', 600], // an invalid Age is ignored
  ])('Cache-Control %j with Age %j → %d s', (cc, age, expected) => {
    expect(freshnessSeconds(cc, age, policy)).toBe(expected);
  });

  it('clamps the default too', () => {
    expect(freshnessSeconds(null, null, { ...policy, defaultMaxAgeSeconds: 0 })).toBe(30);
  });
});

describe('backoffDelayMs', () => {
  it('doubles per failure, stays within [ceiling/2, ceiling], and caps', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect(backoffDelayMs(1, 1000, 60_000, low)).toBe(500);
    expect(backoffDelayMs(1, 1000, 60_000, high)).toBeCloseTo(1000, 0);
    expect(backoffDelayMs(3, 1000, 60_000, low)).toBe(2000);
    expect(backoffDelayMs(3, 1000, 60_000, high)).toBeCloseTo(4000, 0);
    expect(backoffDelayMs(40, 1000, 60_000, high)).toBeLessThanOrEqual(60_000);
    expect(backoffDelayMs(40, 1000, 60_000, low)).toBe(30_000);
  });

  it('never shrinks from one failure to the next below the cap, whatever the jitter', () => {
    // 1000 · 2^8 = 256 s is the last uncapped ceiling under a 300 s cap.
    for (let n = 1; n <= 8; n++) {
      expect(backoffDelayMs(n + 1, 1000, 300_000, () => 0)).toBeGreaterThanOrEqual(
        backoffDelayMs(n, 1000, 300_000, () => 0.999999),
      );
    }
  });
});
