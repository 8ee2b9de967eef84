import { afterEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { asAdmin, maskStamps, runCli } from '../helpers/run-cli.js';

const APP_ID = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const UPDATES = {
  items: [
    { appId: APP_ID, clientId: 'deadbeef012345b7e1c04a2c9d3e8f77', version: '1.1.0', lastSeen: '2014-05-02T17:15:06.000Z', groupId: 'fake1', oem: 'fakeclient', eventType: '3', eventResult: '2', errorCode: '' },
    { appId: APP_ID, clientId: '6c8e4f2a-5b1d-4e3c-9f7a-0d2b8c6e1a35', version: '1.0.0', lastSeen: '2014-05-01T08:00:00.000Z', groupId: 'fake1', oem: '' },
  ],
};
const UPDATES_TABLE =
  'AppID\t\t\t\t\tClientID\t\t\t\tVersion\tLastSeen\t\t\tGroup\tOEM\n' +
  `${APP_ID}\tdeadbeef012345b7e1c04a2c9d3e8f77\t1.1.0\t2014-05-02T17:15:06.000Z\tfake1\tfakeclient\n` +
  `${APP_ID}\t6c8e4f2a-5b1d-4e3c-9f7a-0d2b8c6e1a35\t1.0.0\t2014-05-01T08:00:00.000Z\tfake1\t\n`;
const VERSIONS = {
  items: [
    { appId: APP_ID, groupId: 'fake1', version: '1.1.0', count: 12 },
    { appId: APP_ID, groupId: 'fake1', version: '1.0.0', count: 3 },
  ],
};

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const queryOf = (s: RecordingServer) => Object.fromEntries(s.requests[0]!.query);

describe('instance list-updates', () => {
  it('always sends the date bounds, zero included', async () => {
    server = await startRecordingServer({ 'GET /_ah/api/update/v1/clientupdates': { body: UPDATES } });
    const r = await runCli([...asAdmin(server.url), 'instance', 'list-updates']);
    expect(r).toEqual({ code: 0, stdout: UPDATES_TABLE, stderr: '' });
    expect(queryOf(server)).toEqual({ alt: 'json', dateStart: '0', dateEnd: '0' });
  });

  it('sends appId whenever --app-id is given (the original needed --group-id too)', async () => {
    server = await startRecordingServer({ 'GET /_ah/api/update/v1/clientupdates': { body: UPDATES } });
    await runCli([...asAdmin(server.url), 'instance', 'list-updates', `--app-id=${APP_ID}`]);
    expect(queryOf(server)).toEqual({ alt: 'json', appId: APP_ID, dateStart: '0', dateEnd: '0' });
  });

  it('passes the group and dates through, parameters sorted by name', async () => {
    server = await startRecordingServer({ 'GET /_ah/api/update/v1/clientupdates': { body: {} } });
    const r = await runCli([
      ...asAdmin(server.url), 'instance', 'list-updates', '--group-id=fake1', `--app-id=${APP_ID}`, '--start=1399000000', '--end', '1399100000',
    ]);
    expect(r.stdout).toBe('AppID\tClientID\tVersion\tLastSeen\tGroup\tOEM\n');
    expect(server.requests[0]!.query.toString()).toBe(`alt=json&appId=${APP_ID}&dateEnd=1399100000&dateStart=1399000000&groupId=fake1`);
  });

  it('rejects a date that is not a number', async () => {
    const r = await runCli(['instance', 'list-updates', '--start=yesterday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('invalid value "yesterday" for flag -start: parse error\n');
    expect(r.stdout).toMatch(/OPTIONS:\n\t--app-id=\t+.*\n\t--end=0\t+.*\n\t--group-id=\t+.*\n\t--start=0\t+.*\n/);
  });

  it('logs API errors and exits 1', async () => {
    server = await startRecordingServer({
      'GET /_ah/api/update/v1/clientupdates': {
        status: 400,
        body: { error: { code: 400, message: 'bad date', errors: [{ reason: 'invalid', message: 'bad date' }] } },
      },
    });
    const r = await runCli([...asAdmin(server.url), 'instance', 'list-updates']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(maskStamps(r.stderr)).toBe('TS googleapi: Error 400: bad date, invalid\n');
  });
});

describe('instance list-app-versions', () => {
  it('prints the client count per version', async () => {
    server = await startRecordingServer({ 'GET /_ah/api/update/v1/appversions': { body: VERSIONS } });
    const r = await runCli([...asAdmin(server.url), 'instance', 'list-app-versions', `--app-id=${APP_ID}`, '--group-id=fake1']);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'AppID\t\t\t\t\tGroupID\tVersion\tClients\n' +
        `${APP_ID}\tfake1\t1.1.0\t12\n` +
        `${APP_ID}\tfake1\t1.0.0\t3\n`,
    });
    expect(queryOf(server)).toEqual({ alt: 'json', appId: APP_ID, groupId: 'fake1' });
  });

  it('sends the date bounds only when they are not zero', async () => {
    server = await startRecordingServer({ 'GET /_ah/api/update/v1/appversions': { body: VERSIONS } });
    await runCli([...asAdmin(server.url), 'instance', 'list-app-versions', '--start=1399000000']);
    expect(queryOf(server)).toEqual({ alt: 'json', dateStart: '1399000000' });
  });

  it('counts an empty --group-id as given', async () => {
    server = await startRecordingServer({ 'GET /_ah/api/update/v1/appversions': { body: {} } });
    const r = await runCli([...asAdmin(server.url), 'instance', 'list-app-versions', '--group-id=']);
    expect(r.stdout).toBe('AppID\tGroupID\tVersion\tClients\n');
    expect(queryOf(server)).toEqual({ alt: 'json', groupId: '' });
  });
});

describe('instance', () => {
  it('lists its subcommands, fake last', async () => {
    const r = await runCli(['instance']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl instance [OPTION]...\n');
    expect(r.stdout).toMatch(/COMMANDS:\n\tinstance list-updates\t+.*\n\tinstance list-app-versions\t+.*\n\tinstance fake\t+.*\n/);
  });

  it('shows every fake flag with its default', async () => {
    const r = await runCli(['instance', 'fake', '--help']);
    expect(r.code).toBe(2);
    const flags = [...r.stdout.matchAll(/^\t(--[a-z-]+=[^\t]*)\t/gm)].map((m) => m[1]);
    expect(flags).toEqual([
      '--app-id=', '--clients-per-app=20', '--errorrate=1', '--force-update=false', '--group-id=', '--max-sleep=10',
      '--min-sleep=1', '--oem=fakeclient', '--ping-only=0', '--verbose=false', '--version=0.0.0',
    ]);
  });

  it('fake requires --app-id and --group-id', async () => {
    const r = await runCli(['instance', 'fake', `--app-id=${APP_ID}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl instance fake [OPTION]...\n');
  });
});
