import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CountingServer, startCountingServer } from '../testing/counting-server.ts';
import { createResourceRegistry, type ResourceRegistry, type ResourceRegistryOptions } from './registry.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listServer(): Promise<CountingServer> {
  const body = () => ({ headers: { 'cache-control': 'max-age=600' }, body: 'list' });
  const s = await startCountingServer({ '/a': body, '/b': body, '/c': body });
  cleanups.push(() => s.close());
  return s;
}

function registry(options: Partial<ResourceRegistryOptions<string>> = {}): ResourceRegistry<string> {
  const r = createResourceRegistry<string>({ parse: (b) => b, ...options });
  cleanups.push(() => r.stopAll());
  return r;
}

const refused = expect.objectContaining({ code: 'ERR_STATUS_LIST_UNAVAILABLE' });

describe('createResourceRegistry', () => {
  it('shares one resource and one request among every credential naming the same URL', async () => {
    const s = await listServer();
    const reg = registry();
    const first = reg.ensure(`${s.url}/a`);
    expect(reg.ensure(`${s.url}/a`)).toBe(first);
    expect(reg.ensure(`${s.url.toUpperCase()}/a`)).toBe(first); // same URL once normalised
    expect(await first.load()).toBe('list');
    expect(reg.get(`${s.url}/a`)).toMatchObject({ value: 'list', stale: false });
    expect(s.count('/a')).toBe(1);
    expect(reg.size).toBe(1);
  });

  it('get() is synchronous and never fetches, known URL or not', async () => {
    const s = await listServer();
    const reg = registry();
    expect(reg.get(`${s.url}/b`)).toBeUndefined();
    expect(reg.get('not a url')).toBeUndefined();
    await reg.ensure(`${s.url}/a`).load();
    for (let i = 0; i < 1000; i++) {
      reg.get(`${s.url}/a`);
      reg.get(`${s.url}/b`);
    }
    expect(s.count()).toBe(1);
    expect(reg.size).toBe(1);
  });

  it('ensure() starts the first fetch in the background', async () => {
    const s = await listServer();
    const reg = registry();
    reg.ensure(`${s.url}/b`);
    await vi.waitFor(() => expect(reg.get(`${s.url}/b`)?.value).toBe('list'), { timeout: 1000, interval: 5 });
    expect(s.count('/b')).toBe(1);
  });

  it('refuses URLs beyond the cap, without fetching them, while known URLs keep working', async () => {
    const s = await listServer();
    const reg = registry({ maxEntries: 2 });
    reg.ensure(`${s.url}/a`);
    reg.ensure(`${s.url}/b`);
    expect(() => reg.ensure(`${s.url}/c`)).toThrow(refused);
    expect(() => reg.ensure(`${s.url}/c?shard=2`)).toThrow(refused);
    expect(reg.ensure(`${s.url}/a`)).toBeDefined();
    await vi.waitFor(() => expect(s.count()).toBe(2), { timeout: 1000, interval: 5 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.count('/c')).toBe(0);
    expect(reg.size).toBe(2);
  });

  it('defaults to a cap of 1000 distinct URLs', () => {
    const fetch = vi.fn(
      (_url: string | URL | Request, _init?: RequestInit) => new Promise<Response>(() => {}),
    );
    const reg = registry({ resource: { fetch } });
    for (let i = 0; i < 1000; i++) reg.ensure(`https://status.example/list/${i}`);
    expect(() => reg.ensure('https://status.example/list/1000')).toThrow(refused);
    expect(reg.size).toBe(1000);
  });

  it('refuses origins outside the allow-list and non-http(s) or credentialed URLs, with no request', () => {
    const fetch = vi.fn(
      (_url: string | URL | Request, _init?: RequestInit) => new Promise<Response>(() => {}),
    );
    const reg = registry({ allowedOrigins: ['https://status.example/any/path'], resource: { fetch } });
    for (const url of [
      'https://evil.example/list',
      'http://status.example/list', // same host, other scheme: another origin
      'https://status.example:8443/list',
      'https://user:pw@status.example/list',
      'file:///etc/passwd',
      'data:,list',
      'not a url',
    ]) {
      expect(() => reg.ensure(url), url).toThrow(refused);
    }
    expect(reg.size).toBe(0);
    reg.ensure('https://STATUS.example/list/1');
    expect(reg.size).toBe(1);
    return vi.waitFor(() => {
      expect(fetch).toHaveBeenCalledTimes(1);
      expect(fetch.mock.calls[0]?.[0]).toBe('https://status.example/list/1');
    });
  });

  it('stopAll() ends every background refresh', async () => {
    const s = await startCountingServer({
      '/fast': () => ({ headers: { 'cache-control': 'max-age=0' }, body: 'x' }),
    });
    cleanups.push(() => s.close());
    const reg = registry({ resource: { minRefreshSeconds: 0.1 } });
    reg.ensure(`${s.url}/fast`);
    await vi.waitFor(() => expect(s.count()).toBeGreaterThanOrEqual(2), { timeout: 1000, interval: 5 });
    reg.stopAll();
    const after = s.count();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(s.count()).toBe(after);
    expect(reg.get(`${s.url}/fast`)?.value).toBe('x'); // values stay readable
  });

  it('rejects a bad configuration with ERR_MALFORMED', () => {
    const parse = (b: string) => b;
    expect(() => createResourceRegistry({ parse, maxEntries: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_MALFORMED' }),
    );
    expect(() => createResourceRegistry({ parse, allowedOrigins: ['status.example'] })).toThrow(
      expect.objectContaining({ code: 'ERR_MALFORMED' }),
    );
  });
});
