// Entry point of both command names. Only what `--version` and the global
// help need is loaded up front; command families and the HTTP client load
// on demand, so the CLI starts about as fast as Node itself.
import { ExitCode, type Deps, type GlobalOptions, type Output } from './command.js';
import { FlagError, HelpRequested } from './flags.js';
import { globalFlagSet, resolveGlobals } from './globals.js';
import { globalHelp } from './help.js';
import { logLine } from './output.js';
import { COMMANDS, findCommand } from './registry.js';
import { TabWriter } from './tabwriter.js';
import { VERSION } from './version.js';

export interface MainIO {
  stdout: Output;
  stderr: Output;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves when the user interrupts; defaults to never. */
  untilInterrupted?: () => Promise<void>;
}

export async function main(program: string, argv: string[], io: MainIO): Promise<number> {
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

  const out = new TabWriter((text) => io.stdout.write(text));
  try {
    if (globals.getBool('help')) {
      out.write(globalHelp(program, VERSION, COMMANDS, globals));
      return ExitCode.OK;
    }
    if (globals.getBool('version')) {
      out.write(`${program} version ${VERSION}\n`);
      return ExitCode.OK;
    }
    const [name = '', ...rest] = globals.positionals;
    const entry = findCommand(name);
    if (!entry) {
      out.write(`${program}: unknown subcommand: "${name}"\nRun '${program} --help' for usage.\n`);
      return ExitCode.NO_COMMAND;
    }
    if (entry.name === 'serve') {
      // the service has its own settings (flags, environment, YAML file)
      const { serveMain } = await import('../server/main.js');
      return await serveMain(rest);
    }
    const deps = await makeDeps(program, resolveGlobals(globals, io.env), out, io, entry.name);
    const spec = await entry.load();
    const { execute } = await import('./dispatch.js');
    try {
      return await execute(spec, rest, deps);
    } finally {
      await deps.closeClient();
    }
  } finally {
    out.flush();
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
export function run(program: string, argv: string[]): void {
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
