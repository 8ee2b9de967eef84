// The two command lines as commander trees. Every family and 0.x verb is a
// command of the program from the start, but only as a name (and a summary
// for the global help): the one the command line picks is filled in, with
// its flags, subcommands and action, from its module, loaded then. So
// `--version`, the global help and an unknown command load no family and no
// HTTP client.
import { ExitCode, type Deps, type GlobalOptions } from './command.js';
import { FlagError, FlagSet } from './flags.js';
import { Exit, FlagProblem, GoCommand, runTree } from './go-command.js';
import { globalFlagSet, LEGACY_GLOBAL_FLAGS, legacyGlobalFlagSet, resolveGlobals, resolveLegacyGlobals } from './globals.js';
import { globalHelp } from './help.js';
import { AliasedFlags } from './legacy/flags.js';
import type { MainIO } from './main.js';
import { logLine } from './output.js';
import { profileForCommand } from './profiles.js';
import { COMMANDS, findCommand, isLegacyVerb, LEGACY_VERB_NAMES } from './registry.js';
import type { TabWriter } from './tabwriter.js';
import { hinter, terminalsFor } from './terminal.js';
import { VERSION } from './version.js';

/** One run of a program: where it writes, and the dependencies it made (their HTTP clients are closed at the end). */
interface Invocation {
  program: string;
  io: MainIO;
  out: TabWriter;
  opened: Array<Deps & { closeClient(): Promise<void> }>;
}

/** Runs `argv` through the command tree of `program` (`updatectl` is the 0.x one); resolves to the exit status. */
export async function runProgram(program: string, legacy: boolean, argv: string[], io: MainIO, out: TabWriter): Promise<number> {
  const run: Invocation = { program, io, out, opened: [] };
  try {
    return await runTree(legacy ? legacyProgram(run) : modernProgram(run), argv);
  } finally {
    for (const deps of run.opened) await deps.closeClient();
  }
}

/** A command of the program that is only a name until it is picked. */
function placeholder(name: string, summary = ''): GoCommand {
  return new GoCommand(name).summary(summary);
}

/** `updateservicectl`: the 2.1.0 command line; the 0.x verbs work too. */
function modernProgram(run: Invocation): GoCommand {
  const { program, io, out } = run;
  const globals = globalFlagSet(program);
  const usage = () => `Usage of ${program}:\n${globals.printDefaults()}`;
  const root = new GoCommand(program).useFlags(globals).useConventions({
    // Go's flag.ErrHelp for the global flags: their list on stderr, exit 0
    usage,
    showUsage: (text) => io.stderr.write(text),
    helpStatus: ExitCode.OK,
    flagError: async (message) => {
      const { stderr } = await terminalsFor(io);
      io.stderr.write(`${stderr.error(`${message}\n`)}${usage()}`);
      return ExitCode.USAGE;
    },
  });
  for (const entry of COMMANDS) root.addCommand(placeholder(entry.name, entry.summary), { hidden: entry.hidden === true });
  for (const verb of LEGACY_VERB_NAMES) if (!findCommand(verb)) root.addCommand(placeholder(verb), { hidden: true });

  const helpOrVersion = (): FlagSet => {
    const flags = root.parsedFlags();
    if (flags.getBool('help')) {
      out.write(globalHelp(program, VERSION, COMMANDS, flags));
      throw new Exit(ExitCode.OK);
    }
    if (flags.getBool('version')) {
      out.write(`${program} version ${VERSION}\n`);
      throw new Exit(ExitCode.OK);
    }
    return flags;
  };
  root.hook('preSubcommand', async (_root, sub) => {
    // every command of the tree is a GoCommand
    const picked = sub as GoCommand;
    const flags = helpOrVersion();
    const name = picked.name();
    const profileFlag = flags.isSet('profile') ? flags.getString('profile') : undefined;
    // the service has its own settings: no connection options apply to it
    const options =
      name === 'serve' ? resolveGlobals(flags, {}) : resolveGlobals(flags, io.env, await profileForCommand(name, profileFlag, io.env));
    if (isLegacyVerb(name) && (!findCommand(name) || looksLikeLegacyWatch(root.args.slice(1), false))) {
      await fillVerb(run, picked, options);
    } else {
      await fillFamily(run, picked, options);
    }
  });
  return root.run(() => {
    helpOrVersion();
    out.write(`${program}: unknown subcommand: "${root.args[0] ?? ''}"\nRun '${program} --help' for usage.\n`);
    return ExitCode.NO_COMMAND;
  });
}

/**
 * `updatectl`: the 0.x command line (codegangsta/cli): `-s/-u/-k` globals,
 * its help and version line, flag errors that print `Incorrect Usage.` and
 * exit 0, and list-groups as what runs without a known verb. The 2.x command
 * families work under this name too.
 */
function legacyProgram(run: Invocation): GoCommand {
  const { program, io, out } = run;
  const root = new GoCommand(program).useFlags(legacyGlobalFlagSet(program)).useConventions({
    // -h and --help are flags of its own: this page is shown by readGlobals
    usage: () => '',
    showUsage: () => {},
    helpStatus: ExitCode.OK,
    flagError: async (message) => {
      const legacy = await import('./legacy/index.js');
      const intro = message.startsWith('Cannot use') ? `${message}\n` : 'Incorrect Usage.\n\n';
      out.write(intro + legacy.legacyAppHelp(program, VERSION) + '\n');
      return ExitCode.OK;
    },
  });
  root.addCommand(placeholder('help').alias('h'));
  for (const entry of COMMANDS) if (entry.name !== 'help') root.addCommand(placeholder(entry.name, entry.summary), { hidden: entry.hidden === true });
  for (const verb of LEGACY_VERB_NAMES) if (!findCommand(verb)) root.addCommand(placeholder(verb));

  /** The global flags, once `--help` and `--version` are answered (nothing of the 0.x verbs loads for --version). */
  const readGlobals = async (): Promise<GlobalOptions> => {
    const flags = root.parsedFlags();
    let aliased: AliasedFlags;
    try {
      aliased = new AliasedFlags(flags, LEGACY_GLOBAL_FLAGS);
    } catch (err) {
      if (err instanceof FlagError) throw new FlagProblem(root, err.message);
      throw err;
    }
    if (!aliased.value('help') && aliased.value('version')) {
      out.write(`${program} version v${VERSION}\n`);
      throw new Exit(ExitCode.OK);
    }
    if (aliased.value('help')) {
      const legacy = await import('./legacy/index.js');
      out.write(legacy.legacyAppHelp(program, VERSION));
      throw new Exit(ExitCode.OK);
    }
    const profileFlag = aliased.isSet('profile') ? String(aliased.value('profile')) : undefined;
    return resolveLegacyGlobals(aliased, io.env, await profileForCommand(root.args[0] ?? '', profileFlag, io.env));
  };
  root.hook('preSubcommand', async (_root, sub) => {
    const picked = sub as GoCommand;
    const options = await readGlobals();
    const name = picked.name();
    if (name === 'help') fillLegacyHelp(run, picked, options);
    else if (isLegacyVerb(name) && (!findCommand(name) || looksLikeLegacyWatch(root.args.slice(1), true))) await fillVerb(run, picked, options);
    else await fillFamily(run, picked, options);
  });
  // any other first word: the 0.x app's default action, list-groups with every word as its arguments
  return root.run(async () => {
    const options = await readGlobals();
    const legacy = await import('./legacy/index.js');
    return legacy.runDefaultAction(root.args, await makeDeps(run, options, 'list-groups'));
  });
}

/**
 * `watch` is a verb of both generations: 0.x takes the ids as arguments,
 * 2.x as `--app-id`/`--group-id`. Under `updatectl` the 0.x form is assumed
 * unless those flags appear; under `updateservicectl` the 2.x form is, unless
 * the 0.x arguments (at least four words before any flag) are there.
 */
function looksLikeLegacyWatch(rest: string[], legacyByDefault: boolean): boolean {
  const modernFlag = rest.some((a) => /^--?(app-id|group-id|client-id)(=|$)/.test(a));
  if (legacyByDefault) return !modernFlag;
  const leading = rest.findIndex((a) => a.startsWith('-'));
  return !modernFlag && (leading < 0 ? rest.length : leading) >= 4;
}

/** The picked placeholder becomes a 2.x family (or `serve`). */
async function fillFamily(run: Invocation, picked: GoCommand, options: GlobalOptions): Promise<void> {
  const entry = findCommand(picked.name())!;
  const deps = await makeDeps(run, options, entry.name);
  const [spec, { defineCommand }] = await Promise.all([entry.load(), import('./dispatch.js')]);
  defineCommand(picked, spec, deps);
}

/** The picked placeholder becomes a 0.x verb. */
async function fillVerb(run: Invocation, picked: GoCommand, options: GlobalOptions): Promise<void> {
  const legacy = await import('./legacy/index.js');
  legacy.defineVerbCommand(picked, legacy.findLegacyVerb(picked.name())!, await makeDeps(run, options, picked.name()));
}

/** `updatectl help [topic]`: every word is an argument; a 2.x family as topic gets the 2.x help. */
function fillLegacyHelp(run: Invocation, picked: GoCommand, options: GlobalOptions): void {
  picked.useConventions({ usage: () => '', showUsage: () => {}, helpStatus: ExitCode.OK, flagError: () => ExitCode.OK, rawArguments: true });
  picked.run(async () => {
    const topic = picked.args[0];
    if (topic !== undefined && !isLegacyVerb(topic) && findCommand(topic)) {
      const { showHelp } = await import('./commands/help.js');
      return showHelp(topic, await makeDeps(run, options, 'help'));
    }
    const legacy = await import('./legacy/index.js');
    return legacy.legacyHelpCommand(run.program, VERSION, topic, run.out);
  });
}

/** What a command runs with: the API client (made on first use), output, log, environment. */
async function makeDeps(run: Invocation, globals: GlobalOptions, command: string): Promise<Deps> {
  const { program, io, out } = run;
  // help and the service never talk to the API: skip loading the HTTP client for them
  const needsClient = command !== 'help' && command !== 'serve';
  const clientModule = needsClient ? await import('../api/client.js') : undefined;
  let client: import('../api/client.js').ApiClient | undefined;
  const trace = io.env['UPDATECTL_TRACE_HTTP'] ? (text: string) => io.stderr.write(text) : undefined;
  const terminal = await terminalsFor(io);
  const hint = hinter(io.stderr, terminal.stderr);
  const deps: Deps & { closeClient(): Promise<void> } = {
    client() {
      if (!clientModule) throw new Error(`${command} does not use the API client`);
      client ??= new clientModule.ApiClient({
        server: globals.server,
        user: globals.user,
        key: globals.key,
        skipSslVerify: globals.skipSslVerify,
        trace,
      });
      return client;
    },
    async closeClient() {
      await client?.close();
    },
    out,
    stdout: io.stdout,
    stderr: io.stderr,
    log: (message) => {
      const line = logLine(message);
      io.stderr.write(message.startsWith('warning: ') ? terminal.stderr.warning(line) : line);
      hint(line);
    },
    logError: (message) => {
      const line = logLine(message);
      io.stderr.write(terminal.stderr.error(line));
      hint(line);
    },
    terminal,
    globals,
    program,
    env: io.env,
    cwd: io.cwd,
    untilInterrupted: io.untilInterrupted ?? (() => new Promise<void>(() => {})),
  };
  run.opened.push(deps);
  return deps;
}
