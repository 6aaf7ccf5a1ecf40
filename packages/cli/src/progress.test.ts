import { Writable } from 'node:stream';
import { NetidError } from '@netid/protocol';
import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.ts';

/** A stream that records each write; `isTTY` and `columns` as a terminal would set them. */
function fakeStream(tty: boolean, columns?: number): Writable & { writes: string[]; isTTY?: boolean } {
  const writes: string[] = [];
  const stream = new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  }) as Writable & { writes: string[]; isTTY?: boolean; columns?: number };
  // Record synchronously: Writable buffers chunks while an earlier write is pending.
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string) => {
    writes.push(chunk);
    return write(chunk);
  }) as typeof stream.write;
  stream.writes = writes;
  if (tty) stream.isTTY = true;
  if (columns !== undefined) stream.columns = columns;
  return stream;
}

/** A clock the test moves by hand, in milliseconds. */
function fakeClock(): { now: () => number; advance(ms: number): void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('createProgress on a terminal', () => {
  it('redraws at most every 100 ms, in place', () => {
    const stream = fakeStream(true);
    const clock = fakeClock();
    const progress = createProgress({ total: 10_000, label: 'seed', stream, now: clock.now });
    for (let i = 0; i < 10_000; i++) {
      progress.tick();
      clock.advance(0.1); // 10,000 ticks over one second
    }
    // The first tick draws, then one redraw per 100 ms: 10 or 11 writes, not 10,000.
    expect(stream.writes.length).toBeGreaterThanOrEqual(10);
    expect(stream.writes.length).toBeLessThanOrEqual(11);
    for (const w of stream.writes) {
      expect(w.startsWith('\rseed [')).toBe(true);
      expect(w.endsWith('\x1b[K')).toBe(true);
      expect(w).not.toContain('\n');
    }
  });

  it('shows count, percentage, rate and ETA', () => {
    const stream = fakeStream(true);
    const clock = fakeClock();
    const progress = createProgress({ total: 1_000_000, label: 'seed', stream, now: clock.now });
    clock.advance(2_000);
    progress.tick(250_000); // 125,000/s, 750,000 left: 6 s
    const line = stream.writes.at(-1)!;
    expect(line).toContain('250,000/1,000,000');
    expect(line).toContain('25.0%');
    expect(line).toContain('125,000/s');
    expect(line).toContain('ETA 6s');
    expect(line).toMatch(/\[#{5,8}\.+\]/); // a quarter of the bar filled
  });

  it('ends with a full bar, the elapsed time and a newline', () => {
    const stream = fakeStream(true);
    const clock = fakeClock();
    const progress = createProgress({ total: 300, label: 'seed', stream, now: clock.now });
    progress.tick(300);
    clock.advance(90_000);
    progress.done();
    const last = stream.writes.at(-1)!;
    expect(last.startsWith('\rseed [')).toBe(true);
    expect(last).toMatch(/\[#+\] 300\/300 100\.0% in 1m30s, 3\/s/);
    expect(last.endsWith('\x1b[K\n')).toBe(true);
  });

  it('narrows the bar to fit a narrow terminal', () => {
    const wide = fakeStream(true, 200);
    const narrow = fakeStream(true, 60);
    for (const stream of [wide, narrow]) createProgress({ total: 10, label: 'seed', stream }).tick();
    const bar = (s: { writes: string[] }) => /\[([#.]+)\]/.exec(s.writes[0]!)![1]!.length;
    expect(bar(wide)).toBe(30);
    expect(bar(narrow)).toBeLessThan(30);
    expect(bar(narrow)).toBeGreaterThanOrEqual(10);
  });
});

describe('createProgress in a log (not a terminal)', () => {
  it('writes one line per 10 % and a summary: 10 lines for a million ticks', () => {
    const stream = fakeStream(false);
    const clock = fakeClock();
    const progress = createProgress({ total: 1_000_000, label: 'seed', stream, now: clock.now });
    for (let i = 0; i < 1_000_000; i++) {
      progress.tick();
      if (i % 1000 === 0) clock.advance(5);
    }
    progress.done();
    expect(stream.writes).toHaveLength(10);
    expect(stream.writes.map((w) => /\((\d+)%\)/.exec(w)?.[1])).toEqual([
      '10',
      '20',
      '30',
      '40',
      '50',
      '60',
      '70',
      '80',
      '90',
      '100',
    ]);
    expect(stream.writes[0]).toMatch(/^seed: 100,000\/1,000,000 \(10%\) 200,000\/s ETA 5s\n$/);
    expect(stream.writes[9]).toMatch(/^seed: 1,000,000\/1,000,000 \(100%\) in 5s, 200,000\/s\n$/);
    const log = stream.writes.join('');
    expect(log.includes('\r') || log.includes('\x1b')).toBe(false);
  });

  it('writes one line when a single tick crosses several tenths', () => {
    const stream = fakeStream(false);
    const progress = createProgress({ total: 100, label: 'seed', stream });
    progress.tick(5);
    expect(stream.writes).toHaveLength(0);
    progress.tick(40); // 45 %: crosses 10 … 40
    expect(stream.writes).toHaveLength(1);
    expect(stream.writes[0]).toContain('(45%)');
    progress.tick(4); // 49 %: no new tenth
    expect(stream.writes).toHaveLength(1);
    progress.tick(1); // 50 %
    expect(stream.writes).toHaveLength(2);
  });

  it('handles an empty job and ticks past the total without NaN or a percentage over 100', () => {
    const empty = fakeStream(false);
    createProgress({ total: 0, label: 'seed', stream: empty }).done();
    expect(empty.writes).toEqual([expect.stringMatching(/^seed: 0\/0 \(100%\) in 0s, –\/s\n$/)]);

    const over = fakeStream(false);
    const progress = createProgress({ total: 10, label: 'seed', stream: over });
    progress.tick(15);
    progress.done();
    expect(over.writes.join('')).not.toContain('NaN');
    expect(over.writes.join('')).toContain('15/10 (100%)');
  });

  it('done is idempotent and later ticks are ignored', () => {
    const stream = fakeStream(false);
    const progress = createProgress({ total: 10, label: 'seed', stream });
    progress.done();
    progress.done();
    progress.tick(10);
    expect(stream.writes).toHaveLength(1);
  });
});

/** The NetidError code `fn` throws, or undefined if it returns; any other error fails the test. */
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NetidError);
    return (e as NetidError).code;
  }
  return undefined;
}

describe('createProgress input', () => {
  it.each([[-1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY]])('refuses total %s', (total) => {
    expect(codeOf(() => createProgress({ total, label: 'seed', stream: fakeStream(false) }))).toBe(
      'ERR_MALFORMED',
    );
  });

  it('refuses a negative or non-numeric tick', () => {
    const progress = createProgress({ total: 10, label: 'seed', stream: fakeStream(false) });
    expect(codeOf(() => progress.tick(-1))).toBe('ERR_MALFORMED');
    expect(codeOf(() => progress.tick(Number.NaN))).toBe('ERR_MALFORMED');
    expect(codeOf(() => progress.tick(2))).toBeUndefined();
  });
});
