// `--output=text|json|table` (and UPDATECTL_OUTPUT) for every command that
// prints a table or an object, against the recording server: text is the
// original's bytes, JSON the API's objects, table the same columns boxed.
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { tabulate } from '../../src/cli/tabwriter.js';
import { startRecordingServer, type RecordingServer, type Routes } from '../helpers/recording-server.js';
import { asAdmin, maskStamps, runCli, type CliResult } from '../helpers/run-cli.js';

const APP_ID = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
const B = '/_ah/api/update/v1';
const A = `${B}/apps/${APP_ID}`;
const SHA1 = 'm4eqJIl18nb4SPWQVCdVCLTwAxE=';

const APP = { id: APP_ID, label: 'CoreOS', description: 'Linux for Massively Parallel Deployments' };
const CHANNEL = { appId: APP_ID, label: 'stable', version: '1.1.0', publish: true, upstream: '', dateCreated: '2014-05-02T17:15:06Z' };
const GROUP = {
  appId: APP_ID,
  channelId: 'stable',
  id: 'prod',
  label: 'Production',
  oemBlacklist: '',
  updatePercent: 12.5,
  updatesPaused: false,
  rolloutActive: true,
  updateCount: 3,
  updateInterval: 60,
  updatePooling: true,
};
const PKG = { appId: APP_ID, version: '1.1.0', url: 'https://example.com/update.gz', size: '1024', sha1Sum: SHA1, dateCreated: '2014-05-02T17:15:06Z' };
const CLIENT = { appId: APP_ID, clientId: 'c0ffee', version: '1.1.0', lastSeen: '2026-11-22T03:20:07Z', groupId: 'prod', oem: 'fakeclient', status: 'complete' };
const APP_VERSION = { appId: APP_ID, groupId: 'prod', version: '1.1.0', count: 10 };
const UPSTREAM = { id: 'u1', url: 'https://up.example.com', label: 'Mirror' };
const EVENTS = { items: [{ version: '1.1.0', type: '3', result: '1', values: [{ timestamp: '1795318200', count: '4' }] }] };
const VERSIONS = { items: [{ version: '1.1.0', values: [{ timestamp: '1795318200', count: '7' }] }] };
const ROLLOUT = { appId: APP_ID, groupId: 'prod', rollout: [{ percent: 50, duration: '3600' }, { percent: 100 }] };

/** Lines of cells as the original printed them: tab-separated, aligned by the tabwriter. */
const tabbed = (...rows: (string | number | boolean)[][]) => tabulate(rows.map((r) => r.join('\t') + '\n').join(''));

interface Case {
  name: string;
  argv: string[];
  routes: Routes;
  /** The text output: the original's bytes. */
  text: string;
  /** The JSON document. */
  json: unknown;
  /** The table's header and rows; absent for status lines, which every format but JSON prints as text. */
  table?: { headers: string[]; rows: string[][] };
  /** Text printed ahead of the table (the package JSON `package create` shows first). */
  preamble?: string;
}

const packagePreview = `{\n "sha1Sum": "${SHA1}",\n "size": "1024",\n "url": "https://example.com/update.gz"\n}\n`;
const APP_TABLE = { headers: ['Id', 'Label', 'Description'], rows: [[APP_ID, 'CoreOS', APP.description]] };
const GROUP_HEADERS = ['Label', 'App', 'Channel', 'Id', 'Updates Paused', 'Percent', 'Rollout Active'];
const GROUP_ROW = ['Production', APP_ID, 'stable', 'prod', 'false', '12.5', 'true'];
const PKG_TABLE = { headers: ['Version', 'URL', 'Size'], rows: [['1.1.0', PKG.url, '1024']] };
const UPSTREAM_TABLE = { headers: ['Id', 'Url', 'Label'], rows: [['u1', UPSTREAM.url, 'Mirror']] };

const CASES: Case[] = [
  // ---- app
  {
    name: 'app list',
    argv: ['app', 'list'],
    routes: { [`GET ${B}/apps`]: { body: { items: [APP] } } },
    text: tabbed(['Id', 'Label', 'Description'], [APP_ID, 'CoreOS', APP.description]),
    json: [APP],
    table: APP_TABLE,
  },
  ...(['create', 'update', 'delete'] as const).map(
    (verb): Case => ({
      name: `app ${verb}`,
      argv: ['app', verb, `--app-id=${APP_ID}`, ...(verb === 'delete' ? [] : ['--label=CoreOS', `--description=${APP.description}`])],
      routes: { [`${{ create: 'POST', update: 'PATCH', delete: 'DELETE' }[verb]} ${B}/apps(/.*)?`]: { body: APP } },
      text: tabbed(['Id', 'Label', 'Description'], [APP_ID, 'CoreOS', APP.description]),
      json: APP,
      table: APP_TABLE,
    }),
  ),
  // ---- channel
  {
    name: 'channel list',
    argv: ['channel', 'list', `--app-id=${APP_ID}`],
    routes: { [`GET ${A}/channels`]: { body: { items: [CHANNEL] } } },
    text: tabbed(['Label', 'Version', 'Publish', 'Upstream'], ['stable', '1.1.0', true, '']),
    json: [CHANNEL],
    table: { headers: ['Label', 'Version', 'Publish', 'Upstream'], rows: [['stable', '1.1.0', 'true', '']] },
  },
  ...(['create', 'update'] as const).map(
    (verb): Case => ({
      name: `channel ${verb}`,
      argv: ['channel', verb, `--app-id=${APP_ID}`, '--channel=stable', '--version=1.1.0', '--publish'],
      routes: { [`${verb === 'create' ? 'POST' : 'PATCH'} ${A}/channels(/stable)?`]: { body: CHANNEL } },
      text: tabbed(['Label', 'Version', 'Publish', 'Upstream'], ['stable', '1.1.0', true, '']),
      json: CHANNEL,
      table: { headers: ['Label', 'Version', 'Publish', 'Upstream'], rows: [['stable', '1.1.0', 'true', '']] },
    }),
  ),
  {
    name: 'channel delete',
    argv: ['channel', 'delete', `--app-id=${APP_ID}`, '--channel=stable'],
    routes: { [`DELETE ${A}/channels/stable`]: { body: { appId: APP_ID, label: 'stable', version: '1.1.0', publish: true } } },
    text: `deleted channel: stable, for application: ${APP_ID}\n`,
    json: { appId: APP_ID, label: 'stable', version: '1.1.0', publish: true },
  },
  // ---- group
  {
    name: 'group list',
    argv: ['group', 'list', `--app-id=${APP_ID}`],
    routes: { [`GET ${A}/groups`]: { body: { items: [GROUP] } } },
    text: tabbed(GROUP_HEADERS, GROUP_ROW),
    json: [GROUP],
    table: { headers: GROUP_HEADERS, rows: [GROUP_ROW] },
  },
  {
    name: 'group create',
    argv: ['group', 'create', `--app-id=${APP_ID}`, '--group-id=prod', '--channel=stable', '--label=Production'],
    routes: { [`POST ${A}/groups`]: { body: GROUP } },
    text: tabbed(GROUP_HEADERS, GROUP_ROW),
    json: GROUP,
    table: { headers: GROUP_HEADERS, rows: [GROUP_ROW] },
  },
  {
    name: 'group delete',
    argv: ['group', 'delete', `--app-id=${APP_ID}`, '--group-id=prod'],
    routes: { [`DELETE ${A}/groups/prod`]: { body: GROUP } },
    text: tabbed(GROUP_HEADERS, GROUP_ROW),
    json: GROUP,
    table: { headers: GROUP_HEADERS, rows: [GROUP_ROW] },
  },
  {
    name: 'group pause',
    argv: ['group', 'pause', `--app-id=${APP_ID}`, '--group-id=prod'],
    routes: { [`GET ${A}/groups/prod`]: { body: GROUP }, [`PATCH ${A}/groups/prod`]: { body: { ...GROUP, updatesPaused: true } } },
    text: tabbed(GROUP_HEADERS, ['Production', APP_ID, 'stable', 'prod', 'true', '12.5', 'true']),
    json: { ...GROUP, updatesPaused: true },
    table: { headers: GROUP_HEADERS, rows: [['Production', APP_ID, 'stable', 'prod', 'true', '12.5', 'true']] },
  },
  {
    name: 'group update with the 1.4.0 rate-limit flags',
    argv: ['group', 'update', `--app-id=${APP_ID}`, '--group-id=prod', '--update-count=3', '--update-interval=60'],
    routes: { [`GET ${A}/groups/prod`]: { body: GROUP }, [`PATCH ${A}/groups/prod`]: { body: GROUP } },
    // the 1.4.0 header line carried an extra newline
    text: tabulate(`Label\tApp\tChannel\tId\tPaused\tCount\tInterval\n\nProduction\t${APP_ID}\tstable\tprod\tfalse\t3\t60\n`),
    json: GROUP,
    table: { headers: ['Label', 'App', 'Channel', 'Id', 'Paused', 'Count', 'Interval'], rows: [['Production', APP_ID, 'stable', 'prod', 'false', '3', '60']] },
  },
  {
    name: 'group events',
    argv: ['group', 'events', `--app-id=${APP_ID}`, '--group-id=prod'],
    routes: { [`GET ${A}/groups/prod/requests/events/0/0`]: { body: EVENTS } },
    text: tabbed(['Version', 'Type', 'Result', 'Timestamp', 'Count'], ['1.1.0', '3', '1', '1795318200', '4']),
    json: EVENTS.items,
    table: { headers: ['Version', 'Type', 'Result', 'Timestamp', 'Count'], rows: [['1.1.0', '3', '1', '1795318200', '4']] },
  },
  {
    name: 'group versions',
    argv: ['group', 'versions', `--app-id=${APP_ID}`, '--group-id=prod'],
    routes: { [`GET ${A}/groups/prod/requests/versions/0/0`]: { body: VERSIONS } },
    text: tabbed(['Version', 'Timestamp', 'Count'], ['1.1.0', '1795318200', '7']),
    json: VERSIONS.items,
    table: { headers: ['Version', 'Timestamp', 'Count'], rows: [['1.1.0', '1795318200', '7']] },
  },
  {
    name: 'group percent',
    argv: ['group', 'percent', `--app-id=${APP_ID}`, '--group-id=prod', '--update-percent=40'],
    routes: { [`POST ${A}/groups/prod`]: { body: { appId: APP_ID, id: 'prod', updatePercent: 40 } } },
    text: 'update percent set to 40.000000\n',
    json: { appId: APP_ID, id: 'prod', updatePercent: 40 },
  },
  // ---- package
  {
    name: 'package list',
    argv: ['package', 'list', `--app-id=${APP_ID}`],
    routes: { [`GET ${A}/packages`]: { body: { items: [PKG], total: 1 } } },
    text: tabbed(['Version', 'URL', 'Size'], ['1.1.0', PKG.url, '1024']),
    json: [PKG],
    table: PKG_TABLE,
  },
  {
    name: 'package delete',
    argv: ['package', 'delete', `--app-id=${APP_ID}`, '--version=1.1.0'],
    routes: { [`DELETE ${A}/packages/1.1.0`]: { body: PKG } },
    text: tabbed(['Version', 'URL', 'Size'], ['1.1.0', PKG.url, '1024']),
    json: PKG,
    table: PKG_TABLE,
  },
  {
    name: 'package create',
    argv: ['package', 'create', `--app-id=${APP_ID}`, '--version=1.1.0', `--url=${PKG.url}`, '--size=1024', `--sha1sum=${SHA1}`],
    routes: { [`POST ${A}/packages/1.1.0`]: { body: PKG } },
    text: packagePreview + tabbed(['Version', 'URL', 'Size'], ['1.1.0', PKG.url, '1024']),
    json: PKG,
    table: PKG_TABLE,
    preamble: packagePreview,
  },
  // ---- instance
  {
    name: 'instance list-updates',
    argv: ['instance', 'list-updates'],
    routes: { [`GET ${B}/clientupdates`]: { body: { items: [CLIENT] } } },
    text: tabbed(['AppID', 'ClientID', 'Version', 'LastSeen', 'Group', 'OEM'], [APP_ID, 'c0ffee', '1.1.0', CLIENT.lastSeen, 'prod', 'fakeclient']),
    json: [CLIENT],
    table: {
      headers: ['AppID', 'ClientID', 'Version', 'LastSeen', 'Group', 'OEM'],
      rows: [[APP_ID, 'c0ffee', '1.1.0', CLIENT.lastSeen, 'prod', 'fakeclient']],
    },
  },
  {
    name: 'instance list-app-versions',
    argv: ['instance', 'list-app-versions'],
    routes: { [`GET ${B}/appversions`]: { body: { items: [APP_VERSION] } } },
    text: tabbed(['AppID', 'GroupID', 'Version', 'Clients'], [APP_ID, 'prod', '1.1.0', 10]),
    json: [APP_VERSION],
    table: { headers: ['AppID', 'GroupID', 'Version', 'Clients'], rows: [[APP_ID, 'prod', '1.1.0', '10']] },
  },
  // ---- admin-user
  {
    name: 'admin-user create',
    argv: ['admin-user', 'create', 'ops'],
    routes: { [`POST ${B}/admin/user`]: { body: { user: 'ops', token: '0a1b2c3d' } } },
    text: '0a1b2c3d\n',
    json: { user: 'ops', token: '0a1b2c3d' },
  },
  {
    name: 'admin-user list',
    argv: ['admin-user', 'list'],
    routes: { [`GET ${B}/admin/user`]: { body: { users: [{ user: 'admin' }, { user: 'ops', role: 'editor', apps: [APP_ID] }] } } },
    text: 'admin\nops\n',
    json: [{ user: 'admin' }, { user: 'ops', role: 'editor', apps: [APP_ID] }],
    // A user without a role comes from a service where every user was an admin.
    table: { headers: ['User', 'Role', 'Apps'], rows: [['admin', 'admin', 'all'], ['ops', 'editor', APP_ID]] },
  },
  {
    name: 'admin-user delete',
    argv: ['admin-user', 'delete', 'ops'],
    routes: { [`DELETE ${B}/admin/user/ops`]: { body: { user: 'ops' } } },
    text: 'User ops deleted\n',
    json: { user: 'ops' },
  },
  // ---- upstream
  {
    name: 'upstream list',
    argv: ['upstream', 'list'],
    routes: { [`GET ${B}/upstream`]: { body: { items: [UPSTREAM] } } },
    text: tabbed(['Id', 'Url', 'Label'], ['u1', UPSTREAM.url, 'Mirror']),
    json: [UPSTREAM],
    table: UPSTREAM_TABLE,
  },
  ...(
    [
      ['create', 'POST', `${B}/upstream`, [`--url=${UPSTREAM.url}`, '--label=Mirror']],
      ['update', 'PUT', `${B}/upstream/u1`, ['--id=u1', `--url=${UPSTREAM.url}`, '--label=Mirror']],
      ['delete', 'DELETE', `${B}/upstream/u1`, ['--id=u1']],
    ] as const
  ).map(
    ([verb, method, path, flags]): Case => ({
      name: `upstream ${verb}`,
      argv: ['upstream', verb, ...flags],
      routes: { [`${method} ${path}`]: { body: UPSTREAM } },
      text: tabbed(['Id', 'Url', 'Label'], ['u1', UPSTREAM.url, 'Mirror']),
      json: UPSTREAM,
      table: UPSTREAM_TABLE,
    }),
  ),
  {
    name: 'upstream sync',
    argv: ['upstream', 'sync'],
    routes: { [`POST ${B}/upstream/sync`]: { body: { status: 'ok', detail: '2 channels' } } },
    text: 'Status: ok\nDetail: 2 channels\n',
    json: { status: 'ok', detail: '2 channels' },
    table: { headers: ['Status', 'Detail'], rows: [['ok', '2 channels']] },
  },
  // ---- rollout
  {
    name: 'rollout',
    argv: ['rollout', `--app-id=${APP_ID}`, '--group-id=prod'],
    routes: { [`GET ${A}/groups/prod/rollout`]: { body: ROLLOUT } },
    text: tabulate('rollout:\nFrame 0:\tPercent:\t50.000000\n\tDuration:\t3600\nFrame 1:\tPercent:\t100.000000\n\tDuration:\t0\n'),
    json: ROLLOUT,
    table: { headers: ['Frame', 'Percent', 'Duration'], rows: [['0', '50.000000', '3600'], ['1', '100.000000', '0']] },
  },
  {
    name: 'rollout create linear',
    argv: ['rollout', 'create', 'linear', `--app-id=${APP_ID}`, '--group-id=prod', '--frame-size=3600', '--duration=3600'],
    routes: { [`POST ${A}/groups/prod/rollout`]: { body: ROLLOUT } },
    text: 'rollout set\n',
    json: ROLLOUT,
  },
  {
    name: 'rollout activate',
    argv: ['rollout', 'activate', `--app-id=${APP_ID}`, '--group-id=prod'],
    routes: { [`POST ${A}/groups/prod/rollout/active`]: { body: { appId: APP_ID, groupId: 'prod', active: true } } },
    text: 'rollout activated\n',
    json: { appId: APP_ID, groupId: 'prod', active: true },
  },
  // ---- database
  {
    name: 'database init',
    argv: ['database', 'init'],
    routes: { 'GET /admin/v1/init': { body: 'ok', contentType: 'text/plain' } },
    text: 'ok\n',
    json: { status: 'ok' },
  },
  // ---- the 0.x verbs
  {
    name: '0.x list-apps',
    argv: ['list-apps'],
    routes: { [`GET ${B}/apps`]: { body: { items: [APP] } } },
    text: tabbed(['Id', 'Label', 'Description'], [APP_ID, 'CoreOS', APP.description]),
    json: [APP],
    table: APP_TABLE,
  },
  {
    name: '0.x create-app (its row without a heading)',
    argv: ['create-app', APP_ID, 'CoreOS', APP.description],
    routes: { [`POST ${B}/apps`]: { body: APP } },
    text: tabbed([APP_ID, 'CoreOS', APP.description]),
    json: APP,
    table: APP_TABLE,
  },
  {
    name: '0.x list-groups (five headings over seven columns)',
    argv: ['list-groups', APP_ID],
    routes: { [`GET ${A}/groups`]: { body: { items: [GROUP] } } },
    text: tabulate(`Label\tApp\tChannel\tId\tUpdatesPaused\nProduction\t${APP_ID}\tstable\tprod\tfalse\t3\t60\n`),
    json: [GROUP],
    table: {
      headers: ['Label', 'App', 'Channel', 'Id', 'UpdatesPaused', 'Count', 'Interval'],
      rows: [['Production', APP_ID, 'stable', 'prod', 'false', '3', '60']],
    },
  },
  {
    name: '0.x new-group',
    argv: ['new-group', APP_ID, 'stable', 'prod', 'Production'],
    routes: { [`POST ${A}/groups`]: { body: GROUP } },
    text: tabbed(['Production', APP_ID, 'stable', 'prod', 'false', '3', '60']),
    json: GROUP,
    table: {
      headers: ['Label', 'App', 'Channel', 'Id', 'UpdatesPaused', 'Count', 'Interval'],
      rows: [['Production', APP_ID, 'stable', 'prod', 'false', '3', '60']],
    },
  },
  {
    name: '0.x rollup-group-versions',
    argv: ['rollup-group-versions', APP_ID, 'prod'],
    routes: { [`GET ${A}/groups/prod/requests/versions/0/0`]: { body: VERSIONS } },
    text: tabbed(['Version', 'Timestamp', 'Count'], ['1.1.0', '1795318200', '7']),
    json: VERSIONS.items,
    table: { headers: ['Version', 'Timestamp', 'Count'], rows: [['1.1.0', '1795318200', '7']] },
  },
  {
    name: '0.x list-channels',
    argv: ['list-channels', APP_ID],
    routes: { [`GET ${A}/channels`]: { body: { items: [CHANNEL] } } },
    text: tabbed(['Label', 'Version'], ['stable', '1.1.0']),
    json: [CHANNEL],
    table: { headers: ['Label', 'Version'], rows: [['stable', '1.1.0']] },
  },
  {
    name: '0.x update-channel',
    argv: ['update-channel', APP_ID, 'stable', '1.1.0'],
    routes: { [`PATCH ${A}/channels/stable`]: { body: CHANNEL } },
    text: '1.1.0\n',
    json: CHANNEL,
  },
  {
    name: '0.x list-packages (each row aligned on its own)',
    argv: ['list-packages', APP_ID],
    routes: { [`GET ${A}/packages`]: { body: { items: [PKG] } } },
    text: tabulate(`Version\t\tURL\tSize\n1.1.0\t${PKG.url}\t1024\n`),
    json: [PKG],
    table: PKG_TABLE,
  },
  {
    name: '0.x new-package',
    argv: ['new-package', APP_ID, '1.1.0', '--path', PKG.url, '--size', '1024', '--sha1sum', SHA1],
    routes: { [`POST ${A}/packages/1.1.0`]: { body: PKG } },
    text: packagePreview + `${APP_ID} 1.1.0\n`,
    json: PKG,
  },
  {
    name: '0.x list-clientupdates (with the client status)',
    argv: ['list-clientupdates'],
    routes: { [`GET ${B}/clientupdates`]: { body: { items: [CLIENT] } } },
    text: tabbed(
      ['AppID', 'ClientID', 'Version', 'LastSeen', 'Group', 'Status', 'OEM'],
      [APP_ID, 'c0ffee', '1.1.0', CLIENT.lastSeen, 'prod', 'complete', 'fakeclient'],
    ),
    json: [CLIENT],
    table: {
      headers: ['AppID', 'ClientID', 'Version', 'LastSeen', 'Group', 'Status', 'OEM'],
      rows: [[APP_ID, 'c0ffee', '1.1.0', CLIENT.lastSeen, 'prod', 'complete', 'fakeclient']],
    },
  },
  {
    name: '0.x list-appversions',
    argv: ['list-appversions'],
    routes: { [`GET ${B}/appversions`]: { body: { items: [APP_VERSION] } } },
    text: tabbed(['AppID', 'GroupID', 'Version', 'Clients'], [APP_ID, 'prod', '1.1.0', '10']),
    json: [APP_VERSION],
    table: { headers: ['AppID', 'GroupID', 'Version', 'Clients'], rows: [[APP_ID, 'prod', '1.1.0', '10']] },
  },
  {
    name: '0.x admin-list-users',
    argv: ['admin-list-users'],
    routes: { [`GET ${B}/admin/user`]: { body: { users: [{ user: 'admin' }] } } },
    text: 'admin\n',
    json: [{ user: 'admin' }],
    table: { headers: ['User', 'Role', 'Apps'], rows: [['admin', 'admin', 'all']] },
  },
];

/** The cells of one line of a boxed table. */
const cellsOf = (line: string) =>
  line
    .split('│')
    .slice(1, -1)
    .map((c) => c.trim());

/** A boxed table of `headers` and `rows` (one line each), no line wider than `width`. */
function expectTable(drawn: string, headers: string[], rows: string[][], width: number): void {
  expect(drawn.endsWith('\n')).toBe(true);
  const lines = drawn.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^┌─+┬?/);
  expect(lines.at(-1)).toMatch(/^└─+/);
  for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
  expect(cellsOf(lines[1]!)).toEqual(headers);
  expect(lines[2]).toMatch(/^├─/);
  expect(lines.slice(3, -1).map(cellsOf)).toEqual(rows);
}

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What the server was sent, comparable across runs. */
const sent = (from: number) => server!.requests.slice(from).map((r) => `${r.method} ${r.path} ${r.body.toString()}`);

describe.each(CASES)('$name', (c) => {
  it('prints text as the original, the API objects as JSON, the same columns as a table, and sends the same requests', async () => {
    server = await startRecordingServer(c.routes);
    const run = async (env: NodeJS.ProcessEnv, flags: string[] = []) => {
      const from = server!.requests.length;
      const r = await runCli([...asAdmin(server!.url), ...flags, ...c.argv], { env });
      return { ...r, requests: sent(from) };
    };

    const text = await run({});
    expect({ code: text.code, stderr: text.stderr, stdout: text.stdout }).toEqual({ code: 0, stderr: '', stdout: c.text });

    const json = await run({}, ['--output=json']);
    expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 0, stderr: '' });
    expect(json.stdout.endsWith('}\n') || json.stdout.endsWith(']\n')).toBe(true);
    expect(JSON.parse(json.stdout)).toEqual(c.json);

    const table = await run({ UPDATECTL_OUTPUT: 'table', COLUMNS: '200' });
    expect({ code: table.code, stderr: table.stderr }).toEqual({ code: 0, stderr: '' });
    if (c.table) {
      const start = table.stdout.indexOf('┌');
      expect(table.stdout.slice(0, start)).toBe(c.preamble ?? '');
      expectTable(table.stdout.slice(start), c.table.headers, c.table.rows, 200);
    } else {
      // a status line has no columns: the table output is the text
      expect(table.stdout).toBe(c.text);
    }

    // the format changes what is printed, never what is sent
    expect(json.requests).toEqual(text.requests);
    expect(table.requests).toEqual(text.requests);
  });
});

describe('choosing the format', () => {
  const listApps = () => startRecordingServer({ [`GET ${B}/apps`]: { body: { items: [APP] } } });
  const isJson = (r: CliResult) => r.stdout.startsWith('[\n');
  const isTable = (r: CliResult) => r.stdout.startsWith('┌');
  const isText = (r: CliResult) => r.stdout.startsWith('Id\t');

  it('takes --output, else UPDATECTL_OUTPUT, else text; the flag wins even when empty', async () => {
    server = await listApps();
    const cli = (flags: string[], env: NodeJS.ProcessEnv = {}) => runCli([...asAdmin(server!.url), ...flags, 'app', 'list'], { env });
    expect(isText(await cli([]))).toBe(true);
    expect(isJson(await cli(['--output=json']))).toBe(true);
    expect(isJson(await cli(['-output', 'json']))).toBe(true);
    expect(isTable(await cli([], { UPDATECTL_OUTPUT: 'table' }))).toBe(true);
    expect(isJson(await cli(['--output=json'], { UPDATECTL_OUTPUT: 'table' }))).toBe(true);
    expect(isText(await cli(['--output=text'], { UPDATECTL_OUTPUT: 'json' }))).toBe(true);
    expect(isText(await cli(['--output='], { UPDATECTL_OUTPUT: 'json' }))).toBe(true);
    expect(isText(await cli([], { UPDATECTL_OUTPUT: '' }))).toBe(true);
  });

  it('works under updatectl too', async () => {
    server = await listApps();
    const r = await runCli(['-s', server.url, '--output=json', 'list-apps'], { program: 'updatectl' });
    expect(JSON.parse(r.stdout)).toEqual([APP]);
    const env = await runCli(['-s', server.url, 'app', 'list'], { program: 'updatectl', env: { UPDATECTL_OUTPUT: 'json' } });
    expect(JSON.parse(env.stdout)).toEqual([APP]);
  });

  it('refuses a bad value with one line and exit 2, before any request', async () => {
    server = await listApps();
    const flag = await runCli([...asAdmin(server.url), '--output=yaml', 'app', 'list']);
    expect(flag).toEqual({ code: 2, stdout: '', stderr: 'invalid value "yaml" for flag -output: must be text, json or table\n' });
    const variable = await runCli([...asAdmin(server.url), 'app', 'list'], { env: { UPDATECTL_OUTPUT: 'JSON' } });
    expect(variable).toEqual({ code: 2, stdout: '', stderr: 'invalid value "JSON" for UPDATECTL_OUTPUT: must be text, json or table\n' });
    const legacy = await runCli(['--output=xml', 'list-apps'], { program: 'updatectl' });
    expect(legacy).toEqual({ code: 2, stdout: '', stderr: 'invalid value "xml" for flag -output: must be text, json or table\n' });
    expect(server.requests).toHaveLength(0);
  });

  it('stays out of the help and usage texts the recordings compare', async () => {
    const help = await runCli(['--help']);
    const usage = await runCli(['--bogus']);
    const legacyHelp = await runCli(['--help'], { program: 'updatectl' });
    for (const r of [help, usage, legacyHelp]) expect(r.stdout + r.stderr).not.toMatch(/output/);
    expect(usage.stderr).toContain('Usage of updateservicectl:');
  });

  it('leaves help as text', async () => {
    const r = await runCli(['--output=json', 'app', 'list', '--help']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('USAGE:\n\tupdateservicectl app list');
    expect(r.stderr).toBe('');
  });
});

describe('JSON errors', () => {
  const json = (...argv: string[]) => runCli(['--output=json', ...argv]);
  const errorOf = (r: CliResult) => {
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    return JSON.parse(r.stderr) as { error: { code: number; message: string; errors?: unknown[] } };
  };

  it("carries an API error's status, message and reasons, with exit 1 and nothing on stdout", async () => {
    const errors = [{ reason: 'notFound', message: 'app not found' }];
    server = await startRecordingServer({ [`DELETE ${A}`]: { status: 404, body: { error: { code: 404, message: 'app not found', errors } } } });
    const r = await json(...asAdmin(server.url), 'app', 'delete', `--app-id=${APP_ID}`);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
    expect(errorOf(r)).toEqual({ error: { code: 404, message: 'app not found', errors } });
  });

  it('keeps the status of a reply that is not a JSON error', async () => {
    server = await startRecordingServer({ [`GET ${B}/apps`]: { status: 502, body: 'upstream proxy error', contentType: 'text/plain' } });
    const r = await json(...asAdmin(server.url), 'app', 'list');
    expect(r.code).toBe(1);
    expect(errorOf(r)).toEqual({ error: { code: 502, message: 'googleapi: got HTTP response code 502 with body: upstream proxy error' } });
  });

  it('gives code 1 to a server that cannot be reached', async () => {
    const closed = await startRecordingServer();
    const url = closed.url;
    await closed.close();
    const r = await json(...asAdmin(url), 'app', 'list');
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
    const { error } = errorOf(r);
    expect(error.code).toBe(1);
    expect(error.message).toBe(`Get "${url}/_ah/api/update/v1/apps?alt=json": dial tcp ${url.slice('http://'.length)}: connect: connection refused`);
  });

  it('gives code 2 to usage errors, with exit 2 and no usage text', async () => {
    const missing = await json('app', 'update', `--app-id=${APP_ID}`);
    expect({ code: missing.code, stdout: missing.stdout }).toEqual({ code: 2, stdout: '' });
    expect(errorOf(missing)).toEqual({
      error: { code: 2, message: "missing or invalid flags or arguments; see 'updateservicectl app update --help'" },
    });
    const unknown = await json('app', 'list', '--bogus');
    expect({ code: unknown.code, stdout: unknown.stdout }).toEqual({ code: 2, stdout: '' });
    expect(errorOf(unknown)).toEqual({ error: { code: 2, message: 'flag provided but not defined: -bogus' } });
    const badValue = await json('watch', `--app-id=${APP_ID}`, '--group-id=g', '--interval=0', 'true');
    expect(errorOf(badValue)).toEqual({ error: { code: 2, message: '--interval must be a positive number of seconds' } });
    const family = await json('group');
    expect({ code: family.code, stdout: family.stdout }).toEqual({ code: 2, stdout: '' });
    expect(errorOf(family).error.code).toBe(2);
  });

  it("keeps the 0.x verbs' exit codes", async () => {
    const noArgs = await json('delete-app');
    expect({ code: noArgs.code, stdout: noArgs.stdout }).toEqual({ code: 1, stdout: '' });
    expect(errorOf(noArgs)).toEqual({ error: { code: 2, message: 'App token is required' } });
    const wrongCount = await json('update-app', 'only-one');
    expect({ code: wrongCount.code, stdout: wrongCount.stdout }).toEqual({ code: 1, stdout: '' });
    expect(errorOf(wrongCount)).toEqual({ error: { code: 2, message: "wrong number of arguments; see 'updateservicectl help update-app'" } });
    server = await startRecordingServer({ [`GET ${B}/apps`]: { status: 401, body: { error: { code: 401, message: 'invalid Hawk credentials' } } } });
    const denied = await runCli(['-s', server.url, '--output=json', 'list-apps'], { program: 'updatectl' });
    expect(denied.code).toBe(1);
    expect(errorOf(denied)).toEqual({ error: { code: 401, message: 'invalid Hawk credentials' } });
  });

  it('reports a failed database init with the reply status', async () => {
    server = await startRecordingServer({ 'GET /admin/v1/init': { status: 409, body: 'already initialized', contentType: 'text/plain' } });
    const text = await runCli([`--server=${server.url}`, 'database', 'init']);
    expect(text).toEqual({ code: 1, stdout: 'already initialized\n', stderr: '' });
    const r = await json(`--server=${server.url}`, 'database', 'init');
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
    expect(errorOf(r)).toEqual({ error: { code: 409, message: 'already initialized' } });
  });

  it('leaves text errors as the stamped log line', async () => {
    server = await startRecordingServer({ [`GET ${B}/apps`]: { status: 404, body: { error: { code: 404, message: 'gone' } } } });
    const r = await runCli([...asAdmin(server.url), '--output=table', 'app', 'list']);
    expect({ code: r.code, stdout: r.stdout, stderr: maskStamps(r.stderr) }).toEqual({ code: 1, stdout: '', stderr: 'TS googleapi: Error 404: gone\n' });
  });
});

describe('table width', () => {
  const long = { id: APP_ID, label: 'CoreOS', description: 'Linux for Massively Parallel Deployments, with a description long enough to wrap' };
  const routes = { [`GET ${B}/apps`]: { body: { items: [long, APP] } } };

  /** Runs `app list` as a table with stdout set up as given. */
  async function tableWith(stdout: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = {}): Promise<string> {
    let text = '';
    const code = await main('updateservicectl', [...asAdmin(server!.url), '--output=table', 'app', 'list'], {
      stdout: { write: (t: string) => (text += t), ...stdout },
      stderr: { write: () => true },
      env,
      cwd: process.cwd(),
    });
    expect(code).toBe(0);
    return text;
  }
  const widest = (text: string) => Math.max(...text.trimEnd().split('\n').map((l) => [...l].length));
  /** The rows of a boxed table (header first), each cell's wrapped pieces joined back, without whitespace. */
  function rowsOf(text: string): string[][] {
    const rows: string[][] = [];
    let current: string[] | undefined;
    for (const line of text.trimEnd().split('\n')) {
      if (!line.startsWith('│')) {
        current = undefined;
        continue;
      }
      const cells = cellsOf(line).map((c) => c.replace(/\s/g, ''));
      if (current) cells.forEach((c, i) => (current![i] += c));
      else rows.push((current = cells));
    }
    return rows;
  }
  const squeezed = (row: string[]) => row.map((c) => c.replace(/\s/g, ''));
  const ALL_ROWS = [['Id', 'Label', 'Description'], [APP_ID, 'CoreOS', long.description], [APP_ID, 'CoreOS', APP.description]].map(squeezed);

  it("fits the terminal's width, wrapping long cells without losing a character", async () => {
    server = await startRecordingServer(routes);
    const narrow = await tableWith({ isTTY: true, columns: 60 }, { COLUMNS: '200' });
    expect(widest(narrow)).toBe(60);
    expect(rowsOf(narrow)).toEqual(ALL_ROWS);
    // wrapped rows are ruled off from each other
    expect(narrow.split('\n').filter((l) => l.startsWith('├'))).toHaveLength(2);
    const wide = await tableWith({ isTTY: true, columns: 300 });
    expect(wide.split('\n').filter((l) => l.startsWith('├'))).toHaveLength(1);
    expect(widest(wide)).toBeLessThan(300);
  });

  it('uses COLUMNS when stdout is not a terminal, else 80', async () => {
    server = await startRecordingServer(routes);
    expect(widest(await tableWith({}, { COLUMNS: '70' }))).toBe(70);
    expect(widest(await tableWith({ columns: 50 }, { COLUMNS: 'wide' }))).toBe(80);
    expect(widest(await tableWith({}))).toBe(80);
  });

  it('wraps long headers at their spaces before it wraps any cell', async () => {
    server = await startRecordingServer({ [`GET ${A}/groups`]: { body: { items: [GROUP] } } });
    let text = '';
    await main('updateservicectl', [...asAdmin(server.url), '--output=table', 'group', 'list', `--app-id=${APP_ID}`], {
      stdout: { write: (t: string) => (text += t), isTTY: true, columns: 100 },
      stderr: { write: () => true },
      env: {},
      cwd: process.cwd(),
    });
    const lines = text.trimEnd().split('\n');
    expect(widest(text)).toBeLessThanOrEqual(100);
    expect(lines.slice(1, 3).map(cellsOf)).toEqual([
      ['Label', 'App', 'Channel', 'Id', 'Updates', 'Percent', 'Rollout'],
      ['', '', '', '', 'Paused', '', 'Active'],
    ]);
    expect(lines.slice(4, -1).map(cellsOf)).toEqual([GROUP_ROW]);
  });

  it('keeps a minimal width per column on a very narrow terminal', async () => {
    server = await startRecordingServer(routes);
    const text = await tableWith({ isTTY: true, columns: 10 });
    expect(rowsOf(text)).toEqual(ALL_ROWS);
    // three columns of at least four characters, two of padding, and borders
    expect(widest(text)).toBe(3 * 6 + 4);
  });
});
