import type { CommandSpec } from '../command.js';

export const instance: CommandSpec = { name: 'instance', summary: '' };
