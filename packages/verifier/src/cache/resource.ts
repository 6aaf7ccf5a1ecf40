import { fail, NetidError } from '@netid/protocol';
import { backoffDelayMs } from './backoff.ts';
import { type FreshnessPolicy, freshnessSeconds } from './freshness.ts';
import { boundedGet } from './http-get.ts';

/**
 * An issuer resource (JWKS, status list) kept in memory and refreshed in the background, so that
 * verifying a presentation reads only memory (privacy guarantee 3: zero requests to the authority
 * per presentation). When the issuer is unreachable the last good value keeps being served, marked
 * stale once past its freshness, and the verifier decides what staleness it accepts.
 */

export interface CachedResourceOptions<T> {
  url: string;
  /** Turns a fetched body into the cached value; throwing rejects that body and keeps the old value. */
  parse: (body: string, response: Response) => T;
  fetch?: typeof fetch;
  /** Freshness when the response carries no max-age. Default 300. */
  defaultMaxAgeSeconds?: number;
  /** Floor of the refresh interval. Default 30. */
  minRefreshSeconds?: number;
  /** Ceiling of the refresh interval. Default 3600. */
  maxRefreshSeconds?: number;
  /** Default 4 MiB. */
  maxBodyBytes?: number;
  /** Whole-request timeout, body included. Default 5000. */
  timeoutMs?: number;
  /** First retry delay after a failed refresh; doubles per failure. Default 1000. */
  retryBaseMs?: number;
  /** Sent as the Accept header, e.g. `application/statuslist+jwt`. */
  accept?: string;
  /** Called once for every failed fetch or rejected body, background or not. */
  onError?: (err: unknown) => void;
  /** Milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

export interface CachedEntry<T> {
  value: T;
  /** When the issuer last confirmed this value (a 200 or a 304), in `now()` milliseconds. */
  fetchedAt: number;
  expiresAt: number;
  /** True once `now()` has passed `expiresAt` without a successful refresh. */
  stale: boolean;
}

export interface ResourceHealth {
  consecutiveFailures: number;
  /** The last failure, cleared by the next success. */
  lastError: unknown;
  /** When the background refresh is due, in `now()` milliseconds; undefined unless started. */
  nextRefreshAt: number | undefined;
}

export interface CachedResource<T> {
  readonly url: string;
  /** Synchronous and never fetches: the only method the verification path may call. */
  current(): CachedEntry<T> | undefined;
  /** The cached value, or the first fetch of it. Rejects with a NetidError if none can be had. */
  load(): Promise<T>;
  /** One conditional GET now; concurrent calls share it. Rejects on failure, keeping the old value. */
  refresh(): Promise<void>;
  /** Starts background refreshing (the first fetch right away if nothing is cached). */
  start(): void;
  /** Stops background refreshing and cancels any request in flight. */
  stop(): void;
  health(): ResourceHealth;
}

interface Stored<T> {
  value: T;
  fetchedAt: number;
  expiresAt: number;
  etag: string | undefined;
  lastModified: string | undefined;
  /** Kept so that a 304 without Cache-Control is judged by the stored response's (RFC 9111 §4.3.4). */
  cacheControl: string | null;
}

/** However long the ceiling, a lost issuer is retried at least this often. */
const MAX_RETRY_MS = 300_000;
/** Refresh this long before expiry at most, so a slow issuer rarely lets the value go stale. */
const MAX_REFRESH_LEAD_MS = 30_000;

export function createCachedResource<T>(options: CachedResourceOptions<T>): CachedResource<T> {
  const url = checkUrl(options.url);
  const policy: FreshnessPolicy = {
    defaultMaxAgeSeconds: nonNegative('defaultMaxAgeSeconds', options.defaultMaxAgeSeconds, 300),
    minRefreshSeconds: positive('minRefreshSeconds', options.minRefreshSeconds, 30),
    maxRefreshSeconds: positive('maxRefreshSeconds', options.maxRefreshSeconds, 3600),
  };
  if (policy.minRefreshSeconds > policy.maxRefreshSeconds) {
    fail('ERR_MALFORMED', 'minRefreshSeconds must not exceed maxRefreshSeconds');
  }
  const limits = {
    maxBodyBytes: positive('maxBodyBytes', options.maxBodyBytes, 4 * 1024 * 1024),
    timeoutMs: positive('timeoutMs', options.timeoutMs, 5000),
    accept: options.accept,
  };
  const retryBaseMs = positive('retryBaseMs', options.retryBaseMs, 1000);
  const retryCapMs = Math.min(policy.maxRefreshSeconds * 1000, MAX_RETRY_MS);
  const fetchFn = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;

  let stored: Stored<T> | undefined;
  let inflight: Promise<void> | undefined;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let nextRefreshAt: number | undefined;
  let stopper = new AbortController();
  let failures = 0;
  let lastError: unknown;

  // A getter rather than the variable itself so TypeScript does not keep an `await`-stale narrowing.
  const cached = (): Stored<T> | undefined => stored;

  function report(err: unknown): void {
    try {
      options.onError?.(err);
    } catch {
      // A throwing error hook must not break the refresh loop.
    }
  }

  function schedule(delayMs: number): void {
    clearTimeout(timer);
    timer = undefined;
    if (!running) return;
    nextRefreshAt = now() + delayMs;
    timer = setTimeout(
      () => {
        timer = undefined;
        refresh().catch(() => {}); // already counted and reported by attempt()
      },
      Math.max(0, delayMs),
    );
    // Background refresh must never be the reason a process stays alive.
    timer.unref();
  }

  function delayUntilDue(entry: Stored<T>): number {
    const lead = Math.min((entry.expiresAt - entry.fetchedAt) / 10, MAX_REFRESH_LEAD_MS);
    return entry.expiresAt - lead - now();
  }

  function expiry(receivedAt: number, cacheControl: string | null, age: string | null): number {
    return receivedAt + freshnessSeconds(cacheControl, age, policy) * 1000;
  }

  async function attempt(): Promise<void> {
    const signal = stopper.signal;
    const previous = cached();
    try {
      const result = await boundedGet(fetchFn, url, previous ?? {}, { ...limits, signal });
      const receivedAt = now();
      const headers = result.response.headers;
      if (result.kind === 'not-modified') {
        if (previous === undefined) fail('ERR_FETCH_FAILED', `GET ${url} answered 304 with nothing cached`);
        const cacheControl = headers.get('cache-control') ?? previous.cacheControl;
        stored = {
          ...previous,
          fetchedAt: receivedAt,
          expiresAt: expiry(receivedAt, cacheControl, headers.get('age')),
          etag: headers.get('etag') ?? previous.etag,
          lastModified: headers.get('last-modified') ?? previous.lastModified,
          cacheControl,
        };
      } else {
        const value = parseBody(result.body, result.response);
        const cacheControl = headers.get('cache-control');
        stored = {
          value,
          fetchedAt: receivedAt,
          expiresAt: expiry(receivedAt, cacheControl, headers.get('age')),
          etag: headers.get('etag') ?? undefined,
          lastModified: headers.get('last-modified') ?? undefined,
          cacheControl,
        };
      }
      failures = 0;
      lastError = undefined;
      schedule(delayUntilDue(stored));
    } catch (err) {
      // Cancelled by stop(): not an issuer failure, so neither counted nor reported. (Only stop()
      // aborts this controller; timeouts abort a signal derived from it.)
      if (signal.aborted) throw err;
      failures += 1;
      lastError = err;
      report(err);
      schedule(backoffDelayMs(failures, retryBaseMs, retryCapMs));
      throw err;
    }
  }

  function parseBody(body: string, response: Response): T {
    try {
      return options.parse(body, response);
    } catch (err) {
      if (err instanceof NetidError) throw err;
      throw new NetidError('ERR_MALFORMED', `${url}: body rejected by parse`, { cause: err });
    }
  }

  function refresh(): Promise<void> {
    if (inflight !== undefined) return inflight;
    const mine = attempt().finally(() => {
      if (inflight === mine) inflight = undefined;
    });
    inflight = mine;
    return mine;
  }

  return {
    url,
    current() {
      if (stored === undefined) return undefined;
      const { value, fetchedAt, expiresAt } = stored;
      return { value, fetchedAt, expiresAt, stale: now() >= expiresAt };
    },
    async load() {
      const existing = cached();
      if (existing !== undefined) return existing.value;
      await refresh();
      const loaded = cached();
      if (loaded === undefined) fail('ERR_FETCH_FAILED', `${url}: nothing loaded`);
      return loaded.value;
    },
    refresh,
    start() {
      if (running) return;
      running = true;
      const entry = cached();
      schedule(entry === undefined ? 0 : delayUntilDue(entry));
    },
    stop() {
      running = false;
      schedule(0); // clears the timer, schedules nothing
      nextRefreshAt = undefined;
      stopper.abort();
      stopper = new AbortController();
      // A later refresh() must not join the request just cancelled.
      inflight = undefined;
    },
    health() {
      return { consecutiveFailures: failures, lastError, nextRefreshAt: running ? nextRefreshAt : undefined };
    },
  };
}

function checkUrl(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch (err) {
    fail('ERR_MALFORMED', `not a URL: ${JSON.stringify(raw)}`, err);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    fail('ERR_MALFORMED', `unsupported URL scheme ${parsed.protocol}`);
  }
  return parsed.href;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) fail('ERR_MALFORMED', `${name} must be a positive number`);
  return v;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) fail('ERR_MALFORMED', `${name} must be a non-negative number`);
  return v;
}
