// The CLI as its own process against `serve` (issue #3, item 6: "stale ts,
// replayed nonce: 401 and exit 1 in the CLI"). In-process, the CLI and the
// service share one clock, so these two need a separate CLI process whose
// clock (and nonce) a preload module controls: a CLI 10 minutes behind gets
// `stale Hawk timestamp`, and a second invocation that signs with the same
// ts and nonce gets `replayed Hawk nonce`; neither changes anything.
//
// The CLI is bundled from src/ with esbuild into node_modules/.cache (as the
// durability test does for `serve`), so a concurrent `tsup` rebuilding dist/
// cannot break it.
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { maskStamps, type CliResult } from '../helpers/run-cli.js';
import { APP_ID, describeEngines, expectOk, startTestServer, table, type TestServer } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cacheDir = path.join(root, 'node_modules/.cache/updateservice-test');

// Date.now() pinned to FAKE_NOW_MS; the 6 random bytes of a Hawk nonce fixed.
const PRELOAD = `
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
if (process.env.FAKE_NOW_MS) {
  const now = Number(process.env.FAKE_NOW_MS);
  Date.now = () => now;
}
if (process.env.FIXED_NONCE) {
  const real = crypto.randomBytes;
  crypto.randomBytes = (size, cb) => (size === 6 && !cb ? Buffer.from('fixed!') : real(size, cb));
  syncBuiltinESMExports();
}
`;
const RUNNER = `const [bundle, ...argv] = process.argv.slice(2);
const { run } = await import(bundle);
run('updateservicectl', argv);
`;

let bundle: string;
let preload: string;
let runner: string;

beforeAll(async () => {
  await mkdir(cacheDir, { recursive: true });
  // split like dist/: the command families (and the server) load on demand, as in the real CLI
  const outdir = path.join(cacheDir, `cli-${process.pid}`);
  await build({
    entryPoints: { cli: path.join(root, 'src/cli/main.ts') },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  });
  bundle = pathToFileURL(path.join(outdir, 'cli.mjs')).href;
  preload = path.join(cacheDir, `clock-${process.pid}.mjs`);
  runner = path.join(cacheDir, `cli-runner-${process.pid}.mjs`);
  await writeFile(preload, PRELOAD);
  await writeFile(runner, RUNNER);
});
afterAll(async () => {
  await Promise.all([preload, runner, bundle && fileURLToPath(path.dirname(bundle))].filter(Boolean).map((p) => rm(p, { recursive: true, force: true })));
});

/** Runs the CLI process; only PATH and the given variables in its environment (no vitest BASE_URL, no UPDATECTL_*). */
function runProcess(argv: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(preload).href, runner, bundle, ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describeEngines('e2e: the CLI as a separate process', (engine) => {
  let t: TestServer;
  let globals: string[];
  beforeAll(async () => {
    t = await startTestServer(engine);
    globals = [`--server=${t.url}`, '--user', 'admin', '--key', t.key];
  });
  afterAll(async () => t?.close());

  it('works as a process: output, exit code', async () => {
    const r = await runProcess([...globals, 'app', 'create', `--app-id=${APP_ID}`, '--label=CoreOS']);
    expectOk(r, table([['Id', 'Label', 'Description'], [APP_ID, 'CoreOS', '']]));
    const missing = await runProcess([...globals, 'app', 'delete', '--app-id=missing']);
    expect({ code: missing.code, stdout: missing.stdout, stderr: maskStamps(missing.stderr) }).toEqual({
      code: 1,
      stdout: '',
      stderr: 'TS googleapi: Error 404: app not found, notFound\n',
    });
  });

  it('a clock 10 minutes behind: stale timestamp, 401, exit 1, nothing changes', async () => {
    const r = await runProcess([...globals, 'app', 'create', '--app-id=stale-app'], { FAKE_NOW_MS: String(Date.now() - 600_000) });
    expect({ code: r.code, stdout: r.stdout, stderr: maskStamps(r.stderr) }).toEqual({
      code: 1,
      stdout: '',
      stderr: 'TS googleapi: Error 401: stale Hawk timestamp: check the clock, authError\n',
    });
    expect((await t.client.listApps()).items!.map((a) => a.id)).toEqual([APP_ID]);
  });

  it('a replayed nonce: the first request passes, the replay gets 401, exit 1, and changes nothing', async () => {
    const env = { FAKE_NOW_MS: String(Date.now()), FIXED_NONCE: '1' };
    expectOk(await runProcess([...globals, 'channel', 'list', `--app-id=${APP_ID}`], env), 'Label\tVersion\tPublish\tUpstream\n');
    const replay = await runProcess([...globals, 'channel', 'create', `--app-id=${APP_ID}`, '--channel=stable', '--version=1.0.0'], env);
    expect({ code: replay.code, stdout: replay.stdout, stderr: maskStamps(replay.stderr) }).toEqual({
      code: 1,
      stdout: '',
      stderr: 'TS googleapi: Error 401: replayed Hawk nonce, authError\n',
    });
    expect((await t.client.listChannels(APP_ID)).items ?? []).toEqual([]);
    // a fresh nonce goes through
    expectOk(
      await runProcess([...globals, 'channel', 'create', `--app-id=${APP_ID}`, '--channel=stable', '--version=1.0.0']),
      'Label\tVersion\tPublish\tUpstream\nstable\t1.0.0\tfalse\t\n',
    );
  });
});
