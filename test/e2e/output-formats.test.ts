// `--output=json` and `--output=table` against a real `serve`: a release set up
// and read back as the API's objects, the server's errors as JSON, and the
// built CLI in a pipe (not a terminal).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { APP_ID, describeEngines, startTestServer, type TestServer } from './helpers.js';
import { processCli, snapshotCli, type CliSnapshot } from './processes.js';

const SHA1 = 'm4eqJIl18nb4SPWQVCdVCLTwAxE=';

/** A successful JSON run: exit 0, nothing on stderr, the parsed document. */
function parsed(r: CliResult): unknown {
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(r.stdout);
}

/** A failed JSON run: `exit`, nothing on stdout, the one error object on stderr. */
function failure(r: CliResult, exit: number): { code: number; message: string } {
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: exit, stdout: '' });
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  return (JSON.parse(r.stderr) as { error: { code: number; message: string } }).error;
}

describeEngines('e2e: --output against serve', (engine) => {
  let t: TestServer;
  const as = (key: string, env: NodeJS.ProcessEnv) => (...argv: string[]) =>
    runCli([`--server=${t.url}`, '--user=admin', `--key=${key}`, ...argv], { env });
  let json: (...argv: string[]) => Promise<CliResult>;
  beforeAll(async () => {
    t = await startTestServer(engine);
    json = as(t.key, { UPDATECTL_OUTPUT: 'json' });
  });
  afterAll(async () => t?.close());

  it('sets up a release and reads it back as the API objects', async () => {
    const app = parsed(await json('app', 'create', `--app-id=${APP_ID}`, '--label=FakeApp', '--description=Fake app for testing'));
    expect(app).toEqual({ id: APP_ID, label: 'FakeApp', description: 'Fake app for testing' });
    expect(parsed(await json('app', 'list'))).toEqual([app]);

    const pkg = parsed(await json('package', 'create', `--app-id=${APP_ID}`, '--version=1.1.0', '--url=https://example.com/update.gz', '--size=1024', `--sha1sum=${SHA1}`));
    expect(pkg).toMatchObject({ appId: APP_ID, version: '1.1.0', url: 'https://example.com/update.gz', size: '1024', sha1Sum: SHA1 });
    expect(parsed(await json('package', 'list', `--app-id=${APP_ID}`))).toEqual([pkg]);

    const channel = parsed(await json('channel', 'create', `--app-id=${APP_ID}`, '--channel=stable', '--version=1.1.0', '--publish'));
    expect(channel).toMatchObject({ appId: APP_ID, label: 'stable', version: '1.1.0', publish: true });

    const group = parsed(await json('group', 'create', `--app-id=${APP_ID}`, '--group-id=prod', '--channel=stable', '--label=Production'));
    expect(group).toMatchObject({ appId: APP_ID, id: 'prod', channelId: 'stable', label: 'Production', updatesPaused: false });
    const paused = parsed(await json('group', 'pause', `--app-id=${APP_ID}`, '--group-id=prod'));
    expect(paused).toEqual({ ...(group as object), updatesPaused: true });
    expect(parsed(await json('group', 'list', `--app-id=${APP_ID}`))).toEqual([paused]);

    expect(parsed(await json('group', 'percent', `--app-id=${APP_ID}`, '--group-id=prod', '--update-percent=25'))).toMatchObject({ updatePercent: 25 });
    expect(parsed(await json('rollout', 'create', 'linear', `--app-id=${APP_ID}`, '--group-id=prod', '--frame-size=3600', '--duration=7200'))).toEqual({
      appId: APP_ID,
      groupId: 'prod',
      rollout: [
        { percent: 50, duration: '3600' },
        { percent: 100, duration: '3600' },
        { percent: 100, duration: '0' },
      ],
    });
    expect(parsed(await json('instance', 'list-app-versions'))).toEqual([]);
  });

  it("reports the server's errors with their status, exit 1 as in text", async () => {
    expect(failure(await json('app', 'delete', '--app-id=3e7e2537-457e-4671-b261-520c4c7bfcd8'), 1)).toMatchObject({ code: 404, message: 'app not found' });
    expect(failure(await json('app', 'create', `--app-id=${APP_ID}`, '--label=again'), 1)).toMatchObject({ code: 409 });
    const wrongKey = as('0'.repeat(32), { UPDATECTL_OUTPUT: 'json' });
    expect(failure(await wrongKey('app', 'list'), 1)).toMatchObject({ code: 401 });
  });

  it('draws the same cells in a table as in the text', async () => {
    const text = await as(t.key, {})('group', 'list', `--app-id=${APP_ID}`);
    const table = await as(t.key, { UPDATECTL_OUTPUT: 'table', COLUMNS: '160' })('group', 'list', `--app-id=${APP_ID}`);
    const textCells = text.stdout.trimEnd().split('\n').map((line) => line.split(/\t+/));
    const tableCells = table.stdout
      .trimEnd()
      .split('\n')
      .filter((line) => line.startsWith('│'))
      .map((line) => line.split('│').slice(1, -1).map((c) => c.trim()));
    expect(tableCells).toEqual(textCells);
  });
});

describe('e2e: the built CLI in a pipe', () => {
  let t: TestServer;
  let snapshot: CliSnapshot;
  let work: string;
  beforeAll(async () => {
    [t, snapshot, work] = await Promise.all([startTestServer('sqlite'), snapshotCli(), mkdtemp(path.join(tmpdir(), 'output-e2e-'))]);
  });
  afterAll(async () => {
    await Promise.all([t?.close(), snapshot?.remove(), work && rm(work, { recursive: true, force: true })]);
  });

  it('prints JSON, tables of the default width, and JSON errors', async () => {
    const cli = processCli(snapshot.bin, t.url, t.key, work);
    expect(parsed(await cli('--output=json', 'app', 'create', `--app-id=${APP_ID}`, '--label=Piped'))).toEqual({ id: APP_ID, label: 'Piped', description: '' });
    const table = await cli('--output=table', 'app', 'list');
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[1]).toMatch(/^│ Id +│ Label +│ Description +│$/);
    for (const line of table.stdout.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(failure(await cli('--output=json', 'group', 'list'), 2)).toEqual({
      code: 2,
      message: "missing or invalid flags or arguments; see 'updateservicectl group list --help'",
    });
    const bad = await cli('--output=yml', 'app', 'list');
    expect(bad).toEqual({ code: 2, stdout: '', stderr: 'invalid value "yml" for flag -output: must be text, json or table\n' });
  });
});
