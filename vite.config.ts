// The dashboard (src/dashboard) → dist/dashboard, which `serve` serves at `/`
// (src/server/routes/dashboard.ts). Every asset is bundled: no CDN, the page
// works air-gapped. `base: './'` keeps the asset URLs relative, so the page
// also works below a path prefix behind a proxy.
//
// `npm run dev:dashboard` serves the sources with hot reload and forwards the
// API to a running `serve` (UPDATESERVICE_URL, default http://localhost:8000).
// The Host header is left as the browser sent it, which is what the page signs.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const target = process.env.UPDATESERVICE_URL ?? 'http://localhost:8000';

export default defineConfig({
  root: fileURLToPath(new URL('./src/dashboard', import.meta.url)),
  base: './',
  publicDir: 'public',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 300,
  },
  server: {
    proxy: {
      '/_ah': { target, changeOrigin: false },
    },
  },
});
