// `instance`: what the update clients reported (updates seen, versions in
// use), plus `instance fake`, the simulated clients, in its own file.
import type { ApiClient } from '../../api/client.js';
import type { AppVersionItem, ClientUpdate, InstanceQuery } from '../../api/types.js';
import { ExitCode, type CommandSpec, type Deps } from '../command.js';
import type { FlagSet } from '../flags.js';
import { printerOf, type Columns, type Printer } from '../render.js';
import { instanceFake } from './instance-fake.js';

type InstanceDeps = { client: ApiClient; print: Printer };

/** The filters both listings take; unset ids are left out of the query. */
export interface InstanceFilter {
  appId?: string;
  groupId?: string;
  /** Unix seconds; 0 means no bound. */
  start: number;
  end: number;
}

export const CLIENT_UPDATE_COLUMNS: Columns<ClientUpdate> = [
  ['AppID', (u) => u.appId ?? ''],
  ['ClientID', (u) => u.clientId ?? ''],
  ['Version', (u) => u.version ?? ''],
  ['LastSeen', (u) => u.lastSeen ?? ''],
  ['Group', (u) => u.groupId ?? ''],
  ['OEM', (u) => u.oem ?? ''],
];

export const APP_VERSION_COLUMNS: Columns<AppVersionItem> = [
  ['AppID', (v) => v.appId ?? ''],
  ['GroupID', (v) => v.groupId ?? ''],
  ['Version', (v) => v.version ?? ''],
  ['Clients', (v) => v.count ?? 0],
];

/**
 * The date bounds always travel, zero included, as in the original. The
 * original sent appId only together with groupId; we send it whenever given.
 */
export async function listUpdates(filter: InstanceFilter, { client, print }: InstanceDeps): Promise<number> {
  const query: InstanceQuery = {
    appId: filter.appId,
    groupId: filter.groupId,
    dateStart: String(filter.start),
    dateEnd: String(filter.end),
  };
  const list = await client.clientUpdates(query);
  await print.list(CLIENT_UPDATE_COLUMNS, list.items ?? []);
  return ExitCode.OK;
}

/** Here a zero date bound means "none" and stays out of the query. */
export async function listAppVersions(filter: InstanceFilter, { client, print }: InstanceDeps): Promise<number> {
  const query: InstanceQuery = {
    appId: filter.appId,
    groupId: filter.groupId,
    dateStart: filter.start !== 0 ? String(filter.start) : undefined,
    dateEnd: filter.end !== 0 ? String(filter.end) : undefined,
  };
  const list = await client.appVersions(query);
  await print.list(APP_VERSION_COLUMNS, list.items ?? []);
  return ExitCode.OK;
}

const deps = (d: Deps): InstanceDeps => ({ client: d.client(), print: printerOf(d) });

function defineFilterFlags(f: FlagSet): void {
  f.string('app-id', '', 'Only this application.')
    .string('group-id', '', 'Only this group.')
    .int('start', 0, 'Earliest time, in Unix seconds.')
    .int('end', 0, 'Latest time, in Unix seconds.');
}

/** `--app-id=` counts as given (and filters on the empty id), as in the original. */
function filterOf(f: FlagSet): InstanceFilter {
  return {
    appId: f.isSet('app-id') ? f.getString('app-id') : undefined,
    groupId: f.isSet('group-id') ? f.getString('group-id') : undefined,
    start: f.getNumber('start'),
    end: f.getNumber('end'),
  };
}

export const instance: CommandSpec = {
  name: 'instance',
  usage: '[OPTION]...',
  description: 'Look at what update clients reported, or simulate some.',
  subcommands: [
    {
      name: 'instance list-updates',
      summary: 'List the updates clients reported.',
      usage: '[OPTION]...',
      description: 'Show each client with the version it last reported and when.',
      defineFlags: defineFilterFlags,
      run: (f, d) => listUpdates(filterOf(f), deps(d)),
    },
    {
      name: 'instance list-app-versions',
      summary: 'Count clients per version.',
      usage: '[OPTION]...',
      description: 'Show how many clients run each version of each application and group.',
      defineFlags: defineFilterFlags,
      run: (f, d) => listAppVersions(filterOf(f), deps(d)),
    },

    // ---- simulated clients: see instance-fake.ts
    instanceFake,
  ],
};
