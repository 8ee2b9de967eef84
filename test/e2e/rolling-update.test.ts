// The container workflow of seeds 002 and 003 without fleet or docker (issue
// #5, item 3): docs/examples/rolling-update/run.sh starts `serve`, sets up the
// app as seed 003 does, and runs three instances of a tiny web app behind a
// round-robin proxy, each with an updater sidekick built on
// `updateservicectl watch`. The test promotes 2.0.0 the way the README tells
// a newcomer to (rate limit of one update per 5 s, then the channel), samples
// every instance directly every 100 ms, and checks that at every sampled
// moment at least two of the three serve, that the updates came one at a
// time, and that all three end on 2.0.0.
//
// Everything is a child process on loopback ports: the launcher runs in its
// own process group, which afterAll kills whatever happened. The CLI is the
// built one (dist/), copied first into node_modules/.cache so that a
// concurrent `tsup` rebuilding dist/ cannot pull chunks from under it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closedPort } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const example = path.join(root, 'docs/examples/rolling-update');
const cacheDir = path.join(root, 'node_modules/.cache/updateservice-test');

const APP_ID = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const GROUP_ID = '13DEFFFC-90C2-4B94-B3C2-1322BE8DC4E3';
/**
 * The rate limit promoted with: one update per this many seconds. An
 * instance is down while it restarts, for 0.1 to 1 s here and up to 2.5 s on
 * a 2-core machine at load 10 (node's start-up); the limit must leave room.
 */
const UPDATE_INTERVAL_S = 5;
const SAMPLE_EVERY_MS = 100;
const PROBE_TIMEOUT_MS = 3000;
const ROLLOUT_DEADLINE_MS = 90_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let snapshot = '';
let binDir = '';
let stateDir = '';
let launcher: ChildProcess | undefined;
let launcherExit: Promise<number | null> | undefined;
let output = '';
/** When each "[example-N] updating 1.0.0 -> 2.0.0" line arrived. */
const updateStarts = new Map<string, number>();
let ports: { serve: number; proxy: number; apps: number[] };
let env: NodeJS.ProcessEnv;

/** Every chunk a file of the snapshot imports exists (a copy taken mid-rebuild does not pass). */
async function complete(dir: string): Promise<boolean> {
  const files = new Set(await readdir(dir));
  if (!files.has('cli.js')) return false;
  for (const file of files) {
    if (!file.endsWith('.js')) continue;
    const text = await readFile(path.join(dir, file), 'utf8');
    // the bundler writes its imports with double quotes; bundled libraries' comments mention `import('./x.js')` too
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)"\.\/([\w.-]+\.js)"/g)) {
      if (!files.has(m[1]!)) return false;
    }
  }
  return true;
}

/** A private copy of dist/ and bin/ wrappers for both command names. */
async function snapshotCli(): Promise<void> {
  snapshot = path.join(cacheDir, `rolling-update-${process.pid}`);
  const dist = path.join(snapshot, 'dist');
  binDir = path.join(snapshot, 'bin');
  for (let attempt = 0; ; attempt++) {
    await rm(snapshot, { recursive: true, force: true });
    await mkdir(binDir, { recursive: true });
    try {
      await cp(path.join(root, 'dist'), dist, { recursive: true });
      if (await complete(dist)) break;
    } catch {
      // dist/ changed while it was copied
    }
    if (attempt >= 30) throw new Error('dist/ is incomplete: run `npx tsup` first');
    await sleep(1000);
  }
  // The package's own launchers, beside the copy of dist/ they load.
  for (const name of ['updateservicectl', 'updatectl']) {
    await cp(path.join(root, 'bin', name), path.join(binDir, name));
    await chmod(path.join(binDir, name), 0o755);
  }
}

async function freePorts(n: number): Promise<number[]> {
  const found = new Set<number>();
  while (found.size < n) found.add(await closedPort());
  return [...found];
}

/** GET / of one instance, directly: its version, or null when it does not serve. */
function probe(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: PROBE_TIMEOUT_MS, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve(res.statusCode === 200 ? (/version (\S+)/.exec(body)?.[1] ?? null) : null));
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(null));
  });
}

/** Does anything answer HTTP on this port? */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
  });
}

/** GET / through the proxy: the body and the backend that answered. */
function viaProxy(): Promise<{ status: number; body: string; backend: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: ports.proxy, path: '/', agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, backend: String(res.headers['x-backend'] ?? '') }));
    });
    req.on('timeout', () => req.destroy(new Error('proxy request timed out')));
    req.on('error', reject);
  });
}

/** A shell script with the launcher's env file sourced, as the README's second terminal has it. */
function shell(script: string, timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', `set -e; source "${stateDir}/env"; cd "$STATE_DIR"; ${script}`],
      { env, timeout: timeoutMs, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

async function until<T>(what: string, deadlineMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n--- run.sh output ---\n${output}`);
    await sleep(200);
  }
}

beforeAll(async () => {
  await snapshotCli();
  const [serve, proxy, ...apps] = await freePorts(5);
  ports = { serve: serve!, proxy: proxy!, apps };
  stateDir = await mkdtemp(path.join(tmpdir(), 'rolling-update-test-'));
  env = { ...process.env };
  // vitest's BASE_URL=/ is not ours; nor is any service the environment points at
  for (const name of ['BASE_URL', 'UPDATECTL_SERVER', 'UPDATECTL_USER', 'UPDATECTL_KEY', 'NODE_OPTIONS']) delete env[name];
  Object.assign(env, {
    CLI_BIN_DIR: binDir,
    STATE_DIR: stateDir,
    SERVE_PORT: String(ports.serve),
    PROXY_PORT: String(ports.proxy),
    APP_PORTS: ports.apps.join(' '),
    CHECK_INTERVAL: '1',
  });

  const child = spawn('bash', [path.join(example, 'run.sh')], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  launcher = child;
  launcherExit = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  let pending = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const m = /\[(example-\d)\] updating 1\.0\.0 -> 2\.0\.0/.exec(line);
      if (m && !updateStarts.has(m[1]!)) updateStarts.set(m[1]!, Date.now());
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  let exited = false;
  void launcherExit.then(() => (exited = true));
  await until('run.sh to be ready', 90_000, async () => {
    if (exited) throw new Error(`run.sh ended before it was ready\n${output}`);
    return output.includes('Ready: the proxy is at') ? true : undefined;
  });
}, 150_000);

afterAll(async () => {
  const child = launcher;
  if (child?.pid !== undefined) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([launcherExit, sleep(20_000)]);
    }
    // whatever is left of the launcher's process group: instances, sidekicks, serve
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // nothing left
    }
  }
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
  if (snapshot) await rm(snapshot, { recursive: true, force: true });
}, 60_000);

it('three instances serve 1.0.0, directly and round-robin through the proxy', async () => {
  const direct = await Promise.all(ports.apps.map((port) => probe(port)));
  expect(direct).toEqual(['1.0.0', '1.0.0', '1.0.0']);

  const answers = [];
  for (let i = 0; i < 6; i++) answers.push(await viaProxy());
  for (const a of answers) {
    expect(a.status).toBe(200);
    expect(a.body).toMatch(/^Hello from version 1\.0\.0 \(example-[123]\)\n$/);
  }
  // round robin: every instance answered, each twice
  const backends = answers.map((a) => a.backend).sort();
  expect(backends).toEqual(ports.apps.flatMap((p) => [`127.0.0.1:${p}`, `127.0.0.1:${p}`]).sort());
}, 30_000);

it('promoting 2.0.0 at one update per 5 s: at every sampled moment two of three serve; all end on 2.0.0', async () => {
  const samples: { at: number; versions: (string | null)[] }[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const at = Date.now();
      samples.push({ at, versions: await Promise.all(ports.apps.map((port) => probe(port))) });
      await sleep(Math.max(0, at + SAMPLE_EVERY_MS - Date.now()));
    }
  })();

  try {
    // the README's steps, in its second terminal
    const promote = await shell(`
      make-release.sh 2.0.0
      updatectl package upload --file=payloads/example-app-2.0.0.tar.gz
      updatectl package create --app-id=$APP_ID --version=2.0.0 \\
        --file=payloads/example-app-2.0.0.tar.gz --url=$UPDATECTL_SERVER/packages/example-app-2.0.0.tar.gz
      updatectl group update --app-id=$APP_ID --group-id=$GROUP_ID --update-count=1 --update-interval=${UPDATE_INTERVAL_S}
      updatectl channel update --app-id=$APP_ID --channel=master --version=2.0.0
    `);
    expect(promote, promote.stderr).toMatchObject({ code: 0 });
    expect(promote.stdout).toContain(`Example Group\t${APP_ID}\tmaster\t${GROUP_ID}\tfalse\t1\t${UPDATE_INTERVAL_S}\n`);
    expect(promote.stdout).toContain('master\t2.0.0\tfalse\t\n');

    await until('all three instances on 2.0.0', ROLLOUT_DEADLINE_MS, async () => {
      const last = samples.at(-1);
      return last && last.versions.every((v) => v === '2.0.0') ? true : undefined;
    });
  } finally {
    sampling = false;
    await sampler;
  }

  expect(samples.length).toBeGreaterThan(20);
  const short = samples.filter((s) => s.versions.filter((v) => v !== null).length < 2);
  expect(short, `moments with fewer than two instances serving:\n${JSON.stringify(short)}\n--- run.sh output ---\n${output}`).toEqual([]);
  for (const s of samples) for (const v of s.versions) expect([null, '1.0.0', '2.0.0']).toContain(v);

  // the updates came one at a time, spaced by the rate limit (less the time a
  // loaded machine may take to start update.sh after the grant)
  const starts = [...updateStarts.values()].sort((a, b) => a - b);
  expect([...updateStarts.keys()].sort(), output).toEqual(['example-1', 'example-2', 'example-3']);
  for (let i = 1; i < starts.length; i++) {
    expect(starts[i]! - starts[i - 1]!, output).toBeGreaterThanOrEqual(UPDATE_INTERVAL_S * 1000 - 1500);
  }
  // each instance, once on 2.0.0, stayed there
  for (let i = 0; i < ports.apps.length; i++) {
    const first = samples.findIndex((s) => s.versions[i] === '2.0.0');
    expect(samples.slice(first).every((s) => s.versions[i] === '2.0.0' || s.versions[i] === null)).toBe(true);
  }

  // through the proxy, everyone answers 2.0.0
  for (let i = 0; i < 6; i++) {
    const a = await viaProxy();
    expect(a.status).toBe(200);
    expect(a.body).toMatch(/^Hello from version 2\.0\.0 \(example-[123]\)\n$/);
  }

  // and the sidekicks reported the new version back to the service
  await until('the service to see three instances on 2.0.0', 15_000, async () => {
    const r = await shell('updatectl instance list-updates --app-id=$APP_ID --group-id=$GROUP_ID');
    const rows = r.stdout.split('\n').filter((l) => l.startsWith(APP_ID));
    const onNew = rows.filter((l) => /\texample-[123]\t2\.0\.0\t/.test(l));
    return onNew.length === 3 ? true : undefined;
  });
}, ROLLOUT_DEADLINE_MS + 60_000);

it('stopping run.sh stops the service, the proxy, the instances and their sidekicks', async () => {
  launcher!.kill('SIGTERM');
  const code = await Promise.race([launcherExit, sleep(30_000).then(() => 'still running')]);
  expect(code, output).toBe(143);
  expect(output).toContain('== stopped; state left in');
  const all = [ports.serve, ports.proxy, ...ports.apps];
  expect(await Promise.all(all.map((port) => answers(port)))).toEqual(all.map(() => false));
  // no instance left a pid file behind
  for (let i = 1; i <= 3; i++) expect(existsSync(path.join(stateDir, `instances/example-${i}/pid`))).toBe(false);
}, 60_000);
