// Walks the command tree the way the original did: a word naming a
// subcommand descends, anything else is parsed as the command's own flags.
import { ExitCode, invocationWord, type CommandSpec, type Deps } from './command.js';
import { FlagError, FlagSet, HelpRequested } from './flags.js';
import { commandUsage } from './help.js';

/** Builds a command's flag set. */
export function flagsOf(spec: CommandSpec): FlagSet {
  const flags = new FlagSet(spec.name);
  spec.defineFlags?.(flags);
  return flags;
}

export function writeUsage(spec: CommandSpec, deps: Pick<Deps, 'out' | 'program'>): void {
  deps.out.write(commandUsage(spec, flagsOf(spec), deps.program));
}

export async function execute(spec: CommandSpec, args: string[], deps: Deps): Promise<number> {
  const word = args[0];
  const sub = word === undefined ? undefined : spec.subcommands?.find((s) => invocationWord(s) === word);
  if (sub) return execute(sub, args.slice(1), deps);

  const flags = flagsOf(spec);
  try {
    flags.parse(args);
  } catch (err) {
    if (err instanceof FlagError) deps.stderr.write(err.message + '\n');
    else if (!(err instanceof HelpRequested)) throw err;
    writeUsage(spec, deps);
    return ExitCode.USAGE;
  }
  if (!spec.run) {
    writeUsage(spec, deps);
    return ExitCode.USAGE;
  }
  let code: number;
  try {
    code = await spec.run(flags, deps);
  } catch (err) {
    // API, transport and file errors: one log line, never a stack trace
    deps.log(err instanceof Error ? err.message : String(err));
    return ExitCode.ERROR;
  }
  if (code === ExitCode.USAGE) writeUsage(spec, deps);
  return code;
}
