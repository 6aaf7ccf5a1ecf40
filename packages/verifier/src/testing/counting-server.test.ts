import { afterEach, describe, expect, it } from 'vitest';
import { type CountingServer, startCountingServer } from './counting-server.ts';

let server: CountingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startCountingServer', () => {
  it('listens on loopback and counts every request, per path and in total, 404s included', async () => {
    server = await startCountingServer({ '/a': () => ({ headers: { 'x-test': '1' }, body: 'A' }) });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const a = await fetch(`${server.url}/a?x=1`, { headers: { 'if-none-match': '"e"' } });
    expect(await a.text()).toBe('A');
    expect(a.headers.get('x-test')).toBe('1');
    expect((await fetch(`${server.url}/missing`)).status).toBe(404);
    await fetch(`${server.url}/a`, { method: 'HEAD' });
    expect(server.count()).toBe(3);
    expect(server.count('/a')).toBe(2);
    expect(server.count('/missing')).toBe(1);
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/a', target: '/a?x=1' });
    expect(server.requests[0]?.headers['if-none-match']).toBe('"e"');
  });

  it('setRoute replaces or adds a handler; async handlers, statuses and chunked bodies work', async () => {
    server = await startCountingServer({});
    server.setRoute('/x', async () => ({ status: 201, body: ['one', new TextEncoder().encode('two')] }));
    const res = await fetch(`${server.url}/x`);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-length')).toBeNull();
    expect(await res.text()).toBe('onetwo');
    server.setRoute('/x', () => {
      throw new Error('handler broke');
    });
    expect((await fetch(`${server.url}/x`)).status).toBe(500);
  });

  it('close() takes the server down even with keep-alive connections open', async () => {
    server = await startCountingServer({ '/a': () => ({ body: 'A' }) });
    const url = `${server.url}/a`;
    await (await fetch(url)).text(); // leaves a pooled keep-alive socket
    await server.close();
    server = undefined;
    await expect(fetch(url)).rejects.toThrow();
  });
});
