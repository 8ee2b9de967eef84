// Walks the command tree the way the original did: a word naming a
// subcommand descends, anything else is parsed as the command's own flags.
import { ExitCode, invocationWord, type CommandSpec, type Deps } from './command.js';
import { FlagError, FlagSet, HelpRequested } from './flags.js';
import { commandUsage } from './help.js';
import { reportFailure, reportUsage } from './render.js';

/** Builds a command's flag set. */
export function flagsOf(spec: CommandSpec): FlagSet {
  const flags = new FlagSet(spec.name);
  spec.defineFlags?.(flags);
  return flags;
}

export function writeUsage(spec: CommandSpec, deps: Pick<Deps, 'out' | 'program'>): void {
  deps.out.write(commandUsage(spec, flagsOf(spec), deps.program));
}

/** A usage error: the flag error and the usage, or (with --output=json) one JSON error. */
function usageError(spec: CommandSpec, deps: Deps, problem?: string): void {
  reportUsage(deps, commandUsage(spec, flagsOf(spec), deps.program), problem, `${deps.program} ${spec.name}`);
}

export async function execute(spec: CommandSpec, args: string[], deps: Deps): Promise<number> {
  const word = args[0];
  const sub = word === undefined ? undefined : spec.subcommands?.find((s) => invocationWord(s) === word);
  if (sub) return execute(sub, args.slice(1), deps);

  const flags = flagsOf(spec);
  try {
    flags.parse(args);
  } catch (err) {
    if (err instanceof FlagError) usageError(spec, deps, err.message);
    else if (err instanceof HelpRequested) writeUsage(spec, deps);
    else throw err;
    return ExitCode.USAGE;
  }
  if (!spec.run) {
    usageError(spec, deps);
    return ExitCode.USAGE;
  }
  let code: number;
  try {
    code = await spec.run(flags, deps);
  } catch (err) {
    // a flag value only the command itself could judge: a usage error
    if (err instanceof FlagError) {
      usageError(spec, deps, err.message);
      return ExitCode.USAGE;
    }
    // API, transport and file errors: one log line (or JSON error), never a stack trace
    reportFailure(deps, err);
    return ExitCode.ERROR;
  }
  if (code === ExitCode.USAGE) usageError(spec, deps);
  return code;
}
