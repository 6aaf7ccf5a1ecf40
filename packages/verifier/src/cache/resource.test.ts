import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isNetidError, NetidError } from '@netid/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../testing/clock.ts';
import { type CountingServer, type RouteHandler, startCountingServer } from '../testing/counting-server.ts';
import { type CachedResource, type CachedResourceOptions, createCachedResource } from './resource.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(routes: Record<string, RouteHandler>): Promise<CountingServer> {
  const s = await startCountingServer(routes);
  cleanups.push(() => s.close());
  return s;
}

function resource<T = string>(
  options: Partial<CachedResourceOptions<T>> & { url: string },
): CachedResource<T> {
  const r = createCachedResource<T>({ parse: (body) => body as T, ...options });
  cleanups.push(() => r.stop());
  return r;
}

/** Awaits a rejection and returns it, failing the test if the promise resolves. */
async function rejection(promise: Promise<unknown>): Promise<NetidError> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isNetidError(outcome), `expected a NetidError, got ${String(outcome)}`).toBe(true);
  return outcome as NetidError;
}

const reply =
  (body: string, headers: Record<string, string> = {}, status = 200): RouteHandler =>
  () => ({ status, headers, body });

describe('createCachedResource: loading and the verification path', () => {
  it('fetches once on load(), then serves from memory; current() never fetches', async () => {
    const s = await server({ '/list': reply('v1', { 'cache-control': 'max-age=60' }) });
    const r = resource({ url: `${s.url}/list` });
    expect(r.current()).toBeUndefined();
    expect(s.count()).toBe(0);
    expect(await r.load()).toBe('v1');
    expect(await r.load()).toBe('v1');
    expect(s.count()).toBe(1);
    for (let i = 0; i < 1000; i++) expect(r.current()?.value).toBe('v1');
    expect(s.count()).toBe(1);
  });

  it('current() does not fetch even when the value is stale or was never loaded', async () => {
    const clock = createManualClock();
    const s = await server({ '/list': reply('v1', { 'cache-control': 'max-age=60' }) });
    const never = resource({ url: `${s.url}/other` });
    const r = resource({ url: `${s.url}/list`, now: clock.now });
    await r.load();
    clock.advance(3_600_000);
    for (let i = 0; i < 1000; i++) {
      expect(r.current()?.stale).toBe(true);
      expect(never.current()).toBeUndefined();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.count()).toBe(1);
  });

  it('passes the body and the response to parse, and sends the Accept header', async () => {
    const s = await server({ '/jwks': reply('{"keys":[]}', { 'content-type': 'application/json' }) });
    const r = resource<{ keys: unknown[]; type: string | null }>({
      url: `${s.url}/jwks`,
      accept: 'application/jwk-set+json',
      parse: (body, response) => ({ ...JSON.parse(body), type: response.headers.get('content-type') }),
    });
    expect(await r.load()).toEqual({ keys: [], type: 'application/json' });
    expect(s.requests[0]?.headers.accept).toBe('application/jwk-set+json');
  });
});

describe('createCachedResource: freshness (RFC 9111)', () => {
  it('honours max-age exactly: fresh until fetchedAt + max-age, stale from then on (§4.2)', async () => {
    const clock = createManualClock();
    const s = await server({ '/list': reply('v1', { 'cache-control': 'max-age=60' }) });
    const r = resource({ url: `${s.url}/list`, now: clock.now });
    const t0 = clock.now();
    await r.load();
    expect(r.current()).toEqual({ value: 'v1', fetchedAt: t0, expiresAt: t0 + 60_000, stale: false });
    clock.advance(59_999);
    expect(r.current()?.stale).toBe(false);
    clock.advance(1);
    expect(r.current()?.stale).toBe(true);
  });

  it.each([
    ['max-age=5', 30],
    ['max-age=86400', 3600],
    ['no-cache', 30],
    ['no-store', 30],
    [undefined, 300],
  ])(
    'Cache-Control %j over HTTP → fresh for %d s (floor 30, ceiling 3600, default 300)',
    async (cc, secs) => {
      const clock = createManualClock();
      const s = await server({ '/x': reply('v', cc === undefined ? {} : { 'cache-control': cc }) });
      const r = resource({ url: `${s.url}/x`, now: clock.now });
      await r.load();
      expect(r.current()?.expiresAt).toBe(clock.now() + secs * 1000);
    },
  );

  it('uses the configured default, floor and ceiling', async () => {
    const clock = createManualClock();
    const s = await server({ '/none': reply('v'), '/long': reply('v', { 'cache-control': 'max-age=900' }) });
    const opts = { now: clock.now, defaultMaxAgeSeconds: 42, minRefreshSeconds: 10, maxRefreshSeconds: 600 };
    const none = resource({ url: `${s.url}/none`, ...opts });
    const long = resource({ url: `${s.url}/long`, ...opts });
    await none.load();
    await long.load();
    expect(none.current()?.expiresAt).toBe(clock.now() + 42_000);
    expect(long.current()?.expiresAt).toBe(clock.now() + 600_000);
  });
});

describe('createCachedResource: conditional revalidation (RFC 9110 §13)', () => {
  it('sends If-None-Match; a 304 keeps the value and extends freshness per its Cache-Control', async () => {
    const clock = createManualClock();
    const parse = vi.fn((body: string) => body);
    const s = await server({
      '/list': (req) =>
        req.headers['if-none-match'] === '"v1"'
          ? { status: 304, headers: { etag: '"v1"', 'cache-control': 'max-age=120' } }
          : { headers: { etag: '"v1"', 'cache-control': 'max-age=60' }, body: 'v1' },
    });
    const r = resource({ url: `${s.url}/list`, now: clock.now, parse });
    await r.load();
    expect(s.requests[0]?.headers['if-none-match']).toBeUndefined();
    clock.advance(70_000);
    expect(r.current()?.stale).toBe(true);
    await r.refresh();
    expect(s.requests[1]?.headers['if-none-match']).toBe('"v1"');
    expect(r.current()).toEqual({
      value: 'v1',
      fetchedAt: clock.now(),
      expiresAt: clock.now() + 120_000,
      stale: false,
    });
    expect(parse).toHaveBeenCalledTimes(1); // the 304 carried no body to parse
  });

  it('a 304 without Cache-Control is judged by the stored response’s (RFC 9111 §4.3.4)', async () => {
    const clock = createManualClock();
    const s = await server({
      '/list': (req) =>
        req.headers['if-none-match']
          ? { status: 304 }
          : { headers: { etag: 'W/"a"', 'cache-control': 'max-age=90' }, body: 'a' },
    });
    const r = resource({ url: `${s.url}/list`, now: clock.now });
    await r.load();
    clock.advance(100_000);
    await r.refresh();
    expect(s.requests[1]?.headers['if-none-match']).toBe('W/"a"');
    expect(r.current()?.expiresAt).toBe(clock.now() + 90_000);
  });

  it('sends If-Modified-Since from Last-Modified', async () => {
    const lastModified = 'Wed, 01 Jan 2025 00:00:00 GMT';
    const s = await server({
      '/list': (req) =>
        req.headers['if-modified-since'] === lastModified
          ? { status: 304 }
          : { headers: { 'last-modified': lastModified }, body: 'v1' },
    });
    const r = resource({ url: `${s.url}/list` });
    await r.load();
    await r.refresh();
    expect(s.requests[1]?.headers['if-modified-since']).toBe(lastModified);
    expect(r.current()?.value).toBe('v1');
  });

  it('a new 200 body replaces the value and its validators', async () => {
    const s = await server({ '/list': reply('v1', { etag: '"v1"' }) });
    const r = resource({ url: `${s.url}/list` });
    await r.load();
    s.setRoute('/list', reply('v2')); // no ETag this time
    await r.refresh();
    expect(r.current()?.value).toBe('v2');
    await r.refresh();
    expect(s.requests.map((q) => q.headers['if-none-match'])).toEqual([undefined, '"v1"', undefined]);
  });
});

describe('createCachedResource: failures keep the last good value', () => {
  it('issuer down: refresh rejects ERR_FETCH_FAILED, onError fires, value served, stale after expiry', async () => {
    const clock = createManualClock();
    const errors: unknown[] = [];
    const s = await server({ '/list': reply('v1', { 'cache-control': 'max-age=60' }) });
    const r = resource({ url: `${s.url}/list`, now: clock.now, onError: (e) => errors.push(e) });
    await r.load();
    await s.close();

    clock.advance(30_000);
    expect((await rejection(r.refresh())).code).toBe('ERR_FETCH_FAILED');
    expect(errors).toHaveLength(1);
    expect((errors[0] as NetidError).code).toBe('ERR_FETCH_FAILED');
    expect(r.current()).toMatchObject({ value: 'v1', stale: false });
    expect(r.health().consecutiveFailures).toBe(1);

    clock.advance(31_000);
    expect(r.current()).toMatchObject({ value: 'v1', stale: true });
    expect(await r.load()).toBe('v1');
  });

  it('nothing ever loaded: load() rejects ERR_FETCH_FAILED for a dead server, an HTTP error, a thrown fetch', async () => {
    const dead = await startCountingServer();
    const deadUrl = `${dead.url}/list`;
    await dead.close();
    expect((await rejection(resource({ url: deadUrl }).load())).code).toBe('ERR_FETCH_FAILED');

    const s = await server({
      '/500': reply('oops', {}, 500),
      '/302': reply('', { location: 'ftp://x/' }, 302),
    });
    expect((await rejection(resource({ url: `${s.url}/500` }).load())).message).toMatch(/HTTP 500/);
    expect((await rejection(resource({ url: `${s.url}/404` }).load())).code).toBe('ERR_FETCH_FAILED');
    expect((await rejection(resource({ url: `${s.url}/302` }).load())).code).toBe('ERR_FETCH_FAILED');

    const throwing = (() => {
      throw new TypeError('boom');
    }) as unknown as typeof fetch;
    const err = await rejection(resource({ url: 'https://issuer.example/list', fetch: throwing }).load());
    expect(err.code).toBe('ERR_FETCH_FAILED');
    expect(err.cause).toBeInstanceOf(TypeError);
  });

  it('a body that fails to parse keeps the old value and is reported', async () => {
    const errors: unknown[] = [];
    const parse = (body: string) => {
      if (!body.startsWith('ok:')) throw new NetidError('ERR_STATUS_LIST_INVALID', 'bad list');
      return body;
    };
    const s = await server({ '/list': reply('ok:1') });
    const r = resource({ url: `${s.url}/list`, parse, onError: (e) => errors.push(e) });
    await r.load();
    s.setRoute('/list', reply('garbage'));
    expect((await rejection(r.refresh())).code).toBe('ERR_STATUS_LIST_INVALID');
    expect(r.current()?.value).toBe('ok:1');
    expect((errors[0] as NetidError).code).toBe('ERR_STATUS_LIST_INVALID');
  });

  it('a parse function throwing a plain Error is reported as ERR_MALFORMED, never a bare Error', async () => {
    const s = await server({ '/list': reply('not json') });
    const r = resource({ url: `${s.url}/list`, parse: (body) => JSON.parse(body) });
    const err = await rejection(r.load());
    expect(err.code).toBe('ERR_MALFORMED');
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });

  it('a throwing onError does not break anything', async () => {
    const s = await server({ '/list': reply('x', {}, 503) });
    const r = resource({
      url: `${s.url}/list`,
      onError: () => {
        throw new Error('hook failed');
      },
    });
    expect((await rejection(r.load())).code).toBe('ERR_FETCH_FAILED');
  });
});

describe('createCachedResource: limits', () => {
  it('refuses a body over maxBodyBytes, declared or chunked, and keeps the old value', async () => {
    const big = 'x'.repeat(2048);
    const s = await server({
      '/exact': reply('y'.repeat(1024)),
      '/declared': reply(big),
      '/chunked': () => ({ body: Array.from({ length: 8 }, () => 'z'.repeat(256)) }),
    });
    expect(await resource({ url: `${s.url}/exact`, maxBodyBytes: 1024 }).load()).toHaveLength(1024);
    const declared = await rejection(resource({ url: `${s.url}/declared`, maxBodyBytes: 1024 }).load());
    expect(declared.code).toBe('ERR_FETCH_FAILED');
    expect(declared.message).toMatch(/1024-byte limit/);
    const chunked = await rejection(resource({ url: `${s.url}/chunked`, maxBodyBytes: 1024 }).load());
    expect(chunked.code).toBe('ERR_FETCH_FAILED');
    expect(s.requests.find((q) => q.path === '/chunked')).toBeDefined();

    const r = resource({ url: `${s.url}/exact`, maxBodyBytes: 1024 });
    await r.load();
    s.setRoute('/exact', () => ({ body: [big] }));
    expect((await rejection(r.refresh())).code).toBe('ERR_FETCH_FAILED');
    expect(r.current()?.value).toHaveLength(1024);
  });

  it('times out a server that never answers', async () => {
    const s = await server({ '/slow': () => new Promise(() => {}) });
    const started = Date.now();
    const err = await rejection(resource({ url: `${s.url}/slow`, timeoutMs: 150 }).load());
    expect(err.code).toBe('ERR_FETCH_FAILED');
    expect(err.message).toMatch(/timed out after 150 ms/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('rejects invalid options with ERR_MALFORMED', () => {
    const parse = (b: string) => b;
    for (const bad of [
      { url: 'not a url' },
      { url: 'file:///etc/passwd' },
      { url: 'https://x/', minRefreshSeconds: 100, maxRefreshSeconds: 10 },
      { url: 'https://x/', timeoutMs: 0 },
      { url: 'https://x/', maxBodyBytes: Number.NaN },
    ]) {
      expect(() => createCachedResource({ parse, ...bad })).toThrow(
        expect.objectContaining({ code: 'ERR_MALFORMED' }),
      );
    }
  });
});

describe('createCachedResource: coalescing', () => {
  it('concurrent refresh() and load() calls share one request', async () => {
    const s = await server({
      '/list': () => new Promise((resolve) => setTimeout(() => resolve({ body: 'v1' }), 100)),
    });
    const r = resource({ url: `${s.url}/list` });
    const calls = [
      ...Array.from({ length: 10 }, () => r.refresh()),
      ...Array.from({ length: 5 }, () => r.load()),
    ];
    const results = await Promise.all(calls);
    expect(results.slice(10)).toEqual(['v1', 'v1', 'v1', 'v1', 'v1']);
    expect(s.count()).toBe(1);
    await r.refresh(); // once settled, a new refresh is a new request
    expect(s.count()).toBe(2);
  });
});

describe('createCachedResource: background refresh', () => {
  it('refreshes shortly before expiry without being asked, and stop() ends it', async () => {
    const s = await server({ '/list': reply('v', { 'cache-control': 'max-age=0' }) });
    const r = resource({ url: `${s.url}/list`, minRefreshSeconds: 0.2 });
    const started = Date.now();
    r.start();
    r.start(); // idempotent
    await vi.waitFor(() => expect(s.count()).toBeGreaterThanOrEqual(3), { timeout: 1500, interval: 10 });
    // max-age=0 must not turn into a tight loop: the 200 ms floor (less its 10 % lead) spaces refreshes.
    expect(s.count()).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - started) / 180));
    r.stop();
    expect(r.health().nextRefreshAt).toBeUndefined();
    const after = s.count();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.count()).toBe(after);
  });

  it('backs off exponentially while the issuer is down, then recovers', async () => {
    const clock = createManualClock(); // frozen: nextRefreshAt − now is exactly the chosen delay
    const errors: unknown[] = [];
    const s = await server({ '/list': reply('down', {}, 503) });
    const r = resource({
      url: `${s.url}/list`,
      now: clock.now,
      retryBaseMs: 40,
      onError: (e) => errors.push(e),
    });
    r.start();
    const delays: number[] = [];
    for (let failures = 1; failures <= 4; failures++) {
      await vi.waitFor(() => expect(r.health().consecutiveFailures).toBe(failures), {
        timeout: 1500,
        interval: 2,
      });
      delays.push((r.health().nextRefreshAt ?? Number.NaN) - clock.now());
    }
    // equal jitter: retry n waits within [40·2^(n−1)/2, 40·2^(n−1)] ms
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(20 * 2 ** i);
      expect(d).toBeLessThanOrEqual(40 * 2 ** i);
    });
    expect(errors.length).toBeGreaterThanOrEqual(4);
    expect(r.current()).toBeUndefined();

    s.setRoute('/list', reply('up', { 'cache-control': 'max-age=60' }));
    await vi.waitFor(() => expect(r.current()?.value).toBe('up'), { timeout: 1500, interval: 5 });
    expect(r.health()).toMatchObject({ consecutiveFailures: 0, lastError: undefined });
    expect(r.health().nextRefreshAt).toBe(clock.now() + 60_000 - 6_000);
  });

  it('stop() cancels a request in flight without reporting it as an issuer failure', async () => {
    const errors: unknown[] = [];
    const s = await server({ '/slow': () => new Promise(() => {}) });
    const r = resource({ url: `${s.url}/slow`, onError: (e) => errors.push(e) });
    const pending = r.load();
    await vi.waitFor(() => expect(s.count()).toBe(1), { timeout: 1000, interval: 5 });
    r.stop();
    expect((await rejection(pending)).code).toBe('ERR_FETCH_FAILED');
    expect(errors).toEqual([]);
    expect(r.health().consecutiveFailures).toBe(0);
  });

  it('its timers never keep the process alive', async () => {
    const s = await server({ '/list': reply('v', { 'cache-control': 'max-age=3600' }) });
    const moduleUrl = new URL('./resource.ts', import.meta.url).href;
    const script = `
      import { createCachedResource } from ${JSON.stringify(moduleUrl)};
      const r = createCachedResource({ url: ${JSON.stringify(`${s.url}/list`)}, parse: (b) => b });
      r.start();
      console.log(await r.load());
    `;
    const started = Date.now();
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { cwd: fileURLToPath(new URL('.', import.meta.url)), timeout: 10_000 },
        (error, out) => resolve({ code: error ? (child.exitCode ?? -1) : 0, stdout: out }),
      );
    });
    expect(stdout.trim()).toBe('v');
    expect(code).toBe(0);
    // The scheduled refresh is an hour away: exiting at all proves the timer was unref()ed.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
