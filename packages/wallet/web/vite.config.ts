import { defineConfig } from 'vite';

// The web wallet is plain static files: the server that hosts it (src/web-server.ts in this
// package) builds it with this config and serves `/config.json` naming the authority to trust.
export default defineConfig({
  root: import.meta.dirname,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { target: 'es2022', sourcemap: false, emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  logLevel: 'warn',
});
