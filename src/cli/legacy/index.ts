// The 0.x `updatectl` verbs, in the order its help listed them, and the
// parts of its command line that are not a verb: the app help, `help`, and
// the default action of a bare `updatectl`.
import { ExitCode, type Deps } from '../command.js';
import { LEGACY_GLOBAL_FLAGS } from '../globals.js';
import { reportFailure } from '../render.js';
import type { TabWriter } from '../tabwriter.js';
import { ADMIN_VERBS } from './admin.js';
import { APP_VERBS } from './apps.js';
import { CHANNEL_VERBS } from './channels.js';
import { GROUP_VERBS, listGroupsLegacy } from './groups.js';
import { INSTANCE_VERBS } from './instances.js';
import { PACKAGE_VERBS } from './packages.js';
import { legacyErrorMessage, legacyFlagLine, runVerb, verbHelp, type LegacyVerb } from './verb.js';
import { WATCH_VERBS } from './watch.js';

export { defineVerbCommand, runVerb } from './verb.js';

export const LEGACY_VERBS: LegacyVerb[] = [
  ...GROUP_VERBS,
  ...APP_VERBS,
  ...CHANNEL_VERBS,
  ...PACKAGE_VERBS,
  ...WATCH_VERBS,
  ...ADMIN_VERBS,
  ...INSTANCE_VERBS,
];

export function findLegacyVerb(name: string): LegacyVerb | undefined {
  return LEGACY_VERBS.find((v) => v.name === name);
}

/** How the 0.x help listed its own `help` command. */
const HELP_LINE = { name: 'help, h', usage: 'Show the verbs, or the help of one verb' };

/** `updatectl --help`: the 0.x layout (3-space indent, `GLOBAL OPTIONS:`). */
export function legacyAppHelp(program: string, version: string): string {
  let text = `NAME:\n   ${program} - drive an update service from the command line (0.x syntax)\n\n`;
  text += `USAGE:\n   ${program} [global options] command [command options] [arguments...]\n\n`;
  text += `VERSION:\n   v${version}\n\n`;
  text += 'COMMANDS:\n   ';
  for (const v of [...LEGACY_VERBS, HELP_LINE]) text += `${v.name}\t${v.usage}\n   `;
  text += '\nGLOBAL OPTIONS:\n   ';
  for (const flag of LEGACY_GLOBAL_FLAGS.filter((f) => !f.hidden)) text += `${legacyFlagLine(flag)}\n   `;
  return text + '\n';
}

/**
 * `updatectl help [verb]`. A 2.x family name is left to the caller (it has
 * its own help); anything else gets the 0.x answer.
 */
export function legacyHelpCommand(program: string, version: string, topic: string | undefined, out: TabWriter): number {
  if (topic === undefined) out.write(legacyAppHelp(program, version));
  else {
    const verb = findLegacyVerb(topic);
    out.write(verb ? verbHelp(verb) : `No help topic for '${topic}'\n`);
  }
  return ExitCode.OK;
}

/** One verb's help, for `updateservicectl help <verb>`. */
export function verbHelpOf(name: string): string {
  return verbHelp(findLegacyVerb(name)!);
}

/** `updateservicectl help legacy`: the 0.x verbs in the 2.x help layout. */
export function legacyVerbList(program: string): string {
  let text = `NAME:\n\tlegacy - the 0.x updatectl verbs, accepted by both command names\n\n`;
  text += `USAGE:\n\t${program} [global options] <verb> [arguments...] [verb options]\n\n`;
  text += 'DESCRIPTION:\n\tThe verbs of the 0.x updatectl. Their flags may follow the arguments;\n';
  text += `\t"${program} help <verb>" shows the options of one.\n\n`;
  text += 'COMMANDS:\n';
  for (const v of LEGACY_VERBS) text += `\t${v.name}\t${v.usage}\n`;
  return text + '\n';
}

/**
 * What a bare `updatectl` (or one with an unknown first word) did: the 0.x
 * app's default action was list-groups with every word as its arguments.
 */
export async function runDefaultAction(args: string[], deps: Deps): Promise<number> {
  try {
    return await listGroupsLegacy(args, deps);
  } catch (err) {
    deps.out.flush();
    reportFailure(deps, err, legacyErrorMessage(err));
    return ExitCode.ERROR;
  }
}
