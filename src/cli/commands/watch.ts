import type { CommandSpec } from '../command.js';

export const watch: CommandSpec = { name: 'watch', summary: '' };
