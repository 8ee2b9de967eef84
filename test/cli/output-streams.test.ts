// `--output=json` for the commands that print as they go or move files:
// `instance fake` and `watch` (one JSON line per event), `package download`,
// `package upload` and `package create bulk` (a JSON array), and their failures.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFakeInstances, type FakeOptions } from '../../src/cli/commands/instance-fake.js';
import { startRecordingServer, type CannedReply, type RecordedRequest, type RecordingServer } from '../helpers/recording-server.js';
import { APP_ID, EVENT_OK, FAKE_DEFAULTS, NOUPDATE, offer } from '../helpers/omaha-replies.js';
import { asAdmin, maskStamps, runCli, type CliResult } from '../helpers/run-cli.js';

const PAYLOAD = Buffer.from('FAKE-COREOS-UPDATE-PAYLOAD-0123456789abcdef\n'.repeat(24).slice(0, 1024));
const sha = (algo: string, data: Buffer) => createHash(algo).update(data).digest('base64');

let server: RecordingServer | undefined;
let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'output-streams-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(work, { recursive: true, force: true });
});

const xmlReply = (body: string): CannedReply => ({ body, contentType: 'text/xml' });
const isCheck = (r: RecordedRequest) => r.body.toString().includes('<updatecheck');

/** Resolves once `done()` holds (checked every 10 ms), or after `capMs` at the latest. */
async function waitFor(done: () => boolean, capMs = 15_000): Promise<void> {
  const end = Date.now() + capMs;
  while (!done() && Date.now() < end) await delay(10, undefined, { ref: false });
}

/** Every line of `text` parsed as JSON: fails unless each one is. */
const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The one JSON error a failed command leaves as the last line of stderr. */
function lastError(r: CliResult): { code: number; message: string } {
  const lines = r.stderr.trimEnd().split('\n');
  return (JSON.parse(lines.at(-1)!) as { error: { code: number; message: string } }).error;
}

describe('instance fake', () => {
  const OPTIONS: FakeOptions = { ...FAKE_DEFAULTS, clientsPerApp: 2 };

  /** Each machine's first check gets no update, the later ones 1.1.0. */
  async function omaha(): Promise<RecordingServer> {
    const checks = new Map<string, number>();
    return startRecordingServer({
      'POST /v1/update/': (r) => {
        if (!isCheck(r)) return xmlReply(EVENT_OK);
        const id = /machineid="([^"]+)"/.exec(r.body.toString())![1]!;
        checks.set(id, (checks.get(id) ?? 0) + 1);
        return xmlReply(checks.get(id) === 1 ? NOUPDATE : offer('1.1.0'));
      },
    });
  }

  async function fake(options: Partial<FakeOptions>, format: 'text' | 'json', until: (stdout: string) => boolean) {
    let stdout = '';
    let stderr = '';
    const code = await runFakeInstances(
      { ...OPTIONS, ...options },
      {
        server: server!.url,
        skipSslVerify: false,
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
        untilInterrupted: () => waitFor(() => until(stdout)),
        secondMs: 20,
        format,
      },
    );
    return { code, stdout, stderr };
  }
  const updatedTwice = (stdout: string) => stdout.split('updated').length > 2;

  it('prints one JSON line per event: checks without an update, and updates with both versions', async () => {
    server = await omaha();
    const r = await fake({}, 'json', updatedTwice);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const events = jsonLines(r.stdout);
    const ids = new Set(events.map((e) => e['clientId']));
    expect(ids.size).toBe(2);
    for (const id of ids) {
      expect(id).toMatch(/^deadbeef[0-9a-f]{24}$/);
      const own = events.filter((e) => e['clientId'] === id);
      expect(own[0]).toEqual({ event: 'status', clientId: id, appId: APP_ID, groupId: 'fake1', status: 'noupdate' });
    }
    const updates = events.filter((e) => e['event'] === 'updated');
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates[0]).toEqual({ event: 'updated', clientId: updates[0]!['clientId'], appId: APP_ID, groupId: 'fake1', oldVersion: '1.0.0', version: '1.1.0' });
  });

  it("prints the original's lines in text", async () => {
    server = await omaha();
    const r = await fake({ clientsPerApp: 1 }, 'text', (stdout) => stdout.includes('updated'));
    expect(r.stdout).toMatch(/^deadbeef[0-9a-f]{24}: noupdate\n(deadbeef[0-9a-f]{24}: updated from 1\.0\.0 to 1\.1\.0\n)+/);
  });

  it('shows each exchange with --verbose', async () => {
    server = await omaha();
    const r = await fake({ clientsPerApp: 1, verbose: true }, 'json', (stdout) => stdout.includes('"response"'));
    const [request, response] = jsonLines(r.stdout);
    expect(request).toMatchObject({ event: 'request', appId: APP_ID, groupId: 'fake1', xml: expect.stringContaining('<updatecheck') });
    expect(response).toMatchObject({ event: 'response', xml: expect.stringContaining('<updatecheck status="noupdate"') });
  });

  it('is wired to --output under both generations of the command', async () => {
    server = await omaha();
    const requests = () => server!.requests.length;
    const modern = await runCli(
      [`--server=${server.url}`, '--output=json', 'instance', 'fake', `--app-id=${APP_ID}`, '--group-id=fake1', '--clients-per-app=1', '--min-sleep=0', '--max-sleep=0'],
      // a machine's second check comes after it reported the first
      { untilInterrupted: () => waitFor(() => requests() >= 2) },
    );
    expect(modern.code).toBe(0);
    expect(jsonLines(modern.stdout)[0]).toMatchObject({ event: 'status', status: 'noupdate', appId: APP_ID });
    const before = requests();
    const legacy = await runCli(['-s', server.url, 'fakeclients', APP_ID, 'fake1', '1.0.0', '-c', '1', '-m', '0', '-M', '0'], {
      program: 'updatectl',
      env: { UPDATECTL_OUTPUT: 'json' },
      untilInterrupted: () => waitFor(() => requests() >= before + 2),
    });
    expect(legacy.code).toBe(0);
    expect(jsonLines(legacy.stdout)[0]).toMatchObject({ event: 'status', groupId: 'fake1' });
  });
});

describe('watch', () => {
  /** Prints a line of its own, which must not land among the events. */
  const HOOK = ['--', process.execPath, '-e', 'console.log("hook ran " + process.env.UPDATE_SERVICE_VERSION)'];

  it('announces each run of the command as a JSON line; the command prints to stderr', async () => {
    server = await startRecordingServer({ 'POST /v1/update': xmlReply(offer('1.1.0')) });
    const r = await runCli([`--server=${server.url}`, '--output=json', 'watch', `--app-id=${APP_ID}`, '--group-id=fake1', '--client-id=c1', ...HOOK], {
      untilInterrupted: () => waitFor(() => server!.requests.length >= 3),
    });
    expect(r.code).toBe(0);
    const url = 'https://example.com/packages/1.1.0/update.gz';
    expect(jsonLines(r.stdout)).toEqual([
      { event: 'update', appId: APP_ID, groupId: 'fake1', clientId: 'c1', version: '0.0.0', url },
      { event: 'update', appId: APP_ID, groupId: 'fake1', clientId: 'c1', version: '1.1.0', oldVersion: '0.0.0', url },
    ]);
    expect(r.stderr).toBe('hook ran 0.0.0\nhook ran 1.1.0\n');
  });

  it('fails with one JSON error when the first check cannot be made', async () => {
    const closed = await startRecordingServer();
    const url = closed.url;
    await closed.close();
    const r = await runCli([`--server=${url}`, '--output=json', 'watch', `--app-id=${APP_ID}`, '--group-id=fake1', 'true']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(lastError(r)).toEqual({ code: 1, message: `Post "${url}/v1/update": dial tcp ${url.slice('http://'.length)}: connect: connection refused` });
  });

  it('fails with one JSON error when the command cannot be started', async () => {
    server = await startRecordingServer({ 'POST /v1/update': xmlReply(offer('1.1.0')) });
    const r = await runCli([`--server=${server.url}`, '--output=json', 'watch', `--app-id=${APP_ID}`, '--group-id=fake1', 'no-such-command-here']);
    expect(r.code).toBe(1);
    expect(jsonLines(r.stdout)).toHaveLength(1);
    expect(lastError(r)).toEqual({ code: 1, message: 'exec: "no-such-command-here": executable file not found in $PATH' });
  });
});

describe('package download', () => {
  async function downloadServer(payload: Buffer) {
    let base = '';
    const s = await startRecordingServer({
      'GET /_ah/api/update/v1/public/packages': () => ({ body: { items: [{ AppId: APP_ID, packages: [pkg(base)] }] } }),
      'GET /files/update.gz': { body: payload, contentType: 'application/octet-stream' },
    });
    base = s.url;
    return s;
  }
  const pkg = (base: string) => ({ appId: APP_ID, version: '1.1.0', url: `${base}/files/update.gz`, size: '1024', sha1Sum: sha('sha1', PAYLOAD), sha256Sum: sha('sha256', PAYLOAD) });

  it('prints the saved packages as a JSON array instead of the counter lines', async () => {
    server = await downloadServer(PAYLOAD);
    const r = await runCli([...asAdmin(server.url), '--output=json', 'package', 'download', '--dir=dl'], { cwd: work });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([pkg(server.url)]);
    expect(maskStamps(r.stderr)).toBe('TS Downloading 1 packages.\n');
    expect(await readdir(join(work, 'dl'))).toHaveLength(2);
  });

  it('reports failed downloads as one JSON error, exit 1', async () => {
    server = await downloadServer(PAYLOAD.subarray(0, 100));
    const r = await runCli([...asAdmin(server.url), '--output=json', 'package', 'download', '--dir=dl'], { cwd: work });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(lastError(r)).toEqual({
      code: 1,
      message: `Error while downloading. AppId=${APP_ID}, Version=1.1.0, URL=${server.url}/files/update.gz, Error=Download size does not match package size. 100 != 1024`,
    });
  });

  it('reports bad flags and a failed listing as one JSON error, exit 2', async () => {
    const flags = await runCli(['--output=json', 'package', 'download', '--dir=dl', '--version=1.0.0', '--min-version=1.0.0'], { cwd: work });
    expect({ code: flags.code, stdout: flags.stdout }).toEqual({ code: 2, stdout: '' });
    expect(flags.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(lastError(flags)).toEqual({ code: 2, message: 'Please use either -version or -min-version, but not both.' });
    server = await startRecordingServer({ 'GET /_ah/api/update/v1/public/packages': { status: 401, body: { error: { code: 401, message: 'bad mac' } } } });
    const listing = await runCli([...asAdmin(server.url), '--output=json', 'package', 'download', '--dir=dl'], { cwd: work });
    expect({ code: listing.code, stdout: listing.stdout }).toEqual({ code: 2, stdout: '' });
    expect(lastError(listing)).toEqual({ code: 401, message: 'bad mac' });
  });
});

describe('package upload', () => {
  const UPLOADED = { name: 'update.gz', url: 'http://127.0.0.1/packages/update.gz', size: '1024' };

  it("prints the server's reply", async () => {
    server = await startRecordingServer({ 'POST /package-upload': { body: UPLOADED } });
    await writeFile(join(work, 'update.gz'), PAYLOAD);
    const r = await runCli([...asAdmin(server.url), '--output=json', 'package', 'upload', '--file=update.gz'], { cwd: work });
    expect(r).toEqual({ code: 0, stdout: JSON.stringify(UPLOADED, null, 2) + '\n', stderr: '' });
  });

  it('names the file when the server says nothing', async () => {
    server = await startRecordingServer({ 'POST /package-upload': { body: '', contentType: 'text/plain' } });
    await writeFile(join(work, 'update.gz'), PAYLOAD);
    const r = await runCli([...asAdmin(server.url), '--output=json', 'package', 'upload', '--file=update.gz'], { cwd: work });
    expect(JSON.parse(r.stdout)).toEqual({ name: 'update.gz' });
  });

  it('reports a refused upload with its status, a missing --file as a usage error; exit 2 as in text', async () => {
    server = await startRecordingServer({ 'POST /package-upload': { status: 403, body: 'uploads disabled', contentType: 'text/plain' } });
    await writeFile(join(work, 'update.gz'), PAYLOAD);
    const refused = await runCli([...asAdmin(server.url), '--output=json', 'package', 'upload', '--file=update.gz'], { cwd: work });
    expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 2, stdout: '' });
    expect(lastError(refused)).toEqual({ code: 403, message: 'error uploading file uploads disabled' });
    const missing = await runCli(['--output=json', 'package', 'upload']);
    expect({ code: missing.code, stdout: missing.stdout }).toEqual({ code: 2, stdout: '' });
    expect(lastError(missing)).toEqual({ code: 2, message: 'missing file argument' });
  });

  it('prints the replies of a folder upload as an array, failures as log lines', async () => {
    let n = 0;
    server = await startRecordingServer({
      'POST /package-upload': () => (++n === 2 ? { status: 500, body: 'disk full', contentType: 'text/plain' } : { body: { url: 'http://x/a.gz' } }),
    });
    await mkdir(join(work, 'pay'));
    await writeFile(join(work, 'pay', 'a.gz'), 'aa');
    await writeFile(join(work, 'pay', 'b.gz'), 'bbb');
    const r = await runCli([...asAdmin(server.url), '--output=json', 'package', 'upload', 'bulk', '--dir=pay'], { cwd: work });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ name: 'a.gz', url: 'http://x/a.gz' }]);
    expect(maskStamps(r.stderr)).toBe('TS error uploading file disk full\nTS Package payloads uploaded. Total=2 Errors=1\n');
  });
});

describe('package create bulk', () => {
  it('prints the created packages as a JSON array', async () => {
    const created = { appId: APP_ID, version: '1.1.0', url: 'https://mirror.example.com/x.gz', size: '1024' };
    server = await startRecordingServer({ 'POST /_ah/api/update/v1/apps/[^/]+/packages/[^/]+': { body: created } });
    await mkdir(join(work, 'dl'));
    await writeFile(join(work, 'dl', `${APP_ID}_1.1.0_info.json`), JSON.stringify({ appId: APP_ID, version: '1.1.0', url: 'http://h/update.gz', size: '1024' }));
    const r = await runCli([...asAdmin(server.url), '--output=json', 'package', 'create', 'bulk', '--dir=dl'], { cwd: work });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([created]);
    const missing = await runCli([...asAdmin(server.url), '--output=json', 'package', 'create', 'bulk', '--dir=nope'], { cwd: work });
    expect({ code: missing.code, stdout: missing.stdout }).toEqual({ code: 2, stdout: '' });
    expect(lastError(missing)).toEqual({ code: 2, message: 'open nope: no such file or directory' });
  });
});
