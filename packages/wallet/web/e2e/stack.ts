import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { type Authority, createAuthority, loadConfig } from '@netid/authority';
import { seedResidents, testResident } from '../../../authority/src/enrollment/test-support.ts';
import { type Demo, startDemo } from '../../../demo/src/index.ts';
import { codeFromOutbox } from '../../src/authority-client.ts';
import { startWebWallet } from '../../src/web-server.ts';
import { migratedPglite } from './pglite-template.ts';

const OPERATOR_TOKEN = 'e2e-operator-token-0123456789abcdef0123';

/** Someone in the population registry who has not enrolled yet, with a phone of their own. */
export interface Resident {
  documentType: string;
  number: string;
  name: string;
  birthdate: string;
  phone: string;
}

/** Everything a person meets in the browser, served on loopback ports the OS picked. */
export interface Stack {
  authorityUrl: string;
  forumUrl: string;
  counterUrl: string;
  /** The web wallet (`http://127.0.0.1:<port>/`), trusting this authority. */
  walletUrl: string;
  /** A resident nobody else in this stack enrolls as (written to the registry on each call). */
  resident(): Promise<Resident>;
  /**
   * The newest 6-digit code texted to `phone`, from the development SMS outbox. `after` is the
   * `seen` of a code already used, so the wallet code is not mistaken for the SMS code before it.
   */
  smsCode(phone: string, after?: string): Promise<{ code: string; seen: string }>;
  /** The authority's log lines (the outbox prints codes there too), for a failing test to show. */
  logs: string[];
  close(): Promise<void>;
}

const NAMES = ['李娜', '王芳', '刘洋', '陈静', '杨帆', '赵磊', '黄丽', '周杰', '吴敏', '徐强'];

/**
 * A development authority on a fresh PGlite directory, the demo forum and counter registered with
 * it, and the web wallet its pages link to — what `netid authority --demo` runs, in this process.
 */
export async function startStack(): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'netid-e2e-'));
  const logs: string[] = [];
  const closers: (() => Promise<void>)[] = [async () => rmSync(dataDir, { recursive: true, force: true })];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    // Listen first: the authority's public URL (its issuer identifier) names the port the OS picks.
    let authority: Authority | undefined;
    const server = serve({
      hostname: '127.0.0.1',
      port: 0,
      // The env carries Node's req/res, which the OpenID Provider answers on directly.
      fetch: (request, env) =>
        authority ? authority.app.fetch(request, env) : new Response('starting', { status: 503 }),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          // The authorization page polls: do not wait for its keep-alive connections to time out.
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        }),
    );
    const authorityUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // The wallet is built and served before the authority starts: the sign-in page's "open wallet"
    // link names it, and that page is built from the authority's configuration.
    const database = join(dataDir, 'authority');
    const [serving, copied] = await Promise.allSettled([
      startWebWallet({
        host: '127.0.0.1',
        port: 0,
        authority: authorityUrl,
        outDir: join(dataDir, 'wallet-web'),
      }),
      migratedPglite(database),
    ]);
    if (serving.status === 'rejected') throw serving.reason;
    const wallet = serving.value;
    closers.push(() => wallet.close());
    if (copied.status === 'rejected') throw copied.reason;
    authority = await createAuthority(
      loadConfig({
        NETID_ENV: 'development',
        NETID_PUBLIC_URL: authorityUrl,
        NETID_DATA_DIR: database,
        NETID_OPERATOR_TOKEN: OPERATOR_TOKEN,
        NETID_WALLET_URL: wallet.url,
      }),
      { log: (line) => logs.push(line) },
    );
    const started = authority;
    closers.push(() => started.close());

    const demo: Demo = await startDemo({
      authorityUrl,
      forumPort: 0,
      counterPort: 0,
      dataDir,
      operatorToken: OPERATOR_TOKEN,
      walletUrl: wallet.url,
    });
    closers.push(() => demo.close());

    let residents = 0;
    return {
      authorityUrl,
      forumUrl: demo.forum.url,
      counterUrl: demo.counter.url,
      walletUrl: wallet.url,
      async resident() {
        const n = residents++;
        const born = `19${70 + (n % 30)}-0${1 + (n % 9)}-1${n % 10}`;
        const r = testResident({ name: NAMES[n % NAMES.length]!, birthdate: born });
        await seedResidents(started.ctx, [r]);
        const document = r.documents[0]!;
        return {
          documentType: document.type,
          number: document.number,
          name: r.name,
          birthdate: r.birthdate,
          phone: `1390000${String(n).padStart(4, '0')}`,
        };
      },
      smsCode: (phone, after) => codeFromOutbox(authorityUrl, phone, after),
      logs,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
