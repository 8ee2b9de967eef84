// 0.x instance verbs: list-clientupdates, list-appversions, fakeclients.
import type { AppVersionItem, ClientUpdate, InstanceQuery } from '../../api/types.js';
import { ExitCode, type Deps } from '../command.js';
import { CLIENT_UPDATE_COLUMNS } from '../commands/instance.js';
import { runFakeInstances } from '../commands/instance-fake.js';
import { goInt64 } from '../output.js';
import { printerOf, type Columns } from '../render.js';
import type { LegacyFlag, LegacyInput, LegacyVerb } from './verb.js';

/** The 0.x client update table: the 2.x columns with the client's status before the OEM. */
const CLIENT_UPDATE_STATUS_COLUMNS: Columns<ClientUpdate> = [
  ...CLIENT_UPDATE_COLUMNS.slice(0, -1),
  ['Status', (c) => (c as ClientUpdate & { status?: string }).status ?? ''],
  ...CLIENT_UPDATE_COLUMNS.slice(-1),
];

const APP_VERSION_COLUMNS: Columns<AppVersionItem> = [
  ['AppID', (v) => v.appId ?? ''],
  ['GroupID', (v) => v.groupId ?? ''],
  ['Version', (v) => v.version ?? ''],
  ['Clients', (v) => goInt64(v.count)],
];

const DATE_FLAGS: LegacyFlag[] = [
  { names: 'start', kind: 'int', def: 0, usage: 'first timestamp to include (Unix seconds)' },
  { names: 'end', kind: 'int', def: 0, usage: 'last timestamp to include (Unix seconds)' },
];

/** The 0.x list-clientupdates always sent all four filters, empty or zero as they were. */
async function listClientUpdates(input: LegacyInput, d: Deps): Promise<number> {
  const query: InstanceQuery = {
    appId: input.str('app-id'),
    groupId: input.str('group-id'),
    dateStart: String(input.num('start')),
    dateEnd: String(input.num('end')),
  };
  const list = await d.client().clientUpdates(query);
  await printerOf(d).list(CLIENT_UPDATE_STATUS_COLUMNS, list.items ?? []);
  return ExitCode.OK;
}

/** The 0.x list-appversions sent empty app and group filters, and dates only when non-zero. */
async function listAppVersions(input: LegacyInput, d: Deps): Promise<number> {
  const query: InstanceQuery = { appId: '', groupId: '' };
  if (input.num('start') !== 0) query.dateStart = String(input.num('start'));
  if (input.num('end') !== 0) query.dateEnd = String(input.num('end'));
  const list = await d.client().appVersions(query);
  await printerOf(d).list(APP_VERSION_COLUMNS, list.items ?? []);
  return ExitCode.OK;
}

/** `fakeclients <appid> <groupid> <version>`: the 2.x simulator with the 0.x flag names. */
function fakeClients(input: LegacyInput, d: Deps): Promise<number> | number {
  if (input.args.length !== 3) {
    d.log('app, group and initial version required');
    return ExitCode.ERROR;
  }
  const [appId, groupId, version] = input.args as [string, string, string];
  return runFakeInstances(
    {
      appId,
      groupId,
      version,
      clientsPerApp: input.num('clientsperapp'),
      minSleep: input.num('minsleep'),
      maxSleep: input.num('maxsleep'),
      errorRate: input.num('errorrate'),
      oem: input.str('oem'),
      pingOnly: input.num('pingonly'),
      forceUpdate: false,
      verbose: input.bool('verbose'),
    },
    {
      server: d.globals.server,
      skipSslVerify: d.globals.skipSslVerify,
      stdout: d.stdout,
      stderr: d.stderr,
      untilInterrupted: () => d.untilInterrupted(),
      format: d.globals.output,
    },
  );
}

export const INSTANCE_VERBS: LegacyVerb[] = [
  {
    name: 'list-clientupdates',
    usage: 'list-clientupdates [OPTION]...',
    description: 'Show the last update report of every client.',
    flags: [
      { names: 'group-id', kind: 'string', def: '', usage: 'only clients of this group' },
      { names: 'app-id', kind: 'string', def: '', usage: 'only clients of this application' },
      ...DATE_FLAGS,
    ],
    run: listClientUpdates,
  },
  {
    name: 'list-appversions',
    usage: 'list-appversions [OPTION]...',
    description: 'Count the clients per application, group and version.',
    flags: DATE_FLAGS,
    run: listAppVersions,
  },
  {
    name: 'fakeclients',
    usage: 'fakeclients <appid> <groupid> <version>',
    description: 'Simulate update clients until interrupted.',
    flags: [
      { names: 'verbose, v', kind: 'bool', def: false, usage: 'print each request and reply' },
      { names: 'clientsperapp, c', kind: 'int', def: 20, usage: 'how many clients to simulate' },
      { names: 'minsleep, m', kind: 'int', def: 1, usage: 'shortest pause between checks, in seconds' },
      { names: 'maxsleep, M', kind: 'int', def: 10, usage: 'longest pause between checks, in seconds' },
      { names: 'errorrate', kind: 'int', def: 1, usage: 'chance in percent that an update step fails' },
      { names: 'oem', kind: 'string', def: 'fakeclient', usage: 'OEM name the clients report' },
      { names: 'pingonly, p', kind: 'int', def: 0, usage: 'pings to send after an update before reporting it done' },
    ],
    run: fakeClients,
  },
];
