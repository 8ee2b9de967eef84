import type { CommandSpec } from '../command.js';

export const upstream: CommandSpec = { name: 'upstream', summary: '' };
