// The command model of the original CLI: a tree of named commands, each with
// its own Go-style flag set, and a run function that returns an exit code.
import type { ApiClient } from '../api/client.js';
import type { FlagSet } from './flags.js';
import type { TabWriter } from './tabwriter.js';
import type { Terminals } from './terminal.js';

export const ExitCode = {
  OK: 0,
  /** API, transport or local file error. */
  ERROR: 1,
  /** Missing or bad flags: the command's usage follows on stdout. */
  USAGE: 2,
  /** Unknown or missing command. */
  NO_COMMAND: 3,
} as const;

/** Anything text can be written to (process streams, test buffers). */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Width of the terminal, when the stream is one. */
  columns?: number;
}

export interface GlobalOptions {
  server: string;
  user: string;
  key: string;
  debug: boolean;
  skipSslVerify: boolean;
  /** `--output` / `UPDATECTL_OUTPUT`: the original's text, the API's JSON, or boxed tables (see render.ts). */
  output: 'text' | 'json' | 'table';
  /** Name of the saved profile in use (`--profile`, `UPDATECTL_PROFILE` or the default), if any. */
  profile?: string;
}

/** What a command's run function is given besides its own flags. */
export interface Deps {
  /** The API client, created on first use from the global options. */
  client(): ApiClient;
  /** Stdout through the original's tabwriter; the dispatcher flushes it. */
  out: TabWriter;
  /** Raw stdout, for long-running commands that print as they go. */
  stdout: Output;
  /** Raw stderr. */
  stderr: Output;
  /** Writes one timestamped `log` line to stderr, as the original's log.Print (a `warning: …` one yellow on a terminal). */
  log(message: string): void;
  /** The same for a failure: red on a terminal, and followed there by a hint when one helps. */
  logError(message: string): void;
  /** How stdout and stderr show colour and extra lines: plain unless they are a terminal. */
  terminal: Terminals;
  globals: GlobalOptions;
  /** Name the CLI was invoked as: `updateservicectl` or `updatectl`. */
  program: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Resolves when the user interrupts (SIGINT/SIGTERM). Only long-running
   * commands call it: calling it replaces the default exit on those signals.
   */
  untilInterrupted(): Promise<void>;
}

export interface CommandSpec {
  /** Full name as printed in help, e.g. `group list`. */
  name: string;
  summary?: string;
  /** Arguments part of the usage line, e.g. `[OPTION]...` or `<username>`. */
  usage?: string;
  description?: string;
  defineFlags?: (flags: FlagSet) => void;
  subcommands?: CommandSpec[];
  /** Kept out of help listings (older syntaxes). */
  hidden?: boolean;
  run?: (flags: FlagSet, deps: Deps) => Promise<number> | number;
  /** Reports a flag error, when not as the original did (the error, then the usage; exit 2); returns the exit status. */
  onFlagError?: (message: string, deps: Deps) => number;
}

/** The word that invokes a command below its parent: the last word of its name. */
export function invocationWord(spec: CommandSpec): string {
  const words = spec.name.split(' ');
  return words[words.length - 1]!;
}

/** Loads a top-level command family on demand, so start-up stays fast. */
export interface CommandEntry {
  name: string;
  summary: string;
  hidden?: boolean;
  load: () => Promise<CommandSpec>;
}

/**
 * True when every named flag was given on the command line (`--x=` counts).
 * The ones missing are noted on `flags`, for the usage error to name them.
 */
export function allSet(flags: FlagSet, ...names: string[]): boolean {
  const missing = names.filter((n) => !flags.isSet(n));
  flags.missing.push(...missing.filter((n) => !flags.missing.includes(n)));
  return missing.length === 0;
}
