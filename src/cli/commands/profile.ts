// `profile`: save the connection (server, user, key) under a name, pick the
// default one, list, show and delete them. Keys are written to the profile
// file only; nothing here prints one in full.
import { ExitCode, type CommandSpec, type Deps, type GlobalOptions } from '../command.js';
import { printerOf, type Columns, type Printer } from '../render.js';
import { maskKey, ProfileError, ProfileStore, type SavedProfile } from '../profiles.js';

type ProfileDeps = { env: NodeJS.ProcessEnv; print: Printer; globals: GlobalOptions };

/** A profile as listed and shown: never with its key. */
interface ProfileRow {
  name: string;
  server: string;
  user: string;
  skipSslVerify: boolean;
  default: boolean;
}

const LIST_COLUMNS: Columns<ProfileRow> = [
  ['Name', (p) => p.name],
  ['Server', (p) => p.server],
  ['User', (p) => p.user],
  ['Default', (p) => p.default],
];

function rowOf(name: string, p: SavedProfile, defaultName: string | undefined): ProfileRow {
  return { name, server: p.server, user: p.user, skipSslVerify: p.skipSslVerify ?? false, default: name === defaultName };
}

/** Saves the connection the command line resolves to (flags, then variables, then the active profile). */
export async function saveProfile(name: string, { env, print, globals }: ProfileDeps): Promise<number> {
  const store = await ProfileStore.open(env, { forWriting: true });
  const profile: SavedProfile = { server: globals.server, user: globals.user, key: globals.key };
  if (globals.skipSslVerify) profile.skipSslVerify = true;
  store.save(name, profile);
  const who = profile.user === '' ? 'no user' : `user ${profile.user}`;
  print.message(`Saved profile "${name}": ${profile.server} as ${who}.\n`, rowOf(name, profile, store.defaultName));
  return ExitCode.OK;
}

export async function useProfile(name: string, { env, print }: ProfileDeps): Promise<number> {
  const store = await ProfileStore.open(env, { forWriting: true });
  store.setDefault(name);
  print.message(`Default profile: ${name}\n`, rowOf(name, store.get(name)!, name));
  return ExitCode.OK;
}

export async function listProfiles({ env, print }: ProfileDeps): Promise<number> {
  const store = await ProfileStore.open(env);
  const defaultName = store.defaultName;
  await print.list(LIST_COLUMNS, store.list().map(([name, p]) => rowOf(name, p, defaultName)));
  return ExitCode.OK;
}

/** One profile, the named one or the one in use, with its key masked (see maskKey). */
export async function showProfile(name: string | undefined, { env, print, globals }: ProfileDeps): Promise<number> {
  const chosen = name ?? globals.profile;
  if (chosen === undefined) throw new ProfileError('no profile is in use: name one, or choose a default with "profile use"');
  const store = await ProfileStore.open(env);
  const profile = store.require(chosen, 'profile show');
  const row = { ...rowOf(chosen, profile, store.defaultName), key: maskKey(profile.key), file: store.file };
  const fields: Columns<typeof row> = [
    ['Name', (r) => r.name],
    ['Server', (r) => r.server],
    ['User', (r) => r.user],
    ['Key', (r) => r.key],
    ['Skip SSL verify', (r) => r.skipSslVerify],
    ['Default', (r) => r.default],
    ['File', (r) => r.file],
  ];
  await print.item(fields, row, {
    // text: one "field<TAB>value" line each, aligned by the tabwriter
    text: (out) => {
      for (const [label, cell] of fields) out.row(label, cell(row));
    },
  });
  return ExitCode.OK;
}

export async function deleteProfile(name: string, { env, print }: ProfileDeps): Promise<number> {
  const store = await ProfileStore.open(env, { forWriting: true });
  const wasDefault = store.defaultName === name;
  const profile = store.require(name, 'profile delete');
  store.remove(name);
  const note = wasDefault ? ' There is no default profile now.' : '';
  print.message(`Deleted profile "${name}".${note}\n`, rowOf(name, profile, wasDefault ? name : undefined));
  return ExitCode.OK;
}

const deps = (d: Deps): ProfileDeps => ({ env: d.env, print: printerOf(d), globals: d.globals });

/** The single `<name>` argument, or undefined when there is not exactly one. */
function onlyArgument(positionals: string[]): string | undefined {
  return positionals.length === 1 ? positionals[0] : undefined;
}

function withName(run: (name: string, d: ProfileDeps) => Promise<number>): NonNullable<CommandSpec['run']> {
  return (f, d) => {
    const name = onlyArgument(f.positionals);
    return name === undefined ? ExitCode.USAGE : run(name, deps(d));
  };
}

export const profile: CommandSpec = {
  name: 'profile',
  description:
    'Save connections (server, user and key) under names, so that commands need no --server, --user and --key. ' +
    'A command uses the profile named by --profile, else by UPDATECTL_PROFILE, else the default one; ' +
    'flags and UPDATECTL_* variables still win over it.',
  subcommands: [
    {
      name: 'profile save',
      summary: 'Save the current connection under a name.',
      usage: '<name>',
      description: 'Save the server, user and key given by the global flags (or UPDATECTL_* variables, or the profile in use) under a name; an existing profile of that name is replaced.',
      run: withName(saveProfile),
    },
    {
      name: 'profile use',
      summary: 'Make a profile the default.',
      usage: '<name>',
      description: 'Make a saved profile the one commands use when neither --profile nor UPDATECTL_PROFILE names one.',
      run: withName(useProfile),
    },
    {
      name: 'profile list',
      summary: 'List saved profiles.',
      description: 'List the saved profiles with their server and user (never their key), and which one is the default.',
      run: (_f, d) => listProfiles(deps(d)),
    },
    {
      name: 'profile show',
      summary: 'Show one profile, its key masked.',
      usage: '[name]',
      description: 'Show a saved profile (by default the one in use); of its key only the length and the last 4 characters are shown.',
      run: (f, d) => (f.positionals.length > 1 ? ExitCode.USAGE : showProfile(f.positionals[0], deps(d))),
    },
    {
      name: 'profile delete',
      summary: 'Delete a saved profile.',
      usage: '<name>',
      description: 'Remove a saved profile; when it was the default, no profile is the default any more.',
      run: withName(deleteProfile),
    },
  ],
};
