// 0.x admin verbs: admin-init, admin-create-user, admin-delete-user, admin-list-users.
import { type Deps } from '../command.js';
import { adminDeps, createAdminUser, deleteAdminUser, listAdminUsers } from '../commands/admin-user.js';
import { initDatabase } from '../commands/database.js';
import { printerOf } from '../render.js';
import { requireArgs, type LegacyVerb } from './verb.js';

export const ADMIN_VERBS: LegacyVerb[] = [
  {
    name: 'admin-init',
    usage: 'admin-init',
    description: "Set up the service's database (prints the reply; fails unless it is `ok`).",
    run: (_input, d) => initDatabase({ client: d.client(), print: printerOf(d) }),
  },
  {
    name: 'admin-create-user',
    usage: 'admin-create-user -u USER',
    description: 'Create an admin user and print its API key.',
    flags: [{ names: 'user, u', kind: 'string', def: '', usage: 'name of the new user' }],
    run: (input, d) => createAdminUser(input.str('user'), { role: '' }, adminDeps(d)),
  },
  {
    name: 'admin-delete-user',
    usage: 'admin-delete-user <username>',
    description: 'Remove an admin user.',
    run: (input, d) => deleteAdminUser(requireArgs(input, 1)[0]!, adminDeps(d)),
  },
  {
    name: 'admin-list-users',
    usage: 'admin-list-users <username>',
    description: 'Print the name of every admin user.',
    run: (_input, d) => listAdminUsers(adminDeps(d)),
  },
];
