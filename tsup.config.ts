import { isBuiltin } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

/**
 * undici's HTTP/2 client stays out of the bundle: nothing here turns on
 * allowH2, so a connection never negotiates HTTP/2, and the module would load
 * node:http2 and node:tls with every request. build/undici-http1-only.cjs
 * stands in for it.
 */
const undiciHttp1Only: Plugin = {
  name: 'undici-http1-only',
  setup(build) {
    build.onResolve({ filter: /^\.\/client-h2\.js$/ }, (args) =>
      args.importer.endsWith(path.join('undici', 'lib', 'dispatcher', 'client.js'))
        ? { path: path.resolve('build/undici-http1-only.cjs') }
        : undefined,
    );
  },
};

/**
 * Node's built-in modules come from process.getBuiltinModule, as CommonJS
 * does, instead of through an ESM import: Node's ESM view of a built-in reads
 * every one of its exports up front, so `import { existsSync } from 'node:fs'`
 * also loads fs/promises and readline. Named imports become property reads at
 * the point of use; `node:process` is the global `process`.
 *
 * Commander needs node:child_process only to run executable subcommands,
 * which this CLI has none of: for commander it loads on first use (it brings
 * node:net and node:dgram with it).
 */
const builtinsOnDemand: Plugin = {
  name: 'builtins-on-demand',
  setup(build) {
    const commander = path.join('node_modules', 'commander', 'lib', 'command.js');
    build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      if (!isBuiltin(args.path)) return undefined;
      const name = args.path.replace(/^node:/, '');
      const lazy = name === 'child_process' && args.importer.endsWith(commander);
      return { path: name, namespace: lazy ? 'node-builtin-on-first-use' : 'node-builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: args.path === 'process' ? 'module.exports = process;' : `module.exports = process.getBuiltinModule(${JSON.stringify(`node:${args.path}`)});`,
      loader: 'js',
    }));
    build.onLoad({ filter: /.*/, namespace: 'node-builtin-on-first-use' }, (args) => ({
      contents: `module.exports = new Proxy({}, { get: (_, name) => process.getBuiltinModule(${JSON.stringify(`node:${args.path}`)})[name] });`,
      loader: 'js',
    }));
  },
};

// One ESM bundle per entry, with shared chunks: the entries stay small so
// `--version` and help start fast, and each command family, the HTTP client
// and the server load on demand. `start` (what bin/ runs) turns on the
// compile cache before it loads `cli`.
export default defineConfig({
  entry: { cli: 'src/cli/main.ts', start: 'src/cli/start.ts' },
  format: ['esm'],
  target: 'node22',
  platform: 'node',
  splitting: true,
  sourcemap: true,
  // dist/dashboard is Vite's (vite.config.ts): a CLI rebuild leaves it alone.
  clean: ['!dashboard/**'],
  dts: false,
  // Bundled, so that resolving and reading their files happens once, at build time.
  noExternal: ['undici', 'commander', 'env-paths', 'is-safe-filename'],
  esbuildPlugins: [undiciHttp1Only, builtinsOnDemand],
  // keep `node:` specifiers for builtinsOnDemand (tsup would strip them and mark the modules external first)
  removeNodeProtocol: false,
});
