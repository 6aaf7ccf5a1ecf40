import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export interface Listening {
  /** `http://127.0.0.1:<port>`: what the platform registers its addresses under. */
  origin: string;
  /** Starts answering with this app (until then: 503). */
  use(fetch: (request: Request) => Response | Promise<Response>): void;
  close(): Promise<void>;
}

/**
 * Listens before the app exists: a platform's registered addresses name its port, which the OS may
 * pick (port 0), and the app needs its registration.
 */
export async function listen(port: number, hostname = '127.0.0.1'): Promise<Listening> {
  let handler: ((request: Request) => Response | Promise<Response>) | undefined;
  const server = serve({
    hostname,
    port,
    fetch: (request) => (handler ? handler(request) : new Response('starting', { status: 503 })),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    origin: `http://${hostname}:${actual}`,
    use(fetch) {
      handler = fetch;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Polling pages keep connections alive; do not wait a keep-alive timeout to stop.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
