import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on loopback that counts every request it receives, for tests that must prove
 * a property about the network ("a presentation never causes a request") rather than about mocks.
 */

export interface CountedRequest {
  method: string;
  /** Path without the query string; routes and `count()` match on it. */
  path: string;
  /** The request target as sent, query included. */
  target: string;
  headers: IncomingHttpHeaders;
}

export interface RouteResponse {
  status?: number;
  headers?: Record<string, string>;
  /** An array is written chunk by chunk without Content-Length (chunked transfer encoding). */
  body?: string | Uint8Array | readonly (string | Uint8Array)[];
}

export type RouteHandler = (req: CountedRequest) => RouteResponse | Promise<RouteResponse>;

export interface CountingServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Requests received in total, or for one path. */
  count(path?: string): number;
  readonly requests: readonly CountedRequest[];
  setRoute(path: string, handler: RouteHandler): void;
  /** Stops listening and drops open (keep-alive) connections, so clients see the server as down. */
  close(): Promise<void>;
}

export async function startCountingServer(
  routes: Record<string, RouteHandler> = {},
): Promise<CountingServer> {
  const table = new Map(Object.entries(routes));
  const requests: CountedRequest[] = [];

  const server = createServer((req, res) => {
    const target = req.url ?? '/';
    const path = new URL(target, 'http://localhost').pathname;
    const counted: CountedRequest = { method: req.method ?? 'GET', path, target, headers: req.headers };
    requests.push(counted);
    const handler = table.get(path);
    if (handler === undefined) {
      res.writeHead(404).end();
      return;
    }
    Promise.resolve()
      .then(() => handler(counted))
      .then(
        (out) => {
          res.writeHead(out.status ?? 200, out.headers);
          const body = out.body ?? '';
          if (typeof body === 'string' || body instanceof Uint8Array) {
            res.end(body);
            return;
          }
          for (const chunk of body) res.write(chunk);
          res.end();
        },
        (err: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        },
      )
      .catch(() => res.destroy()); // the client may already be gone
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    count: (path) => (path === undefined ? requests.length : requests.filter((r) => r.path === path).length),
    requests,
    setRoute: (path, handler) => {
      table.set(path, handler);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
