import type { Writable } from 'node:stream';
import { fail } from '@netid/protocol';

/**
 * A progress bar for long commands (`netid registry seed`). On a terminal it redraws one line in
 * place, at most every REDRAW_MS, so a million ticks cost a million clock reads and ~10 writes a
 * second. Anywhere else (CI logs, files) it writes a line per 10 % and a summary, so a log stays
 * twelve lines long whatever the total.
 */
export interface ProgressOptions {
  /** Units of work expected; a non-negative integer. */
  total: number;
  label: string;
  stream: NodeJS.WriteStream | Writable;
  /** Milliseconds, monotonic; for tests. Defaults to performance.now. */
  now?: () => number;
}

export interface Progress {
  /** `n` more units done (default 1). Ignored after done(). */
  tick(n?: number): void;
  /** Writes the final line (count, elapsed time, average rate). Idempotent. */
  done(): void;
}

const REDRAW_MS = 100;
const MAX_BAR = 30;
const MIN_BAR = 10;

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

export function createProgress(options: ProgressOptions): Progress {
  const { total, label, stream } = options;
  if (!Number.isSafeInteger(total) || total < 0)
    fail('ERR_MALFORMED', 'progress total must be a non-negative integer');
  const tty = 'isTTY' in stream && stream.isTTY === true;
  const now = options.now ?? (() => performance.now());
  const start = now();
  let count = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;
  /** Non-TTY: the next tenth (1 … 9) to report; the 100 % line is done()'s. */
  let nextTenth = 1;
  let finished = false;

  /** Fraction done, capped at 1 (a caller may tick past an estimated total). */
  const fraction = (): number => (total === 0 ? 1 : Math.min(1, count / total));

  const stats = (t: number, final: boolean): string => {
    const elapsed = (t - start) / 1000;
    const rate = elapsed > 0 ? count / elapsed : 0;
    const speed = rate > 0 ? `${integer.format(rate)}/s` : '–/s';
    if (final) return `in ${duration(elapsed)}, ${speed}`;
    const eta = rate > 0 ? duration(Math.max(0, total - count) / rate) : '?';
    return `${speed} ETA ${eta}`;
  };

  const counts = (): string => `${integer.format(count)}/${integer.format(total)}`;
  const percent = (): string => `${(fraction() * 100).toFixed(tty ? 1 : 0)}%`;

  const ttyLine = (t: number, final: boolean): string => {
    const text = `${counts()} ${percent()} ${stats(t, final)}`;
    const columns = 'columns' in stream && typeof stream.columns === 'number' ? stream.columns : 80;
    const width = Math.max(MIN_BAR, Math.min(MAX_BAR, columns - label.length - text.length - 5));
    const filled = Math.round(fraction() * width);
    // \r returns to the line start, ESC [K erases what a longer previous line left behind.
    return `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\x1b[K`;
  };

  const plainLine = (t: number, final: boolean): string =>
    `${label}: ${counts()} (${percent()}) ${stats(t, final)}\n`;

  return {
    tick(n = 1) {
      if (finished) return;
      if (!(Number.isFinite(n) && n >= 0))
        fail('ERR_MALFORMED', 'progress tick must be a non-negative number');
      count += n;
      if (tty) {
        const t = now();
        if (t - lastDraw >= REDRAW_MS) {
          lastDraw = t;
          stream.write(ttyLine(t, false));
        }
      } else if (total > 0 && nextTenth <= 9 && count * 10 >= total * nextTenth) {
        // One line even when a big tick crosses several tenths at once.
        stream.write(plainLine(now(), false));
        nextTenth = Math.floor((count * 10) / total) + 1;
      }
    },
    done() {
      if (finished) return;
      finished = true;
      const t = now();
      stream.write(tty ? `${ttyLine(t, true)}\n` : plainLine(t, true));
    },
  };
}
