// `group`: list, create, delete and change the groups of an application,
// read their request rollups and set their update percentage. `group update`
// also takes the 1.4.0 rate-limit flags (--update-count/--update-interval).
import type { ApiClient } from '../../api/client.js';
import type { Group, GroupRequestsItem, GroupRequestsRollup, GroupRequestsValues } from '../../api/types.js';
import { allSet, ExitCode, type CommandSpec, type Deps } from '../command.js';
import type { FlagSet } from '../flags.js';
import { goFixed, goFloat, goInt64, isZero, withoutZeroFields } from '../output.js';
import { printerOf, rowsOnly, writeRows, type Columns, type Printer } from '../render.js';
import type { TabWriter } from '../tabwriter.js';

type GroupDeps = { client: ApiClient; print: Printer };

export interface GroupRef {
  appId: string;
  groupId: string;
}

/** The 1.4.0 int flags use -1 for "not given", as the original did. */
export const NOT_GIVEN = -1;

/** The 2.1.0 client's Group, in its JSON order: what update, pause and unpause send back. */
const GROUP_FIELDS = [
  'appId',
  'channelId',
  'id',
  'label',
  'oemBlacklist',
  'rolloutActive',
  'updatePercent',
  'updatesPaused',
] as const satisfies readonly (keyof Group)[];

/**
 * With the 1.4.0 rate-limit flags, the 1.4.0 fields travel as well. The
 * 2.1.0 fields stay in the body, since the service resets those it is not sent.
 */
const RATE_LIMIT_GROUP_FIELDS = [...GROUP_FIELDS, 'updateCount', 'updateInterval', 'updatePooling'] as const satisfies readonly (keyof Group)[];

/**
 * The PATCH body of update/pause/unpause: the group as fetched (the `fields`
 * the client knows, zero ones dropped as the original did) with `changes`
 * applied. The changed fields are always sent, so `unpause` can say `false`
 * and a rate limit can be set back to 0.
 */
export function groupPatch(fetched: Group, changes: Partial<Group>, fields: readonly (keyof Group)[] = GROUP_FIELDS): Group {
  const merged: Record<string, unknown> = { ...fetched, ...changes };
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    if (field in changes || !isZero(merged[field])) body[field] = merged[field];
  }
  return body as Group;
}

/** The columns every group table starts with. */
export const GROUP_ID_COLUMNS: Columns<Group> = [
  ['Label', (g) => g.label ?? ''],
  ['App', (g) => g.appId ?? ''],
  ['Channel', (g) => g.channelId ?? ''],
  ['Id', (g) => g.id ?? ''],
];

export const GROUP_COLUMNS: Columns<Group> = [
  ...GROUP_ID_COLUMNS,
  ['Updates Paused', (g) => Boolean(g.updatesPaused)],
  ['Percent', (g) => goFloat(g.updatePercent ?? 0)],
  ['Rollout Active', (g) => Boolean(g.rolloutActive)],
];

/** The 1.4.0 table, with the rate limit. */
export const RATE_LIMIT_GROUP_COLUMNS: Columns<Group> = [
  ...GROUP_ID_COLUMNS,
  ['Paused', (g) => Boolean(g.updatesPaused)],
  ['Count', (g) => g.updateCount ?? 0],
  ['Interval', (g) => g.updateInterval ?? 0],
];

/** The 1.4.0 text: its header was printed with an extra newline, which ends the alignment block. */
function rateLimitText(out: TabWriter, groups: readonly Group[]): void {
  writeRows(out, RATE_LIMIT_GROUP_COLUMNS, []);
  out.write('\n');
  rowsOnly(RATE_LIMIT_GROUP_COLUMNS)(out, groups);
}

export async function listGroups(appId: string, { client, print }: GroupDeps): Promise<number> {
  const list = await client.listGroups(appId);
  await print.list(GROUP_COLUMNS, list.items ?? []);
  return ExitCode.OK;
}

export interface CreateGroupOptions extends GroupRef {
  channel: string;
  label: string;
}

export async function createGroup(opts: CreateGroupOptions, { client, print }: GroupDeps): Promise<number> {
  const group = await client.insertGroup(opts.appId, withoutZeroFields({ channelId: opts.channel, id: opts.groupId, label: opts.label }));
  await print.item(GROUP_COLUMNS, group);
  return ExitCode.OK;
}

export async function deleteGroup(ref: GroupRef, { client, print }: GroupDeps): Promise<number> {
  const group = await client.deleteGroup(ref.appId, ref.groupId);
  await print.item(GROUP_COLUMNS, group);
  return ExitCode.OK;
}

export interface UpdateGroupOptions extends GroupRef {
  /** Undefined: flag not given, the group keeps its value. */
  label?: string;
  channel?: string;
  oemBlacklist?: string;
  /** 1.4.0 rate limit; NOT_GIVEN (-1) leaves it alone. */
  updateCount: number;
  updateInterval: number;
}

/** The 1.4.0 rate-limit fields an update sets, or none when neither flag was given. */
function rateLimitChanges(fetched: Group, count: number, interval: number): Partial<Group> {
  if (count === NOT_GIVEN && interval === NOT_GIVEN) return {};
  const updateCount = count === NOT_GIVEN ? (fetched.updateCount ?? 0) : count;
  const updateInterval = interval === NOT_GIVEN ? (fetched.updateInterval ?? 0) : interval;
  // pooling is on exactly when some limit is set, as the 1.4.0 client derived it
  return { updateCount, updateInterval, updatePooling: updateCount !== 0 || updateInterval !== 0 };
}

export async function updateGroup(opts: UpdateGroupOptions, { client, print }: GroupDeps): Promise<number> {
  const fetched = await client.getGroup(opts.appId, opts.groupId);
  const changes: Partial<Group> = rateLimitChanges(fetched, opts.updateCount, opts.updateInterval);
  // the 1.4.0 flags bring the 1.4.0 table with them
  const legacy = opts.updateCount !== NOT_GIVEN || opts.updateInterval !== NOT_GIVEN;
  if (opts.label !== undefined) changes.label = opts.label;
  if (opts.channel !== undefined) changes.channelId = opts.channel;
  if (opts.oemBlacklist !== undefined) changes.oemBlacklist = opts.oemBlacklist;
  const group = await client.patchGroup(opts.appId, opts.groupId, groupPatch(fetched, changes, legacy ? RATE_LIMIT_GROUP_FIELDS : GROUP_FIELDS));
  if (legacy) await print.item(RATE_LIMIT_GROUP_COLUMNS, group, { text: rateLimitText });
  else await print.item(GROUP_COLUMNS, group);
  return ExitCode.OK;
}

export async function setGroupPaused(ref: GroupRef, paused: boolean, { client, print }: GroupDeps): Promise<number> {
  const fetched = await client.getGroup(ref.appId, ref.groupId);
  const group = await client.patchGroup(ref.appId, ref.groupId, groupPatch(fetched, { updatesPaused: paused }));
  await print.item(GROUP_COLUMNS, group);
  return ExitCode.OK;
}

export interface RollupOptions extends GroupRef {
  resolution: number;
  start: number;
  end: number;
}

function rollupArgs(opts: RollupOptions) {
  return [opts.appId, opts.groupId, String(opts.start), String(opts.end), { resolution: String(opts.resolution) }] as const;
}

/** One bucket of a rollup: a row of the text and table output. */
type RollupRow = { item: GroupRequestsItem; value: GroupRequestsValues };

const EVENT_COLUMNS: Columns<RollupRow> = [
  ['Version', (r) => r.item.version ?? ''],
  ['Type', (r) => r.item.type ?? ''],
  ['Result', (r) => r.item.result ?? ''],
  ['Timestamp', (r) => goInt64(r.value.timestamp)],
  ['Count', (r) => goInt64(r.value.count)],
];

const VERSION_COLUMNS: Columns<RollupRow> = [
  ['Version', (r) => r.item.version ?? ''],
  ['Timestamp', (r) => goInt64(r.value.timestamp)],
  ['Count', (r) => goInt64(r.value.count)],
];

/** A rollup: one row per bucket in text and table, the API's items in JSON. */
function printRollup(print: Printer, columns: Columns<RollupRow>, rollup: GroupRequestsRollup): Promise<void> {
  const items = rollup.items ?? [];
  const rows = items.flatMap((item) => (item.values ?? []).map((value) => ({ item, value })));
  return print.list(columns, rows, { json: items });
}

export async function groupEvents(opts: RollupOptions, { client, print }: GroupDeps): Promise<number> {
  await printRollup(print, EVENT_COLUMNS, await client.rollupEvents(...rollupArgs(opts)));
  return ExitCode.OK;
}

export async function groupVersions(opts: RollupOptions, { client, print }: GroupDeps): Promise<number> {
  await printRollup(print, VERSION_COLUMNS, await client.rollupVersions(...rollupArgs(opts)));
  return ExitCode.OK;
}

export async function setGroupPercent(opts: GroupRef & { percent: number }, { client, print }: GroupDeps): Promise<number> {
  // updatePercent is always sent: 0 is a real setting (the original dropped it)
  const body = { appId: opts.appId, id: opts.groupId, updatePercent: opts.percent };
  const reply = await client.setGroupPercent(opts.appId, opts.groupId, body);
  print.message(`update percent set to ${goFixed(reply.updatePercent ?? 0)}\n`, reply);
  return ExitCode.OK;
}

// ---- command specs

const deps = (d: Deps): GroupDeps => ({ client: d.client(), print: printerOf(d) });

const ref = (f: FlagSet): GroupRef => ({ appId: f.getString('app-id'), groupId: f.getString('group-id') });

/** A string flag's value when it was given (even empty), else undefined. */
const given = (f: FlagSet, name: string): string | undefined => (f.isSet(name) ? f.getString(name) : undefined);

function refFlags(f: FlagSet, appUsage: string, groupUsage = 'ID of the group.'): FlagSet {
  return f.string('app-id', '', appUsage).string('group-id', '', groupUsage);
}

function rollupFlags(f: FlagSet): FlagSet {
  return refFlags(f, 'Application the group belongs to.')
    .int('resolution', 60, 'Bucket size in seconds: 60, 3600 or 86400.')
    .int('start', 0, 'Start of the time window (Unix seconds).')
    .int('end', 0, 'End of the time window (Unix seconds).');
}

const rollupOptions = (f: FlagSet): RollupOptions => ({
  ...ref(f),
  resolution: f.getNumber('resolution'),
  start: f.getNumber('start'),
  end: f.getNumber('end'),
});

export const group: CommandSpec = {
  name: 'group',
  subcommands: [
    {
      name: 'group list',
      summary: "List an application's groups with their channel and update settings.",
      usage: '[OPTION]...',
      defineFlags: (f) => f.string('app-id', '', 'Application whose groups are listed.'),
      run: (f, d) => (allSet(f, 'app-id') ? listGroups(f.getString('app-id'), deps(d)) : ExitCode.USAGE),
    },
    {
      name: 'group create',
      summary: 'Create a group.',
      usage: '[OPTION]...',
      defineFlags: (f) =>
        refFlags(f, 'Application the new group belongs to.', 'ID of the new group.')
          .string('channel', '', 'Channel the group follows.')
          .string('label', '', 'Human-readable name of the group.'),
      run: (f, d) =>
        allSet(f, 'app-id', 'group-id', 'channel')
          ? createGroup({ ...ref(f), channel: f.getString('channel'), label: f.getString('label') }, deps(d))
          : ExitCode.USAGE,
    },
    {
      name: 'group delete',
      summary: 'Remove a group from an application.',
      usage: '[OPTION]...',
      defineFlags: (f) => refFlags(f, 'Application the group belongs to.', 'ID of the group to delete.'),
      run: (f, d) => (allSet(f, 'app-id', 'group-id') ? deleteGroup(ref(f), deps(d)) : ExitCode.USAGE),
    },
    {
      name: 'group update',
      summary: "Change a group's label, channel, OEM blacklist or rate limit.",
      usage: '[OPTION]...',
      description: 'Change the settings of an existing group; settings whose flags are not given stay as they are.',
      defineFlags: (f) =>
        refFlags(f, 'Application the group belongs to.')
          .string('label', '', 'New label of the group.')
          .string('channel', '', 'Channel the group should follow.')
          .string('oem-blacklist', '', 'Comma-separated OEMs that get no updates.')
          .int('update-count', NOT_GIVEN, 'Rate limit (1.4.0): instances updated per interval.')
          .int('update-interval', NOT_GIVEN, 'Rate limit (1.4.0): length of the interval in seconds.'),
      run: (f, d) =>
        allSet(f, 'app-id', 'group-id')
          ? updateGroup(
              {
                ...ref(f),
                label: given(f, 'label'),
                channel: given(f, 'channel'),
                oemBlacklist: given(f, 'oem-blacklist'),
                updateCount: f.getNumber('update-count'),
                updateInterval: f.getNumber('update-interval'),
              },
              deps(d),
            )
          : ExitCode.USAGE,
    },
    {
      name: 'group pause',
      summary: 'Stop handing out updates to a group.',
      usage: '[OPTION]...',
      defineFlags: (f) => refFlags(f, 'Application the group belongs to.', 'ID of the group to pause.'),
      run: (f, d) => (allSet(f, 'app-id', 'group-id') ? setGroupPaused(ref(f), true, deps(d)) : ExitCode.USAGE),
    },
    {
      name: 'group unpause',
      summary: 'Resume handing out updates to a group.',
      usage: '[OPTION]...',
      defineFlags: (f) => refFlags(f, 'Application the group belongs to.', 'ID of the group to unpause.'),
      run: (f, d) => (allSet(f, 'app-id', 'group-id') ? setGroupPaused(ref(f), false, deps(d)) : ExitCode.USAGE),
    },
    {
      name: 'group events',
      summary: "Count a group's client events over time.",
      usage: '[OPTION]...',
      defineFlags: rollupFlags,
      run: (f, d) => (allSet(f, 'app-id', 'group-id') ? groupEvents(rollupOptions(f), deps(d)) : ExitCode.USAGE),
    },
    {
      name: 'group versions',
      summary: "Count the versions a group's clients reported over time.",
      usage: '[OPTION]...',
      defineFlags: rollupFlags,
      run: (f, d) => (allSet(f, 'app-id', 'group-id') ? groupVersions(rollupOptions(f), deps(d)) : ExitCode.USAGE),
    },
    {
      name: 'group percent',
      summary: 'Set the share of a group that gets updates.',
      usage: '[OPTION]...',
      defineFlags: (f) =>
        refFlags(f, 'Application the group belongs to.').float('update-percent', NOT_GIVEN, 'Percentage of instances to update (0-100).'),
      run: (f, d) => {
        const percent = f.getNumber('update-percent');
        // -1 is "not given", as in the original; NaN/Inf cannot be sent as JSON
        if (!allSet(f, 'app-id', 'group-id') || percent === NOT_GIVEN || !Number.isFinite(percent)) return ExitCode.USAGE;
        return setGroupPercent({ ...ref(f), percent }, deps(d));
      },
    },
  ],
};
