// Completion in real shells: bash, zsh and fish from Debian, each run in its
// own tmux server, load the script `completion <shell>` prints and complete
// command lines typed key by key, against a real `serve` whose apps, groups,
// channels and packages were made by the CLI. The connection comes from a
// saved default profile, as it would for someone at a terminal.
// Needs bash, zsh, fish and tmux (`apt-get install zsh fish tmux`; CI installs them).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, processCli, sleep, snapshotCli, startServe, type CliSnapshot, type ServeProcess } from './processes.js';

const APP = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const ADMIN_KEY = '6c1f4d2a9b8e7f3c5a0d1e2f3a4b5c6d';
const PROMPT = '$ ';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let snapshot: CliSnapshot;
let serve: ServeProcess;
let work: string;
/** Folder on the shells' PATH: node and both command names. */
let binDir: string;
let configHome: string;

function runSnapshot(argv: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, [snapshot.bin, ...argv], { env, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

beforeAll(async () => {
  for (const tool of ['bash', 'zsh', 'fish', 'tmux']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is not installed: apt-get install -y zsh fish tmux`);
  }
  snapshot = await snapshotCli();
  work = mkdtempSync(path.join(tmpdir(), 'completion-shells-'));
  serve = await startServe(snapshot.bin, { dataDir: path.join(work, 'data'), adminKey: ADMIN_KEY });
  const cli = processCli(snapshot.bin, serve.url, ADMIN_KEY, work);
  const ok = async (...argv: string[]) => {
    const r = await cli(...argv);
    if (r.code !== 0) throw new Error(`${argv.join(' ')}: exit ${r.code}\n${r.stderr}${r.stdout}`);
  };
  await ok('app', 'create', `--app-id=${APP}`, '--label=CoreOS', '--description=Linux');
  writeFileSync(path.join(work, 'update.gz'), 'payload');
  await ok('package', 'create', `--app-id=${APP}`, '--version=1.0.0', '--url=http://example.com/pkg', '--file=update.gz');
  await ok('channel', 'create', `--app-id=${APP}`, '--channel=beta', '--version=1.0.0');
  await ok('group', 'create', `--app-id=${APP}`, '--group-id=canary', '--label=Canary', '--channel=beta');
  await ok('group', 'create', `--app-id=${APP}`, '--group-id=production', '--label=Production', '--channel=beta');

  binDir = path.join(work, 'bin');
  mkdirSync(binDir);
  symlinkSync(process.execPath, path.join(binDir, 'node'));
  symlinkSync(snapshot.bin, path.join(binDir, 'updateservicectl'));
  // the 0.x name: the package's own bin/updatectl, beside the snapshot's updateservicectl
  const legacy = path.join(path.dirname(snapshot.bin), 'updatectl');
  copyFileSync(path.join(root, 'bin/updatectl'), legacy);
  chmodSync(legacy, 0o755);
  symlinkSync(legacy, path.join(binDir, 'updatectl'));

  configHome = path.join(work, 'config');
  const env = { ...childEnv(), XDG_CONFIG_HOME: configHome };
  runSnapshot([`--server=${serve.url}`, '--user=admin', `--key=${ADMIN_KEY}`, 'profile', 'save', 'local'], env);
  runSnapshot(['profile', 'use', 'local'], env);
}, 120_000);

afterAll(async () => {
  await serve?.stop();
  await snapshot?.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** An interactive shell in a tmux server of its own, typed into key by key. */
class ShellSession {
  private readonly socket: string;

  constructor(readonly shell: 'bash' | 'zsh' | 'fish') {
    this.socket = `completion-${shell}-${process.pid}`;
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', timeout: 10_000 });
  }

  async start(): Promise<void> {
    const command: Record<ShellSession['shell'], string> = {
      bash: 'bash --norc --noprofile',
      zsh: 'zsh -f',
      fish: 'fish --no-config',
    };
    const env = ['HOME=' + work, 'TERM=xterm', `PATH=${binDir}:/usr/bin:/bin`, `XDG_CONFIG_HOME=${configHome}`, 'LANG=C.UTF-8'];
    this.tmux('new-session', '-d', '-s', 'main', '-x', '220', '-y', '50', `env -i ${env.join(' ')} ${command[this.shell]}`);
    const setup: Record<ShellSession['shell'], string[]> = {
      bash: [`PS1='${PROMPT}'`, 'source <(updateservicectl completion bash)', 'source <(updatectl completion bash)'],
      zsh: [`PROMPT='${PROMPT}'`, 'source <(updateservicectl completion zsh)', 'source <(updatectl completion zsh)'],
      fish: [
        `function fish_prompt; printf '${PROMPT}'; end`,
        'updateservicectl completion fish | source',
        'updatectl completion fish | source',
      ],
    };
    for (const line of setup[this.shell]) this.tmux('send-keys', '-t', 'main', '-l', line + '\n');
    await this.waitFor('the prompt after loading the scripts', (screen) => screen.trimEnd().endsWith(PROMPT.trim()) && !/rror/.test(screen), 20_000);
    await this.clear();
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main');
  }

  /** The command line being edited: the text after the last prompt on the screen. */
  commandLine(): string {
    const lines = this.screen().split('\n');
    for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.startsWith(PROMPT)) return lines[i]!.slice(PROMPT.length).trimEnd();
    return '';
  }

  async waitFor(what: string, done: (screen: string) => boolean, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (done(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`${this.shell}: no ${what} within ${timeoutMs} ms; the screen:\n${screen}`);
      await sleep(150);
    }
  }

  /** Empties the command line and the screen. */
  async clear(): Promise<void> {
    this.tmux('send-keys', '-t', 'main', 'C-u');
    this.tmux('send-keys', '-t', 'main', 'C-l');
    await this.waitFor('an empty command line', () => this.commandLine() === '', 10_000);
  }

  /** Types `text`, presses TAB `tabs` times, and waits until the command line is `expected`. */
  async complete(text: string, expected: string, tabs = 1): Promise<void> {
    this.tmux('send-keys', '-t', 'main', '-l', text);
    await this.waitFor(`"${text}" typed`, () => this.commandLine() === text.trimEnd() || this.commandLine().startsWith(text.trimEnd()));
    for (let i = 0; i < tabs; i++) this.tmux('send-keys', '-t', 'main', 'Tab');
    await this.waitFor(`completion to "${expected}"`, () => this.commandLine() === expected);
    await this.clear();
  }

  /** Types `text`, presses TAB until the shell lists choices, and returns the screen. */
  async list(text: string, mustShow: string[]): Promise<string> {
    this.tmux('send-keys', '-t', 'main', '-l', text);
    await this.waitFor(`"${text}" typed`, () => this.commandLine().startsWith(text.trimEnd()));
    this.tmux('send-keys', '-t', 'main', 'Tab');
    await sleep(this.shell === 'bash' ? 1500 : 0);
    if (this.shell === 'bash') this.tmux('send-keys', '-t', 'main', 'Tab'); // bash lists on the second TAB
    const screen = await this.waitFor(`a list with ${mustShow.join(', ')}`, (s) => mustShow.every((w) => s.includes(w)));
    if (this.shell === 'fish') this.tmux('send-keys', '-t', 'main', 'Escape'); // closes fish's pager
    await this.clear();
    return screen;
  }

  stop(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}

describe.each(['bash', 'zsh', 'fish'] as const)('completion in %s', (shell) => {
  let session: ShellSession;
  beforeAll(async () => {
    session = new ShellSession(shell);
    await session.start();
  }, 60_000);
  afterAll(() => session?.stop());

  it('completes a family and a subcommand', async () => {
    await session.complete('updateservicectl gro', 'updateservicectl group');
    await session.complete('updateservicectl group pa', 'updateservicectl group pause');
    await session.complete('updateservicectl channel update --pub', 'updateservicectl channel update --publish');
  }, 60_000);

  it('lists the subcommands of a family, from the command tree', async () => {
    await session.list('updateservicectl group ', ['pause', 'percent', 'unpause', 'versions']);
  }, 60_000);

  it('completes --app-id from the server of the default profile, also after =', async () => {
    await session.complete('updateservicectl group list --app-id ', `updateservicectl group list --app-id ${APP}`);
    await session.complete('updateservicectl group list --app-id=', `updateservicectl group list --app-id=${APP}`);
  }, 60_000);

  it('completes --group-id, --channel and --version of that app', async () => {
    const app = `--app-id=${APP}`;
    await session.complete(`updateservicectl group pause ${app} --group-id ca`, `updateservicectl group pause ${app} --group-id canary`);
    await session.complete(`updateservicectl group pause ${app} --group-id=pr`, `updateservicectl group pause ${app} --group-id=production`);
    await session.complete(`updateservicectl channel update ${app} --channel `, `updateservicectl channel update ${app} --channel beta`);
    await session.complete(`updateservicectl channel update ${app} --channel beta --version 1`, `updateservicectl channel update ${app} --channel beta --version 1.0.0`);
  }, 60_000);

  it('completes the 0.x verbs under updatectl', async () => {
    await session.complete('updatectl list-gr', 'updatectl list-groups');
  }, 60_000);
});
