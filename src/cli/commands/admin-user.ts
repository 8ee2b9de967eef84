import type { CommandSpec } from '../command.js';

export const adminUser: CommandSpec = { name: 'admin-user', summary: '' };
