import type { CommandSpec } from '../command.js';

export const channel: CommandSpec = { name: 'channel', summary: '' };
