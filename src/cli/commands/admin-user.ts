// `admin-user`: create, list and delete the users allowed to call the API.
import type { ApiClient } from '../../api/client.js';
import { ExitCode, type CommandSpec, type Deps, type Output } from '../command.js';
import type { TabWriter } from '../tabwriter.js';

type AdminDeps = { client: ApiClient; out: TabWriter; stdout: Output };

/** Prints the new user's key: scripts capture it as the whole output. */
export async function createAdminUser(userName: string, { client, stdout }: AdminDeps): Promise<number> {
  const user = await client.createUser({ userName });
  stdout.write(`${user.token ?? ''}\n`);
  return ExitCode.OK;
}

export async function listAdminUsers({ client, out }: AdminDeps): Promise<number> {
  const reply = await client.listUsers();
  for (const user of reply.users ?? []) out.write(`${user.user ?? ''}\n`);
  return ExitCode.OK;
}

/** Names the user the server reports as deleted, as the original did. */
export async function deleteAdminUser(userName: string, { client, stdout }: AdminDeps): Promise<number> {
  const user = await client.deleteUser(userName);
  stdout.write(`User ${user.user ?? ''} deleted\n`);
  return ExitCode.OK;
}

const deps = (d: Deps): AdminDeps => ({ client: d.client(), out: d.out, stdout: d.stdout });

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
