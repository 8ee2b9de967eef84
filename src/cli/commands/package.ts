import type { CommandSpec } from '../command.js';

export const pkg: CommandSpec = { name: 'package', summary: '' };
