import type { CommandSpec } from '../command.js';

export const group: CommandSpec = { name: 'group', summary: '' };
