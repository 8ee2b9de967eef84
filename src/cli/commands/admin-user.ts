// `admin-user`: create, list and delete the users allowed to call the API.
import type { ApiClient } from '../../api/client.js';
import type { AdminUser } from '../../api/types.js';
import { ExitCode, type CommandSpec, type Deps } from '../command.js';
import { printerOf, rowsOnly, type Columns, type Printer } from '../render.js';

type AdminDeps = { client: ApiClient; print: Printer };

const USER_COLUMNS: Columns<AdminUser> = [['User', (u) => u.user ?? '']];

/** Prints the new user's key alone: scripts capture it as the whole output. */
export async function createAdminUser(userName: string, { client, print }: AdminDeps): Promise<number> {
  const user = await client.createUser({ userName });
  print.message(`${user.token ?? ''}\n`, user, { raw: true });
  return ExitCode.OK;
}

/** One name a line, without a heading. */
export async function listAdminUsers({ client, print }: AdminDeps): Promise<number> {
  const reply = await client.listUsers();
  await print.list(USER_COLUMNS, reply.users ?? [], { text: rowsOnly(USER_COLUMNS) });
  return ExitCode.OK;
}

/** Names the user the server reports as deleted, as the original did. */
export async function deleteAdminUser(userName: string, { client, print }: AdminDeps): Promise<number> {
  const user = await client.deleteUser(userName);
  print.message(`User ${user.user ?? ''} deleted\n`, user, { raw: true });
  return ExitCode.OK;
}

export const adminDeps = (d: Deps): AdminDeps => ({ client: d.client(), print: printerOf(d) });
const deps = adminDeps;

/** The single `<username>` argument, or undefined when there is not exactly one. */
function onlyArgument(positionals: string[]): string | undefined {
  return positionals.length === 1 ? positionals[0] : undefined;
}

export const adminUser: CommandSpec = {
  name: 'admin-user',
  description: 'Manage the users that may sign API requests.',
  subcommands: [
    {
      name: 'admin-user create',
      summary: 'Create an admin user.',
      usage: '<username>',
      description: 'Create an admin user and print its new API key.',
      run: (f, d) => {
        const name = onlyArgument(f.positionals);
        return name === undefined ? ExitCode.USAGE : createAdminUser(name, deps(d));
      },
    },
    {
      name: 'admin-user list',
      summary: 'List admin users.',
      description: 'Print the name of every admin user, one a line.',
      run: (_f, d) => listAdminUsers(deps(d)),
    },
    {
      name: 'admin-user delete',
      summary: 'Delete an admin user.',
      usage: '<username>',
      description: 'Remove an admin user and revoke its key.',
      run: (f, d) => {
        const name = onlyArgument(f.positionals);
        return name === undefined ? ExitCode.USAGE : deleteAdminUser(name, deps(d));
      },
    },
  ],
};
