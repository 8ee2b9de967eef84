// The 2.x command families as commander commands: a spec's flags become
// options (read by Go's rules, see go-command.ts), its subcommands child
// commands, its run function the action. As in the original's dispatcher, a
// subcommand is chosen by the first word only; anything else is parsed as
// the command's own flags.
import { ExitCode, invocationWord, type CommandSpec, type Deps } from './command.js';
import { FlagError, FlagSet } from './flags.js';
import { GoCommand, runTree } from './go-command.js';
import { commandUsage } from './help.js';
import { ReportedFailure, reportFailure, reportUsage } from './render.js';

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
  reportUsage(deps, {
    usage: commandUsage(spec, flagsOf(spec), deps.program),
    problem,
    message: `missing or invalid flags or arguments; see '${deps.program} ${spec.name} --help'`,
  });
}

/** Makes `command` the commander command of `spec` and its subcommands, run with `deps`. */
export function defineCommand(command: GoCommand, spec: CommandSpec, deps: Deps): GoCommand {
  command.summary(spec.summary ?? '');
  command.useFlags(flagsOf(spec)).useConventions({
    usage: () => commandUsage(spec, flagsOf(spec), deps.program),
    // -h/--help: the usage on stdout and exit 2, as the original's flag.ErrHelp
    showUsage: (text) => deps.out.write(text),
    helpStatus: ExitCode.USAGE,
    flagError: (message) => {
      if (spec.onFlagError) return spec.onFlagError(message, deps);
      usageError(spec, deps, message);
      return ExitCode.USAGE;
    },
    firstWordSelectsSubcommand: true,
  });
  for (const sub of spec.subcommands ?? []) {
    command.addCommand(defineCommand(new GoCommand(invocationWord(sub)), sub, deps), { hidden: sub.hidden === true });
  }
  return command.run(() => runParsed(spec, command.parsedFlags(), deps));
}

/** Runs `spec`, or the subcommand its first argument names, with `args`. */
export function execute(spec: CommandSpec, args: string[], deps: Deps): Promise<number> {
  return runTree(defineCommand(new GoCommand(invocationWord(spec)), spec, deps), args);
}

async function runParsed(spec: CommandSpec, flags: FlagSet, deps: Deps): Promise<number> {
  if (!spec.run) {
    usageError(spec, deps);
    return ExitCode.USAGE;
  }
  let code: number;
  try {
    code = await spec.run(flags, deps);
  } catch (err) {
    if (err instanceof ReportedFailure) return err.exitCode;
    // a flag value only the command itself could judge: a usage error
    if (err instanceof FlagError) {
      if (spec.onFlagError) return spec.onFlagError(err.message, deps);
      usageError(spec, deps, err.message);
      return ExitCode.USAGE;
    }
    // API, transport and file errors: one log line (or JSON error), never a stack trace
    reportFailure(deps, err);
    return ExitCode.ERROR;
  }
  if (code === ExitCode.USAGE) usageError(spec, deps, missingFlags(flags, deps));
  return code;
}

/**
 * The line that names the required flags a command missed. The original
 * printed only the usage, and so does a pipe; a terminal also gets this line.
 */
function missingFlags(flags: FlagSet, deps: Deps): string | undefined {
  if (flags.missing.length === 0 || !deps.terminal.stderr.isTerminal || deps.globals.output === 'json') return undefined;
  const names = flags.missing.map((n) => `--${n}`).join(', ');
  return flags.missing.length === 1 ? `missing required flag ${names}` : `missing required flags ${names}`;
}
