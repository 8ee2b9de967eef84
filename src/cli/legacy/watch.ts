// 0.x `watch [OPTION]... <appID> <groupID> <clientID> <cmd> <args>`: the 2.x
// watcher, with the ids as arguments instead of flags.
import { ExitCode, type Deps } from '../command.js';
import { runWatch, watchDeps } from '../commands/watch.js';
import type { LegacyInput, LegacyVerb } from './verb.js';

function watch(input: LegacyInput, d: Deps): Promise<number> | number {
  if (input.args.length < 4) {
    d.log('appID, groupID and clientID required');
    return ExitCode.ERROR;
  }
  if (input.num('interval') <= 0) {
    d.log('--interval must be a positive number of seconds');
    return ExitCode.ERROR;
  }
  const [appId, groupId, clientId, command, ...args] = input.args as [string, string, string, string, ...string[]];
  return runWatch(
    { appId, groupId, clientId, command, args, version: input.str('version'), intervalSeconds: input.num('interval') },
    watchDeps(d),
  );
}

export const WATCH_VERBS: LegacyVerb[] = [
  {
    name: 'watch',
    usage: 'watch [OPTION]... <appID> <groupID> <clientID> <cmd> <args>',
    description: 'Poll for updates and run a command at start and whenever the offered version changes.',
    flags: [
      { names: 'interval, i', kind: 'int', def: 1, usage: 'seconds between update checks' },
      { names: 'version, v', kind: 'string', def: '0.0.0', usage: 'version to report at start' },
    ],
    run: watch,
  },
];
