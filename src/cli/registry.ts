// The top-level commands in the original's order. Each family loads on demand.
import type { CommandEntry, CommandSpec } from './command.js';

/** A family's summary lives here, once: global help shows it without loading the family. */
function family(name: string, summary: string, load: () => Promise<CommandSpec>): CommandEntry {
  return { name, summary, load: async () => ({ ...(await load()), summary }) };
}

export const COMMANDS: CommandEntry[] = [
  family('admin-user', 'Create, list, change and remove the users of the API and their roles.', async () => (await import('./commands/admin-user.js')).adminUser),
  family('app', 'Create, list, change and remove applications.', async () => (await import('./commands/app.js')).app),
  family('channel', 'Point channels of an application at package versions.', async () => (await import('./commands/channel.js')).channel),
  family('database', 'Initialise the service or take a backup of its database.', async () => (await import('./commands/database.js')).database),
  family('group', 'Control how groups of instances receive updates.', async () => (await import('./commands/group.js')).group),
  family('help', 'Show the commands, or the usage of one of them.', async () => (await import('./commands/help.js')).help),
  family('instance', 'Look at instances, or simulate some.', async () => (await import('./commands/instance.js')).instance),
  family('package', 'Register, list, mirror and remove package versions.', async () => (await import('./commands/package.js')).pkg),
  family('rollout', 'Roll a version out to a group step by step.', async () => (await import('./commands/rollout.js')).rollout),
  family('watch', 'Poll for a new version and run a command when it appears.', async () => (await import('./commands/watch.js')).watch),
  family('upstream', 'Follow the published channels of another update service.', async () => (await import('./commands/upstream.js')).upstream),
  family('serve', 'Run the update service (v1 API, Omaha endpoint, dashboard).', async () => (await import('./commands/serve.js')).loadServe()),
  family('profile', 'Save, list and choose connection profiles (server, user, key).', async () => (await import('./commands/profile.js')).profile),
  family('completion', 'Print a shell completion script (bash, zsh or fish).', async () => (await import('./commands/completion.js')).completion),
  // what the completion scripts call on every TAB
  { ...family('__complete', '', async () => (await import('./commands/completion.js')).completeEntry), hidden: true },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/**
 * The 0.x `updatectl` verbs (src/cli/legacy), by name only: both command names
 * accept them, and knowing the names must not cost loading them.
 */
export const LEGACY_VERB_NAMES: readonly string[] = [
  'list-groups', 'new-group', 'update-group', 'delete-group', 'pause-group', 'unpause-group',
  'rollup-group-versions', 'rollup-group-events', 'list-apps', 'create-app', 'update-app', 'delete-app',
  'list-channels', 'update-channel', 'list-packages', 'new-package', 'watch', 'admin-init',
  'admin-create-user', 'admin-delete-user', 'admin-list-users', 'list-clientupdates', 'list-appversions', 'fakeclients',
];

export function isLegacyVerb(name: string): boolean {
  return LEGACY_VERB_NAMES.includes(name);
}
