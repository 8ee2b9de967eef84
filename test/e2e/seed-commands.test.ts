// Every command line of the seeds, run as a reader of the seed would run it
// (issue #5, item 2). THE LIST is seed-commands.ts: each seed's command lines
// in the seed's order, with what they must print, plus the test's own steps
// (a user to sign with, the corrected form of a broken line, listings that
// check what a command did). scripts/check-seed-commands.py keeps the list
// complete; docs/seeds.md describes the seeds' mistakes and what we do there.
//
// Each seed gets a fresh `serve` child (our built CLI, snapshotted so that a
// concurrent rebuild of dist/ cannot break a run) on its own data folder;
// each step is a `bash` child in the seed's scratch folder, with both command
// names on PATH, so the seed's quoting, aliases and `touch` work as in a
// terminal. `instance fake` runs in the background ("in another terminal")
// until a later step interrupts it with SIGINT, as Ctrl-C would.
//
// The fake clients run the seed's command line unchanged (sleeps of 30–60 s),
// but with a clock 20 times faster: a preload module given through
// NODE_OPTIONS to that process only divides its whole-second timers by 20, so
// they check every 1.5–3 s and the update steps are 50 ms apart. The service's
// clock is real: the group's limit of 2 updates per 60 s holds for the whole
// test, so exactly 2 clients update.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskStamps } from '../helpers/run-cli.js';
import { childEnv, LineLog, snapshotCli, startServe, type CliSnapshot, type ServeProcess } from './processes.js';
import { ADMIN_KEY, SEED_FILES, STEPS, type FakeUpdates, type OwnRun, type Result, type SeedFake, type SeedId, type SeedRun, type Step, type Via } from './seed-commands.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** How much faster the fake clients' clock runs. */
const SPEEDUP = 20;
const PRELOAD = `// the fake clients' clock, ${SPEEDUP} times faster: whole-second timers only (their sleeps)
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = function setTimeout(callback, ms, ...args) {
  if (typeof ms === 'number' && ms >= 1000 && ms % 1000 === 0) ms = ms / ${SPEEDUP};
  return realSetTimeout(callback, ms, ...args);
};
`;
/** Bound on a foreground command. */
const COMMAND_TIMEOUT_MS = 30_000;
const NOUPDATE = /^deadbeef[0-9a-f]{24}: noupdate$/;
const UPDATED = /^(deadbeef[0-9a-f]{24}): updated from (\S+) to (\S+)$/;
/** What the fake clients may log on stderr: a failed update step, with the seed's default --errorrate=1. */
const STEP_FAILED = /^TS failed to update in eventType: \d+, eventResult: \d+\. Retrying\.$/;

let snapshot: CliSnapshot;
let binDir: string;
let scratch: string;
let preload: string;

beforeAll(async () => {
  snapshot = await snapshotCli();
  binDir = path.dirname(snapshot.bin);
  await copyFile(path.join(root, 'bin/updatectl'), path.join(binDir, 'updatectl'));
  await Promise.all(['updateservicectl', 'updatectl'].map((name) => chmod(path.join(binDir, name), 0o755)));
  scratch = await mkdtemp(path.join(tmpdir(), 'us-seed-commands-'));
  preload = path.join(scratch, 'fast-clock.mjs');
  await writeFile(preload, PRELOAD);
});
afterAll(async () => {
  await Promise.all([snapshot?.remove(), scratch && rm(scratch, { recursive: true, force: true })]);
});

interface Vars {
  server: string;
  adminKey: string;
  /** Key of user@example.com, once created. */
  key?: string;
}

function fill(text: string, vars: Vars): string {
  return text.replace(/\{(server|adminKey|key)\}/g, (_, name: keyof Vars) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`{${name}} is not known yet`);
    return value;
  });
}

/** The bash script of a step: the seed 000 alias first when the step runs through it. */
function script(command: string, via: Via, vars: Vars): string {
  const alias =
    via === 'alias' ? `shopt -s expand_aliases\nalias updateservicectl="${binDir}/updateservicectl -user user@example.com -key ${vars.key} -server ${vars.server}"\n` : '';
  return `${alias}${fill(command, vars)}\n`;
}

function environment(via: Via, vars: Vars, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...childEnv(), ...extra };
  env.PATH = [binDir, path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter);
  if (via === 'env') Object.assign(env, { UPDATECTL_SERVER: vars.server, UPDATECTL_USER: 'admin', UPDATECTL_KEY: vars.adminKey });
  return env;
}

/** bash -c in its own process group (so that a Ctrl-C reaches the whole job). */
function bash(command: string, via: Via, vars: Vars, cwd: string, extraEnv?: NodeJS.ProcessEnv): ChildProcess {
  return spawn('bash', ['-c', script(command, via, vars)], { cwd, env: environment(via, vars, extraEnv), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? -1);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

async function runStep(command: string, via: Via, vars: Vars, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = bash(command, via, vars, cwd);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), COMMAND_TIMEOUT_MS);
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? -1));
  });
  clearTimeout(timer);
  return { code, stdout, stderr };
}

function matches(actual: string, expected: string | RegExp | undefined): boolean {
  if (expected === undefined) return actual === '';
  return typeof expected === 'string' ? actual === expected : new RegExp(`^(?:${expected.source})$`, expected.flags).test(actual);
}

function check(r: { code: number; stdout: string; stderr: string }, want: Result): void {
  const got = { code: r.code, stdout: r.stdout, stderr: maskStamps(r.stderr) };
  const exact = { code: want.code, stdout: want.stdout ?? '', stderr: want.stderr ?? '' };
  if (matches(got.stdout, want.stdout) && matches(got.stderr, want.stderr) && got.code === want.code) return;
  // a RegExp that did not match: show it against the text
  expect(got).toEqual({ ...exact, stdout: typeof exact.stdout === 'string' ? exact.stdout : expect.stringMatching(exact.stdout), stderr: typeof exact.stderr === 'string' ? exact.stderr : expect.stringMatching(exact.stderr) });
  // same code, and strings equal: only an anchored RegExp can still differ
  expect.fail(`output does not match ${String(want.stdout)} / ${String(want.stderr)}:\n${JSON.stringify(got, null, 1)}`);
}

interface Fake {
  child: ChildProcess;
  stdout: LineLog;
  stderr: () => string;
  exit: Promise<number>;
}

function title(step: Exclude<Step, { from: 'prose' }>): string {
  const short = (s: string) => (s.length > 110 ? `${s.slice(0, 107)}…` : s).replaceAll('\n', '; ');
  if (step.from === 'seed') return `${step.seed}:${step.line} ${short(step.text)}`;
  if ('updates' in step) return `${step.seed} (test) fake clients print "updated from ${step.updates.from} to ${step.updates.to}" ×${step.updates.count}`;
  if ('stopFake' in step) return `${step.seed} (test) Ctrl-C ends the fake clients`;
  return `${step.seed} (test) ${short(step.cmd)}`;
}

for (const seed of Object.keys(SEED_FILES) as SeedId[]) {
  describe(`seed ${seed} (${SEED_FILES[seed]}): every command, in order, against a fresh serve`, () => {
    let work: string;
    let serve: ServeProcess;
    let vars: Vars;
    let fake: Fake | undefined;
    /** The fake clients' ids, from their first noupdate lines. */
    let fleet: string[] = [];

    beforeAll(async () => {
      work = await mkdtemp(path.join(scratch, `seed-${seed}-`));
      serve = await startServe(snapshot.bin, { dataDir: path.join(work, 'data'), adminKey: ADMIN_KEY });
      vars = { server: serve.url, adminKey: ADMIN_KEY };
    });
    afterAll(async () => {
      if (fake) {
        killGroup(fake.child, 'SIGKILL');
        await fake.exit;
      }
      await serve?.stop();
    });

    async function runCommand(step: SeedRun | OwnRun): Promise<void> {
      const command = step.from === 'seed' ? (step.run ?? step.text) : step.cmd;
      let r = await runStep(command, step.via, vars, work);
      if (step.from === 'test' && step.eventually) {
        // the service records instance reports in batches
        const deadline = Date.now() + 10_000;
        while (!(r.code === step.expect.code && matches(r.stdout, step.expect.stdout)) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          r = await runStep(command, step.via, vars, work);
        }
      }
      check(r, step.expect);
      if (step.capture) vars[step.capture] = r.stdout.trim();
    }

    async function startFake(step: SeedFake): Promise<void> {
      const child = bash(step.text, step.via, vars, work, { NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` });
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      fake = { child, stdout: new LineLog(child.stdout!), stderr: () => maskStamps(stderr), exit: exited(child) };
      const ids = () => new Set(fake!.stdout.lines.filter((l) => NOUPDATE.test(l.text)).map((l) => l.text.split(':')[0]!));
      await fake.stdout.waitFor(`noupdate from all ${step.fake.clients} clients`, () => ids().size === step.fake.clients, 60_000);
      fleet = [...ids()];
      // nothing to update to yet: only noupdate lines
      for (const l of fake.stdout.lines) expect(l.text).toMatch(NOUPDATE);
      expect(fake.stderr()).toBe('');
    }

    async function fakeUpdates(step: FakeUpdates): Promise<void> {
      expect(fake, 'fake clients running').toBeDefined();
      const f = fake!;
      const { from, to, count } = step.updates;
      const start = f.stdout.lines.length;
      const updated = () => new Map(f.stdout.lines.flatMap((l, i) => (UPDATED.test(l.text) ? [[l.text.split(':')[0]!, i] as const] : [])));
      // `count` clients updated, each seen checking in again (so the service has its new version),
      // and every client seen checking at least twice since this step began (the others held back)
      const done = () => {
        const u = updated();
        if (u.size < count) return false;
        const after = f.stdout.lines.slice(start);
        const checks = new Map<string, number>();
        for (const l of after) checks.set(l.text.split(':')[0]!, (checks.get(l.text.split(':')[0]!) ?? 0) + 1);
        const reportedNew = [...u].every(([id, i]) => f.stdout.lines.slice(i + 1).some((l) => l.text === `${id}: noupdate`));
        return reportedNew && fleet.every((id) => (checks.get(id) ?? 0) >= 2);
      };
      await f.stdout.waitFor(`${count} clients updated from ${from} to ${to}`, done, 45_000);
      const u = updated();
      expect([...u.keys()].every((id) => fleet.includes(id)), `updated clients are of the fleet: ${[...u.keys()]}`).toBe(true);
      expect(u.size, `clients updated (the group allows ${count} per 60 s):\n${f.stdout.text()}`).toBe(count);
      for (const l of f.stdout.lines) {
        const m = UPDATED.exec(l.text);
        if (m) expect([m[2], m[3]]).toEqual([from, to]);
        else expect(l.text).toMatch(NOUPDATE);
      }
      for (const line of f.stderr().split('\n').filter(Boolean)) expect(line).toMatch(STEP_FAILED);
    }

    async function stopFake(): Promise<void> {
      expect(fake, 'fake clients running').toBeDefined();
      const f = fake!;
      killGroup(f.child, 'SIGINT');
      const timer = setTimeout(() => killGroup(f.child, 'SIGKILL'), 10_000);
      const code = await f.exit;
      clearTimeout(timer);
      fake = undefined;
      expect(code, `stderr: ${f.stderr()}`).toBe(0);
    }

    for (const step of STEPS.filter((s) => s.seed === seed)) {
      // prose lines are listed only so the seed check knows they were read
      if (step.from === 'prose') continue;
      const slow = 'fake' in step || 'updates' in step;
      it(
        title(step),
        async () => {
          if ('fake' in step) await startFake(step);
          else if ('updates' in step) await fakeUpdates(step);
          else if ('stopFake' in step) await stopFake();
          else await runCommand(step);
        },
        slow ? 90_000 : COMMAND_TIMEOUT_MS + 15_000,
      );
    }
  });
}
