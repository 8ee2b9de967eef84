// The completion engine through the hidden `__complete` entry, in-process,
// against recording servers. The real shells driving it are in
// test/e2e/completion-shells.test.ts.
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invocationWord } from '../../src/cli/command.js';
import { FlagSet } from '../../src/cli/flags.js';
import { COMMANDS } from '../../src/cli/registry.js';
import { completionScript } from '../../src/cli/completion/scripts.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { ADMIN_KEY, runCli } from '../helpers/run-cli.js';

const APP = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const OTHER_APP = '72834a2b-ad86-4d8e-9a4c-bf4fd4c8d1ff';

let configHome: string;
let server: RecordingServer | undefined;
beforeEach(() => {
  configHome = mkdtempSync(path.join(tmpdir(), 'completion-test-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(configHome, { recursive: true, force: true });
});

/** The lines `__complete` prints for the words typed after the program name (the last one being completed). */
async function completions(words: string[], opts: { env?: NodeJS.ProcessEnv; program?: string } = {}): Promise<string[]> {
  const r = await runCli(['__complete', '--', ...words], { program: opts.program, env: { XDG_CONFIG_HOME: configHome, ...opts.env } });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout.split('\n').filter((l) => l !== '');
}
const values = async (words: string[], opts?: { env?: NodeJS.ProcessEnv; program?: string }) => (await completions(words, opts)).map((l) => l.split('\t')[0]);

function apiServer(): Promise<RecordingServer> {
  return startRecordingServer({
    'GET /_ah/api/update/v1/apps': { body: { items: [{ id: APP, label: 'CoreOS' }, { id: OTHER_APP, label: 'etcd' }] } },
    [`GET /_ah/api/update/v1/apps/${APP}/groups`]: { body: { items: [{ id: 'canary', label: 'Canary' }, { id: 'prod', label: 'Production' }] } },
    [`GET /_ah/api/update/v1/apps/${OTHER_APP}/groups`]: { body: { items: [{ id: 'etcd-all', label: 'All' }] } },
    [`GET /_ah/api/update/v1/apps/${APP}/channels`]: { body: { items: [{ label: 'beta', version: '1.1.0' }, { label: 'stable', version: '1.0.0' }] } },
    [`GET /_ah/api/update/v1/apps/${OTHER_APP}/channels`]: { body: { items: [{ label: 'alpha', version: '0.1.0' }] } },
    [`GET /_ah/api/update/v1/apps/${APP}/packages`]: { body: { items: [{ version: '1.0.0' }, { version: '1.1.0' }] } },
  }).then((s) => (server = s));
}

const connect = (url: string) => [`--server=${url}`, '--user=admin', `--key=${ADMIN_KEY}`];

describe('commands, subcommands and flags come from the command tree', () => {
  it('offers every visible family, with its summary', async () => {
    const lines = await completions(['']);
    expect(lines).toEqual(COMMANDS.filter((c) => !c.hidden).map((c) => `${c.name}\t${c.summary}`));
    expect(lines.join('\n')).not.toContain('__complete');
    expect(await values(['pro'])).toEqual(['profile']);
  });

  it("offers each family's subcommands, and each command's own flags", async () => {
    for (const entry of COMMANDS.filter((c) => !c.hidden && c.name !== 'serve')) {
      const spec = await entry.load();
      const subs = (spec.subcommands ?? []).filter((s) => !s.hidden);
      if (subs.length > 0) expect(await values([entry.name, ''])).toEqual(subs.map(invocationWord));
      for (const sub of subs) {
        const flags = new FlagSet(sub.name);
        sub.defineFlags?.(flags);
        const expected = flags.list().filter((d) => d.name.length > 1).map((d) => `--${d.name}`);
        expect(await values([...sub.name.split(' '), '--']), sub.name).toEqual(expected);
      }
    }
  });

  it('offers the global flags before the command, in the dash style typed, without the one-letter aliases', async () => {
    const globals = await values(['--']);
    expect(globals).toEqual(expect.arrayContaining(['--server', '--user', '--key', '--profile', '--output', '--skip-ssl-verify']));
    expect(globals).not.toContain('--s');
    expect(await values(['-ser'])).toEqual(['-server']);
    expect(await values(['--server', 'http://x', '--u'])).toEqual(['--user']);
  });

  it('leaves out flags already given and offers nothing once a positional argument ended the flags', async () => {
    expect(await values(['group', 'list', `--app-id=${APP}`, '--'])).toEqual([]);
    expect(await values(['channel', 'update', '--channel=beta', '--'])).not.toContain('--channel');
    expect(await values(['app', 'create', 'stray', '--'])).toEqual([]);
  });

  it('completes booleans, output formats, the help topics and the shells', async () => {
    expect(await values(['channel', 'update', '--publish='])).toEqual(['--publish=true', '--publish=false']);
    expect(await values(['--output', ''])).toEqual(['text', 'json', 'table']);
    expect(await values(['help', 'gr'])).toEqual(['group']);
    expect(await values(['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });

  it('asks the shell for file names after a flag that takes a file or folder', async () => {
    expect(await completions(['package', 'create', '--file', ''])).toEqual([':files']);
    expect(await completions(['package', 'download', '--dir='])).toEqual([':files']);
    expect(await completions(['app', 'create', '--label', ''])).toEqual([]);
  });

  it('offers the 0.x verbs under updatectl, and their flags', async () => {
    const top = await values([''], { program: 'updatectl' });
    expect(top).toEqual(expect.arrayContaining(['app', 'list-groups', 'new-package', 'fakeclients']));
    expect(await values([''])).not.toContain('list-groups');
    expect(await values(['new-package', APP, '1.0', '--pa'], { program: 'updatectl' })).toEqual(['--path']);
    expect(await values(['-s'], { program: 'updatectl' })).toEqual(['-server', '-skip-ssl-verify']);
  });

  it('completes saved profile names', async () => {
    await runCli(['--server=https://a.example', 'profile', 'save', 'prod'], { env: { XDG_CONFIG_HOME: configHome } });
    await runCli(['--server=https://b.example', 'profile', 'save', 'staging'], { env: { XDG_CONFIG_HOME: configHome } });
    expect(await values(['--profile', ''])).toEqual(['prod', 'staging']);
    expect(await values(['--profile=st'])).toEqual(['--profile=staging']);
    expect(await values(['profile', 'use', ''])).toEqual(['prod', 'staging']);
    expect(await values(['profile', 'list', ''])).toEqual([]);
  });
});

describe('values from the server', () => {
  it('completes --app-id with the ids of the apps, labels as descriptions, signed as the typed user', async () => {
    const s = await apiServer();
    expect(await completions([...connect(s.url), 'group', 'list', '--app-id', ''])).toEqual([`${APP}\tCoreOS`, `${OTHER_APP}\tetcd`]);
    expect(String(s.requests[0]!.headers.authorization)).toMatch(/^Hawk id="admin"/);
    expect(await values([...connect(s.url), 'group', 'list', '--app-id=e9'])).toEqual([`--app-id=${APP}`]);
    expect(await values([...connect(s.url), 'group', 'list', '-app-id', '7'])).toEqual([OTHER_APP]);
  });

  it('completes --group-id, --channel and --version within the --app-id typed', async () => {
    const s = await apiServer();
    const base = [...connect(s.url)];
    expect(await completions([...base, 'group', 'pause', `--app-id=${APP}`, '--group-id', ''])).toEqual(['canary\tCanary', 'prod\tProduction']);
    expect(await completions([...base, 'channel', 'update', '--app-id', APP, '--channel=b'])).toEqual(['--channel=beta\tversion 1.1.0']);
    expect(await values([...base, 'channel', 'update', '--app-id', APP, '--channel=beta', '--version', ''])).toEqual(['1.0.0', '1.1.0']);
  });

  it("gathers every app's groups and channels when no --app-id is typed yet", async () => {
    const s = await apiServer();
    expect(await values([...connect(s.url), 'group', 'pause', '--group-id', ''])).toEqual(['canary', 'prod', 'etcd-all']);
    expect(await values([...connect(s.url), 'channel', 'update', '--channel', ''])).toEqual(['beta', 'stable', 'alpha']);
  });

  it('uses the UPDATECTL_* variables, or the profile, when no global flags are typed', async () => {
    const s = await apiServer();
    expect(await values(['group', 'list', '--app-id', ''], { env: { UPDATECTL_SERVER: s.url, UPDATECTL_USER: 'from-variable' } })).toHaveLength(2);
    expect(String(s.requests.at(-1)!.headers.authorization)).toMatch(/^Hawk id="from-variable"/);
    await runCli([`--server=${s.url}`, '--user=from-profile', 'profile', 'save', 'p'], { env: { XDG_CONFIG_HOME: configHome } });
    expect(await values(['--profile', 'p', 'group', 'list', '--app-id', ''])).toHaveLength(2);
    expect(String(s.requests.at(-1)!.headers.authorization)).toMatch(/^Hawk id="from-profile"/);
    expect(await values(['group', 'list', '--app-id', ''], { env: { UPDATECTL_PROFILE: 'p' } })).toHaveLength(2);
    expect(await values(['-s', s.url, 'list-clientupdates', `--app-id=${APP}`, '--group-id', ''], { program: 'updatectl' })).toEqual(['canary', 'prod']);
  });

  it('offers nothing, silently, when the server fails or cannot be reached', async () => {
    server = await startRecordingServer({ 'GET /_ah/api/update/v1/apps': { status: 401, body: { error: { code: 401, message: 'no' } } } });
    expect(await completions([...connect(server.url), 'group', 'list', '--app-id', ''])).toEqual([]);
    expect(await completions(['--server=http://127.0.0.1:1', 'group', 'list', '--app-id', ''])).toEqual([]);
    expect(await completions(['--server=not a url', 'group', 'list', '--app-id', ''])).toEqual([]);
    expect(await completions(['--profile=missing', 'group', 'list', '--app-id', ''])).toEqual([]);
  });

  it('gives up after about a second on a server that never answers', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => {
      sockets.add(socket); // accepted, never answered
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const started = Date.now();
      expect(await completions([`--server=http://127.0.0.1:${port}`, 'group', 'list', '--app-id', ''])).toEqual([]);
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(900);
      expect(took).toBeLessThan(2500);
      expect(sockets.size).toBeGreaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('completion scripts', () => {
  it('prints each script under the name the CLI was run as', async () => {
    for (const shell of ['bash', 'zsh', 'fish'] as const) {
      for (const program of ['updateservicectl', 'updatectl']) {
        const r = await runCli(['completion', shell], { program });
        expect(r).toEqual({ code: 0, stderr: '', stdout: completionScript(shell, program) });
        expect(r.stdout).toContain(`${program} __complete --`);
      }
    }
  });

  it('refuses an unknown shell with the usage', async () => {
    const r = await runCli(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('COMMANDS:');
    expect(r.stdout).toMatch(/completion bash/);
  });
});
