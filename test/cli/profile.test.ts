import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { globalFlagSet, resolveGlobals } from '../../src/cli/globals.js';
import { parseFlagWords } from '../../src/cli/go-command.js';
import { maskKey, profileDir } from '../../src/cli/profiles.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { maskStamps, runCli } from '../helpers/run-cli.js';

const KEY = '4b0a832c9b0249b7e388f49a19cf2b03';
const OTHER_KEY = 'ffeeddccbbaa99887766554433221100';

let configHome: string;
let server: RecordingServer | undefined;

beforeEach(() => {
  configHome = mkdtempSync(path.join(tmpdir(), 'profiles-test-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(configHome, { recursive: true, force: true });
});

const file = () => path.join(configHome, 'updateservicectl', 'profiles.json');
const cli = (argv: string[], env: NodeJS.ProcessEnv = {}) => runCli(argv, { env: { XDG_CONFIG_HOME: configHome, ...env } });

/** The Hawk user of the one request the server saw. */
const hawkUser = (s: RecordingServer) => /Hawk id="([^"]*)"/.exec(String(s.requests.at(-1)!.headers.authorization))?.[1];

async function appsServer(): Promise<RecordingServer> {
  server = await startRecordingServer({ 'GET /_ah/api/update/v1/apps': { body: { items: [] } } });
  return server;
}

describe('profile save, list, use, show, delete', () => {
  it('saves the connection given by the global flags, in a file only the user can read', async () => {
    const r = await cli(['--server=https://updates.example.com', '--user=admin', `--key=${KEY}`, 'profile', 'save', 'prod']);
    expect(r).toEqual({ code: 0, stderr: '', stdout: 'Saved profile "prod": https://updates.example.com as user admin.\n' });
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual({ profiles: { prod: { server: 'https://updates.example.com', user: 'admin', key: KEY } } });
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file())).mode & 0o777).toBe(0o700);
  });

  it('saves the UPDATECTL_* variables when no flags are given, and --skip-ssl-verify', async () => {
    const env = { UPDATECTL_SERVER: 'https://u.example', UPDATECTL_USER: 'ci', UPDATECTL_KEY: KEY };
    expect((await cli(['--skip-ssl-verify', 'profile', 'save', 'ci'], env)).code).toBe(0);
    expect(JSON.parse(readFileSync(file(), 'utf8')).profiles.ci).toEqual({ server: 'https://u.example', user: 'ci', key: KEY, skipSslVerify: true });
  });

  it('lists names, servers and users, never a key, and marks the default', async () => {
    await cli(['--server=https://a.example', '--user=alice', `--key=${KEY}`, 'profile', 'save', 'staging']);
    await cli(['--server=https://b.example', '--user=bob', `--key=${OTHER_KEY}`, 'profile', 'save', 'prod']);
    expect(await cli(['profile', 'use', 'prod'])).toEqual({ code: 0, stderr: '', stdout: 'Default profile: prod\n' });
    const text = await cli(['profile', 'list']);
    expect(text).toEqual({
      code: 0,
      stderr: '',
      stdout: 'Name\tServer\t\t\tUser\tDefault\nprod\thttps://b.example\tbob\ttrue\nstaging\thttps://a.example\talice\tfalse\n',
    });
    const json = await cli(['--output=json', 'profile', 'list']);
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'prod', server: 'https://b.example', user: 'bob', skipSslVerify: false, default: true },
      { name: 'staging', server: 'https://a.example', user: 'alice', skipSslVerify: false, default: false },
    ]);
    const table = await cli(['--output=table', 'profile', 'list']);
    expect(table.stdout).toContain('https://b.example');
    for (const out of [text.stdout, json.stdout, table.stdout]) {
      expect(out).not.toContain(KEY.slice(0, 8));
      expect(out).not.toContain(OTHER_KEY.slice(0, 8));
    }
  });

  it('lists an empty header when nothing is saved, and creates no file for it', async () => {
    expect(await cli(['profile', 'list'])).toEqual({ code: 0, stderr: '', stdout: 'Name\tServer\tUser\tDefault\n' });
    expect(existsSync(path.dirname(file()))).toBe(false);
  });

  it('shows a profile with its key masked: the length and the last 4 characters', async () => {
    await cli(['--server=https://a.example', '--user=alice', `--key=${KEY}`, 'profile', 'save', 'staging']);
    const r = await cli(['profile', 'show', 'staging']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'Name\t\tstaging\n' +
        'Server\t\thttps://a.example\n' +
        'User\t\talice\n' +
        `Key\t\t********2b03 (32 characters, only the last 4 shown)\n` +
        'Skip SSL verify\tfalse\n' +
        'Default\t\tfalse\n' +
        `File\t\t${file()}\n`,
    );
    expect(r.stdout).not.toContain(KEY.slice(0, 28));
    const json = JSON.parse((await cli(['--output=json', 'profile', 'show', 'staging'])).stdout);
    expect(json).toMatchObject({ name: 'staging', key: '********2b03 (32 characters, only the last 4 shown)' });
  });

  it('shows the profile in use when no name is given', async () => {
    await cli(['--server=https://a.example', '--user=alice', `--key=${KEY}`, 'profile', 'save', 'a']);
    await cli(['--server=https://b.example', '--user=bob', `--key=${KEY}`, 'profile', 'save', 'b']);
    await cli(['profile', 'use', 'a']);
    expect((await cli(['profile', 'show'])).stdout).toMatch(/^Name\t+a\n/);
    expect((await cli(['profile', 'show'], { UPDATECTL_PROFILE: 'b' })).stdout).toMatch(/^Name\t+b\n/);
    expect((await cli(['--profile=b', 'profile', 'show'])).stdout).toMatch(/^Name\t+b\n/);
  });

  it('masks short keys completely', () => {
    expect(maskKey('')).toBe('(none)');
    expect(maskKey('abc123')).toBe('******** (6 characters, none shown)');
  });

  it('deletes a profile, and the default with it', async () => {
    await cli(['--server=https://a.example', `--key=${KEY}`, 'profile', 'save', 'a']);
    await cli(['profile', 'use', 'a']);
    expect(await cli(['profile', 'delete', 'a'])).toEqual({ code: 0, stderr: '', stdout: 'Deleted profile "a". There is no default profile now.\n' });
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual({ profiles: {} });
    expect((await cli(['profile', 'list'])).stdout).toBe('Name\tServer\tUser\tDefault\n');
  });

  it('refuses unknown names, bad names and missing names', async () => {
    await cli(['--server=https://a.example', 'profile', 'save', 'a']);
    for (const argv of [['profile', 'use', 'nope'], ['profile', 'show', 'nope'], ['profile', 'delete', 'nope']]) {
      const r = await cli(argv);
      expect({ code: r.code, stdout: r.stdout, stderr: maskStamps(r.stderr) }).toEqual({
        code: 1,
        stdout: '',
        stderr: `TS no profile named "nope" (from ${argv.slice(0, 2).join(' ')}); saved profiles: a\n`,
      });
    }
    const bad = await cli(['profile', 'save', '../etc']);
    expect(bad.code).toBe(1);
    expect(maskStamps(bad.stderr)).toMatch(/^TS invalid profile name "\.\.\/etc": use letters, digits/);
    const missing = await cli(['profile', 'use']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('USAGE:\n\tupdateservicectl profile use <name>');
    const none = await cli(['profile', 'show']);
    expect({ code: none.code, stderr: maskStamps(none.stderr) }).toEqual({
      code: 1,
      stderr: 'TS no profile is in use: name one, or choose a default with "profile use"\n',
    });
  });
});

describe('precedence: flag, then UPDATECTL_* variable, then profile, then default', () => {
  it('connects with the default profile when nothing else is given', async () => {
    const s = await appsServer();
    await cli([`--server=${s.url}`, '--user=from-profile', `--key=${KEY}`, 'profile', 'save', 'local']);
    await cli(['profile', 'use', 'local']);
    expect((await cli(['app', 'list'])).code).toBe(0);
    expect(hawkUser(s)).toBe('from-profile');
  });

  it('lets a variable win over the profile, and a flag over the variable', async () => {
    const s = await appsServer();
    await cli([`--server=${s.url}`, '--user=from-profile', `--key=${KEY}`, 'profile', 'save', 'local']);
    await cli(['profile', 'use', 'local']);
    expect((await cli(['app', 'list'], { UPDATECTL_USER: 'from-variable' })).code).toBe(0);
    expect(hawkUser(s)).toBe('from-variable');
    expect((await cli(['--user=from-flag', 'app', 'list'], { UPDATECTL_USER: 'from-variable' })).code).toBe(0);
    expect(hawkUser(s)).toBe('from-flag');
    // the 0.x spellings count as flags too
    expect((await cli(['-u', 'short-flag', 'app', 'list'], { UPDATECTL_USER: 'from-variable' })).code).toBe(0);
    expect(hawkUser(s)).toBe('short-flag');
    expect((await runCli(['-u', 'legacy', 'list-apps'], { program: 'updatectl', env: { XDG_CONFIG_HOME: configHome } })).code).toBe(0);
    expect(hawkUser(s)).toBe('legacy');
    expect((await runCli(['list-apps'], { program: 'updatectl', env: { XDG_CONFIG_HOME: configHome } })).code).toBe(0);
    expect(hawkUser(s)).toBe('from-profile');
  });

  it('selects a profile with --profile over UPDATECTL_PROFILE over the default', async () => {
    const s = await appsServer();
    for (const name of ['one', 'two', 'three']) await cli([`--server=${s.url}`, `--user=${name}`, `--key=${KEY}`, 'profile', 'save', name]);
    await cli(['profile', 'use', 'one']);
    await cli(['app', 'list']);
    expect(hawkUser(s)).toBe('one');
    await cli(['app', 'list'], { UPDATECTL_PROFILE: 'two' });
    expect(hawkUser(s)).toBe('two');
    await cli(['--profile', 'three', 'app', 'list'], { UPDATECTL_PROFILE: 'two' });
    expect(hawkUser(s)).toBe('three');
    await runCli(['--profile=two', 'list-apps'], { program: 'updatectl', env: { XDG_CONFIG_HOME: configHome } });
    expect(hawkUser(s)).toBe('two');
  });

  it('falls back to the defaults with no profile, or with an empty --profile', () => {
    const flags = globalFlagSet('updateservicectl');
    expect(resolveGlobals(flags, {})).toMatchObject({ server: 'http://localhost:8000', user: '', key: '', profile: undefined });
    const profile = { name: 'p', source: 'default' as const, profile: { server: 'https://p.example', user: 'pu', key: 'pk', skipSslVerify: true } };
    expect(resolveGlobals(flags, {}, profile)).toMatchObject({ server: 'https://p.example', user: 'pu', key: 'pk', skipSslVerify: true, profile: 'p' });
    expect(resolveGlobals(flags, { UPDATECTL_SERVER: 'https://v.example' }, profile)).toMatchObject({ server: 'https://v.example', user: 'pu' });
    const explicit = globalFlagSet('updateservicectl');
    parseFlagWords(explicit, ['--skip-ssl-verify=false', '--server=https://f.example']);
    expect(resolveGlobals(explicit, {}, profile)).toMatchObject({ server: 'https://f.example', skipSslVerify: false });
  });

  it('runs without the default profile when --profile or UPDATECTL_PROFILE is empty', async () => {
    const s = await appsServer();
    await cli([`--server=${s.url}`, '--user=from-profile', `--key=${KEY}`, 'profile', 'save', 'local']);
    await cli(['profile', 'use', 'local']);
    await cli([`--server=${s.url}`, '--profile=', 'app', 'list']);
    expect(hawkUser(s)).toBe('');
    await cli([`--server=${s.url}`, 'app', 'list'], { UPDATECTL_PROFILE: '' });
    expect(hawkUser(s)).toBe('');
  });
});

describe('profile errors: one line, exit 1, never a stack trace', () => {
  async function failsWith(argv: string[], env: NodeJS.ProcessEnv, line: string | RegExp) {
    const r = await cli(argv, env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    if (typeof line === 'string') expect(maskStamps(r.stderr)).toBe(`TS ${line}\n`);
    else expect(maskStamps(r.stderr)).toMatch(line);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }

  it('names an unknown profile and where the name came from', async () => {
    await failsWith(['--profile=nope', 'app', 'list'], {}, 'no profile named "nope" (from --profile); no profiles are saved (see "profile save")');
    await cli(['--server=https://a.example', 'profile', 'save', 'a']);
    await failsWith(['app', 'list'], { UPDATECTL_PROFILE: 'nope' }, 'no profile named "nope" (from UPDATECTL_PROFILE); saved profiles: a');
  });

  it('reports a file that is not JSON, without quoting it (it holds keys)', async () => {
    mkdirSync(path.dirname(file()), { recursive: true });
    writeFileSync(file(), `{"profiles": {"a": {"key": "${KEY}"`);
    const message = `profile file ${file()} is not valid JSON: fix it or remove it`;
    await failsWith(['app', 'list'], {}, message);
    await failsWith(['profile', 'list'], {}, message);
    await failsWith(['--profile=a', 'app', 'list'], {}, message);
    expect((await cli(['app', 'list'])).stderr).not.toContain(KEY);
  });

  it('reports a file that does not hold profiles', async () => {
    mkdirSync(path.dirname(file()), { recursive: true });
    writeFileSync(file(), '{"default": "a", "profiles": {"a": {"server": 8000}}}');
    await failsWith(['app', 'list'], {}, /^TS profile file .*profiles\.json is not a valid profile file \(.*`profiles\/a\/server` must be string.*\): fix it or remove it\n$/);
  });

  it('reports a file that cannot be read', async () => {
    mkdirSync(file(), { recursive: true }); // a folder where the file should be
    await failsWith(['profile', 'list'], {}, `cannot read profile file ${file()}: it is a folder`);
    rmSync(path.dirname(file()), { recursive: true });
    writeFileSync(path.dirname(file()), 'not a folder');
    await failsWith(['profile', 'list'], { UPDATECTL_PROFILE: 'x' }, /^TS (no profile named|cannot use profile folder)/);
    await failsWith(['--server=https://a.example', 'profile', 'save', 'x'], {}, `cannot use profile folder ${path.dirname(file())}: a file is in the way`);
  });

  it('leaves --version, help and completion scripts alone when the file is damaged', async () => {
    mkdirSync(path.dirname(file()), { recursive: true });
    writeFileSync(file(), 'not json');
    expect((await cli(['--version'])).code).toBe(0);
    expect((await cli(['help'])).code).toBe(0);
    expect((await cli(['help', 'profile'])).code).toBe(0);
    expect((await cli(['completion', 'bash'])).code).toBe(0);
  });
});

describe('where the file lives', () => {
  it('is under XDG_CONFIG_HOME, else the platform config folder', () => {
    expect(profileDir({ XDG_CONFIG_HOME: '/x/config', HOME: '/home/u' }, 'linux')).toBe('/x/config/updateservicectl');
    expect(profileDir({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.config/updateservicectl');
    expect(profileDir({ XDG_CONFIG_HOME: 'relative', HOME: '/home/u' }, 'linux')).toBe('/home/u/.config/updateservicectl');
    expect(profileDir({ HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Preferences/updateservicectl');
    expect(profileDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming', HOME: 'C:\\Users\\u' }, 'win32')).toBe(
      path.join('C:\\Users\\u\\AppData\\Roaming', 'updateservicectl'),
    );
  });
});
