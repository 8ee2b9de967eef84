// 0.x group verbs: list-groups, new-group, update-group, delete-group,
// pause-group, unpause-group, rollup-group-versions, rollup-group-events.
import type { Group } from '../../api/types.js';
import { ExitCode, type Deps } from '../command.js';
import { GROUP_ID_COLUMNS, groupEvents, groupVersions } from '../commands/group.js';
import { isZero } from '../output.js';
import { printerOf, rowsOnly, type Columns } from '../render.js';
import { requireArgs, usageFailure, type LegacyFlag, type LegacyInput, type LegacyVerb } from './verb.js';

/** The Group fields the 0.x client knew, in its JSON order; zero ones were dropped (omitempty). */
const LEGACY_GROUP_FIELDS = [
  'appId',
  'channelId',
  'id',
  'label',
  'updateCount',
  'updateInterval',
  'updatePooling',
  'updatesPaused',
] as const satisfies readonly (keyof Group)[];

/** The group as the 0.x client re-encoded it: its known fields, zero values left out. */
export function legacyGroupBody(group: Group): Group {
  const body: Record<string, unknown> = {};
  for (const field of LEGACY_GROUP_FIELDS) if (!isZero(group[field])) body[field] = group[field];
  return body as Group;
}

/** A 0.x group row: five columns with a heading in list-groups, then count and interval without one. */
const LEGACY_GROUP_COLUMNS: Columns<Group> = [
  ...GROUP_ID_COLUMNS,
  ['UpdatesPaused', (g) => Boolean(g.updatesPaused)],
  ['Count', (g) => g.updateCount ?? 0],
  ['Interval', (g) => g.updateInterval ?? 0],
];

const writeGroupRows = rowsOnly(LEGACY_GROUP_COLUMNS);

/** The 0.x commands that change a group print its row without a heading. */
function printGroup(d: Deps, group: Group): Promise<void> {
  return printerOf(d).item(LEGACY_GROUP_COLUMNS, group, { text: writeGroupRows });
}

/** `list-groups <appId>`; also what a bare `updatectl` runs, with whatever words it got. */
export async function listGroupsLegacy(args: string[], d: Deps): Promise<number> {
  if (args.length !== 1) return usageFailure(d, 'AppId required');
  const list = await d.client().listGroups(args[0]!);
  await printerOf(d).list(LEGACY_GROUP_COLUMNS, list.items ?? [], {
    text: (out, groups) => {
      out.write('Label\tApp\tChannel\tId\tUpdatesPaused\n');
      writeGroupRows(out, groups);
    },
  });
  return ExitCode.OK;
}

async function newGroup(input: LegacyInput, d: Deps): Promise<number> {
  if (input.args.length !== 4) return usageFailure(d, 'AppId, ChannelId, GroupId and app label required');
  const [appId, channelId, id, label] = input.args as [string, string, string, string];
  const group = await d.client().insertGroup(appId, legacyGroupBody({ channelId, id, label }));
  await printGroup(d, group);
  return ExitCode.OK;
}

async function deleteGroup(input: LegacyInput, d: Deps): Promise<number> {
  if (input.args.length !== 2) return usageFailure(d, 'AppId and GroupId is required');
  const group = await d.client().deleteGroup(input.args[0]!, input.args[1]!);
  await printGroup(d, group);
  return ExitCode.OK;
}

/** GET the group, change it, PATCH the whole (omitempty-encoded) object back, print the reply. */
async function patchGroup(appId: string, groupId: string, change: (g: Group) => void, d: Deps): Promise<number> {
  const group = await d.client().getGroup(appId, groupId);
  change(group);
  const updated = await d.client().patchGroup(appId, groupId, legacyGroupBody(group));
  await printGroup(d, updated);
  return ExitCode.OK;
}

/**
 * pause/unpause. Like the original, unpausing encodes `updatesPaused: false`
 * by leaving it out, so a server with patch semantics keeps the group paused;
 * the printed row shows the state the server reports.
 */
function setPaused(paused: boolean) {
  return (input: LegacyInput, deps: Deps): Promise<number> | number => {
    if (input.args.length !== 2) return usageFailure(deps, 'AppId and GroupId is required');
    return patchGroup(input.args[0]!, input.args[1]!, (g) => (g.updatesPaused = paused), deps);
  };
}

async function updateGroup(input: LegacyInput, deps: Deps): Promise<number> {
  const [appId, groupId] = requireArgs(input, 2) as [string, string];
  return patchGroup(appId, groupId, (g) => {
    const rateLimitGiven = input.isSet('updateCount') || input.isSet('updateInterval');
    if (input.isSet('updateCount')) g.updateCount = input.num('updateCount');
    if (input.isSet('updateInterval')) g.updateInterval = input.num('updateInterval');
    if (input.isSet('label')) g.label = input.str('label');
    if (input.isSet('channel')) g.channelId = input.str('channel');
    // pooling follows the limits, and only when a limit was given
    if (rateLimitGiven) g.updatePooling = (g.updateCount ?? 0) !== 0 || (g.updateInterval ?? 0) !== 0;
  }, deps);
}

const ROLLUP_FLAGS: LegacyFlag[] = [
  { names: 'resolution', kind: 'int', def: 60, usage: 'bucket size in seconds: 60, 3600 or 86400' },
  { names: 'start', kind: 'int', def: 0, usage: 'first timestamp to include (Unix seconds)' },
  { names: 'end', kind: 'int', def: 0, usage: 'last timestamp to include (Unix seconds)' },
];

function rollup(kind: 'events' | 'versions') {
  return (input: LegacyInput, d: Deps): Promise<number> => {
    const [appId, groupId] = requireArgs(input, 2) as [string, string];
    const opts = { appId, groupId, resolution: input.num('resolution'), start: input.num('start'), end: input.num('end') };
    const deps = { client: d.client(), print: printerOf(d) };
    return kind === 'events' ? groupEvents(opts, deps) : groupVersions(opts, deps);
  };
}

export const GROUP_VERBS: LegacyVerb[] = [
  {
    name: 'list-groups',
    usage: 'list-groups <appId>',
    description: 'Show every group of an application with its channel, pause state and rate limit.',
    run: (input, deps) => listGroupsLegacy(input.args, deps),
  },
  {
    name: 'new-group',
    usage: 'new-group <appId> <channelId> <groupId> <appLabel>',
    description: 'Create a group that follows a channel.',
    run: newGroup,
  },
  {
    name: 'update-group',
    usage: 'update-group [OPTION]... <appId> <groupId>',
    description: "Change a group's label, channel or update rate limit.",
    flags: [
      { names: 'label', kind: 'string', def: '', usage: 'new label of the group' },
      { names: 'channel', kind: 'string', def: '', usage: 'channel the group follows' },
      { names: 'updateCount', kind: 'int', def: 0, usage: 'updates allowed per interval' },
      { names: 'updateInterval', kind: 'int', def: 0, usage: 'length of the rate-limit interval in seconds' },
    ],
    run: updateGroup,
  },
  {
    name: 'delete-group',
    usage: 'delete-group <appId> <groupId>',
    description: 'Remove a group.',
    run: deleteGroup,
  },
  {
    name: 'pause-group',
    usage: 'pause-group <appId> <groupId>',
    description: 'Stop offering updates to a group.',
    run: setPaused(true),
  },
  {
    name: 'unpause-group',
    usage: 'unpause-group <appId> <groupId>',
    description: 'Resume offering updates to a group.',
    run: setPaused(false),
  },
  {
    name: 'rollup-group-versions',
    usage: 'rollup-group-versions [OPTION]... <appId> <groupId>',
    description: 'Count the versions a group reported, per time bucket.',
    flags: ROLLUP_FLAGS,
    run: rollup('versions'),
  },
  {
    name: 'rollup-group-events',
    usage: 'rollup-group-events [OPTION]... <appId> <groupId>',
    description: 'Count the update events of a group, per time bucket.',
    flags: ROLLUP_FLAGS,
    run: rollup('events'),
  },
];
