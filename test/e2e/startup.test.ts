// How the built CLI starts (bench/startup.mjs measures how fast): only what
// a command uses is loaded, the HTTP client only for commands that send a
// request, undici and commander come from the bundle, and the compile cache
// lives in the user's cache folder and never gets in the way.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { ADMIN_KEY } from '../helpers/run-cli.js';
import { childEnv, snapshotCli, type CliSnapshot } from './processes.js';

// Writes the built-in modules the process loaded (Node's list) to $LOADED_MODULES as it exits.
const LOADED_HOOK =
  "data:text/javascript,process.on('exit', () => process.getBuiltinModule('node:fs').writeFileSync(process.env.LOADED_MODULES, process.moduleLoadList.join('\\n')))";

let cli: CliSnapshot;
let server: RecordingServer;
let work: string;

beforeAll(async () => {
  cli = await snapshotCli();
  server = await startRecordingServer({
    'GET /_ah/api/update/v1/apps': { body: { items: [{ id: 'e96281a6-d1af-4bde-9a0a-97b76e56dc57', label: 'App', description: 'x' }] } },
  });
  work = await mkdtemp(path.join(os.tmpdir(), 'startup-test-'));
});

afterAll(async () => {
  await server?.close();
  await cli?.remove();
  if (work) await rm(work, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Node's built-in modules that were loaded (`net`, `http`, …). */
  builtins: Set<string>;
}

/** Runs the built CLI with `env` added; records the built-in modules it loaded. */
async function runBuilt(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const list = path.join(work, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  const child = spawn(process.execPath, [`--import=${LOADED_HOOK}`, cli.bin, ...argv], {
    env: { ...childEnv(), XDG_CACHE_HOME: path.join(work, 'cache'), ...env, LOADED_MODULES: list },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const builtins = new Set(
    (await readFile(list, 'utf8'))
      .split('\n')
      .filter((m) => m.startsWith('NativeModule '))
      .map((m) => m.slice('NativeModule '.length)),
  );
  return { code, stdout, stderr, builtins };
}

const asAdmin = () => ['--server', server.url, '--user', 'admin', '--key', ADMIN_KEY];

describe('what each command loads', () => {
  it('--version, help and a usage error load no HTTP client', async () => {
    for (const argv of [['--version'], ['help', 'app'], [...asAdmin(), 'app', 'update', '--app-id=x']]) {
      const r = await runBuilt(argv);
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(argv[0] === '--version' || argv[0] === 'help' ? 0 : 2);
      // (node:net is no sign: the child's stdout is a pipe, which is a net.Socket)
      for (const name of ['http', 'tls', 'http2']) expect(r.builtins.has(name), `${argv.join(' ')} loaded ${name}`).toBe(false);
    }
  });

  it('a command that sends a request loads HTTP/1.1 only: not node:http2, not node:tls for http://', async () => {
    const r = await runBuilt([...asAdmin(), 'app', 'list']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('e96281a6-d1af-4bde-9a0a-97b76e56dc57\tApp\tx\n');
    expect(r.builtins.has('http')).toBe(true);
    expect(r.builtins.has('http2')).toBe(false);
    expect(r.builtins.has('tls')).toBe(false);
  });

  it('commander does not load node:child_process (it brings node:dgram and more with it)', async () => {
    const r = await runBuilt(['--version']);
    expect(r.builtins.has('child_process')).toBe(false);
  });

  it('undici, commander and env-paths come from the bundle, not from node_modules', async () => {
    const dist = path.join(path.dirname(cli.bin), '..', 'dist');
    for (const name of await readdir(dist)) {
      if (!name.endsWith('.js')) continue;
      const text = await readFile(path.join(dist, name), 'utf8');
      expect(text, name).not.toMatch(/\bfrom\s*["'](undici|commander|env-paths)["']|import\(\s*["'](undici|commander|env-paths)["']\)/);
    }
  });
});

describe('the compile cache', () => {
  it("is kept in the user's cache folder and used by the next run", async () => {
    const cache = path.join(work, 'own-cache');
    const first = await runBuilt(['--version'], { XDG_CACHE_HOME: cache });
    expect(first.code).toBe(0);
    const folder = path.join(cache, 'updateservicectl', 'compile-cache');
    const [versionDir] = await readdir(folder);
    expect(versionDir).toMatch(new RegExp(`^${process.version}-`));
    expect((await readdir(path.join(folder, versionDir!))).length).toBeGreaterThan(3);
    const second = await runBuilt(['--version'], { XDG_CACHE_HOME: cache });
    expect(second.stdout).toBe(first.stdout);
  });

  it('costs nothing but speed when its folder cannot be created', async () => {
    // a file where the cache folder's parent should be: mkdir fails (even for root)
    const blocked = path.join(work, 'not-a-folder');
    await writeFile(blocked, 'x');
    const normal = await runBuilt([...asAdmin(), 'app', 'list']);
    const r = await runBuilt([...asAdmin(), 'app', 'list'], { XDG_CACHE_HOME: blocked });
    expect(r).toMatchObject({ code: 0, stdout: normal.stdout, stderr: '' });
  });

  it('is left off with NODE_DISABLE_COMPILE_CACHE', async () => {
    const cache = path.join(work, 'disabled-cache');
    const r = await runBuilt(['--version'], { XDG_CACHE_HOME: cache, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(r.code).toBe(0);
    expect(existsSync(path.join(cache, 'updateservicectl'))).toBe(false);
  });
});
