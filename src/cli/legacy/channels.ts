// 0.x channel verbs: list-channels, update-channel.
import type { AppChannel } from '../../api/types.js';
import { ExitCode, type Deps } from '../command.js';
import { printerOf, type Columns } from '../render.js';
import { requireArgs, usageFailure, type LegacyInput, type LegacyVerb } from './verb.js';

const CHANNEL_COLUMNS: Columns<AppChannel> = [
  ['Label', (c) => c.label ?? ''],
  ['Version', (c) => c.version ?? ''],
];

async function listChannels(input: LegacyInput, d: Deps): Promise<number> {
  const [appId] = requireArgs(input, 1) as [string];
  const list = await d.client().listChannels(appId);
  await printerOf(d).list(CHANNEL_COLUMNS, list.items ?? []);
  return ExitCode.OK;
}

/** Points a channel at a version; the 0.x request carried only the version. */
async function updateChannel(input: LegacyInput, d: Deps): Promise<number> {
  if (input.args.length !== 3) return usageFailure(d, 'usage: <appid> <channel> <version>');
  const [appId, channel, version] = input.args as [string, string, string];
  const updated = await d.client().updateChannel(appId, channel, version ? { version } : {});
  printerOf(d).message(`${updated.version ?? ''}\n`, updated);
  return ExitCode.OK;
}

export const CHANNEL_VERBS: LegacyVerb[] = [
  {
    name: 'list-channels',
    usage: 'list-channels <appId>',
    description: 'Show the channels of an application and the version each points at.',
    run: listChannels,
  },
  {
    name: 'update-channel',
    usage: 'update-channel <appId> <channel> <version>',
    description: 'Point a channel of an application at a package version.',
    run: updateChannel,
  },
];
