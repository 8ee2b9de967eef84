// The 0.x `updatectl` command model (codegangsta/cli of 2014): one flat list
// of verbs, flags that may follow the positional arguments, `name, n` flag
// aliases, help texts with 3-space indentation, and errors worded by the
// older Google API client. The 0.x verbs reuse the 2.x run functions; only
// this parsing, the help layout and a few output formats differ.
import { GoogleApiError } from '../../api/errors.js';
import { ExitCode, type Deps } from '../command.js';
import { FlagError } from '../flags.js';
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

/**
 * Parses `args` the 0.x way: everything from the first word starting with `-`
 * on is parsed as flags, and the words before it are put back after them, so
 * `new-package <appId> 1.0 --name foobar` and `update-group --label x <app> <group>`
 * both work. Go `flag` rules apply to the flag part.
 */
export function parseLegacyArgs(flags: LegacyFlag[], args: string[], setName = 'legacy'): LegacyInput {
  const set = aliasFlagSet(setName, flags);
  const first = args.findIndex((a) => a.startsWith('-'));
  set.parse(first < 0 ? args : [...args.slice(first), ...args.slice(0, first)]);
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
 * Runs one verb: parse, `--help`, run. A flag error prints `Incorrect Usage.`
 * and the verb's help; the original then exited 0 (its main ignored the
 * error). Failures are one timestamped line on stderr and exit 1 (log.Fatal).
 */
export async function runVerb(verb: LegacyVerb, args: string[], deps: Deps): Promise<number> {
  let input: LegacyInput;
  try {
    input = parseLegacyArgs([...(verb.flags ?? []), HELP_FLAG], args, verb.name);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    const intro = err.message.startsWith('Cannot use') ? `${err.message}\n\n` : 'Incorrect Usage.\n\n';
    reportUsage(deps, { usage: intro + verbHelp(verb) + '\n', message: err.message });
    return ExitCode.OK;
  }
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
export function usageFailure(deps: Pick<Deps, 'out' | 'globals' | 'stderr'>, message: string): number {
  reportUsage(deps, { usage: `${message}\n`, message });
  return ExitCode.ERROR;
}

/** Exactly `n` positional arguments, or the verb's help and exit 1. */
export function requireArgs(input: LegacyInput, n: number): string[] {
  if (input.args.length !== n) throw new ShowVerbHelp();
  return input.args;
}
