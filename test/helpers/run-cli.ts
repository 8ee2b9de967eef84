// Runs the CLI in-process with captured streams.
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const ADMIN_KEY = 'd3b07384d113edec49eaa6238ad5ff00';

/**
 * A config folder that does not exist: the CLI under test never picks up
 * saved profiles of the person running the tests (a test that wants profiles
 * passes its own XDG_CONFIG_HOME).
 */
export const NO_PROFILES_CONFIG_HOME = path.join(tmpdir(), `updateservicectl-test-no-profiles-${process.pid}`);

export async function runCli(
  argv: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; program?: string; untilInterrupted?: () => Promise<void> } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(opts.program ?? 'updateservicectl', argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { XDG_CONFIG_HOME: NO_PROFILES_CONFIG_HOME, ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
    untilInterrupted: opts.untilInterrupted,
  });
  return { code, stdout, stderr };
}

/** Global flags that point the CLI at `url` as user admin. */
export function asAdmin(url: string, key = ADMIN_KEY): string[] {
  return [`--server=${url}`, '--user', 'admin', '--key', key];
}

/** Masks the `YYYY/MM/DD HH:MM:SS ` log stamps. */
export function maskStamps(text: string): string {
  return text.replace(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /gm, 'TS ');
}
