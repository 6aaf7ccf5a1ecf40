import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';

/** The web wallet's sources (Vite + Preact); its config names the entry and the build options. */
export const WEB_WALLET_CONFIG = join(import.meta.dirname, '..', 'web', 'vite.config.ts');

/** Builds the web wallet into `outDir` (emptied first). */
export async function buildWebWallet(outDir: string): Promise<void> {
  // Vite is a build tool: loaded only when building, never by the CLI wallet's commands.
  const { build } = await import('vite');
  await build({ configFile: WEB_WALLET_CONFIG, build: { outDir: resolve(outDir) } });
}

/**
 * The page may fetch anything (connect-src): a wallet posts its answer to whichever registered
 * platform asked, so the list of origins is not known here. Everything else is this origin only —
 * no inline script, no framing, no form posts — and the camera for scanning QR codes.
 */
export const WEB_WALLET_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  'connect-src *',
  "media-src 'self' blob:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': WEB_WALLET_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(self)',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Vite names what it puts under /assets/ by content hash: a new build is new names. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html, the service worker, the manifest, config.json and the icons keep their names. */
const REVALIDATE = 'no-cache';

interface StaticFile {
  body: Uint8Array;
  type: string;
  etag: string;
}

function staticFile(body: Uint8Array, type: string): StaticFile {
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** The built files by URL path, read once: what is served is exactly the build, nothing beside it. */
async function readBuild(outDir: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  for (const name of await readdir(outDir, { recursive: true })) {
    const path = join(outDir, name);
    if (!(await stat(path)).isFile()) continue;
    const type = TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
    files.set(`/${name.split(sep).join('/')}`, staticFile(new Uint8Array(await readFile(path)), type));
  }
  if (!files.has('/index.html')) throw new Error(`web wallet build has no index.html in ${outDir}`);
  return files;
}

function answer(c: Context, file: StaticFile, cacheControl: string): Response {
  c.header('cache-control', cacheControl);
  c.header('etag', file.etag);
  if (c.req.header('if-none-match') === file.etag) return c.body(null, 304);
  c.header('content-type', file.type);
  return c.body(file.body as Uint8Array<ArrayBuffer>, 200);
}

/** The web wallet's HTTP app: the built files and `/config.json` naming the authority it trusts. */
function webWalletApp(files: Map<string, StaticFile>, authority: string): Hono {
  const configFile = staticFile(
    new TextEncoder().encode(`${JSON.stringify({ authority })}\n`),
    'application/json',
  );
  const app = new Hono();
  app.use(async (c, next) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
    await next();
  });
  app.get('/config.json', (c) => answer(c, configFile, REVALIDATE));
  app.get('*', (c) => {
    const path = c.req.path === '/' ? '/index.html' : c.req.path;
    const file = files.get(path);
    if (!file) return c.notFound();
    return answer(c, file, path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE);
  });
  app.notFound((c) => c.text('not found', 404, { 'cache-control': REVALIDATE }));
  return app;
}

export interface WebWalletOptions {
  host: string;
  /** 0 lets the OS choose. */
  port: number;
  /** The authority's public URL: the one issuer this wallet enrolls with and trusts. */
  authority: string;
  /** Where the build goes (emptied first). */
  outDir: string;
}

export interface WebWallet {
  /** `http://<host>:<port>/` */
  url: string;
  close(): Promise<void>;
}

/** Builds the web wallet, then serves it until closed. */
export async function startWebWallet(options: WebWalletOptions): Promise<WebWallet> {
  const authority = new URL(options.authority).href.replace(/\/+$/, '');
  await buildWebWallet(options.outDir);
  const app = webWalletApp(await readBuild(options.outDir), authority);
  const server = serve({ fetch: app.fetch, hostname: options.host, port: options.port });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // An open wallet tab keeps a connection alive; do not wait for its keep-alive timeout.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
