// The global flag set, accepted only before the command name.
import { FlagSet } from './flags.js';
import type { GlobalOptions } from './command.js';

export const DEFAULT_SERVER = 'http://localhost:8000';

export function globalFlagSet(program: string): FlagSet {
  return new FlagSet(program)
    .bool('debug', false, 'Output debugging info to stderr')
    .bool('help', false, 'Print usage information and exit.')
    .string('key', '', 'API Key')
    .string('server', DEFAULT_SERVER, 'Update server to connect to')
    .bool('skip-ssl-verify', false, "Don't check SSL certificates.")
    .string('user', '', 'API Username')
    .bool('version', false, 'Print version information and exit.');
}

/** Global options from parsed flags, with `UPDATECTL_*` variables where a flag was not given. */
export function resolveGlobals(flags: FlagSet, env: NodeJS.ProcessEnv): GlobalOptions {
  const pick = (name: string, variable: string) =>
    flags.isSet(name) ? flags.getString(name) : (env[variable] ?? flags.getString(name));
  return {
    server: pick('server', 'UPDATECTL_SERVER') || DEFAULT_SERVER,
    user: pick('user', 'UPDATECTL_USER'),
    key: pick('key', 'UPDATECTL_KEY'),
    debug: flags.getBool('debug'),
    skipSslVerify: flags.getBool('skip-ssl-verify'),
  };
}
