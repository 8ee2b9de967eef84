// The global flag sets, accepted only before the command name: the 2.x one
// of `updateservicectl`, and the 0.x one of `updatectl` (with `-s/-u/-k`).
import { FlagSet } from './flags.js';
import type { GlobalOptions } from './command.js';
import type { ActiveProfile } from './profiles.js';
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
    .string('k', '', 'Short for --key.', true)
    .string('output', '', 'Output format: text, json or table.', true)
    .string('profile', '', 'Saved connection profile to use.', true);
}

/** A global flag or variable whose value no command could use: one line on stderr, exit 2. */
export class BadGlobalValue extends Error {}

const OUTPUT_FORMATS: readonly string[] = ['text', 'json', 'table'] satisfies GlobalOptions['output'][];

/** `--output` (when given, even empty) over `UPDATECTL_OUTPUT` over text; empty means text. */
export function outputFormat(flag: string | undefined, env: NodeJS.ProcessEnv): GlobalOptions['output'] {
  const [value, source] = flag !== undefined ? [flag, 'flag -output'] : [env['UPDATECTL_OUTPUT'] ?? '', 'UPDATECTL_OUTPUT'];
  if (value === '') return 'text';
  if (OUTPUT_FORMATS.includes(value)) return value as GlobalOptions['output'];
  throw new BadGlobalValue(`invalid value "${value}" for ${source}: must be text, json or table`);
}

/**
 * Global options from parsed flags, with `UPDATECTL_*` variables where a flag
 * was not given, then the active saved profile, then the defaults.
 */
export function resolveGlobals(flags: FlagSet, env: NodeJS.ProcessEnv, active?: ActiveProfile): GlobalOptions {
  const pick = (name: 'server' | 'user' | 'key', variable: string) => {
    const short = Object.entries(SHORT_GLOBALS).find(([, long]) => long === name)![0];
    if (flags.isSet(name)) return flags.getString(name);
    if (flags.isSet(short)) return flags.getString(short);
    return env[variable] ?? active?.profile[name] ?? flags.getString(name);
  };
  return {
    server: pick('server', 'UPDATECTL_SERVER') || DEFAULT_SERVER,
    user: pick('user', 'UPDATECTL_USER'),
    key: pick('key', 'UPDATECTL_KEY'),
    debug: flags.getBool('debug'),
    skipSslVerify: flags.isSet('skip-ssl-verify') ? flags.getBool('skip-ssl-verify') : (active?.profile.skipSslVerify ?? false),
    output: outputFormat(flags.isSet('output') ? flags.getString('output') : undefined, env),
    profile: active?.name,
  };
}

/** The 0.x global flags, in the order its help listed them. */
export const LEGACY_GLOBAL_FLAGS: LegacyFlag[] = [
  { names: 'server, s', kind: 'string', def: DEFAULT_SERVER, usage: 'address of the update service' },
  { names: 'debug, D', kind: 'bool', def: false, usage: 'trace requests and replies on stderr' },
  { names: 'user, u', kind: 'string', def: '', usage: 'API user name' },
  { names: 'key, k', kind: 'string', def: '', usage: 'API key of that user' },
  { names: 'skip-ssl-verify', kind: 'bool', def: false, usage: 'do not check TLS certificates', hidden: true },
  { names: 'output', kind: 'string', def: '', usage: 'output format: text, json or table', hidden: true },
  { names: 'profile', kind: 'string', def: '', usage: 'saved connection profile to use', hidden: true },
  { names: 'version, v', kind: 'bool', def: false, usage: 'print the version and exit' },
  { names: 'help, h', kind: 'bool', def: false, usage: 'show this help' },
];

export function legacyGlobalFlagSet(program: string): FlagSet {
  return aliasFlagSet(program, LEGACY_GLOBAL_FLAGS);
}

/** Global options of a 0.x command line; a flag wins over its `UPDATECTL_*` variable, which wins over the active profile. */
export function resolveLegacyGlobals(flags: AliasedFlags, env: NodeJS.ProcessEnv, active?: ActiveProfile): GlobalOptions {
  const pick = (name: 'server' | 'user' | 'key', variable: string) =>
    flags.isSet(name) ? String(flags.value(name)) : (env[variable] ?? active?.profile[name] ?? String(flags.value(name)));
  return {
    server: pick('server', 'UPDATECTL_SERVER') || DEFAULT_SERVER,
    user: pick('user', 'UPDATECTL_USER'),
    key: pick('key', 'UPDATECTL_KEY'),
    debug: Boolean(flags.value('debug')),
    skipSslVerify: flags.isSet('skip-ssl-verify') ? Boolean(flags.value('skip-ssl-verify')) : (active?.profile.skipSslVerify ?? false),
    output: outputFormat(flags.isSet('output') ? String(flags.value('output')) : undefined, env),
    profile: active?.name,
  };
}
