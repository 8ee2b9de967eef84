import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { hookEnvironment, runWatch, watchUrl, type WatchOptions } from '../../src/cli/commands/watch.js';
import { parseRequest } from '../../src/omaha/index.js';
import { startRecordingServer, type CannedReply, type RecordingServer } from '../helpers/recording-server.js';
import { maskStamps, runCli } from '../helpers/run-cli.js';
import { APP_ID, NOUPDATE, offer, XML } from '../helpers/omaha-replies.js';

/** A test "second" (the --interval unit). */
const SECOND_MS = 150;

/** Prints the environment variables the watch adds (and FOO), in order, one JSON line per run. */
const PRINT_ENV = `console.log(JSON.stringify(Object.entries(process.env).filter(([k]) => k.startsWith('UPDATE_SERVICE_') || k === 'FOO')))`;

let server: RecordingServer | undefined;
let client: ApiClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

const xmlReply = (body: string): CannedReply => ({ body, contentType: 'text/xml' });

/** The nth update check (1-based) gets `reply(n)`. */
async function serve(reply: (n: number) => string | CannedReply): Promise<RecordingServer> {
  let n = 0;
  server = await startRecordingServer({
    'POST /v1/update': () => {
      const r = reply(++n);
      return typeof r === 'string' ? xmlReply(r) : r;
    },
  });
  return server;
}

function capture() {
  const sink = { text: '', write: (t: string) => void (sink.text += String(t)) };
  return sink;
}

/** Resolves once `done()` holds (checked every 10 ms), or after `capMs` at the latest. */
async function waitFor(done: () => boolean, capMs = 15_000): Promise<void> {
  const end = Date.now() + capMs;
  while (!done() && Date.now() < end) await delay(10, undefined, { ref: false });
}

type Printed = { stdout: string; stderr: string };
const requestCount = () => server?.requests.length ?? 0;
/** For runs that end by themselves. */
const never = () => false;

/** Runs the watch until `stopWhen` holds for what was sent and printed. */
async function watchFor(
  stopWhen: (printed: Printed) => boolean,
  opts: Partial<WatchOptions> = {},
  extra: { debug?: boolean; env?: NodeJS.ProcessEnv; server?: string } = {},
) {
  const url = extra.server ?? server!.url;
  client = new ApiClient({ server: url, user: '', key: '' });
  const stdout = capture();
  const stderr = capture();
  const code = await runWatch(
    {
      appId: APP_ID,
      groupId: 'fake1',
      clientId: '',
      version: '0.0.0',
      intervalSeconds: 1,
      command: process.execPath,
      args: ['-e', PRINT_ENV],
      ...opts,
    },
    {
      client,
      server: url,
      debug: extra.debug ?? false,
      stdout,
      stderr,
      log: (m) => stderr.write(`TS ${m}\n`),
      env: extra.env ?? { FOO: 'bar' },
      cwd: process.cwd(),
      untilInterrupted: () => waitFor(() => stopWhen({ stdout: stdout.text, stderr: stderr.text })),
      secondMs: SECOND_MS,
    },
  );
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const runs = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => Object.fromEntries(JSON.parse(l) as [string, string][]));

describe('watch', () => {
  it('runs the command at start and again only when the offered version changes', async () => {
    await serve((n) => (n <= 3 ? offer('1.1.0') : offer('1.2.0')));
    const r = await watchFor(() => requestCount() >= 6);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(runs(r.stdout)).toEqual([
      {
        FOO: 'bar',
        UPDATE_SERVICE_VERSION: '0.0.0',
        UPDATE_SERVICE_APP_ID: APP_ID,
        UPDATE_SERVICE_URL: 'https://example.com/packages/1.1.0/update.gz',
      },
      {
        FOO: 'bar',
        UPDATE_SERVICE_VERSION: '1.1.0',
        UPDATE_SERVICE_OLD_VERSION: '0.0.0',
        UPDATE_SERVICE_APP_ID: APP_ID,
        UPDATE_SERVICE_URL: 'https://example.com/packages/1.1.0/update.gz',
      },
      {
        FOO: 'bar',
        UPDATE_SERVICE_VERSION: '1.2.0',
        UPDATE_SERVICE_OLD_VERSION: '1.1.0',
        UPDATE_SERVICE_APP_ID: APP_ID,
        UPDATE_SERVICE_URL: 'https://example.com/packages/1.2.0/update.gz',
      },
    ]);
    // each check reports the version seen last, from a new boot, as the same client
    const apps = server!.requests.map((q) => parseRequest(q.body).apps[0]!);
    expect(apps.slice(0, 5).map((a) => a.version)).toEqual(['0.0.0', '0.0.0', '1.1.0', '1.1.0', '1.2.0']);
    expect(new Set(apps.map((a) => a.bootId)).size).toBe(apps.length);
    expect(new Set(apps.map((a) => a.machineId)).size).toBe(1);
    expect(apps[0]!.machineId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sends the original request document to <server>/v1/update', async () => {
    await serve(() => NOUPDATE);
    await watchFor(() => requestCount() >= 1, { clientId: '11111111-2222-3333-4444-555555555555', version: '1.0.0' });
    const first = server!.requests[0]!;
    expect(first.path).toBe('/v1/update');
    expect(first.headers['content-type']).toBe('text/xml');
    const bootId = parseRequest(first.body).apps[0]!.bootId;
    expect(first.body.toString()).toBe(
      '<request protocol="3.0">\n' +
        ' <os platform="CoreOS" version="lsb"></os>\n' +
        ` <app appid="{${APP_ID}}" version="1.0.0" track="fake1" bootid="${bootId}" machineid="11111111-2222-3333-4444-555555555555">\n` +
        '  <updatecheck></updatecheck>\n' +
        '  <event eventtype="1" eventresult="0"></event>\n' +
        ' </app>\n' +
        '</request>',
    );
  });

  it('does not run the command while there is no update', async () => {
    await serve((n) => (n === 1 ? NOUPDATE : n === 2 ? `${XML}<response><app><updatecheck status="error-version"></updatecheck></app></response>` : offer('0.0.0')));
    const r = await watchFor(() => requestCount() >= 4);
    // the offer of the version already running is not a change either
    expect(r.stdout).toBe('');
    expect(server!.requests.length).toBeGreaterThanOrEqual(3);
  });

  it('replaces an inherited update variable and moves it to its place', async () => {
    expect(
      Object.entries(
        hookEnvironment({ UPDATE_SERVICE_VERSION: 'stale', A: '1', UNSET: undefined }, APP_ID, '1.1.0', '', {
          appId: APP_ID,
          status: 'ok',
          url: 'https://x/update.gz',
        }),
      ),
    ).toEqual([
      ['A', '1'],
      ['UPDATE_SERVICE_VERSION', '1.1.0'],
      ['UPDATE_SERVICE_APP_ID', APP_ID],
      ['UPDATE_SERVICE_URL', 'https://x/update.gz'],
    ]);
  });

  it('passes the command output through, stdout and stderr', async () => {
    await serve(() => offer('1.1.0'));
    const r = await watchFor(({ stdout, stderr }) => stdout !== '' && stderr !== '', { args: ['-e', 'process.stdout.write("out\\n"); process.stderr.write("err\\n")'] });
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toBe('err\n');
  });

  it('prints each request and reply with --debug', async () => {
    await serve(() => NOUPDATE);
    const r = await watchFor(({ stderr }) => stderr.includes('Response:'), {}, { debug: true });
    const request = server!.requests[0]!.body.toString();
    expect(r.stderr).toBe(`Request: ${XML}${request}\nResponse: ${XML}${NOUPDATE}\n`);
  });

  it('exits 1 when the first check fails, printing the error as the original did', async () => {
    await serve(() => ({ status: 500, body: 'oops', contentType: 'text/plain' }));
    const r = await watchFor(never);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'EOF\nEOF' });
    expect(server!.requests).toHaveLength(1);
  });

  it('warns about a failed later check and keeps polling', async () => {
    await serve((n) => (n === 2 ? { status: 500, body: 'oops', contentType: 'text/plain' } : NOUPDATE));
    const r = await watchFor(({ stderr }) => requestCount() >= 3 && stderr.includes('warning'));
    expect(r.code).toBe(0);
    expect(maskStamps(r.stderr)).toBe('EOF\nTS warning: update check failed (EOF)\n');
    expect(server!.requests.length).toBeGreaterThanOrEqual(3);
  });

  it('reports an unreachable server in net/http words', async () => {
    server = await startRecordingServer();
    const url = server.url;
    await server.close();
    server = undefined;
    const r = await watchFor(never, {}, { server: url });
    const message = `Post "${url}/v1/update": dial tcp ${url.slice('http://'.length)}: connect: connection refused`;
    expect(r).toEqual({ code: 1, stdout: '', stderr: `${message}\n${message}` });
  });

  it('exits 1 when the command cannot be started', async () => {
    await serve(() => offer('1.1.0'));
    const r = await watchFor(never, { command: 'no-such-command-for-watch', args: [] }, { env: { PATH: '/nonexistent' } });
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'exec: "no-such-command-for-watch": executable file not found in $PATH' });
  });

  it('keeps the server path prefix', () => {
    expect(watchUrl('http://h:1/prefix').href).toBe('http://h:1/prefix/v1/update');
    expect(watchUrl('http://h:1').href).toBe('http://h:1/v1/update');
  });

  it('runs from the command line, command after --, until interrupted', async () => {
    await serve(() => offer('1.1.0'));
    const r = await runCli(
      [`--server=${server!.url}`, 'watch', `--app-id=${APP_ID}`, '--group-id=fake1', '--', process.execPath, '-e', PRINT_ENV],
      // the third check comes after the second run ended
      { env: { FOO: 'bar' }, untilInterrupted: () => waitFor(() => requestCount() >= 3) },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(runs(r.stdout)).toHaveLength(2);
    expect(server!.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('needs --app-id, --group-id and a command', async () => {
    for (const argv of [
      ['watch', `--app-id=${APP_ID}`, 'true'],
      ['watch', `--app-id=${APP_ID}`, '--group-id=g'],
    ]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('USAGE:\n\tupdateservicectl watch [OPTION]... <cmd> <args>');
    }
  });

  it('refuses a non-positive --interval', async () => {
    const r = await runCli(['watch', `--app-id=${APP_ID}`, '--group-id=g', '--interval=0', 'true']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--interval');
  });
});
