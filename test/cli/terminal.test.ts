// Colour and hints on a terminal, and not one byte more in a pipe. The
// streams here claim to be a terminal (isTTY) the way process streams do;
// test/e2e/cli-terminal.test.ts runs the built CLI under a real pty.
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { runFakeInstances } from '../../src/cli/commands/instance-fake.js';
import { runWatch } from '../../src/cli/commands/watch.js';
import { main } from '../../src/cli/main.js';
import { colourLevel, terminalsFor } from '../../src/cli/terminal.js';
import { APP_ID, EVENT_OK, NOUPDATE, offer } from '../helpers/omaha-replies.js';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '../helpers/recording-server.js';
import { NO_PROFILES_CONFIG_HOME } from '../helpers/run-cli.js';

const RED = (text: string) => `\x1b[31m${text}\x1b[39m`;
const YELLOW = (text: string) => `\x1b[33m${text}\x1b[39m`;
const GREEN = (text: string) => `\x1b[32m${text}\x1b[39m`;
const DIM = (text: string) => `\x1b[2m${text}\x1b[22m`;
const ANSI = /\x1b\[/;

const REFUSED_HINT = 'hint: nothing answered at that address: check --server (or UPDATECTL_SERVER), or start a service there with "updateservicectl serve"';
const KEY_HINT =
  'hint: give a user and key the service knows: --user/--key, or UPDATECTL_USER/UPDATECTL_KEY, or save them once with "updateservicectl --server=URL --user=NAME --key=KEY profile save NAME"';

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function sink(isTTY: boolean) {
  const s = { text: '', isTTY, write: (t: string) => void (s.text += t) };
  return s;
}

/** Masks the log stamps, also right after a colour code. */
function maskStamps(text: string): string {
  return text.replace(/^(\x1b\[\d+m)?\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /gm, '$1TS ');
}

/** The CLI in-process, its stdout and stderr a terminal or a pipe. */
async function run(argv: string[], opts: { tty: boolean; env?: NodeJS.ProcessEnv; untilInterrupted?: () => Promise<void> }) {
  const stdout = sink(opts.tty);
  const stderr = sink(opts.tty);
  const code = await main('updateservicectl', argv, {
    stdout,
    stderr,
    env: { XDG_CONFIG_HOME: NO_PROFILES_CONFIG_HOME, ...opts.env },
    cwd: process.cwd(),
    untilInterrupted: opts.untilInterrupted,
  });
  return { code, stdout: stdout.text, stderr: maskStamps(stderr.text) };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = await startRecordingServer();
  const port = Number(new URL(s.url).port);
  await s.close();
  return port;
}

describe('when to paint', () => {
  it('paints a terminal unless NO_COLOR is set; FORCE_COLOR forces or forbids', () => {
    const tty = { write: () => true, isTTY: true };
    const pipe = { write: () => true };
    expect(colourLevel(tty, {})).toBe(1);
    expect(colourLevel(pipe, {})).toBe(0);
    expect(colourLevel(tty, { NO_COLOR: '1' })).toBe(0);
    expect(colourLevel(tty, { NO_COLOR: '' })).toBe(1);
    expect(colourLevel(tty, { TERM: 'dumb' })).toBe(0);
    expect(colourLevel(pipe, { FORCE_COLOR: '1' })).toBe(1);
    expect(colourLevel(pipe, { FORCE_COLOR: '3' })).toBe(3);
    expect(colourLevel(tty, { FORCE_COLOR: '0' })).toBe(0);
    expect(colourLevel(tty, { NO_COLOR: 'x', FORCE_COLOR: '1' })).toBe(0);
  });
});

describe('failures on a terminal', () => {
  it('prints "connection refused" in red, then a dim hint naming --server and serve; a pipe gets the plain line only', async () => {
    const argv = [`--server=http://127.0.0.1:${await closedPort()}`, 'app', 'list'];
    const tty = await run(argv, { tty: true });
    expect(tty.code).toBe(1);
    expect(tty.stderr).toMatch(/^\x1b\[31mTS Get "http:\/\/127\.0\.0\.1:\d+\/_ah\/api\/update\/v1\/apps\?alt=json": dial tcp 127\.0\.0\.1:\d+: connect: connection refused\x1b\[39m\n/);
    expect(tty.stderr.endsWith(`\n${DIM(REFUSED_HINT)}\n`)).toBe(true);
    expect(tty.stderr.split('\n')).toHaveLength(3);

    const pipe = await run(argv, { tty: false });
    expect(pipe.code).toBe(1);
    expect(pipe.stderr).toMatch(/^TS Get "[^"]+": dial tcp 127\.0\.0\.1:\d+: connect: connection refused\n$/);
  });

  it('after a 401, hints at --user/--key, UPDATECTL_USER/UPDATECTL_KEY and profile save', async () => {
    server = await startRecordingServer({
      'GET .*': { status: 401, body: { error: { code: 401, message: 'invalid Hawk credentials: bad mac', errors: [{ reason: 'authError', message: 'invalid Hawk credentials: bad mac' }] } } },
    });
    const r = await run([`--server=${server.url}`, '--user=admin', '--key=wrong', 'app', 'list'], { tty: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${RED('TS googleapi: Error 401: invalid Hawk credentials: bad mac, authError')}\n${DIM(KEY_HINT)}\n`);
    // no colour wanted: the same lines, unpainted; in a pipe, only the original's line
    const plain = await run([`--server=${server.url}`, 'app', 'list'], { tty: true, env: { NO_COLOR: '1' } });
    expect(plain.stderr).toBe(`TS googleapi: Error 401: invalid Hawk credentials: bad mac, authError\n${KEY_HINT}\n`);
    const forced = await run([`--server=${server.url}`, 'app', 'list'], { tty: false, env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toBe(`${RED('TS googleapi: Error 401: invalid Hawk credentials: bad mac, authError')}\n`);
    const pipe = await run([`--server=${server.url}`, 'app', 'list'], { tty: false });
    expect(pipe.stderr).toBe('TS googleapi: Error 401: invalid Hawk credentials: bad mac, authError\n');
  });

  it('paints flag errors red and names a missing required flag on a terminal only', async () => {
    const bad = await run(['app', 'list', '--bogus'], { tty: true });
    expect([bad.code, bad.stderr]).toEqual([2, `${RED('flag provided but not defined: -bogus')}\n`]);
    const global = await run(['--bogus'], { tty: true });
    expect(global.stderr.startsWith(`${RED('flag provided but not defined: -bogus')}\nUsage of updateservicectl:\n`)).toBe(true);

    const missing = await run(['app', 'update', `--app-id=${APP_ID}`], { tty: true });
    expect([missing.code, missing.stderr]).toEqual([2, `${RED('missing required flags --label, --description')}\n`]);
    expect(missing.stdout).toMatch(/^NAME:\n\tapp update - /);
    const one = await run(['group', 'pause', `--app-id=${APP_ID}`], { tty: true });
    expect(one.stderr).toBe(`${RED('missing required flag --group-id')}\n`);
    const piped = await run(['app', 'update', `--app-id=${APP_ID}`], { tty: false });
    expect([piped.code, piped.stderr, piped.stdout]).toEqual([2, '', missing.stdout]);
  });

  it('prints watch warnings in yellow', async () => {
    let checks = 0;
    server = await startRecordingServer({
      'POST /v1/update': () => (++checks === 1 ? { body: NOUPDATE, contentType: 'text/xml' } : { status: 500, body: 'down' }),
    });
    const started = Date.now();
    const r = await run([`--server=${server.url}`, 'watch', `--app-id=${APP_ID}`, '--group-id=g', '--interval=1', 'true'], {
      tty: true,
      untilInterrupted: async () => {
        while (checks < 2 && Date.now() - started < 10_000) await delay(20);
        await delay(100);
      },
    });
    // the failed check's own line is an error; the watch goes on with a warning
    expect(r.stderr).toMatch(/^\x1b\[31m.+\x1b\[39m\n\x1b\[33mTS warning: update check failed \(.+\)\x1b\[39m\n/);
  });
});

describe('updates on a terminal', () => {
  const SECOND_MS = 40;

  it('instance fake prints its update lines green and the rest plain', async () => {
    const seen = new Map<string, number>();
    server = await startRecordingServer({
      'POST /v1/update/': (r: RecordedRequest) => {
        const body = r.body.toString();
        if (!body.includes('<updatecheck')) return { body: EVENT_OK, contentType: 'text/xml' };
        const n = (seen.get('m') ?? 0) + 1;
        seen.set('m', n);
        return { body: n === 1 ? NOUPDATE : offer('1.1.0'), contentType: 'text/xml' };
      },
    });
    const stdout = sink(true);
    const stderr = sink(true);
    const started = Date.now();
    await runFakeInstances(
      { appId: APP_ID, groupId: 'fake1', clientsPerApp: 1, minSleep: 1, maxSleep: 1, errorRate: -1, oem: 'fakeclient', pingOnly: 0, version: '1.0.0', forceUpdate: false, verbose: false },
      {
        server: server.url,
        skipSslVerify: false,
        stdout,
        stderr,
        secondMs: SECOND_MS,
        terminal: await terminalsFor({ stdout, stderr, env: {} }),
        untilInterrupted: async () => {
          while (!stdout.text.includes('updated from') && Date.now() - started < 10_000) await delay(10);
        },
      },
    );
    const lines = stdout.text.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^deadbeef[0-9a-f]{24}: noupdate$/);
    expect(lines[1]).toMatch(/^\x1b\[32mdeadbeef[0-9a-f]{24}: updated from 1\.0\.0 to 1\.1\.0\x1b\[39m$/);
  });

  it('watch announces each run of its command in green on a terminal, and not in a pipe', async () => {
    server = await startRecordingServer({ 'POST /v1/update': { body: offer('1.1.0'), contentType: 'text/xml' } });
    for (const tty of [true, false]) {
      const stdout = sink(tty);
      const stderr = sink(tty);
      const client = new ApiClient({ server: server.url, user: '', key: '' });
      const started = Date.now();
      const code = await runWatch(
        { appId: APP_ID, groupId: 'g', clientId: '', version: '1.0.0', intervalSeconds: 1, command: process.execPath, args: ['-e', 'console.log("hook ran")'] },
        {
          client,
          server: server.url,
          debug: false,
          stdout,
          stderr,
          log: (m) => stderr.write(`${m}\n`),
          env: {},
          cwd: process.cwd(),
          secondMs: SECOND_MS,
          terminal: await terminalsFor({ stdout, stderr, env: {} }),
          untilInterrupted: async () => {
            while (!stdout.text.includes('hook ran') && Date.now() - started < 10_000) await delay(10);
          },
        },
      );
      await client.close();
      expect([code, stdout.text]).toEqual([0, 'hook ran\n']);
      // the first run is for the version it starts at, as the original's
      expect(stderr.text).toBe(tty ? `${GREEN(`version 1.0.0: running ${process.execPath}`)}\n` : '');
      expect(ANSI.test(stdout.text)).toBe(false);
    }
  });
});
