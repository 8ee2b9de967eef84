// `help [COMMAND]`: the global help, or one command family's usage.
import { ExitCode, type CommandSpec, type Deps } from '../command.js';
import { writeUsage } from '../dispatch.js';
import { globalFlagSet } from '../globals.js';
import { globalHelp } from '../help.js';
import { COMMANDS, findCommand } from '../registry.js';
import { VERSION } from '../version.js';

export async function showHelp(topic: string | undefined, deps: Pick<Deps, 'out' | 'program'>): Promise<number> {
  if (topic === undefined) {
    deps.out.write(globalHelp(deps.program, VERSION, COMMANDS, globalFlagSet(deps.program)));
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
