import { afterEach, describe, expect, it } from 'vitest';
import { groupPatch } from '../../src/cli/commands/group.js';
import { goInt64, withoutZeroFields } from '../../src/cli/output.js';
import { startRecordingServer, type RecordingServer, type Routes } from '../helpers/recording-server.js';
import { asAdmin, maskStamps, runCli } from '../helpers/run-cli.js';

const APP = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const GROUPS = `/_ah/api/update/v1/apps/${APP}/groups`;
const ONE_GROUP = 'apps/[^/]+/groups/[^/]+';

const FAKE1 = { appId: APP, channelId: 'master', id: 'fake1', label: 'Fake Group 1', oemBlacklist: '', updatePercent: 50, updatesPaused: false, rolloutActive: false };
const BETA = { appId: APP, channelId: 'beta', id: 'beta-group', label: 'Beta', oemBlacklist: 'azure,gce', updatePercent: 12.5, updatesPaused: true, rolloutActive: true };
/** A group as a 1.4.0 server returns it, with a rate limit of 5 updates per 300 s. */
const LEGACY_FAKE1 = { appId: APP, channelId: 'master', id: 'fake1', label: 'Fake Group 1', oemBlacklist: '', updateCount: 5, updateInterval: 300, updatePooling: true, updatesPaused: false };

const HEADER = 'Label\t\tApp\t\t\t\t\tChannel\tId\tUpdates Paused\tPercent\tRollout Active\n';
const FAKE1_ROW = `Fake Group 1\t${APP}\tmaster\tfake1\tfalse\t\t50\tfalse\n`;

let server: RecordingServer;
afterEach(() => server?.close());

async function serve(routes: Routes): Promise<RecordingServer> {
  server = await startRecordingServer(Object.fromEntries(Object.entries(routes).map(([k, v]) => [k.replace(' ', ' /_ah/api/update/v1/'), v])));
  return server;
}

const group = (...args: string[]) => runCli([...asAdmin(server.url), 'group', ...args]);

/** Serves `fetched` on GET and echoes the PATCH body back, as a server would. */
async function servePatchable(fetched: object): Promise<void> {
  await serve({
    [`GET ${ONE_GROUP}`]: { body: fetched },
    [`PATCH ${ONE_GROUP}`]: (req) => ({ body: req.json }),
  });
}

describe('group list', () => {
  it('prints the 2.1.0 table with percentages as Go %v', async () => {
    await serve({
      [`GET apps/[^/]+/groups`]: {
        body: {
          items: [
            FAKE1,
            BETA,
            { appId: APP, channelId: 'stable', id: 'stable', label: 'Stable Machines', updatePercent: 100 },
            { appId: APP, channelId: 'alpha', id: 'alpha', label: 'Alpha', updatePercent: 33.333333333333336, updatesPaused: false },
          ],
        },
      },
    });
    const r = await group('list', `--app-id=${APP}`);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'Label\t\tApp\t\t\t\t\tChannel\tId\t\tUpdates Paused\tPercent\t\t\tRollout Active\n' +
        `Fake Group 1\t${APP}\tmaster\tfake1\t\tfalse\t\t50\t\t\tfalse\n` +
        `Beta\t\t${APP}\tbeta\tbeta-group\ttrue\t\t12.5\t\t\ttrue\n` +
        `Stable Machines\t${APP}\tstable\tstable\t\tfalse\t\t100\t\t\tfalse\n` +
        `Alpha\t\t${APP}\talpha\talpha\t\tfalse\t\t33.333333333333336\tfalse\n`,
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.method).toBe('GET');
    expect(server.requests[0]!.path).toBe(GROUPS);
    expect(server.requests[0]!.query.toString()).toBe('alt=json');
  });

  it('prints the header for an empty list', async () => {
    await serve({ [`GET apps/[^/]+/groups`]: { body: {} } });
    expect((await group('list', `--app-id=${APP}`)).stdout).toBe('Label\tApp\tChannel\tId\tUpdates Paused\tPercent\tRollout Active\n');
  });

  it('accepts single-dash flags, a separate value, and lets the last repeated flag win', async () => {
    await serve({ [`GET apps/[^/]+/groups`]: { body: {} } });
    expect((await group('list', '-app-id', 'first', `--app-id=${APP}`)).code).toBe(0);
    expect(server.requests[0]!.path).toBe(GROUPS);
  });

  it('needs --app-id: usage, exit 2, no request', async () => {
    await serve({});
    const r = await group('list');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl group list [OPTION]...');
    expect(r.stdout).toContain('\t--app-id=');
    expect(server.requests).toHaveLength(0);
  });

  it('rejects an unknown flag the way Go does', async () => {
    const r = await runCli(['group', 'list', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('flag provided but not defined: -bogus\n');
    expect(r.stdout).toMatch(/^NAME:\n\tgroup list - /);
  });

  it('logs API errors and exits 1', async () => {
    await serve({
      [`GET apps/[^/]+/groups`]: {
        status: 500,
        body: { error: { code: 500, message: 'Internal Server Error', errors: [{ reason: 'backendError', message: 'Internal Server Error' }] } },
      },
    });
    const r = await group('list', `--app-id=${APP}`);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(maskStamps(r.stderr)).toBe('TS googleapi: Error 500: Internal Server Error, backendError\n');
  });
});

describe('group create and delete', () => {
  it('creates a group from channel, id and label', async () => {
    await serve({ [`POST apps/[^/]+/groups`]: { body: FAKE1 } });
    const r = await group('create', `--app-id=${APP}`, '--group-id=fake1', '--channel=master', '--label=Fake Group 1');
    expect(r).toEqual({ code: 0, stderr: '', stdout: HEADER + FAKE1_ROW });
    expect(server.requests[0]!.method).toBe('POST');
    expect(server.requests[0]!.path).toBe(GROUPS);
    expect(server.requests[0]!.json).toEqual({ channelId: 'master', id: 'fake1', label: 'Fake Group 1' });
  });

  it('leaves an empty label out of the body', async () => {
    await serve({ [`POST apps/[^/]+/groups`]: { status: 409, body: { error: { code: 409, message: 'group already exists' } } } });
    const r = await group('create', `--app-id=${APP}`, '--group-id=fake1', '--channel=master');
    expect(server.requests[0]!.json).toEqual({ channelId: 'master', id: 'fake1' });
    expect(r.code).toBe(1);
    expect(maskStamps(r.stderr)).toBe('TS googleapi: Error 409: group already exists\n');
  });

  it('needs --group-id and --channel', async () => {
    const r = await runCli(['group', 'create', `--app-id=${APP}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl group create [OPTION]...');
  });

  it('deletes a group and prints what was deleted', async () => {
    await serve({ [`DELETE ${ONE_GROUP}`]: { body: FAKE1 } });
    const r = await group('delete', `--app-id=${APP}`, '--group-id=fake1');
    expect(r).toEqual({ code: 0, stderr: '', stdout: HEADER + FAKE1_ROW });
    expect(server.requests[0]!.method).toBe('DELETE');
    expect(server.requests[0]!.path).toBe(`${GROUPS}/fake1`);
  });
});

describe('group update', () => {
  it('sends the fetched group back whole when no flag changes it', async () => {
    await servePatchable(BETA);
    const r = await group('update', `--app-id=${APP}`, '--group-id=fake1');
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: 'Label\tApp\t\t\t\t\tChannel\tId\t\tUpdates Paused\tPercent\tRollout Active\n' + `Beta\t${APP}\tbeta\tbeta-group\ttrue\t\t12.5\ttrue\n`,
    });
    expect(server.requests.map((q) => `${q.method} ${q.path}`)).toEqual([`GET ${GROUPS}/fake1`, `PATCH ${GROUPS}/fake1`]);
    expect(server.requests[1]!.json).toEqual({
      appId: APP, channelId: 'beta', id: 'beta-group', label: 'Beta', oemBlacklist: 'azure,gce', rolloutActive: true, updatePercent: 12.5, updatesPaused: true,
    });
  });

  it('changes label, channel and OEM blacklist', async () => {
    await servePatchable(FAKE1);
    const r = await group('update', `--app-id=${APP}`, '--group-id=fake1', '--label=Renamed', '--channel=beta', '--oem-blacklist=azure');
    expect(r.code).toBe(0);
    expect(server.requests[1]!.json).toEqual({
      appId: APP, channelId: 'beta', id: 'fake1', label: 'Renamed', oemBlacklist: 'azure', updatePercent: 50,
    });
    expect(r.stdout).toBe(
      'Label\tApp\t\t\t\t\tChannel\tId\tUpdates Paused\tPercent\tRollout Active\n' + `Renamed\t${APP}\tbeta\tfake1\tfalse\t\t50\tfalse\n`,
    );
  });

  it('can clear the OEM blacklist: a given empty value is sent', async () => {
    await servePatchable(BETA);
    await group('update', `--app-id=${APP}`, '--group-id=beta-group', '--oem-blacklist=');
    expect(server.requests[1]!.json).toMatchObject({ oemBlacklist: '' });
  });

  it('sends back only the 2.1.0 fields when only the label changes, and prints the 2.1.0 table', async () => {
    // the 2.1.0 Group had no rate-limit fields; the service keeps them when they are absent
    await servePatchable(LEGACY_FAKE1);
    const r = await group('update', `--app-id=${APP}`, '--group-id=fake1', '--label=Renamed');
    expect(server.requests[1]!.json).toEqual({ appId: APP, channelId: 'master', id: 'fake1', label: 'Renamed' });
    expect(r.stdout).toMatch(/^Label\tApp\t+Channel\tId\tUpdates Paused\tPercent\tRollout Active\n/);
  });

  it('sets a 1.4.0 rate limit and prints the 1.4.0 table with its blank line (seed 000)', async () => {
    await servePatchable({ ...LEGACY_FAKE1, label: 'Fake Clients', updateCount: 0, updateInterval: 0, updatePooling: false });
    const r = await group('update', `--app-id=${APP}`, '--group-id=fake1', '--channel=master', '--update-count=2', '--update-interval=60');
    expect(server.requests[1]!.json).toEqual({
      appId: APP, channelId: 'master', id: 'fake1', label: 'Fake Clients', updateCount: 2, updateInterval: 60, updatePooling: true,
    });
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: 'Label\tApp\tChannel\tId\tPaused\tCount\tInterval\n\n' + `Fake Clients\t${APP}\tmaster\tfake1\tfalse\t2\t60\n`,
    });
  });

  it('turns pooling off when the rate limit is set to 0/0, sending the zeros explicitly', async () => {
    await serve({
      [`GET ${ONE_GROUP}`]: { body: LEGACY_FAKE1 },
      [`PATCH ${ONE_GROUP}`]: { body: { ...LEGACY_FAKE1, updateCount: 0, updateInterval: 0, updatePooling: false } },
    });
    const r = await group('update', `--app-id=${APP}`, '--group-id=fake1', '--update-count=0', '--update-interval=0');
    expect(server.requests[1]!.json).toEqual({
      appId: APP, channelId: 'master', id: 'fake1', label: 'Fake Group 1', updateCount: 0, updateInterval: 0, updatePooling: false,
    });
    expect(r.stdout).toBe('Label\tApp\tChannel\tId\tPaused\tCount\tInterval\n\n' + `Fake Group 1\t${APP}\tmaster\tfake1\tfalse\t0\t0\n`);
  });

  it('derives pooling from the fetched count when only the interval is given', async () => {
    await servePatchable({ ...LEGACY_FAKE1, updateCount: 0, updateInterval: 0, updatePooling: false });
    await group('update', `--app-id=${APP}`, '--group-id=fake1', '--update-interval=60');
    expect(server.requests[1]!.json).toMatchObject({ updateCount: 0, updateInterval: 60, updatePooling: true });
  });

  it('treats -1 as "not given" for the rate-limit flags', async () => {
    await servePatchable(LEGACY_FAKE1);
    const r = await group('update', `--app-id=${APP}`, '--group-id=fake1', '--update-count=-1');
    expect(server.requests[1]!.json).toEqual({ appId: APP, channelId: 'master', id: 'fake1', label: 'Fake Group 1' });
    expect(r.stdout).toContain('Updates Paused');
  });

  it('stops after a failed GET', async () => {
    await serve({
      [`GET ${ONE_GROUP}`]: { status: 404, body: { error: { code: 404, message: 'app not found', errors: [{ reason: 'notFound', message: 'app not found' }] } } },
    });
    const r = await group('update', `--app-id=${APP}`, '--group-id=fake1', '--label=x');
    expect(r.code).toBe(1);
    expect(maskStamps(r.stderr)).toBe('TS googleapi: Error 404: app not found, notFound\n');
    expect(server.requests).toHaveLength(1);
  });

  it('lists the rate-limit flags in its usage', async () => {
    const r = await runCli(['group', 'update', '--help']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('\t--update-count=-1\t');
    expect(r.stdout).toContain('\t--update-interval=-1\t');
    expect(r.stdout).toContain('\t--oem-blacklist=\t');
  });
});

describe('group pause and unpause', () => {
  it('pauses: GET, then PATCH with updatesPaused true', async () => {
    await servePatchable(FAKE1);
    const r = await group('pause', `--app-id=${APP}`, '--group-id=fake1');
    expect(server.requests.map((q) => q.method)).toEqual(['GET', 'PATCH']);
    expect(server.requests[1]!.json).toEqual({ appId: APP, channelId: 'master', id: 'fake1', label: 'Fake Group 1', updatePercent: 50, updatesPaused: true });
    expect(r.stdout).toBe(HEADER + `Fake Group 1\t${APP}\tmaster\tfake1\ttrue\t\t50\tfalse\n`);
  });

  it('unpauses with an explicit updatesPaused false', async () => {
    await servePatchable({ ...FAKE1, updatesPaused: true });
    const r = await group('unpause', `--app-id=${APP}`, '--group-id=fake1');
    expect(server.requests[1]!.json).toEqual({ appId: APP, channelId: 'master', id: 'fake1', label: 'Fake Group 1', updatePercent: 50, updatesPaused: false });
    expect(r).toEqual({ code: 0, stderr: '', stdout: HEADER + FAKE1_ROW });
  });

  it('needs --group-id', async () => {
    expect((await runCli(['group', 'pause', `--app-id=${APP}`])).code).toBe(2);
  });
});

describe('group events and versions', () => {
  const rollup = {
    items: [
      { version: '1.1.0', type: '3', result: '1', values: [{ timestamp: '1399050000', count: '12' }, { timestamp: '1399050060', count: '14' }] },
      { version: '1.0.0', type: '3', result: '2', values: [{ timestamp: '1399050000', count: '3' }] },
    ],
  };

  it('events: one row per value, window 0/0 and resolution 60 by default', async () => {
    await serve({ [`GET ${ONE_GROUP}/requests/events/.*`]: { body: rollup } });
    const r = await group('events', `--app-id=${APP}`, '--group-id=fake1');
    expect(server.requests[0]!.path).toBe(`${GROUPS}/fake1/requests/events/0/0`);
    expect(server.requests[0]!.query.toString()).toBe('alt=json&resolution=60');
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'Version\tType\tResult\tTimestamp\tCount\n' +
        '1.1.0\t3\t1\t1399050000\t12\n' +
        '1.1.0\t3\t1\t1399050060\t14\n' +
        '1.0.0\t3\t2\t1399050000\t3\n',
    });
  });

  it('versions: passes the window and resolution', async () => {
    await serve({ [`GET ${ONE_GROUP}/requests/versions/.*`]: { body: rollup } });
    const r = await group('versions', `--app-id=${APP}`, '--group-id=fake1', '--resolution=86400', '--start=1399000000', '--end=1399100000');
    expect(server.requests[0]!.path).toBe(`${GROUPS}/fake1/requests/versions/1399000000/1399100000`);
    expect(server.requests[0]!.query.toString()).toBe('alt=json&resolution=86400');
    expect(r.stdout).toBe('Version\tTimestamp\tCount\n1.1.0\t1399050000\t12\n1.1.0\t1399050060\t14\n1.0.0\t1399050000\t3\n');
  });

  it('prints 0 for missing timestamps and counts', async () => {
    await serve({ [`GET ${ONE_GROUP}/requests/versions/.*`]: { body: { items: [{ version: '1.0.0', values: [{}] }] } } });
    expect((await group('versions', `--app-id=${APP}`, '--group-id=fake1')).stdout).toBe('Version\tTimestamp\tCount\n1.0.0\t0\t\t0\n');
  });

  it('rejects a non-numeric window', async () => {
    const r = await runCli(['group', 'events', `--app-id=${APP}`, '--group-id=fake1', '--start=yesterday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('invalid value "yesterday" for flag -start: parse error\n');
  });
});

describe('group percent', () => {
  it('posts the percentage and prints it as %f', async () => {
    await serve({ [`POST ${ONE_GROUP}`]: { body: { appId: APP, id: 'fake1', updatePercent: 12.5 } } });
    const r = await group('percent', `--app-id=${APP}`, '--group-id=fake1', '--update-percent=12.5');
    expect(server.requests[0]!.method).toBe('POST');
    expect(server.requests[0]!.path).toBe(`${GROUPS}/fake1`);
    expect(server.requests[0]!.json).toEqual({ appId: APP, id: 'fake1', updatePercent: 12.5 });
    expect(r).toEqual({ code: 0, stderr: '', stdout: 'update percent set to 12.500000\n' });
  });

  it('sends 0 explicitly and prints 0.000000 when the reply has no percentage', async () => {
    await serve({ [`POST ${ONE_GROUP}`]: { body: { appId: APP, id: 'fake1' } } });
    const r = await group('percent', `--app-id=${APP}`, '--group-id=fake1', '--update-percent=0');
    expect(server.requests[0]!.json).toEqual({ appId: APP, id: 'fake1', updatePercent: 0 });
    expect(r.stdout).toBe('update percent set to 0.000000\n');
  });

  it('needs --update-percent', async () => {
    await serve({});
    const r = await group('percent', `--app-id=${APP}`, '--group-id=fake1');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('\t--update-percent=-1\t');
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a percentage that is not a number', async () => {
    const r = await runCli(['group', 'percent', `--app-id=${APP}`, '--group-id=fake1', '--update-percent=half']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('invalid value "half" for flag -update-percent: parse error\n');
  });
});

describe('group family usage', () => {
  it('lists the subcommands in the original order, exit 2 without one', async () => {
    for (const argv of [['group'], ['group', '--help'], ['group', 'bogus']]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      const commands = [...r.stdout.matchAll(/^\t(group \w+)\t/gm)].map((m) => m[1]);
      expect(commands).toEqual(['group list', 'group create', 'group delete', 'group update', 'group pause', 'group unpause', 'group events', 'group versions', 'group percent']);
      expect(r.stdout).toContain('USAGE:\n\tupdateservicectl group \n');
    }
  });

  it('help group prints the same and exits 0', async () => {
    const r = await runCli(['help', 'group']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAME:\n\tgroup - /);
  });
});

describe('helpers', () => {
  it('groupPatch keeps known non-zero fields plus every changed one', () => {
    const fetched = { ...FAKE1, dateCreated: 'x', updatesPaused: true } as never;
    expect(groupPatch(fetched, { updatesPaused: false })).toEqual({
      appId: APP, channelId: 'master', id: 'fake1', label: 'Fake Group 1', updatePercent: 50, updatesPaused: false,
    });
  });

  it('withoutZeroFields drops empty values except the kept ones', () => {
    expect(withoutZeroFields({ a: '', b: 0, c: false, d: 'x', e: 1 }, ['c'])).toEqual({ c: false, d: 'x', e: 1 });
  });

  it('goInt64 prints int64 strings as %d', () => {
    expect(goInt64('1399050000')).toBe('1399050000');
    expect(goInt64('0012')).toBe('12');
    expect(goInt64(undefined)).toBe('0');
    expect(goInt64('9223372036854775807')).toBe('9223372036854775807');
  });
});
