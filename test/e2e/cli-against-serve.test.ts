// The whole v1 API through our own CLI against a real `serve` (issue #3, item 6):
// users and Hawk, apps, channels, groups, rollouts, instance queries, the
// database commands and help, with exact output and exit codes, and the
// server's state read back after each change. Packages, payloads and
// upstreams are in cli-packages-upstreams.test.ts.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { maskStamps, runCli } from '../helpers/run-cli.js';
import {
  adminCli,
  APP_ID,
  cliAs,
  closedPort,
  describeEngines,
  expectFailure,
  expectOk,
  startTestServer,
  table,
  type Cli,
  type TestServer,
} from './helpers.js';

type Cell = string | number | boolean;
// The tables, with a header line even for an empty list (widths: see table()).
const apps = (...rows: Cell[][]) => table([['Id', 'Label', 'Description'], ...rows]);
const channels = (...rows: Cell[][]) => table([['Label', 'Version', 'Publish', 'Upstream'], ...rows]);
const groups = (...rows: Cell[][]) => table([['Label', 'App', 'Channel', 'Id', 'Updates Paused', 'Percent', 'Rollout Active'], ...rows]);
const legacyGroup = (row: Cell[]) => 'Label\tApp\tChannel\tId\tPaused\tCount\tInterval\n\n' + table([row]);

describeEngines('e2e: users, Hawk and errors through the CLI', (engine) => {
  let t: TestServer;
  let cli: Cli;
  beforeAll(async () => {
    t = await startTestServer(engine);
    cli = adminCli(t);
  });
  afterAll(async () => t?.close());

  it('admin-user create/list/delete; the new key works, the deleted one is refused', async () => {
    const created = await cli('admin-user', 'create', 'bob');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^[A-Za-z0-9_-]{16,}\n$/);
    const bobKey = created.stdout.trim();

    expectOk(await cli('admin-user', 'list'), 'admin\nbob\n');
    expectFailure(await cli('admin-user', 'create', 'bob'), 'googleapi: Error 409: user already exists, conflict');

    const bob = cliAs(t.url, 'bob', bobKey);
    expectOk(await bob('app', 'list'), apps());
    // bob is a full admin: he can manage users too
    expectOk(await bob('admin-user', 'list'), 'admin\nbob\n');

    expectOk(await cli('admin-user', 'delete', 'bob'), 'User bob deleted\n');
    expectOk(await cli('admin-user', 'list'), 'admin\n');
    // an unknown id reads as a bad MAC: the reply does not tell which users exist
    expectFailure(await bob('app', 'list'), 'googleapi: Error 401: invalid Hawk credentials: bad mac, authError');

    expectFailure(await cli('admin-user', 'delete', 'nobody'), 'googleapi: Error 404: user not found, notFound');
    // the last admin cannot be deleted
    expectFailure(await cli('admin-user', 'delete', 'admin'), 'googleapi: Error 409: cannot delete the last admin, conflict');
    expectOk(await cli('admin-user', 'list'), 'admin\n');
  });

  it('Hawk rejections: a wrong key, an unknown user, a key for another user: 401, exit 1, nothing changes', async () => {
    const wrongKey = await cliAs(t.url, 'admin', `${t.key}x`)('app', 'create', `--app-id=${APP_ID}`, '--label=Evil');
    expectFailure(wrongKey, 'googleapi: Error 401: invalid Hawk credentials: bad mac, authError');
    expectFailure(await cliAs(t.url, 'mallory', t.key)('app', 'list'), 'googleapi: Error 401: invalid Hawk credentials: bad mac, authError');
    // no --user/--key: the CLI still signs (with empty id and key), the server refuses
    expectFailure(
      await runCli([`--server=${t.url}`, 'app', 'list']),
      'googleapi: Error 401: invalid Hawk header: id, ts, nonce and mac are required, authError',
    );
    // the plain-path commands are signed and checked too
    const backup = await cliAs(t.url, 'admin', 'wrong')('database', 'backup', path.join(tmpdir(), 'never-written.db'));
    expect(backup.code).toBe(1);
    expect(maskStamps(backup.stderr)).toMatch(/^TS \{"error":\{"code":401,"message":"invalid Hawk credentials: bad mac",.*\}\n$/);
    // nothing was created
    expectOk(await cli('app', 'list'), apps());
  });

  it('a server that is not there: the connection-refused line, exit 1', async () => {
    const port = await closedPort();
    const r = await cliAs(`http://127.0.0.1:${port}`, 'admin', t.key)('app', 'list');
    expectFailure(r, `Get "http://127.0.0.1:${port}/_ah/api/update/v1/apps?alt=json": dial tcp 127.0.0.1:${port}: connect: connection refused`);
  });

  it('404s, 409s and validation errors come back as googleapi lines', async () => {
    expectFailure(await cli('channel', 'list', '--app-id=missing'), 'googleapi: Error 404: app not found, notFound');
    expectFailure(await cli('group', 'list', '--app-id=missing'), 'googleapi: Error 404: app not found, notFound');
    expectFailure(await cli('app', 'delete', '--app-id=missing'), 'googleapi: Error 404: app not found, notFound');
    expectOk(await cli('app', 'create', `--app-id=${APP_ID}`, '--label=CoreOS'), apps([APP_ID, 'CoreOS', '']));
    expectFailure(await cli('app', 'create', `--app-id=${APP_ID}`), 'googleapi: Error 409: app already exists, conflict');
    expectFailure(
      await cli('group', 'pause', `--app-id=${APP_ID}`, '--group-id=nope'),
      'googleapi: Error 404: group not found, notFound',
    );
    expectFailure(await cli('rollout', `--app-id=${APP_ID}`, '--group-id=nope'), 'googleapi: Error 404: group not found, notFound');

    expectFailure(
      await cli('channel', 'create', `--app-id=${APP_ID}`, '--channel=stable', '--version=bad..v'),
      'googleapi: Error 400: invalid version: "bad..v" is not a version like 1.2.3, invalid',
    );
    expectOk(await cli('channel', 'create', `--app-id=${APP_ID}`, '--channel=stable', '--version=1.0.0'), channels(['stable', '1.0.0', false, '']));
    expectFailure(
      await cli('channel', 'update', `--app-id=${APP_ID}`, '--channel=stable', '--version=bad..v'),
      'googleapi: Error 400: invalid version: "bad..v" is not a version like 1.2.3, invalid',
    );
    expectFailure(
      await cli('channel', 'create', `--app-id=${APP_ID}`, '--channel=stable', '--version=1.0.0'),
      'googleapi: Error 409: channel already exists, conflict',
    );
    expectFailure(
      await cli('app', 'create', '--app-id=bad/id', '--label=x'),
      'googleapi: Error 400: invalid id: must not contain "/", control characters or surrounding spaces, invalid',
    );
    expect((await cli('group', 'create', `--app-id=${APP_ID}`, '--group-id=g', '--channel=stable')).code).toBe(0);
    expectFailure(
      await cli('group', 'percent', `--app-id=${APP_ID}`, '--group-id=g', '--update-percent=150'),
      'googleapi: Error 400: invalid updatePercent: must be between 0 and 100, invalid',
    );
    expectFailure(await cli('upstream', 'create', '--url=ftp://x'), 'googleapi: Error 400: invalid url: must be an absolute http(s) URL, invalid');
    expectFailure(
      await cli('group', 'events', `--app-id=${APP_ID}`, '--group-id=g', '--resolution=7'),
      'googleapi: Error 400: invalid resolution: must be between 60 and 2678400 seconds (60, 3600, 86400), invalid',
    );
    expectFailure(
      await cli('group', 'versions', `--app-id=${APP_ID}`, '--group-id=g', '--start=100', '--end=50'),
      'googleapi: Error 400: invalid dateStart: after dateEnd, invalid',
    );
    expectFailure(await cli('group', 'percent', `--app-id=${APP_ID}`, '--group-id=nope', '--update-percent=5'), 'googleapi: Error 404: group not found, notFound');
    expectFailure(await cli('rollout', 'activate', `--app-id=${APP_ID}`, '--group-id=nope'), 'googleapi: Error 404: group not found, notFound');
    // a UUID app id matches in any case and with braces (as Omaha clients send it)
    expectFailure(await cli('app', 'create', `--app-id={${APP_ID.toUpperCase()}}`), 'googleapi: Error 409: app already exists, conflict');
    expectOk(await cli('channel', 'list', `--app-id=${APP_ID.toUpperCase()}`), channels(['stable', '1.0.0', false, '']));
    // nothing changed
    expectOk(await cli('channel', 'list', `--app-id=${APP_ID}`), channels(['stable', '1.0.0', false, '']));
    expectOk(await cli('app', 'list'), apps([APP_ID, 'CoreOS', '']));
    expect((await t.client.getGroup(APP_ID, 'g')).updatePercent).toBe(100);
  });
});

describeEngines('e2e: apps, channels, groups, rollouts, instances, database, help through the CLI', (engine) => {
  let t: TestServer;
  let cli: Cli;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'us-e2e-'));
    t = await startTestServer(engine);
    cli = adminCli(t, work);
  });
  afterAll(async () => {
    await t?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('app create/list/update/delete', async () => {
    expectOk(await cli('app', 'list'), apps());
    const created = await cli('app', 'create', `--app-id=${APP_ID}`, '--label=CoreOS', '--description=Linux for Servers');
    // spelled out once; the other tables are computed with table()
    expectOk(created, `Id\t\t\t\t\tLabel\tDescription\n${APP_ID}\tCoreOS\tLinux for Servers\n`);
    expect(apps([APP_ID, 'CoreOS', 'Linux for Servers'])).toBe(created.stdout);
    // without --app-id a UUID is generated
    const generated = await cli('app', 'create', '--label=Scratch');
    expect(generated).toMatchObject({ code: 0, stderr: '' });
    const m = /^Id\t\t\t\t\tLabel\tDescription\n([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\tScratch\t\n$/.exec(generated.stdout);
    expect(m, generated.stdout).not.toBeNull();
    const scratch = m![1]!;
    // creation order (ties, within a millisecond, by id)
    const coreos = [APP_ID, 'CoreOS', 'Linux for Servers'];
    const listed = await cli('app', 'list');
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect([apps(coreos, [scratch, 'Scratch', '']), apps([scratch, 'Scratch', ''], coreos)]).toContain(listed.stdout);

    expectOk(
      await cli('app', 'update', `--app-id=${scratch}`, '--label=Renamed', '--description=Now with a description'),
      apps([scratch, 'Renamed', 'Now with a description']),
    );
    expectOk(await cli('app', 'delete', `--app-id=${scratch}`), apps([scratch, 'Renamed', 'Now with a description']));
    expectOk(await cli('app', 'list'), apps([APP_ID, 'CoreOS', 'Linux for Servers']));
    // PATCH creates a missing app (0.x update-app walkthroughs): the server's decision
    expectOk(await cli('app', 'update', '--app-id=made-by-update', '--label=L', '--description=D'), apps(['made-by-update', 'L', 'D']));
    expectOk(await cli('app', 'delete', '--app-id=made-by-update'), apps(['made-by-update', 'L', 'D']));
    // usage errors never reach the server
    const usage = await cli('app', 'update', `--app-id=${APP_ID}`);
    expect(usage.code).toBe(2);
    expect(usage.stdout).toContain('USAGE:\n\tupdateservicectl app update [OPTION]...');
  });

  it('channel create/list/update (publish)/delete', async () => {
    expectOk(await cli('channel', 'list', `--app-id=${APP_ID}`), channels());
    expectOk(
      await cli('channel', 'create', `--app-id=${APP_ID}`, '--channel=stable', '--version=1.0.0', '--publish'),
      channels(['stable', '1.0.0', true, '']),
    );
    expectOk(await cli('channel', 'create', `--app-id=${APP_ID}`, '--channel=testing', '--version=1.1.0'), channels(['testing', '1.1.0', false, '']));
    // listed in creation order
    expectOk(await cli('channel', 'list', `--app-id=${APP_ID}`), channels(['stable', '1.0.0', true, ''], ['testing', '1.1.0', false, '']));
    // update publishes with --publish, unpublishes without it
    expectOk(
      await cli('channel', 'update', `--app-id=${APP_ID}`, '--channel=testing', '--version=1.2.0', '--publish'),
      channels(['testing', '1.2.0', true, '']),
    );
    expectOk(await cli('channel', 'update', `--app-id=${APP_ID}`, '--channel=stable', '--version=1.1.0'), channels(['stable', '1.1.0', false, '']));
    expectOk(await cli('channel', 'list', `--app-id=${APP_ID}`), channels(['stable', '1.1.0', false, ''], ['testing', '1.2.0', true, '']));
    // --publish=true / --publish=false (a bool flag never takes the next word)
    expectOk(
      await cli('channel', 'update', `--app-id=${APP_ID}`, '--channel=stable', '--version=1.1.0', '--publish=true'),
      channels(['stable', '1.1.0', true, '']),
    );
    expectOk(await cli('channel', 'create', `--app-id=${APP_ID}`, '--channel=scratch', '--version=0.1.0'), channels(['scratch', '0.1.0', false, '']));
    expectOk(await cli('channel', 'delete', `--app-id=${APP_ID}`, '--channel=scratch'), `deleted channel: scratch, for application: ${APP_ID}\n`);
    expectFailure(await cli('channel', 'delete', `--app-id=${APP_ID}`, '--channel=scratch'), 'googleapi: Error 404: channel not found, notFound');
    expectOk(await cli('channel', 'list', `--app-id=${APP_ID}`), channels(['stable', '1.1.0', true, ''], ['testing', '1.2.0', true, '']));
  });

  it('group create/list/update (label, channel, oem-blacklist)/pause/unpause/percent', async () => {
    expectOk(await cli('group', 'list', `--app-id=${APP_ID}`), groups());
    // a new group's updatePercent defaults to 100
    expectOk(
      await cli('group', 'create', `--app-id=${APP_ID}`, '--group-id=prod', '--channel=stable', '--label=Production'),
      groups(['Production', APP_ID, 'stable', 'prod', false, 100, false]),
    );
    expectOk(
      await cli('group', 'create', `--app-id=${APP_ID}`, '--group-id=qa', '--channel=testing'),
      groups(['', APP_ID, 'testing', 'qa', false, 100, false]),
    );
    expectFailure(
      await cli('group', 'create', `--app-id=${APP_ID}`, '--group-id=prod', '--channel=stable'),
      'googleapi: Error 409: group already exists, conflict',
    );
    expectOk(
      await cli('group', 'list', `--app-id=${APP_ID}`),
      groups(['Production', APP_ID, 'stable', 'prod', false, 100, false], ['', APP_ID, 'testing', 'qa', false, 100, false]),
    );

    expectOk(
      await cli('group', 'update', `--app-id=${APP_ID}`, '--group-id=prod', '--label=Prod', '--channel=testing', '--oem-blacklist=ami,gce'),
      groups(['Prod', APP_ID, 'testing', 'prod', false, 100, false]),
    );
    // the blacklist has no column: read it back from the API
    expect(await t.client.getGroup(APP_ID, 'prod')).toMatchObject({ label: 'Prod', channelId: 'testing', oemBlacklist: 'ami,gce' });
    // a channel in use by a group cannot be deleted
    expectFailure(await cli('channel', 'delete', `--app-id=${APP_ID}`, '--channel=testing'), 'googleapi: Error 409: channel is used by group prod, qa, conflict');
    // flags not given keep their values
    expectOk(
      await cli('group', 'update', `--app-id=${APP_ID}`, '--group-id=prod', '--channel=stable'),
      groups(['Prod', APP_ID, 'stable', 'prod', false, 100, false]),
    );
    expect(await t.client.getGroup(APP_ID, 'prod')).toMatchObject({ label: 'Prod', channelId: 'stable', oemBlacklist: 'ami,gce' });

    expectOk(
      await cli('group', 'percent', `--app-id=${APP_ID}`, '--group-id=prod', '--update-percent=33.333333333333336'),
      'update percent set to 33.333333\n',
    );
    expectOk(await cli('group', 'pause', `--app-id=${APP_ID}`, '--group-id=prod'), groups(['Prod', APP_ID, 'stable', 'prod', true, '33.333333333333336', false]));
    expectOk(
      await cli('group', 'list', `--app-id=${APP_ID}`),
      groups(['Prod', APP_ID, 'stable', 'prod', true, '33.333333333333336', false], ['', APP_ID, 'testing', 'qa', false, 100, false]),
    );
    expectOk(
      await cli('group', 'unpause', `--app-id=${APP_ID}`, '--group-id=prod'),
      groups(['Prod', APP_ID, 'stable', 'prod', false, '33.333333333333336', false]),
    );
    expectOk(await cli('group', 'percent', `--app-id=${APP_ID}`, '--group-id=prod', '--update-percent=0'), 'update percent set to 0.000000\n');
    expectOk(await cli('group', 'percent', `--app-id=${APP_ID}`, '--group-id=prod', '--update-percent=12.5'), 'update percent set to 12.500000\n');
    // pause/unpause and update PATCH the whole group back: nothing else is lost
    expect(await t.client.getGroup(APP_ID, 'prod')).toMatchObject({
      label: 'Prod',
      channelId: 'stable',
      oemBlacklist: 'ami,gce',
      updatesPaused: false,
      updatePercent: 12.5,
    });
  });

  it('group update --update-count/--update-interval prints the 1.4.0 table', async () => {
    expectOk(
      await cli('group', 'update', `--app-id=${APP_ID}`, '--group-id=prod', '--update-count=5', '--update-interval=60'),
      `Label\tApp\tChannel\tId\tPaused\tCount\tInterval\n\nProd\t${APP_ID}\tstable\tprod\tfalse\t5\t60\n`,
    );
    expect(await t.client.getGroup(APP_ID, 'prod')).toMatchObject({ updateCount: 5, updateInterval: 60, updatePooling: true, updatePercent: 12.5 });
    // one of the two keeps the other's value
    expectOk(
      await cli('group', 'update', `--app-id=${APP_ID}`, '--group-id=prod', '--update-interval=3600'),
      legacyGroup(['Prod', APP_ID, 'stable', 'prod', false, 5, 3600]),
    );
    // the 2.1.0 commands keep the 1.4.0 fields (absent 1.4.0 fields keep theirs)
    await cli('group', 'pause', `--app-id=${APP_ID}`, '--group-id=prod');
    expect(await t.client.getGroup(APP_ID, 'prod')).toMatchObject({ updatesPaused: true, updateCount: 5, updateInterval: 3600 });
    await cli('group', 'unpause', `--app-id=${APP_ID}`, '--group-id=prod');
    expectOk(
      await cli('group', 'update', `--app-id=${APP_ID}`, '--group-id=prod', '--update-count=0', '--update-interval=0'),
      legacyGroup(['Prod', APP_ID, 'stable', 'prod', false, 0, 0]),
    );
    expect(await t.client.getGroup(APP_ID, 'prod')).toMatchObject({ updateCount: 0, updateInterval: 0, updatePooling: false });
  });

  it('group events and versions: header only while no client has reported', async () => {
    expectOk(await cli('group', 'events', `--app-id=${APP_ID}`, '--group-id=prod'), 'Version\tType\tResult\tTimestamp\tCount\n');
    expectOk(await cli('group', 'versions', `--app-id=${APP_ID}`, '--group-id=prod', '--resolution=3600'), 'Version\tTimestamp\tCount\n');
    expectFailure(await cli('group', 'events', `--app-id=${APP_ID}`, '--group-id=nope'), 'googleapi: Error 404: group not found, notFound');
  });

  it('rollout create linear/show/activate/deactivate', async () => {
    expectOk(await cli('rollout', `--app-id=${APP_ID}`, '--group-id=prod'), 'rollout:\n');
    expectOk(
      await cli('rollout', 'create', 'linear', `--app-id=${APP_ID}`, '--group-id=prod', '--frame-size=3600', '--duration=10800'),
      'rollout set\n',
    );
    expectOk(
      await cli('rollout', `--app-id=${APP_ID}`, '--group-id=prod'),
      'rollout:\n' +
        'Frame 0:\tPercent:\t33.333333\n\t\tDuration:\t3600\n' +
        'Frame 1:\tPercent:\t66.666667\n\t\tDuration:\t3600\n' +
        'Frame 2:\tPercent:\t100.000000\n\t\tDuration:\t3600\n' +
        'Frame 3:\tPercent:\t100.000000\n\t\tDuration:\t0\n',
    );
    const frames = (await t.client.getRollout(APP_ID, 'prod')).rollout!;
    expect(frames.map((f) => [f.percent, String(f.duration ?? '0')])).toEqual([
      [33.333333333333336, '3600'],
      [66.66666666666667, '3600'],
      [100, '3600'],
      [100, '0'],
    ]);
    expectOk(await cli('rollout', 'activate', `--app-id=${APP_ID}`, '--group-id=prod'), 'rollout activated\n');
    expectOk(
      await cli('group', 'list', `--app-id=${APP_ID}`),
      groups(['Prod', APP_ID, 'stable', 'prod', false, 12.5, true], ['', APP_ID, 'testing', 'qa', false, 100, false]),
    );
    expectOk(await cli('rollout', 'deactivate', `--app-id=${APP_ID}`, '--group-id=prod'), 'rollout deactivated\n');
    expect(await t.client.getGroup(APP_ID, 'prod')).toMatchObject({ rolloutActive: false });
    // a new rollout replaces the old one
    expectOk(await cli('rollout', 'create', 'linear', `--app-id=${APP_ID}`, '--group-id=prod', '--frame-size=60', '--duration=60'), 'rollout set\n');
    expectOk(
      await cli('rollout', `--app-id=${APP_ID}`, '--group-id=prod'),
      'rollout:\nFrame 0:\tPercent:\t100.000000\n\t\tDuration:\t60\nFrame 1:\tPercent:\t100.000000\n\t\tDuration:\t0\n',
    );
  });

  it('group delete', async () => {
    expectOk(
      await cli('group', 'delete', `--app-id=${APP_ID}`, '--group-id=qa'),
      groups(['', APP_ID, 'testing', 'qa', false, 100, false]),
    );
    expectFailure(await cli('group', 'delete', `--app-id=${APP_ID}`, '--group-id=qa'), 'googleapi: Error 404: group not found, notFound');
    expectOk(await cli('group', 'list', `--app-id=${APP_ID}`), groups(['Prod', APP_ID, 'stable', 'prod', false, 12.5, false]));
    // the channel the deleted group used can go now
    expectOk(await cli('channel', 'delete', `--app-id=${APP_ID}`, '--channel=testing'), `deleted channel: testing, for application: ${APP_ID}\n`);
  });

  it('instance list-updates / list-app-versions: header only before any client reported', async () => {
    expectOk(await cli('instance', 'list-updates'), 'AppID\tClientID\tVersion\tLastSeen\tGroup\tOEM\n');
    expectOk(await cli('instance', 'list-updates', `--app-id=${APP_ID}`, '--group-id=prod', '--start=1', '--end=2000000000'), 'AppID\tClientID\tVersion\tLastSeen\tGroup\tOEM\n');
    expectOk(await cli('instance', 'list-app-versions'), 'AppID\tGroupID\tVersion\tClients\n');
    expectOk(await cli('instance', 'list-app-versions', `--app-id=${APP_ID}`, '--group-id=prod'), 'AppID\tGroupID\tVersion\tClients\n');
  });

  it('database backup to a file; database init answers 409 once users exist', async () => {
    expectOk(await cli('database', 'backup', 'backup.db'), '');
    const file = path.join(work, 'backup.db');
    expect((await stat(file)).size).toBeGreaterThan(0);
    if (engine === 'sqlite') {
      const snap = new BetterSqlite3(file, { readonly: true });
      try {
        expect(snap.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(snap.prepare('select id, label, description from apps').all()).toEqual([
          { id: APP_ID, label: 'CoreOS', description: 'Linux for Servers' },
        ]);
        expect(snap.prepare('select id from groups order by id').all()).toEqual([{ id: 'prod' }]);
      } finally {
        snap.close();
      }
    } else {
      const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { table?: string; row?: Record<string, unknown> });
      expect(lines.filter((l) => l.table === 'apps').map((l) => l.row)).toEqual([
        expect.objectContaining({ id: APP_ID, label: 'CoreOS', description: 'Linux for Servers' }),
      ]);
    }
    // a file that cannot be written: a local file error, exit 1, no partial file
    expectFailure(await cli('database', 'backup', 'no-such-dir/backup.db'), 'open no-such-dir/backup.db: no such file or directory');

    const init = await cli('database', 'init');
    expect(init).toEqual({ code: 1, stdout: 'already initialized\n', stderr: '' });
    expectOk(await cli('admin-user', 'list'), 'admin\n');
  });

  it('help for every family (and help itself) exits 0 with the original layout', async () => {
    const families = ['admin-user', 'app', 'channel', 'database', 'group', 'instance', 'package', 'rollout', 'upstream', 'watch', 'serve', 'help'];
    for (const family of families) {
      const r = await runCli(['help', family]);
      expect({ family, code: r.code, stderr: r.stderr }).toEqual({ family, code: 0, stderr: '' });
      expect(r.stdout, family).toMatch(new RegExp(`^NAME:\\n\\t${family} - .+\\n\\nUSAGE:\\n\\tupdateservicectl ${family}`));
      if (!['help', 'watch', 'serve'].includes(family)) expect(r.stdout, family).toContain(`COMMANDS:\n\t${family} `);
    }
    const top = await runCli(['help']);
    expect(top.code).toBe(0);
    for (const family of families) expect(top.stdout).toMatch(new RegExp(`\\n\\t${family}\\t+\\S`));
    const sub = await runCli(['help', 'group']);
    expect(sub.stdout).toContain('\tgroup percent\t');
  });
});
