// Real processes for the end-to-end walkthroughs: `serve`, the CLI and
// `instance fake`, each its own `node bin/updateservicectl …` child.
//
// The children run a snapshot of the built CLI (bin/ and dist/ copied into
// node_modules/.cache, so node_modules still resolves): a concurrent `tsup`
// rebuilding dist/ cannot pull a lazily loaded chunk from under a test that
// runs for a minute. The snapshot is checked for completeness (every chunk a
// chunk imports is there) and taken again if a rebuild was caught mid-way.
//
// The children's environment has no serve settings (vitest sets BASE_URL=/,
// which `serve` would publish as its base URL), no UPDATECTL_* and no saved profiles.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SETTINGS } from '../../src/server/config.js';
import type { CliResult } from '../helpers/run-cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cacheDir = path.join(root, 'node_modules/.cache/updateservice-test');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** process.env without the serve settings' variables (BASE_URL among them) and UPDATECTL_*. */
export function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const s of SETTINGS) delete env[s.env];
  for (const k of Object.keys(env)) if (k.startsWith('UPDATECTL_')) delete env[k];
  // saved profiles of the person running the tests stay out of it
  env['XDG_CONFIG_HOME'] = path.join(os.tmpdir(), `updateservicectl-test-no-profiles-${process.pid}`);
  return env;
}

// ---- the CLI snapshot ------------------------------------------------------

/** Every `./chunk.js` a bundle file imports exists. */
async function complete(dist: string): Promise<boolean> {
  if (!existsSync(path.join(dist, 'cli.js'))) return false;
  for (const name of await readdir(dist)) {
    if (!name.endsWith('.js')) continue;
    const text = await readFile(path.join(dist, name), 'utf8');
    // the bundler writes its imports with double quotes; bundled libraries' comments mention `import('./x.js')` too
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)"\.\/([\w.-]+\.js)"/g)) if (!existsSync(path.join(dist, m[1]!))) return false;
  }
  return true;
}

export interface CliSnapshot {
  /** bin/updateservicectl of the snapshot. */
  bin: string;
  remove(): Promise<void>;
}

/** Copies bin/ and dist/ (built by `npx tsup`) into node_modules/.cache. */
export async function snapshotCli(): Promise<CliSnapshot> {
  if (!existsSync(path.join(root, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npx tsup` first');
  const dir = path.join(cacheDir, `e2e-cli-${process.pid}-${randomBytes(3).toString('hex')}`);
  for (let attempt = 1; ; attempt++) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(path.join(dir, 'bin'), { recursive: true });
    try {
      await cp(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
      if (await complete(path.join(dir, 'dist'))) break;
    } catch {
      // a file vanished while copying: a rebuild is running
    }
    if (attempt === 20) throw new Error('dist/ stayed incomplete while copying it (a rebuild running?): run `npx tsup`');
    await sleep(500);
  }
  await cp(path.join(root, 'bin/updateservicectl'), path.join(dir, 'bin/updateservicectl'));
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  return { bin: path.join(dir, 'bin/updateservicectl'), remove: () => rm(dir, { recursive: true, force: true }) };
}

// ---- children --------------------------------------------------------------

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops every child this module started that is still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c)));
}

/** A line of a child's stdout and when the test read it (Date.now()). */
export interface TimedLine {
  text: string;
  at: number;
}

/** The lines a child prints, as they arrive, with waits on them. */
export class LineLog {
  readonly lines: TimedLine[] = [];
  private waiters = new Set<() => void>();
  private ended = false;

  constructor(stream: NodeJS.ReadableStream) {
    const rl = createInterface({ input: stream, crlfDelay: Infinity });
    rl.on('line', (text) => {
      this.lines.push({ text, at: Date.now() });
      for (const w of [...this.waiters]) w();
    });
    rl.on('close', () => {
      this.ended = true;
      for (const w of [...this.waiters]) w();
    });
  }

  /** Resolves when `done(lines)` holds; rejects after `timeoutMs` or when the stream ends first. */
  waitFor(what: string, done: (lines: TimedLine[]) => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done(this.lines)) finish();
        else if (this.ended) finish(new Error(`output ended before ${what}:\n${this.text()}`));
      };
      const timer = setTimeout(() => finish(new Error(`no ${what} within ${timeoutMs} ms:\n${this.text()}`)), timeoutMs);
      const finish = (err?: Error) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  text(): string {
    return this.lines.map((l) => l.text + '\n').join('');
  }
}

function collect(stream: NodeJS.ReadableStream | null): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (d: string) => (text += d));
  return () => text;
}

export interface ServeProcess {
  /** `http://127.0.0.1:<port>`, as `serve` printed it. */
  url: string;
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/** `serve --listen=127.0.0.1:0 --data-dir=<dataDir> --admin-key=<adminKey> …extra`; resolves once it listens. */
export async function startServe(bin: string, opts: { dataDir: string; adminKey: string; extra?: string[] }): Promise<ServeProcess> {
  const args = [bin, 'serve', '--listen=127.0.0.1:0', `--data-dir=${opts.dataDir}`, `--admin-key=${opts.adminKey}`, '--log-level=warn', ...(opts.extra ?? [])];
  const child = track(spawn(process.execPath, args, { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] }));
  const stdout = new LineLog(child.stdout!);
  const stderr = collect(child.stderr);
  let url: string | undefined;
  try {
    await stdout.waitFor('"listening on" line', (lines) => lines.some((l) => (url = /^listening on (http:\/\/\S+)$/.exec(l.text)?.[1]) !== undefined), 30_000);
  } catch (err) {
    await stopChild(child);
    throw new Error(`serve did not start: ${(err as Error).message}\nstderr:\n${stderr()}`);
  }
  return { url: url!, child, stderr, stop: () => stopChild(child) };
}

export type ProcessCli = (...argv: string[]) => Promise<CliResult>;

/** The CLI as a process per call, with the global flags for `server` as admin, in `cwd`. */
export function processCli(bin: string, server: string, key: string, cwd: string): ProcessCli {
  return (...argv) =>
    new Promise((resolve, reject) => {
      const child = track(
        spawn(process.execPath, [bin, `--server=${server}`, '--user=admin', `--key=${key}`, ...argv], {
          cwd,
          env: childEnv(),
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      );
      const stdout = collect(child.stdout);
      const stderr = collect(child.stderr);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code: code ?? (signal ? -1 : -2), stdout: stdout(), stderr: stderr() });
      });
    });
}

export interface LongRunning {
  child: ChildProcess;
  stdout: LineLog;
  stderr(): string;
  stop(): Promise<void>;
}

/** A CLI command that runs until interrupted (`instance fake`, `watch`). */
export function startCli(bin: string, server: string, key: string, cwd: string, argv: string[]): LongRunning {
  const child = track(
    spawn(process.execPath, [bin, `--server=${server}`, '--user=admin', `--key=${key}`, ...argv], {
      cwd,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  return { child, stdout: new LineLog(child.stdout!), stderr: collect(child.stderr), stop: () => stopChild(child) };
}

/** Polls `probe` until it returns a value (not undefined); fails after `timeoutMs` with the last `describe()`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, describe?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${describe ? `\nlast seen:\n${describe()}` : ''}`);
    await sleep(250);
  }
}
