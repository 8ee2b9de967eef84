import type { CommandSpec } from '../command.js';

export const rollout: CommandSpec = { name: 'rollout', summary: '' };
