// Entry point of both command names (`updatectl` speaks the 0.x syntax). Only what `--version` and the global
// help need is loaded up front; command families and the HTTP client load
// on demand, so the CLI starts about as fast as Node itself.
import { ExitCode, type Output } from './command.js';
import { BadGlobalValue } from './globals.js';
import { logLine } from './output.js';
import { ProfileError } from './profiles.js';
import { runProgram } from './program.js';
import { TabWriter } from './tabwriter.js';
import { terminalsFor } from './terminal.js';

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
    return await runProgram(program, program === LEGACY_PROGRAM, argv, io, out);
  } catch (err) {
    if (!(err instanceof ProfileError || err instanceof BadGlobalValue)) throw err;
    const { stderr } = await terminalsFor(io);
    if (err instanceof ProfileError) {
      io.stderr.write(stderr.error(logLine(err.message)));
      return ExitCode.ERROR;
    }
    io.stderr.write(stderr.error(`${err.message}\n`));
    return ExitCode.USAGE;
  } finally {
    out.flush();
  }
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
