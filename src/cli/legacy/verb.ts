// The 0.x `updatectl` command model (codegangsta/cli of 2014): one flat list
// of verbs, flags that may follow the positional arguments, `name, n` flag
// aliases, help texts with 3-space indentation, and errors worded by the
// older Google API client. The 0.x verbs reuse the 2.x run functions; only
// this parsing, the help layout and a few output formats differ.
import { GoogleApiError } from '../../api/errors.js';
import { ExitCode, type Deps } from '../command.js';
import { FlagError, type FlagSet } from '../flags.js';
import { GoCommand, runTree } from '../go-command.js';
import { AliasedFlags, aliasesOf, aliasFlagSet, type LegacyFlag } from './flags.js';
import { reportFailure, reportUsage } from '../render.js';

export type { LegacyFlag } from './flags.js';

/** What a verb's run function gets: the positional arguments and its flags. */
export interface LegacyInput {
  args: string[];
  str(name: string): string;
  num(name: string): number;
  bool(name: string): boolean;
  isSet(name: string): boolean;
}

export interface LegacyVerb {
  name: string;
  /** The usage line the 0.x help listed beside the name, e.g. `list-groups <appId>`. */
  usage: string;
  description: string;
  flags?: LegacyFlag[];
  run(input: LegacyInput, deps: Deps): Promise<number> | number;
}

/** Thrown by a verb to print its help and exit 1, as the original's ShowCommandHelp + os.Exit(1). */
export class ShowVerbHelp extends Error {}

const HELP_FLAG: LegacyFlag = { names: 'help, h', kind: 'bool', def: false, usage: 'show this help' };

/** A verb's flags: its own and `--help, -h`. */
function verbFlags(verb: LegacyVerb): LegacyFlag[] {
  return [...(verb.flags ?? []), HELP_FLAG];
}

/** Parsed 0.x flags, read by any of their spellings; two spellings of one flag is a FlagError, as in 0.x. */
export function legacyInput(set: FlagSet, flags: LegacyFlag[]): LegacyInput {
  const flagsRead = new AliasedFlags(set, flags);
  return {
    args: set.positionals,
    str: (n) => String(flagsRead.value(n)),
    num: (n) => Number(flagsRead.value(n)),
    bool: (n) => Boolean(flagsRead.value(n)),
    isSet: (n) => flagsRead.isSet(n),
  };
}

// ---- help texts, in the 0.x layout (written through the tabwriter)

/** `--server, -s 'http://localhost:8000'\tusage`: how the 0.x help listed a flag. */
export function legacyFlagLine(flag: LegacyFlag): string {
  const names = aliasesOf(flag)
    .map((n) => (n.length === 1 ? `-${n}` : `--${n}`))
    .join(', ');
  if (flag.kind === 'bool') return `${names}\t${flag.usage}`;
  if (flag.kind === 'string' && flag.def === '') return `${names} \t${flag.usage}`;
  return `${names} '${flag.def}'\t${flag.usage}`;
}

export function verbHelp(verb: LegacyVerb): string {
  let text = `NAME:\n   ${verb.name} - ${verb.usage}\n\n`;
  text += `USAGE:\n   command ${verb.name} [command options] [arguments...]\n\n`;
  text += `DESCRIPTION:\n   ${verb.description}\n\n`;
  text += 'OPTIONS:\n   ';
  for (const flag of (verb.flags ?? []).filter((f) => !f.hidden)) text += `${legacyFlagLine(flag)}\n   `;
  return text + '\n';
}

// ---- running a verb

/**
 * The 0.x client's API errors: its google-api-go-client predates the
 * `errors` list, so an error reads `googleapi: Error 404: app not found`,
 * never with the `, reason` suffix or `More details:` lines of 2.x.
 */
export function legacyErrorMessage(err: unknown): string {
  if (err instanceof GoogleApiError) {
    return err.apiMessage
      ? `googleapi: Error ${err.code}: ${err.apiMessage}`
      : `googleapi: got HTTP response code ${err.code} with body: ${err.body}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Makes `command` the commander command of one verb, run with `deps`. Its
 * words are parsed the 0.x way: from the first word starting with `-` on they
 * are flags, and the words before it are put back after them, so
 * `new-package <appId> 1.0 --name foobar` and `update-group --label x <app> <group>`
 * both work. A flag error prints `Incorrect Usage.` and the verb's help; the
 * original then exited 0 (its main ignored the error). Failures are one
 * timestamped line on stderr and exit 1 (log.Fatal).
 */
export function defineVerbCommand(command: GoCommand, verb: LegacyVerb, deps: Deps): GoCommand {
  const flags = verbFlags(verb);
  command.useFlags(aliasFlagSet(verb.name, flags)).useConventions({
    // every verb defines --help and -h itself: this page is shown by the action
    usage: () => verbHelp(verb),
    showUsage: (text) => deps.out.write(text),
    helpStatus: ExitCode.OK,
    flagError: (message) => incorrectUsage(verb, message, deps),
    flagsAfterArguments: true,
  });
  return command.run(() => {
    let input: LegacyInput;
    try {
      input = legacyInput(command.parsedFlags(), flags);
    } catch (err) {
      if (err instanceof FlagError) return incorrectUsage(verb, err.message, deps);
      throw err;
    }
    return runParsedVerb(verb, input, deps);
  });
}

/** Runs one verb with `args`. */
export function runVerb(verb: LegacyVerb, args: string[], deps: Deps): Promise<number> {
  return runTree(defineVerbCommand(new GoCommand(verb.name), verb, deps), args);
}

function incorrectUsage(verb: LegacyVerb, message: string, deps: Deps): number {
  const intro = message.startsWith('Cannot use') ? `${message}\n\n` : 'Incorrect Usage.\n\n';
  reportUsage(deps, { usage: intro + verbHelp(verb) + '\n', message });
  return ExitCode.OK;
}

async function runParsedVerb(verb: LegacyVerb, input: LegacyInput, deps: Deps): Promise<number> {
  if (input.bool('help')) {
    deps.out.write(verbHelp(verb));
    return ExitCode.OK;
  }
  try {
    return await verb.run(input, deps);
  } catch (err) {
    if (err instanceof ShowVerbHelp) {
      reportUsage(deps, { usage: verbHelp(verb), message: `wrong number of arguments; see '${deps.program} help ${verb.name}'` });
      return ExitCode.ERROR;
    }
    deps.out.flush();
    reportFailure(deps, err, legacyErrorMessage(err));
    return ExitCode.ERROR;
  }
}

/** Prints `message` on stdout and fails: the original's `fmt.Println(...); os.Exit(1)` (with --output=json, a JSON usage error). */
export function usageFailure(deps: Pick<Deps, 'out' | 'globals' | 'stderr' | 'terminal'>, message: string): number {
  reportUsage(deps, { usage: `${message}\n`, message });
  return ExitCode.ERROR;
}

/** Exactly `n` positional arguments, or the verb's help and exit 1. */
export function requireArgs(input: LegacyInput, n: number): string[] {
  if (input.args.length !== n) throw new ShowVerbHelp();
  return input.args;
}
