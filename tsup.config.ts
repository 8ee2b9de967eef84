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
 * Two built-in modules are taken differently from how Node would give them:
 * - `node:process` is the global `process`. Node's ESM view of it (which
 *   env-paths imports) reads every property up front, loading the streams
 *   and the diagnostic report.
 * - Commander needs node:child_process only to run executable subcommands,
 *   which this CLI has none of: for commander it loads on first use (with it
 *   come node:net, node:dgram and more).
 */
const builtinsOnDemand: Plugin = {
  name: 'builtins-on-demand',
  setup(build) {
    const commander = path.join('node_modules', 'commander', 'lib', 'command.js');
    build.onResolve({ filter: /^(node:)?(process|child_process)$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      // (a `require` of it needs nothing of the sort: it is the object itself)
      if (name === 'process') return args.kind === 'import-statement' ? { path: name, namespace: 'global-process' } : undefined;
      return args.importer.endsWith(commander) ? { path: name, namespace: 'builtin-on-first-use' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'global-process' }, () => ({ contents: 'module.exports = process;', loader: 'js' }));
    build.onLoad({ filter: /.*/, namespace: 'builtin-on-first-use' }, (args) => ({
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
  // The bundled CommonJS (undici, commander) requires only Node's built-in modules.
  banner: {
    js: 'const require = (id) => process.getBuiltinModule(id) ?? (() => { throw new Error(`Cannot find module ${id}`); })();',
  },
});
