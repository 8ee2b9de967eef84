// What bin/ runs first: turn on Node's compile cache, then load the CLI. A
// cached module skips parsing and compiling on later runs, which is much of
// what loading the bundle costs. This file is loaded before the cache is on,
// so it stays small and imports nothing of the CLI statically.
import module from 'node:module';
import path from 'node:path';
import envPaths from 'env-paths';

/**
 * A folder of the user's own cache (`$XDG_CACHE_HOME/updateservicectl`, else
 * `~/.cache/updateservicectl`; `~/Library/Caches/…` on macOS,
 * `%LOCALAPPDATA%\…\Cache` on Windows), not one shared with other users,
 * whose entries this process would then trust.
 */
export function compileCacheDir(): string {
  return path.join(envPaths('updateservicectl', { suffix: '' }).cache, 'compile-cache');
}

/**
 * Turns the compile cache on, quietly: a folder that cannot be created or
 * written only costs the speed-up. Node itself honours `NODE_COMPILE_CACHE`
 * (a folder of your choice) and `NODE_DISABLE_COMPILE_CACHE`. Returns the
 * folder in use, if any.
 */
export function enableCompileCache(): string | undefined {
  try {
    return module.enableCompileCache(compileCacheDir()).directory;
  } catch {
    return undefined;
  }
}

/** Runs the CLI as `program` with the process's arguments. */
export async function start(program: string): Promise<void> {
  enableCompileCache();
  const { run } = await import('./main.js');
  run(program, process.argv.slice(2));
}
