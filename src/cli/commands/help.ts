// `help [COMMAND]`: the global help, one command family's usage, the list of
// the 0.x verbs (`help legacy`) or one verb's help.
import { ExitCode, type CommandSpec, type Deps } from '../command.js';
import { writeUsage } from '../dispatch.js';
import { globalFlagSet } from '../globals.js';
import { globalHelp } from '../help.js';
import { COMMANDS, findCommand, isLegacyVerb } from '../registry.js';
import { VERSION } from '../version.js';

export async function showHelp(topic: string | undefined, deps: Pick<Deps, 'out' | 'program'>): Promise<number> {
  if (topic === undefined) {
    deps.out.write(globalHelp(deps.program, VERSION, COMMANDS, globalFlagSet(deps.program)));
    return ExitCode.OK;
  }
  if (topic === 'legacy' || (isLegacyVerb(topic) && !findCommand(topic))) {
    const legacy = await import('../legacy/index.js');
    deps.out.write(topic === 'legacy' ? legacy.legacyVerbList(deps.program) : legacy.verbHelpOf(topic));
    return ExitCode.OK;
  }
  const entry = findCommand(topic);
  if (!entry) {
    deps.out.write(`Unrecognized command: ${topic}\n`);
    return ExitCode.NO_COMMAND;
  }
  writeUsage(await entry.load(), deps);
  return ExitCode.OK;
}

export const help: CommandSpec = {
  name: 'help',
  usage: '[COMMAND]',
  description: 'Show every command, or the usage of one command family.',
  run: (f, d) => showHelp(f.positionals[0], d),
};
