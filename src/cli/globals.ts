// The global flag sets, accepted only before the command name: the 2.x one
// of `updateservicectl`, and the 0.x one of `updatectl` (with `-s/-u/-k`).
import { FlagSet } from './flags.js';
import type { GlobalOptions } from './command.js';
import { AliasedFlags, aliasFlagSet, type LegacyFlag } from './legacy/flags.js';

export const DEFAULT_SERVER = 'http://localhost:8000';

/** The 0.x short spellings, also accepted (hidden) by the 2.x global flags. */
const SHORT_GLOBALS = { s: 'server', u: 'user', k: 'key' } as const;

export function globalFlagSet(program: string): FlagSet {
  return new FlagSet(program)
    .bool('debug', false, 'Output debugging info to stderr')
    .bool('help', false, 'Print usage information and exit.')
    .string('key', '', 'API Key')
    .string('server', DEFAULT_SERVER, 'Update server to connect to')
    .bool('skip-ssl-verify', false, "Don't check SSL certificates.")
    .string('user', '', 'API Username')
    .bool('version', false, 'Print version information and exit.')
    .string('s', DEFAULT_SERVER, 'Short for --server.', true)
    .string('u', '', 'Short for --user.', true)
    .string('k', '', 'Short for --key.', true);
}

/** Global options from parsed flags, with `UPDATECTL_*` variables where a flag was not given. */
export function resolveGlobals(flags: FlagSet, env: NodeJS.ProcessEnv): GlobalOptions {
  const pick = (name: 'server' | 'user' | 'key', variable: string) => {
    const short = Object.entries(SHORT_GLOBALS).find(([, long]) => long === name)![0];
    if (flags.isSet(name)) return flags.getString(name);
    if (flags.isSet(short)) return flags.getString(short);
    return env[variable] ?? flags.getString(name);
  };
  return {
    server: pick('server', 'UPDATECTL_SERVER') || DEFAULT_SERVER,
    user: pick('user', 'UPDATECTL_USER'),
    key: pick('key', 'UPDATECTL_KEY'),
    debug: flags.getBool('debug'),
    skipSslVerify: flags.getBool('skip-ssl-verify'),
  };
}

/** The 0.x global flags, in the order its help listed them. */
export const LEGACY_GLOBAL_FLAGS: LegacyFlag[] = [
  { names: 'server, s', kind: 'string', def: DEFAULT_SERVER, usage: 'address of the update service' },
  { names: 'debug, D', kind: 'bool', def: false, usage: 'trace requests and replies on stderr' },
  { names: 'user, u', kind: 'string', def: '', usage: 'API user name' },
  { names: 'key, k', kind: 'string', def: '', usage: 'API key of that user' },
  { names: 'skip-ssl-verify', kind: 'bool', def: false, usage: 'do not check TLS certificates', hidden: true },
  { names: 'version, v', kind: 'bool', def: false, usage: 'print the version and exit' },
  { names: 'help, h', kind: 'bool', def: false, usage: 'show this help' },
];

export function legacyGlobalFlagSet(program: string): FlagSet {
  return aliasFlagSet(program, LEGACY_GLOBAL_FLAGS);
}

/** Global options of a 0.x command line; a flag wins over its `UPDATECTL_*` variable. */
export function resolveLegacyGlobals(flags: AliasedFlags, env: NodeJS.ProcessEnv): GlobalOptions {
  const pick = (name: string, variable: string) => (flags.isSet(name) ? String(flags.value(name)) : (env[variable] ?? String(flags.value(name))));
  return {
    server: pick('server', 'UPDATECTL_SERVER') || DEFAULT_SERVER,
    user: pick('user', 'UPDATECTL_USER'),
    key: pick('key', 'UPDATECTL_KEY'),
    debug: Boolean(flags.value('debug')),
    skipSslVerify: Boolean(flags.value('skip-ssl-verify')),
  };
}
