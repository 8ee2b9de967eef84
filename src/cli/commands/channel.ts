// `channel`: list, create, update and delete the channels of an application.
import type { ApiClient } from '../../api/client.js';
import type { AppChannel } from '../../api/types.js';
import { allSet, ExitCode, type CommandSpec, type Deps } from '../command.js';
import type { FlagSet } from '../flags.js';
import { withoutZeroFields } from '../output.js';
import { printerOf, type Columns, type Printer } from '../render.js';

type ChannelDeps = { client: ApiClient; print: Printer };

export interface ChannelRef {
  appId: string;
  channel: string;
}

export interface ChannelOptions extends ChannelRef {
  version: string;
  publish: boolean;
}

export const CHANNEL_COLUMNS: Columns<AppChannel> = [
  ['Label', (c) => c.label ?? ''],
  ['Version', (c) => c.version ?? ''],
  ['Publish', (c) => Boolean(c.publish)],
  ['Upstream', (c) => c.upstream ?? ''],
];

export async function listChannels(appId: string, { client, print }: ChannelDeps): Promise<number> {
  const list = await client.listChannels(appId);
  await print.list(CHANNEL_COLUMNS, list.items ?? []);
  return ExitCode.OK;
}

export async function createChannel(opts: ChannelOptions, { client, print }: ChannelDeps): Promise<number> {
  // posted under the real app id: the original put the channel label in the path
  const channel = await client.insertChannel(
    opts.appId,
    withoutZeroFields({ appId: opts.appId, label: opts.channel, publish: opts.publish, version: opts.version }),
  );
  await print.item(CHANNEL_COLUMNS, channel);
  return ExitCode.OK;
}

/** Sets the channel's version and publish state; without --publish the channel is unpublished. */
export async function updateChannel(opts: ChannelOptions, { client, print }: ChannelDeps): Promise<number> {
  const channel = await client.updateChannel(opts.appId, opts.channel, withoutZeroFields({ publish: opts.publish, version: opts.version }));
  await print.item(CHANNEL_COLUMNS, channel);
  return ExitCode.OK;
}

export async function deleteChannel(ref: ChannelRef, { client, print }: ChannelDeps): Promise<number> {
  const deleted = await client.deleteChannel(ref.appId, ref.channel);
  print.message(`deleted channel: ${ref.channel}, for application: ${ref.appId}\n`, deleted);
  return ExitCode.OK;
}

// ---- command specs

const deps = (d: Deps): ChannelDeps => ({ client: d.client(), print: printerOf(d) });

const ref = (f: FlagSet): ChannelRef => ({ appId: f.getString('app-id'), channel: f.getString('channel') });

const options = (f: FlagSet): ChannelOptions => ({ ...ref(f), version: f.getString('version'), publish: f.getBool('publish') });

function channelFlags(f: FlagSet, channelUsage: string, versionUsage: string): FlagSet {
  return f
    .string('app-id', '', 'Application the channel belongs to.')
    .string('channel', '', channelUsage)
    .bool('publish', false, 'Whether the channel is published (visible to upstream syncs and downloads).')
    .string('version', '', versionUsage);
}

export const channel: CommandSpec = {
  name: 'channel',
  subcommands: [
    {
      name: 'channel list',
      summary: "List an application's channels.",
      usage: '[OPTION]...',
      description: 'Print the channels of an application with their version, publish state and upstream.',
      defineFlags: (f) => f.string('app-id', '', 'Application whose channels are listed.'),
      run: (f, d) => (allSet(f, 'app-id') ? listChannels(f.getString('app-id'), deps(d)) : ExitCode.USAGE),
    },
    {
      name: 'channel update',
      summary: 'Point a channel at a version and set whether it is published.',
      usage: '[OPTION]...',
      description:
        'Set the version of the channel --channel of application --app-id to --version;\n' +
        '\t--publish publishes it, leaving it out unpublishes it.',
      defineFlags: (f) => channelFlags(f, 'Label of the channel to change.', 'Version the channel should offer.'),
      run: (f, d) => (allSet(f, 'app-id', 'channel', 'version') ? updateChannel(options(f), deps(d)) : ExitCode.USAGE),
    },
    {
      name: 'channel create',
      summary: 'Create a channel.',
      usage: '[OPTION]...',
      description: 'Create the channel --channel for application --app-id, offering --version.',
      defineFlags: (f) => channelFlags(f, 'Label of the new channel.', 'Version the new channel offers.'),
      run: (f, d) => (allSet(f, 'app-id', 'channel', 'version') ? createChannel(options(f), deps(d)) : ExitCode.USAGE),
    },
    {
      name: 'channel delete',
      summary: 'Delete a channel.',
      usage: '[OPTION]...',
      description: 'Delete the channel --channel of application --app-id.',
      defineFlags: (f) =>
        f.string('app-id', '', 'Application the channel belongs to.').string('channel', '', 'Label of the channel to delete.'),
      run: (f, d) => (allSet(f, 'app-id', 'channel') ? deleteChannel(ref(f), deps(d)) : ExitCode.USAGE),
    },
  ],
};
