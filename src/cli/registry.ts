// The top-level commands in the original's order. Each family loads on demand.
import type { CommandEntry } from './command.js';

export const COMMANDS: CommandEntry[] = [
  { name: 'admin-user', summary: 'Operations for modifying admin users.', load: async () => (await import('./commands/admin-user.js')).adminUser },
  { name: 'app', summary: 'Manage applications.', load: async () => (await import('./commands/app.js')).app },
  { name: 'channel', summary: 'Manage channels for an application', load: async () => (await import('./commands/channel.js')).channel },
  { name: 'database', summary: 'Operations for dealing with the backend database.', load: async () => (await import('./commands/database.js')).database },
  { name: 'group', summary: 'Operations that manage groups in an application.', load: async () => (await import('./commands/group.js')).group },
  { name: 'help', summary: 'Show a list of commands or help for one command', load: async () => (await import('./commands/help.js')).help },
  { name: 'instance', summary: 'Operations to view instances.', load: async () => (await import('./commands/instance.js')).instance },
  { name: 'package', summary: 'Manage packages for an application.', load: async () => (await import('./commands/package.js')).pkg },
  { name: 'rollout', summary: 'Operations on automated rollouts for a group.', load: async () => (await import('./commands/rollout.js')).rollout },
  { name: 'watch', summary: 'Watch for app versions and exec a given command.', load: async () => (await import('./commands/watch.js')).watch },
  { name: 'upstream', summary: 'Manage upstreams.', load: async () => (await import('./commands/upstream.js')).upstream },
  { name: 'serve', summary: 'Run the update service (v1 API, Omaha endpoint, dashboard).', load: async () => (await import('./commands/serve.js')).serve },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
