import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../http/problem.ts';
import { maskPhone } from './mask.ts';
import { webhookSmsSender } from './webhook.ts';

describe('maskPhone', () => {
  it('keeps the prefix and the last four digits only', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('1381234')).toBe('*******');
  });
});

describe('the webhook SMS adapter', () => {
  let server: Server;
  let url: string;
  const received: Array<{ path: string; type: string | undefined; body: unknown }> = [];
  let behaviour: 'ok' | 'fail' | 'hang' = 'ok';
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  };
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      received.push({ path: req.url ?? '', type: req.headers['content-type'], body: await read(req) });
      if (behaviour === 'hang') return; // never answers
      res.writeHead(behaviour === 'ok' ? 204 : 500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('POSTs { to, message } as JSON', async () => {
    behaviour = 'ok';
    await webhookSmsSender(url).send('13812345678', 'code 123456');
    expect(received.at(-1)).toEqual({
      path: '/sms',
      type: 'application/json',
      body: { to: '13812345678', message: 'code 123456' },
    });
  });

  it.each([
    ['answers with an error status', 'fail', undefined],
    ['does not answer in time', 'hang', 100],
  ] as const)('is a 502 sms_unavailable when the gateway %s', async (_, how, timeoutMs) => {
    behaviour = how;
    const error = await webhookSmsSender(url, timeoutMs ? { timeoutMs } : {})
      .send('13812345678', 'x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Problem);
    expect(error).toMatchObject({ status: 502, code: 'sms_unavailable' });
    expect(JSON.stringify(error)).not.toContain('13812345678');
  });

  it('is a 502 sms_unavailable when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      webhookSmsSender(`http://127.0.0.1:${port}/`).send('13812345678', 'x'),
    ).rejects.toMatchObject({
      status: 502,
      code: 'sms_unavailable',
    });
  });
});
