import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runFakeInstances, type FakeOptions } from '../../src/cli/commands/instance-fake.js';
import { sleepSeconds } from '../../src/cli/fake/instance.js';
import { parseRequest, type RequestApp } from '../../src/omaha/index.js';
import { startRecordingServer, type CannedReply, type RecordedRequest, type RecordingServer } from '../helpers/recording-server.js';
import { maskStamps, runCli } from '../helpers/run-cli.js';
import { APP_ID, EVENT_OK, FAKE_DEFAULTS, NOUPDATE, offer, XML } from '../helpers/omaha-replies.js';

/** A test "second": the simulation's sleeps are whole seconds. */
const SECOND_MS = 40;

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const xmlReply = (body: string): CannedReply => ({ body, contentType: 'text/xml' });
const isCheck = (r: RecordedRequest) => r.body.toString().includes('<updatecheck');

/** Update checks get `check(nth check of that machine)`; events are acknowledged. */
function omahaRoutes(check: (n: number) => string) {
  const checks = new Map<string, number>();
  return {
    'POST /v1/update/': (r: RecordedRequest) => {
      if (!isCheck(r)) return xmlReply(EVENT_OK);
      const id = appOf(r).machineId ?? '';
      const n = (checks.get(id) ?? 0) + 1;
      checks.set(id, n);
      return xmlReply(check(n));
    },
  };
}

function appOf(r: RecordedRequest): RequestApp {
  return parseRequest(r.body).apps[0]!;
}

/** One request as a short string: `check`, `ping`, or `type/result[/errorcode]`, then `@version`. */
function step(r: RecordedRequest): string {
  const app = appOf(r);
  const parts: string[] = [];
  if (app.updateCheck) parts.push('check');
  if (app.ping) parts.push('ping');
  for (const e of app.events) parts.push([e.eventType, e.eventResult, e.errorCode].filter((x) => x !== undefined).join('/'));
  return `${parts.join('+')}@${app.version}`;
}

function byMachine(requests: RecordedRequest[]): Map<string, RecordedRequest[]> {
  const out = new Map<string, RecordedRequest[]>();
  for (const r of requests) {
    const id = appOf(r).machineId!;
    out.set(id, [...(out.get(id) ?? []), r]);
  }
  return out;
}

function capture() {
  const sink = { text: '', write: (t: string) => void (sink.text += t) };
  return sink;
}

/** Resolves once `done()` holds (checked every 10 ms), or after `capMs` at the latest. */
async function waitFor(done: () => boolean, capMs = 15_000): Promise<void> {
  const end = Date.now() + capMs;
  while (!done() && Date.now() < end) await delay(10, undefined, { ref: false });
}

type Printed = { stdout: string; stderr: string };
const lineCount = (text: string) => text.split('\n').length - 1;
const requestCount = () => server?.requests.length ?? 0;

/** Runs the simulation until `stopWhen` holds for what was sent and printed. */
async function runFake(options: Partial<FakeOptions>, stopWhen: (printed: Printed) => boolean, url = server!.url) {
  const stdout = capture();
  const stderr = capture();
  const code = await runFakeInstances(
    { ...FAKE_DEFAULTS, ...options },
    {
      server: url,
      skipSslVerify: false,
      stdout,
      stderr,
      untilInterrupted: () => waitFor(() => stopWhen({ stdout: stdout.text, stderr: stderr.text })),
      secondMs: SECOND_MS,
    },
  );
  return { code, stdout: stdout.text, stderr: maskStamps(stderr.text) };
}

describe('instance fake', () => {
  it('checks, then walks an offered update with the full event sequence', async () => {
    server = await startRecordingServer(omahaRoutes((n) => (n === 1 ? NOUPDATE : offer('1.1.0'))));
    const r = await runFake({ clientsPerApp: 3 }, ({ stdout }) => {
      const machines = byMachine(server!.requests);
      return machines.size === 3 && [...machines.values()].every((q) => q.length >= 7) && stdout.split('updated from').length > 3;
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');

    const machines = byMachine(server.requests);
    expect(machines.size).toBe(3);
    for (const [id, requests] of machines) {
      expect(id).toMatch(/^deadbeef[0-9a-f]{24}$/);
      expect(requests.slice(0, 7).map(step)).toEqual([
        'check+3/2@1.0.0',
        'check+3/2@1.0.0',
        '13/1@1.0.0',
        '14/1@1.0.0',
        '3/1@1.0.0',
        '3/2@1.1.0',
        'check+3/2@1.1.0',
      ]);
      // the update runs in one boot; the new version reports from a new one
      const boots = requests.slice(0, 7).map((q) => appOf(q).bootId);
      expect(new Set(boots.slice(0, 6)).size).toBe(1);
      expect(boots[6]).not.toBe(boots[0]);

      const lines = r.stdout.split('\n').filter((l) => l.startsWith(`${id}: `));
      expect(lines.slice(0, 2)).toEqual([`${id}: noupdate`, `${id}: updated from 1.0.0 to 1.1.0`]);
    }
    // one run, one shared prefix
    expect(new Set([...machines.keys()].map((id) => id.slice(0, 14))).size).toBe(1);
  });

  it('sends the original request document', async () => {
    server = await startRecordingServer(omahaRoutes(() => NOUPDATE));
    await runFake({}, () => requestCount() >= 1);
    const first = server.requests[0]!;
    expect(first.headers['content-type']).toBe('text/xml');
    expect(first.headers.authorization).toBeUndefined();
    const app = appOf(first);
    expect(first.body.toString()).toBe(
      '<request protocol="3.0" installsource="scheduler">\n' +
        ' <os platform="CoreOS" version="lsb"></os>\n' +
        ` <app appid="${APP_ID}" version="1.0.0" track="fake1" bootid="${app.bootId}" machineid="${app.machineId}" oem="fakeclient">\n` +
        '  <updatecheck></updatecheck>\n' +
        '  <event eventtype="3" eventresult="2"></event>\n' +
        ' </app>\n' +
        '</request>',
    );
  });

  it('reports a failed step as 3/0 errorcode 2000, repeats the step once, and gives up', async () => {
    server = await startRecordingServer(omahaRoutes(() => offer('1.1.0')));
    const r = await runFake({ errorRate: 100 }, ({ stderr }) => requestCount() >= 6 && lineCount(stderr) >= 2);
    expect(server.requests.slice(0, 6).map(step)).toEqual([
      'check+3/2@1.0.0',
      '3/0/2000@1.0.0',
      '13/1@1.0.0',
      'check+3/2@1.0.0',
      '3/0/2000@1.0.0',
      '13/1@1.0.0',
    ]);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      'TS failed to update in eventType: 13, eventResult: 1. Retrying.',
      'TS failed to update in eventType: 13, eventResult: 1. Retrying.',
    ]);
  });

  it('fails a step when the draw from 0..99 is at most --errorrate', async () => {
    server = await startRecordingServer(omahaRoutes(() => offer('1.1.0')));
    const stdout = capture();
    const stderr = capture();
    // draws: 0.05 → 5 > 4, the first step passes; 0.04 → 4 <= 4, the second fails
    const draws = [0.05, 0.04];
    await runFakeInstances(
      { ...FAKE_DEFAULTS, errorRate: 4, minSleep: 1, maxSleep: 1 },
      {
        server: server.url,
        skipSslVerify: false,
        stdout,
        stderr,
        untilInterrupted: () => waitFor(() => requestCount() >= 4 && stderr.text.includes('eventType: 14')),
        secondMs: SECOND_MS,
        random: () => draws.shift() ?? 0.99,
      },
    );
    expect(server.requests.slice(0, 4).map(step)).toEqual(['check+3/2@1.0.0', '13/1@1.0.0', '3/0/2000@1.0.0', '14/1@1.0.0']);
    expect(maskStamps(stderr.text)).toContain('TS failed to update in eventType: 14, eventResult: 1. Retrying.\n');
  });

  it('--errorrate=0 still fails a step on a draw of 0, as the original did, and its help says so', async () => {
    server = await startRecordingServer(omahaRoutes(() => offer('1.1.0')));
    const stderr = capture();
    const draws = [0.009]; // 0 <= 0: the first step fails
    await runFakeInstances(
      { ...FAKE_DEFAULTS, errorRate: 0, minSleep: 1, maxSleep: 1 },
      {
        server: server.url,
        skipSslVerify: false,
        stdout: capture(),
        stderr,
        untilInterrupted: () => waitFor(() => stderr.text.includes('eventType: 13')),
        secondMs: SECOND_MS,
        random: () => draws.shift() ?? 0.99,
      },
    );
    expect(maskStamps(stderr.text)).toContain('TS failed to update in eventType: 13, eventResult: 1. Retrying.\n');
    const help = await runCli(['instance', 'fake', '--help']);
    expect(help.stdout + help.stderr).toContain('0 still 1 in 100');
  });

  it('pings --ping-only times before reporting its first update, and only then', async () => {
    server = await startRecordingServer(omahaRoutes(() => offer('1.1.0')));
    const r = await runFake({ pingOnly: 2 }, ({ stdout }) => requestCount() >= 12 && stdout.includes('updated'));
    expect(server.requests.slice(0, 12).map(step)).toEqual([
      'check+3/2@1.0.0',
      '13/1@1.0.0',
      '14/1@1.0.0',
      '3/1@1.0.0',
      'ping@1.0.0',
      'ping@1.0.0',
      '3/2@1.1.0',
      'check+3/2@1.1.0',
      '13/1@1.1.0',
      '14/1@1.1.0',
      '3/1@1.1.0',
      '3/2@1.1.0',
    ]);
    expect(server.requests[4]!.body.toString()).toContain('<ping r="1" status="1"></ping>');
    expect(r.stdout).toMatch(/^deadbeef[0-9a-f]{24}: updated from 1\.0\.0 to 1\.1\.0\n/);
  });

  it('asks on demand with --force-update, reports --oem, and prints exchanges with --verbose', async () => {
    server = await startRecordingServer(omahaRoutes(() => NOUPDATE));
    const r = await runFake({ forceUpdate: true, oem: 'rackspace', verbose: true }, ({ stdout }) => stdout.includes('noupdate'));
    const body = server.requests[0]!.body.toString();
    expect(body).toContain('<request protocol="3.0" installsource="ondemandupdate">');
    expect(body).toContain(' oem="rackspace">');
    const id = appOf(server.requests[0]!).machineId!;
    expect(r.stdout).toContain(`${id}: request: <request protocol="3.0" installsource="ondemandupdate">\n <os`);
    expect(r.stdout).toContain(`${id}: response: <response protocol="3.0" server="update.core-os.net">\n <daystart`);
    expect(r.stdout).toContain(`${id}: noupdate\n`);
  });

  it('leaves out empty attributes, as the original did', async () => {
    server = await startRecordingServer(omahaRoutes(() => NOUPDATE));
    await runFake({ oem: '', version: '' }, () => requestCount() >= 1);
    const body = server.requests[0]!.body.toString();
    expect(body).not.toContain('oem=');
    expect(body).not.toContain('version=""');
  });

  it('keeps going when the server cannot be reached', async () => {
    server = await startRecordingServer();
    const url = server.url;
    await server.close();
    server = undefined;
    const r = await runFake({}, ({ stderr }) => lineCount(stderr) >= 2, url);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(line).toBe(`TS Post "${url}/v1/update/": dial tcp ${url.slice('http://'.length)}: connect: connection refused`);
    }
  });

  it("words unusable replies like Go's XML decoder and keeps going", async () => {
    server = await startRecordingServer({ 'POST /v1/update/': { status: 500, body: 'oops', contentType: 'text/plain' } });
    const r = await runFake({}, ({ stderr }) => lineCount(stderr) >= 2);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual(['TS EOF', 'TS EOF']);
  });

  it('reports a reply without an app the way the original recovered from it', async () => {
    const empty = `${XML}<response protocol="3.0" server="x"></response>\n`;
    server = await startRecordingServer({ 'POST /v1/update/': xmlReply(empty) });
    const r = await runFake({}, ({ stdout }) => stdout.includes('error setting version'));
    const id = appOf(server.requests[0]!).machineId!;
    expect(r.stdout.split('\n')[0]).toBe(`${id}: ${id}: error setting version: runtime error: index out of range [0] with length 0`);
  });

  it('runs from the command line until interrupted', async () => {
    server = await startRecordingServer(omahaRoutes(() => NOUPDATE));
    const r = await runCli(
      [`--server=${server.url}/`, 'instance', 'fake', `--app-id=${APP_ID}`, '--group-id=fake1', '--clients-per-app=2', '--min-sleep=0', '--max-sleep=0'],
      { untilInterrupted: () => waitFor(() => requestCount() >= 4) },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^(deadbeef[0-9a-f]{24}: noupdate\n)+$/);
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    expect(server.requests.every((q) => q.path === '/v1/update/')).toBe(true);
  });

  it('needs --app-id and --group-id', async () => {
    const r = await runCli(['instance', 'fake', `--app-id=${APP_ID}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl instance fake [OPTION]...');
  });

  it("sleeps like the original's randSleep: whole seconds in [min, max), or max", () => {
    expect(sleepSeconds(1, 2, () => 0.99)).toBe(1);
    expect(sleepSeconds(1, 10, () => 0.99)).toBe(9);
    expect(sleepSeconds(1, 10, () => 0)).toBe(1);
    expect(sleepSeconds(5, 5, () => 0.5)).toBe(5);
    expect(sleepSeconds(5, 2, () => 0.5)).toBe(2);
  });

  it('runs 2,000 instances from one process, each checking in', async () => {
    const seen = new Set<string>();
    let requests = 0;
    server = await startRecordingServer({
      'POST /v1/update/': (r) => {
        requests++;
        const id = /machineid="([^"]+)"/.exec(r.body.toString())?.[1];
        if (id) seen.add(id);
        return xmlReply(NOUPDATE);
      },
    });
    // real seconds: each instance sleeps 1 s before each check; run ~3 s, longer if the machine is slow
    const printed = new Set<string>();
    const stdout = { write: (t: string) => t.split('\n').forEach((line) => line && printed.add(line.split(':')[0]!)) };
    const started = Date.now();
    const code = await runFakeInstances(
      { ...FAKE_DEFAULTS, clientsPerApp: 2000, minSleep: 1, maxSleep: 2 },
      {
        server: server.url,
        skipSslVerify: false,
        stdout,
        stderr: capture(),
        untilInterrupted: () => waitFor(() => seen.size === 2000 && printed.size === 2000 && Date.now() - started >= 3000, 20_000),
      },
    );
    const elapsedSeconds = (Date.now() - started) / 1000;
    server.requests.length = 0; // the bodies are not needed
    expect(code).toBe(0);
    expect(seen.size).toBe(2000);
    // at most one check per instance per second
    expect(requests).toBeLessThanOrEqual(2000 * Math.ceil(elapsedSeconds + 1));
    expect(printed.size).toBe(2000);
  });
});
