// Every command line of this CLI is a commander command tree: commander holds
// the commands and their options, stores the values, picks the subcommand,
// runs the action and shows help. The original's users need Go's `flag`
// dialect, which commander does not speak, so this file translates:
//
// - words: `-x` and `--x` are one flag; a value follows `=` or is the next
//   word, whatever it looks like; a bool never takes the next word; flags end
//   at the first positional argument or `--`. Before commander reads a
//   command's words, each flag is rewritten as `--name=value`, the one form
//   commander reads without guessing.
// - values: each option's argument parser is the flag's Go rule (flags.ts).
// - errors: Go's wording (`flag provided but not defined: -x`, …), handed to
//   the command's own conventions (usage page, `Incorrect Usage.`, one line).
// - help: each command's page comes from its own formatter.
import { Command, CommanderError, Option } from 'commander';
import { FlagError, type FlagSet, type FlagValue } from './flags.js';

/** Ends the run with this exit status: everything it had to say is written. */
export class Exit extends Error {
  constructor(readonly status: number) {
    super(`exit status ${status}`);
  }
}

/** A flag error in one command's words; that command's conventions report it. */
export class FlagProblem extends Error {
  constructor(
    readonly command: GoCommand,
    message: string,
  ) {
    super(message);
  }
}

/** How a command reports what is not its normal output. */
export interface Conventions {
  /** The page `-h`/`-help` shows (when the command does not define those flags). */
  usage(): string;
  /** Writes that page. */
  showUsage(text: string): void;
  /** Exit status after the page. */
  helpStatus: number;
  /** Reports a flag error (already worded as Go's); resolves to the exit status. */
  flagError(message: string): number | Promise<number>;
  /** 0.x verbs: flags may follow the positional arguments. */
  flagsAfterArguments?: boolean;
  /** No flags at all: every word is an argument (the 0.x `help`). */
  rawArguments?: boolean;
  /**
   * As the original's dispatcher: only the first word names a subcommand; a
   * subcommand's name after a flag or `--` is an argument of this command.
   */
  firstWordSelectsSubcommand?: boolean;
}

const UNSET: Conventions = {
  usage: () => '',
  showUsage: () => {},
  helpStatus: 0,
  flagError: () => 2,
};

/** The word the translation puts for a help request; commander's help option. */
const HELP_WORD = '-h';

type FlagKindOf = (name: string) => 'bool' | 'value' | undefined;

/**
 * Go's flag words as commander words: every flag becomes `--name=value` (a
 * bool's value is `true` unless written with `=`), a request for help becomes
 * commander's help option, and whatever follows the flags is passed on as is.
 * A word Go refuses ends the translation; its error is returned, to be raised
 * after commander has read (and validated) the words before it, which keeps
 * Go's order of errors.
 */
export function goWordsToCommander(args: readonly string[], kindOf: FlagKindOf): { words: string[]; error?: FlagError } {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === '--' || word.length < 2 || word[0] !== '-') return { words: [...words, ...args.slice(i)] };
    const body = word.slice(word[1] === '-' ? 2 : 1);
    if (body[0] === '-' || body[0] === '=') return { words, error: new FlagError(`bad flag syntax: ${word}`) };
    const eq = body.indexOf('=');
    const name = eq > 0 ? body.slice(0, eq) : body;
    let value = eq > 0 ? body.slice(eq + 1) : undefined;
    const kind = kindOf(name);
    if (kind === undefined) {
      // Go's ErrHelp: whatever follows is not looked at
      if (name === 'help' || name === 'h') return { words: [...words, HELP_WORD] };
      return { words, error: new FlagError(`flag provided but not defined: -${name}`) };
    }
    if (kind === 'value' && value === undefined) {
      if (i + 1 === args.length) return { words, error: new FlagError(`flag needs an argument: -${name}`) };
      value = args[++i]!;
    }
    words.push(`--${name}=${value ?? 'true'}`);
  }
  return { words };
}

/** 0.x order: the words from the first flag on are parsed first, the arguments before it follow them. */
function flagsFirst(args: readonly string[]): string[] {
  const first = args.findIndex((a) => a.startsWith('-'));
  return first < 0 ? [...args] : [...args.slice(first), ...args.slice(0, first)];
}

export class GoCommand extends Command {
  private flagSet: FlagSet | undefined;
  private conventions: Conventions = UNSET;
  private readonly optionByFlag = new Map<string, Option>();
  private ownAction: (() => number | Promise<number>) | undefined;
  /** Set while parsing: the first word named a subcommand. */
  private firstWordWasSubcommand = false;

  constructor(name: string) {
    super(name);
    this.helpCommand(false)
      .addHelpOption(new Option(HELP_WORD).hideHelp())
      .enablePositionalOptions()
      .passThroughOptions()
      .allowExcessArguments()
      .showSuggestionAfterError(false)
      .configureHelp({ formatHelp: () => this.conventions.usage() })
      .configureOutput({ writeOut: (text) => this.conventions.showUsage(text), writeErr: () => {}, outputError: () => {} })
      .exitOverride((err: CommanderError) => {
        if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') throw new Exit(this.conventions.helpStatus);
        // nothing else is expected (unknown words are found before commander sees them); report it as a flag error
        throw new FlagProblem(this, err.message.replace(/^error: /, ''));
      });
    this.hook('preSubcommand', async () => {
      if (this.conventions.firstWordSelectsSubcommand && !this.firstWordWasSubcommand) {
        throw new Exit(await this.runOwnAction());
      }
    });
  }

  /** Declares the command's flags as commander options, each read by its Go rule. */
  useFlags(flags: FlagSet): this {
    this.flagSet = flags;
    const attributes = new Set<string>();
    for (const def of flags.list()) {
      const option = new Option(`--${def.name} ${def.kind === 'bool' ? '[bool]' : '<value>'}`, def.usage)
        .argParser((text: string): FlagValue => flags.valueOf(def.name, text))
        .hideHelp(def.hidden === true);
      if (attributes.has(option.attributeName())) throw new Error(`${this.name()}: flags --${def.name} and another share one option name`);
      attributes.add(option.attributeName());
      this.optionByFlag.set(def.name, option);
      this.addOption(option);
    }
    return this;
  }

  useConventions(conventions: Conventions): this {
    this.conventions = conventions;
    if (conventions.rawArguments) this.helpOption(false);
    return this;
  }

  /** The command's action: resolves to its exit status. */
  run(action: () => number | Promise<number>): this {
    this.ownAction = action;
    return this.action(async () => {
      throw new Exit(await action());
    });
  }

  private async runOwnAction(): Promise<number> {
    if (!this.ownAction) throw new Error(`${this.name()} has no action`);
    return this.ownAction();
  }

  /** The declared flags with the values commander stored, and the positional arguments. */
  parsedFlags(): FlagSet {
    const flags = this.flagSet;
    if (!flags) throw new Error(`${this.name()} declares no flags`);
    for (const [name, option] of this.optionByFlag) {
      const key = option.attributeName();
      if (this.getOptionValueSource(key) === 'cli') flags.assign(name, this.getOptionValue(key) as FlagValue);
    }
    flags.positionals = [...this.args];
    return flags;
  }

  reportFlagError(message: string): number | Promise<number> {
    return this.conventions.flagError(message);
  }

  private kindOf(name: string): 'bool' | 'value' | undefined {
    const option = this.optionByFlag.get(name);
    if (!option) return undefined;
    return option.required ? 'value' : 'bool';
  }

  override parseOptions(args: string[]): { operands: string[]; unknown: string[] } {
    if (this.conventions.rawArguments) return { operands: [...args], unknown: [] };
    // no words here: a subcommand can only come from the parent's arguments, which are this command's first words
    this.firstWordWasSubcommand = args.length === 0 || this.commands.some((c) => c.name() === args[0] || c.aliases().includes(args[0]!));
    const ordered = this.conventions.flagsAfterArguments ? flagsFirst(args) : args;
    const { words, error } = goWordsToCommander(ordered, (name) => this.kindOf(name));
    let parsed: { operands: string[]; unknown: string[] };
    try {
      parsed = super.parseOptions(words);
    } catch (err) {
      if (err instanceof FlagError) throw new FlagProblem(this, err.message);
      throw err;
    }
    if (error) throw new FlagProblem(this, error.message);
    return parsed;
  }
}

/**
 * Parses `argv` with the tree under `root` and runs what it selects. Every
 * way out is an exit status: a command's own, a help page's, or a reported
 * flag error's.
 */
export async function runTree(root: GoCommand, argv: readonly string[]): Promise<number> {
  try {
    await root.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof Exit) return err.status;
    if (err instanceof FlagProblem) return err.command.reportFlagError(err.message);
    throw err;
  }
  throw new Error(`${root.name()}: the command line selected nothing to run`);
}

/**
 * Reads `args` as the flags of `flags` alone (no command runs): through
 * commander, by the same rules as every command. The values and positional
 * arguments land in `flags`. A flag error throws FlagError in Go's words;
 * a help word throws FlagError `flag: help requested`, Go's ErrHelp.
 */
export function parseFlagWords(flags: FlagSet, args: readonly string[]): FlagSet {
  const command = new GoCommand(flags.name).useFlags(flags);
  let parsed: { operands: string[]; unknown: string[] };
  try {
    parsed = command.parseOptions([...args]);
  } catch (err) {
    if (err instanceof FlagProblem) throw new FlagError(err.message);
    throw err;
  }
  if (parsed.unknown.length > 0) throw new FlagError('flag: help requested');
  command.args = parsed.operands;
  return command.parsedFlags();
}
