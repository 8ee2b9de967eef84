// `admin-user`: create, list, update and delete the users allowed to call the
// API, and their roles (admin, editor, viewer; editors and viewers optionally
// limited to some apps).
import type { ApiClient } from '../../api/client.js';
import type { AdminUser, UserRole } from '../../api/types.js';
import { ExitCode, type CommandSpec, type Deps } from '../command.js';
import type { FlagSet } from '../flags.js';
import { printerOf, rowsOnly, writeRows, type Columns, type Printer } from '../render.js';

type AdminDeps = { client: ApiClient; print: Printer; terminal: boolean };

const ROLES: readonly UserRole[] = ['admin', 'editor', 'viewer'];

/** A user without a role comes from a service without roles, where every user was an admin. */
const roleOf = (u: AdminUser): UserRole => u.role ?? 'admin';
const appsOf = (u: AdminUser): string => (u.apps?.length ? u.apps.join(',') : 'all');

const USER_COLUMNS: Columns<AdminUser> = [
  ['User', (u) => u.user ?? ''],
  ['Role', roleOf],
  ['Apps', appsOf],
];
const NAME_ONLY: Columns<AdminUser> = [USER_COLUMNS[0]!];

export interface UserAccessOptions {
  /** Empty: not given. */
  role: UserRole | '';
  /** The `--apps` list, when given ([] for every app). */
  apps?: string[];
}

/** The request fields for the given options: absent ones are left out, so the original's body stays `{"userName":…}`. */
function accessFields(opts: UserAccessOptions): { role?: UserRole; apps?: string[] } {
  return { ...(opts.role ? { role: opts.role } : {}), ...(opts.apps ? { apps: opts.apps } : {}) };
}

/** Prints the new user's key alone: scripts capture it as the whole output. */
export async function createAdminUser(userName: string, opts: UserAccessOptions, { client, print }: AdminDeps): Promise<number> {
  const user = await client.createUser({ userName, ...accessFields(opts) });
  print.message(`${user.token ?? ''}\n`, user, { raw: true });
  return ExitCode.OK;
}

/**
 * One name a line, without a heading, as the original printed it for scripts.
 * On a terminal, a table of names, roles and apps.
 */
export async function listAdminUsers({ client, print, terminal }: AdminDeps): Promise<number> {
  const reply = await client.listUsers();
  await print.list(USER_COLUMNS, reply.users ?? [], {
    text: terminal ? (out, rows) => writeRows(out, USER_COLUMNS, rows) : rowsOnly(NAME_ONLY),
  });
  return ExitCode.OK;
}

/** Changes a user's role or apps; names the user and what it may now do. */
export async function updateAdminUser(userName: string, opts: UserAccessOptions, { client, print }: AdminDeps): Promise<number> {
  const user = await client.updateUser(userName, accessFields(opts));
  const apps = user.apps?.length ? `apps ${user.apps.join(',')}` : 'every app';
  print.message(`User ${user.user ?? userName} updated: role ${roleOf(user)}, ${apps}\n`, user);
  return ExitCode.OK;
}

/** Names the user the server reports as deleted, as the original did. */
export async function deleteAdminUser(userName: string, { client, print }: AdminDeps): Promise<number> {
  const user = await client.deleteUser(userName);
  print.message(`User ${user.user ?? ''} deleted\n`, user, { raw: true });
  return ExitCode.OK;
}

export const adminDeps = (d: Deps): AdminDeps => ({ client: d.client(), print: printerOf(d), terminal: d.stdout.isTTY === true });
const deps = adminDeps;

/** The single `<username>` argument, or undefined when there is not exactly one. */
function onlyArgument(positionals: string[]): string | undefined {
  return positionals.length === 1 ? positionals[0] : undefined;
}

/** `--role` and `--apps`; on `create` they stay out of the help, whose layout is the original's. */
function accessFlags(f: FlagSet, hidden: boolean): FlagSet {
  return f
    .custom('role', 'string', {
      defValue: '',
      usage: 'What the user may do: admin (everything), editor (apps, channels, groups, packages, rollouts, uploads) or viewer (reads).',
      hidden,
      parse: (text) => {
        if (!(ROLES as readonly string[]).includes(text)) throw new Error('must be admin, editor or viewer');
        return text;
      },
    })
    .string('apps', '', 'Comma-separated app ids an editor or viewer is limited to; empty for every app.', hidden);
}

function accessOptions(f: FlagSet): UserAccessOptions {
  return {
    role: f.getString('role') as UserRole | '',
    apps: f.isSet('apps') ? f.getString('apps').split(',').map((id) => id.trim()).filter((id) => id !== '') : undefined,
  };
}

export const adminUser: CommandSpec = {
  name: 'admin-user',
  description: 'Manage the users that may sign API requests, and their roles.',
  subcommands: [
    {
      name: 'admin-user create',
      summary: 'Create a user.',
      usage: '<username>',
      description:
        'Create a user and print its new API key. It is an admin unless --role=editor or --role=viewer says otherwise; --apps=ID,... limits an editor or viewer to those apps.',
      defineFlags: (f) => accessFlags(f, true),
      run: (f, d) => {
        const name = onlyArgument(f.positionals);
        return name === undefined ? ExitCode.USAGE : createAdminUser(name, accessOptions(f), deps(d));
      },
    },
    {
      name: 'admin-user list',
      summary: 'List users.',
      description: 'Print the name of every user, one a line; on a terminal, with its role and apps.',
      run: (_f, d) => listAdminUsers(deps(d)),
    },
    {
      name: 'admin-user delete',
      summary: 'Delete a user.',
      usage: '<username>',
      description: 'Remove a user and revoke its key. The last admin cannot be deleted.',
      run: (f, d) => {
        const name = onlyArgument(f.positionals);
        return name === undefined ? ExitCode.USAGE : deleteAdminUser(name, deps(d));
      },
    },
    {
      name: 'admin-user update',
      summary: "Change a user's role or apps.",
      usage: '[--role=admin|editor|viewer] [--apps=ID,...] <username>',
      description: 'Give a user another role, or limit it to other apps (--apps= for every app). Its key stays. The last admin cannot be demoted.',
      defineFlags: (f) => accessFlags(f, false),
      run: (f, d) => {
        const name = onlyArgument(f.positionals);
        if (name === undefined || !(f.isSet('role') || f.isSet('apps'))) return ExitCode.USAGE;
        return updateAdminUser(name, accessOptions(f), deps(d));
      },
    },
  ],
};
