// Entry point of both command names (`updatectl` speaks the 0.x syntax). Only what `--version` and the global
// help need is loaded up front; command families and the HTTP client load
// on demand, so the CLI starts about as fast as Node itself.
import { ExitCode, type Deps, type GlobalOptions, type Output } from './command.js';
import { FlagError, HelpRequested } from './flags.js';
import { BadGlobalValue, globalFlagSet, LEGACY_GLOBAL_FLAGS, legacyGlobalFlagSet, resolveGlobals, resolveLegacyGlobals } from './globals.js';
import { AliasedFlags } from './legacy/flags.js';
import { globalHelp } from './help.js';
import { logLine } from './output.js';
import { ProfileError, profileForCommand } from './profiles.js';
import { COMMANDS, findCommand, isLegacyVerb } from './registry.js';
import { TabWriter } from './tabwriter.js';
import { VERSION } from './version.js';

/** The 0.x command name: its own help, version line and syntax (src/cli/legacy). */
const LEGACY_PROGRAM = 'updatectl';

export interface MainIO {
  stdout: Output;
  stderr: Output;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves when the user interrupts; defaults to never. */
  untilInterrupted?: () => Promise<void>;
}

export async function main(program: string, argv: string[], io: MainIO): Promise<number> {
  const out = new TabWriter((text) => io.stdout.write(text));
  try {
    return program === LEGACY_PROGRAM ? await legacyMain(program, argv, out, io) : await modernMain(program, argv, out, io);
  } catch (err) {
    if (err instanceof ProfileError) {
      io.stderr.write(logLine(err.message));
      return ExitCode.ERROR;
    }
    if (!(err instanceof BadGlobalValue)) throw err;
    io.stderr.write(`${err.message}\n`);
    return ExitCode.USAGE;
  } finally {
    out.flush();
  }
}

/** `updateservicectl`: the 2.1.0 command line; the 0.x verbs work too. */
async function modernMain(program: string, argv: string[], out: TabWriter, io: MainIO): Promise<number> {
  const globals = globalFlagSet(program);
  try {
    globals.parse(argv);
  } catch (err) {
    if (err instanceof FlagError) {
      io.stderr.write(`${err.message}\nUsage of ${program}:\n${globals.printDefaults()}`);
      return ExitCode.USAGE;
    }
    if (err instanceof HelpRequested) {
      io.stderr.write(`Usage of ${program}:\n${globals.printDefaults()}`);
      return ExitCode.OK;
    }
    throw err;
  }
  if (globals.getBool('help')) {
    out.write(globalHelp(program, VERSION, COMMANDS, globals));
    return ExitCode.OK;
  }
  if (globals.getBool('version')) {
    out.write(`${program} version ${VERSION}\n`);
    return ExitCode.OK;
  }
  const [name = '', ...rest] = globals.positionals;
  const profileFlag = globals.isSet('profile') ? globals.getString('profile') : undefined;
  const options = async () => resolveGlobals(globals, io.env, await profileForCommand(name, profileFlag, io.env));
  if (name === 'help' && rest[0] !== undefined && (rest[0] === 'legacy' || (isLegacyVerb(rest[0]) && !findCommand(rest[0])))) {
    const legacy = await import('./legacy/index.js');
    out.write(rest[0] === 'legacy' ? legacy.legacyVerbList(program) : legacy.verbHelpOf(rest[0]));
    return ExitCode.OK;
  }
  if (isLegacyVerb(name) && (!findCommand(name) || looksLikeLegacyWatch(rest, false))) {
    return runLegacy(program, await options(), name, rest, out, io);
  }
  if (!findCommand(name)) {
    out.write(`${program}: unknown subcommand: "${name}"\nRun '${program} --help' for usage.\n`);
    return ExitCode.NO_COMMAND;
  }
  return runCommand(program, await options(), name, rest, out, io);
}

/**
 * `updatectl`: the 0.x command line (codegangsta/cli): `-s/-u/-k` globals,
 * its help and version line, flag errors that print `Incorrect Usage.` and
 * exit 0, and list-groups as what runs without a known verb. The 2.x command
 * families work under this name too.
 */
async function legacyMain(program: string, argv: string[], out: TabWriter, io: MainIO): Promise<number> {
  const set = legacyGlobalFlagSet(program);
  let flags: AliasedFlags | undefined;
  let error: FlagError | undefined;
  try {
    set.parse(argv);
    flags = new AliasedFlags(set, LEGACY_GLOBAL_FLAGS);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    error = err;
  }
  // the fast path: nothing of the 0.x verbs is loaded for --version
  if (flags && !flags.value('help') && flags.value('version')) {
    out.write(`${program} version v${VERSION}\n`);
    return ExitCode.OK;
  }
  const legacy = await import('./legacy/index.js');
  if (!flags) {
    const intro = error!.message.startsWith('Cannot use') ? `${error!.message}\n` : 'Incorrect Usage.\n\n';
    out.write(intro + legacy.legacyAppHelp(program, VERSION) + '\n');
    return ExitCode.OK;
  }
  if (flags.value('help')) {
    out.write(legacy.legacyAppHelp(program, VERSION));
    return ExitCode.OK;
  }
  const [name = '', ...rest] = set.positionals;
  const profileFlag = flags.isSet('profile') ? String(flags.value('profile')) : undefined;
  const globals = resolveLegacyGlobals(flags, io.env, await profileForCommand(name, profileFlag, io.env));
  if (name === 'help' || name === 'h') {
    const topic = rest[0];
    if (topic !== undefined && !isLegacyVerb(topic) && findCommand(topic)) return runCommand(program, globals, 'help', rest, out, io);
    return legacy.legacyHelpCommand(program, VERSION, topic, out);
  }
  if (isLegacyVerb(name) && (!findCommand(name) || looksLikeLegacyWatch(rest, true))) {
    return runLegacy(program, globals, name, rest, out, io);
  }
  if (findCommand(name)) return runCommand(program, globals, name, rest, out, io);
  const deps = await makeDeps(program, globals, out, io, 'list-groups');
  try {
    return await legacy.runDefaultAction(set.positionals, deps);
  } finally {
    await deps.closeClient();
  }
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

async function runLegacy(program: string, globals: GlobalOptions, name: string, rest: string[], out: TabWriter, io: MainIO): Promise<number> {
  const legacy = await import('./legacy/index.js');
  const deps = await makeDeps(program, globals, out, io, name);
  try {
    return await legacy.runVerb(legacy.findLegacyVerb(name)!, rest, deps);
  } finally {
    await deps.closeClient();
  }
}

/** Runs a 2.x command family (or `serve`). */
async function runCommand(program: string, globals: GlobalOptions, name: string, rest: string[], out: TabWriter, io: MainIO): Promise<number> {
  const entry = findCommand(name)!;
  if (entry.name === 'serve') {
    // the service has its own settings (flags, environment, YAML file)
    const { serveMain } = await import('../server/main.js');
    return await serveMain(rest);
  }
  const deps = await makeDeps(program, globals, out, io, entry.name);
  const spec = await entry.load();
  const { execute } = await import('./dispatch.js');
  try {
    return await execute(spec, rest, deps);
  } finally {
    await deps.closeClient();
  }
}

async function makeDeps(
  program: string,
  globals: GlobalOptions,
  out: TabWriter,
  io: MainIO,
  command: string,
): Promise<Deps & { closeClient(): Promise<void> }> {
  // help never talks to the API: skip loading the HTTP client for it
  const needsClient = command !== 'help';
  const clientModule = needsClient ? await import('../api/client.js') : undefined;
  let client: import('../api/client.js').ApiClient | undefined;
  const trace = io.env['UPDATECTL_TRACE_HTTP'] ? (text: string) => io.stderr.write(text) : undefined;
  return {
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
    log: (message) => io.stderr.write(logLine(message)),
    globals,
    program,
    env: io.env,
    cwd: io.cwd,
    untilInterrupted: io.untilInterrupted ?? (() => new Promise<void>(() => {})),
  };
}

/** Runs the CLI as a process: real streams, exit code on exit. */
/** Exit status of a process that wrote to a closed pipe (128 + SIGPIPE), as shells report for the Go original. */
const EXIT_BROKEN_PIPE = 141;

export function run(program: string, argv: string[]): void {
  // `updateservicectl … | head`: the reader went away; stop quietly, as a Go program would
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(EXIT_BROKEN_PIPE);
      throw err;
    });
  }
  let interrupted: Promise<void> | undefined;
  const untilInterrupted = () =>
    (interrupted ??= new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }));
  main(program, argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), untilInterrupted })
    .catch((err: unknown) => {
      process.stderr.write(logLine(err instanceof Error ? err.message : String(err)));
      return ExitCode.ERROR;
    })
    .then((code) => exitAfterFlush(code));
}

function exitAfterFlush(code: number): void {
  const streams = [process.stdout, process.stderr].filter((s) => s.writableNeedDrain);
  if (streams.length === 0) process.exit(code);
  let pending = streams.length;
  for (const s of streams) s.once('drain', () => --pending === 0 && process.exit(code));
}
