import { defineConfig } from 'tsup';

// One ESM bundle per entry, with shared chunks: the CLI entry stays small so
// `--version` and help start fast, and each command family loads on demand.
export default defineConfig({
  entry: { cli: 'src/cli/main.ts' },
  format: ['esm'],
  target: 'node22',
  platform: 'node',
  splitting: true,
  sourcemap: true,
  // dist/dashboard is Vite's (vite.config.ts): a CLI rebuild leaves it alone.
  clean: ['!dashboard/**'],
  dts: false,
});
