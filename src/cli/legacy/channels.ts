// 0.x channel verbs: list-channels, update-channel.
import { ExitCode, type Deps } from '../command.js';
import { requireArgs, usageFailure, type LegacyInput, type LegacyVerb } from './verb.js';

async function listChannels(input: LegacyInput, { client, out }: Deps): Promise<number> {
  const [appId] = requireArgs(input, 1) as [string];
  const list = await client().listChannels(appId);
  out.write('Label\tVersion\n');
  for (const c of list.items ?? []) out.row(c.label ?? '', c.version ?? '');
  return ExitCode.OK;
}

/** Points a channel at a version; the 0.x request carried only the version. */
async function updateChannel(input: LegacyInput, { client, out }: Deps): Promise<number> {
  if (input.args.length !== 3) return usageFailure(out, 'usage: <appid> <channel> <version>');
  const [appId, channel, version] = input.args as [string, string, string];
  const updated = await client().updateChannel(appId, channel, version ? { version } : {});
  out.write(`${updated.version ?? ''}\n`);
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
