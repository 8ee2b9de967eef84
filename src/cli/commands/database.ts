import type { CommandSpec } from '../command.js';

export const database: CommandSpec = { name: 'database', summary: '' };
