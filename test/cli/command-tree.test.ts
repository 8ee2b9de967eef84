// Both command lines as commander trees: what each level does with help
// words, bad flags and unknown commands; the 0.x program's own conventions;
// `serve` under the same rules; and what start-up loads.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { asAdmin, runCli } from '../helpers/run-cli.js';

const APP = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const API = '/_ah/api/update/v1';

// records which command modules (and the HTTP client) a run loads
const loaded = vi.hoisted(() => new Set<string>());
vi.mock('../../src/api/client.js', async (original) => {
  loaded.add('api client');
  return original();
});
vi.mock('../../src/cli/commands/app.js', async (original) => {
  loaded.add('app');
  return original();
});
vi.mock('../../src/cli/legacy/index.js', async (original) => {
  loaded.add('0.x verbs');
  return original();
});
vi.mock('../../src/server/main.js', async (original) => {
  loaded.add('server');
  return original();
});

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('updateservicectl as a commander tree', () => {
  it('answers --version, --help and an unknown command without loading a family or the HTTP client', async () => {
    // vi.mock factories run once per test file: this test comes first
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: 'updateservicectl version 2.1.0-ts.0\n', stderr: '' });
    expect((await runCli(['--help'])).stdout).toContain('COMMANDS:\n\tadmin-user\t');
    expect((await runCli(['bogus'])).code).toBe(3);
    expect(await runCli(['-version'], { program: 'updatectl' })).toEqual({ code: 0, stdout: 'updatectl version v2.1.0-ts.0\n', stderr: '' });
    expect([...loaded]).toEqual([]);
    // the check can fail: a command that runs loads its family and the client
    server = await startRecordingServer({ [`GET ${API}/apps`]: { body: { items: [] } } });
    await runCli([...asAdmin(server.url), 'app', 'list']);
    expect([...loaded].sort()).toEqual(['api client', 'app']);
  });

  it('answers the global --help and --version before looking at the command', async () => {
    const help = await runCli(['--help', 'app', 'list']);
    expect([help.code, help.stdout.startsWith('NAME:\n\tupdateservicectl - ')]).toEqual([0, true]);
    expect(await runCli(['-version', 'bogus'])).toMatchObject({ code: 0, stdout: 'updateservicectl version 2.1.0-ts.0\n' });
  });

  it('shows Go\'s list of global flags for -h, and with an error for a bad global flag', async () => {
    const h = await runCli(['-h', 'app', 'list']);
    expect([h.code, h.stdout]).toEqual([0, '']);
    expect(h.stderr).toMatch(/^Usage of updateservicectl:\n {2}-debug\n/);
    const bad = await runCli(['--bogus=1', 'app', 'list']);
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toMatch(/^flag provided but not defined: -bogus\nUsage of updateservicectl:\n/);
    expect((await runCli(['--debug=maybe'])).stderr).toMatch(/^invalid boolean value "maybe" for -debug: parse error\n/);
    expect((await runCli(['--server'])).stderr).toMatch(/^flag needs an argument: -server\n/);
  });

  it('names no command, or an unknown one, with exit 3', async () => {
    expect(await runCli([])).toEqual({ code: 3, stdout: 'updateservicectl: unknown subcommand: ""\nRun \'updateservicectl --help\' for usage.\n', stderr: '' });
    expect((await runCli(['--debug', 'bogus', 'app'])).stdout).toBe('updateservicectl: unknown subcommand: "bogus"\nRun \'updateservicectl --help\' for usage.\n');
  });

  it('takes the command after the global flags, also after --', async () => {
    server = await startRecordingServer({ [`GET ${API}/apps`]: { body: { items: [{ id: APP, label: 'L', description: 'D' }] } } });
    const r = await runCli([...asAdmin(server.url), '--', 'app', 'list']);
    expect([r.code, r.stdout]).toEqual([0, `Id\t\t\t\t\tLabel\tDescription\n${APP}\tL\tD\n`]);
  });

  it('prints a family\'s usage, exit 2, when no verb follows it (or only after a flag or --)', async () => {
    for (const argv of [['app'], ['app', '--help'], ['app', '--', 'list'], ['app', 'bogus', 'list']]) {
      const r = await runCli(argv);
      expect([r.code, r.stderr]).toEqual([2, '']);
      expect(r.stdout).toMatch(/^NAME:\n\tapp - Create, list, change and remove applications\.\n/);
      expect(r.stdout).toContain('COMMANDS:\n\tapp create\t');
    }
    const flag = await runCli(['app', '--label=x', 'list']);
    expect([flag.code, flag.stderr]).toEqual([2, 'flag provided but not defined: -label\n']);
  });

  it('prints a verb\'s usage, exit 2, for -h and --help, and the flag error with it', async () => {
    const h = await runCli(['app', 'create', '-h', '--bogus']);
    expect([h.code, h.stderr]).toEqual([2, '']);
    expect(h.stdout).toContain('USAGE:\n\tupdateservicectl app create [OPTION]...\n');
    expect(h.stdout).toContain('OPTIONS:\n\t--app-id=\t');
    const bad = await runCli(['group', 'percent', '--update-percent=abc']);
    expect([bad.code, bad.stderr]).toEqual([2, 'invalid value "abc" for flag -update-percent: parse error\n']);
    expect(bad.stdout).toContain('USAGE:\n\tupdateservicectl group percent');
  });

  it('chooses a subcommand by the first word only, as the original did', async () => {
    server = await startRecordingServer({});
    // `bulk` after a flag is a stray argument of `package create`, which then misses its flags
    const r = await runCli([...asAdmin(server.url), 'package', 'create', '--app-id', APP, 'bulk']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl package create ');
    expect(server.requests).toEqual([]);
  });

  it('lists the 0.x verbs under help legacy and shows one with help <verb>', async () => {
    expect((await runCli(['help', 'legacy'])).stdout).toMatch(/^NAME:\n\tlegacy - /);
    expect((await runCli(['help', 'list-apps'])).stdout).toMatch(/^NAME:\n {3}list-apps - /);
    expect(await runCli(['help', 'bogus'])).toEqual({ code: 3, stdout: 'Unrecognized command: bogus\n', stderr: '' });
  });
});

describe('updatectl as a commander tree', () => {
  it('answers a bad or doubled global flag with Incorrect Usage and its help, exit 0', async () => {
    const bad = await runCli(['--bogus', 'list-apps'], { program: 'updatectl' });
    expect([bad.code, bad.stderr]).toEqual([0, '']);
    expect(bad.stdout).toMatch(/^Incorrect Usage\.\n\nNAME:\n {3}updatectl - /);
    const twice = await runCli(['-s', 'http://a', '--server=http://b', 'list-apps'], { program: 'updatectl' });
    expect(twice.stdout).toMatch(/^Cannot use two forms of the same flag: server s\nNAME:\n/);
  });

  it('takes every word after help as its topic, flags included', async () => {
    expect((await runCli(['h', 'list-apps'], { program: 'updatectl' })).stdout).toMatch(/^NAME:\n {3}list-apps - /);
    expect((await runCli(['help', '--bogus'], { program: 'updatectl' })).stdout).toBe("No help topic for '--bogus'\n");
    expect((await runCli(['help', 'app'], { program: 'updatectl' })).stdout).toMatch(/^NAME:\n\tapp - /);
  });

  it('runs list-groups with every word when the first is not a command', async () => {
    server = await startRecordingServer({ [`GET ${API}/apps/[^/]+/groups`]: { body: { items: [] } } });
    const r = await runCli(['-s', server.url, APP], { program: 'updatectl' });
    expect([r.code, r.stdout]).toEqual([0, 'Label\tApp\tChannel\tId\tUpdatesPaused\n']);
    expect(server.requests.map((q) => q.path)).toEqual([`${API}/apps/${APP}/groups`]);
    // a flag after it is one more word, not a flag: list-groups takes exactly one
    expect(await runCli(['-s', server.url, APP, '--not-a-flag'], { program: 'updatectl' })).toEqual({ code: 1, stdout: 'AppId required\n', stderr: '' });
  });

  it('reads a verb\'s flags after its arguments, in any spelling', async () => {
    server = await startRecordingServer({ [`PATCH ${API}/apps/.*`]: { body: { id: APP, label: 'L', description: 'D' } } });
    const r = await runCli(['-s', server.url, 'update-app', APP, 'L', 'D', '-bogus'], { program: 'updatectl' });
    expect([r.code, r.stdout.startsWith('Incorrect Usage.\n\nNAME:\n   update-app - ')]).toEqual([0, true]);
  });
});

describe('serve in the same tree', () => {
  it('names the flag in one line, exit 2, for an unknown flag, a bad value or a stray word', async () => {
    const cases: Array<[string[], string]> = [
      [['--bogus'], 'flag provided but not defined: -bogus'],
      [['--retention-days', 'abc'], 'invalid value "abc" for flag -retention-days: expected a number, 0 or more'],
      [['-log-level=loud'], 'invalid value "loud" for flag -log-level: expected one of fatal, error, warn, info, debug, trace, silent'],
      [['--trust-proxy=maybe'], 'invalid value "maybe" for flag -trust-proxy: expected true or false (or yes/no, on/off, 1/0)'],
      [['--listen'], 'flag needs an argument: -listen'],
      [['--trust-proxy', 'false'], 'unexpected argument "false" (a boolean flag takes its value after "=": --name=false)'],
    ];
    for (const [args, message] of cases) {
      expect(await runCli(['serve', ...args])).toEqual({ code: 2, stdout: '', stderr: `updateservicectl serve: ${message}\n` });
    }
  });

  it('shows its usage in the layout of every other command', async () => {
    const r = await runCli(['serve', '--help']);
    expect([r.code, r.stderr]).toEqual([2, '']);
    expect(r.stdout).toMatch(/^NAME:\n\tserve - Run the update service .*\n\nUSAGE:\n\tupdateservicectl serve \[OPTION\]\.\.\.\n\nDESCRIPTION:\n\t/);
    expect(r.stdout).toMatch(/\nOPTIONS:\n\t--admin-key=\t+key for "admin"/);
    expect(r.stdout).toMatch(/\n\t--listen=:8000\t+address to listen on, host:port \[env LISTEN_ADDRESS\]\n/);
    expect(r.stdout).toMatch(/\n\t--retention-days=30\t+days of update events/);
    expect(r.stdout.endsWith('For help on global options run "updateservicectl --help"\n')).toBe(true);
    expect((await runCli(['help', 'serve'])).stdout).toBe(r.stdout);
  });

  it('refuses a bad setting from the environment, or a bad listen address, in one line, before opening anything', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (errors.push(String(chunk)), true));
    // vitest puts Vite's BASE_URL=/ into the environment, which is also a serve setting
    const saved = { LOG_LEVEL: process.env['LOG_LEVEL'], BASE_URL: process.env['BASE_URL'] };
    delete process.env['BASE_URL'];
    process.env['LOG_LEVEL'] = 'loud';
    try {
      expect(await runCli(['serve', '--data-dir=/nonexistent/never-created'])).toEqual({ code: 2, stdout: '', stderr: '' });
      delete process.env['LOG_LEVEL'];
      expect(await runCli(['serve', '--listen', 'nonsense'])).toEqual({ code: 2, stdout: '', stderr: '' });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      spy.mockRestore();
    }
    expect(errors.join('')).toBe(
      'updateservicectl serve: environment LOG_LEVEL: invalid value "loud" for log-level: expected one of fatal, error, warn, info, debug, trace, silent\n' +
        'updateservicectl serve: invalid listen address "nonsense": expected host:port\n',
    );
  });
});
